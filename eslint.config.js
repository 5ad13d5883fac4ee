// @ts-check
/**
 * ESLint checks one thing here: the package boundaries (issue 14). Types, style and formatting are tsc's and the
 * reviewers' job; the rules below only keep each part of the repository importing what it may:
 *
 *   ledger-node/  the node library: the SDK only as `@cityledger/sdk[/<subpath>]`, never scripts/, test/, bench/
 *   sdk/          browser-safe, stands alone: never ledger-node/, scripts/, test/, bench/
 *   scripts/      the CLI and tooling: the node library, the SDK as a package (never sdk/src), never test/, bench/
 *   bench/        the node, scripts/lib, the SDK as a package, never test/
 *   examples/     what users copy: the SDK as a package only
 *   app/          the web app (browser): the SDK as a package only, never the node, scripts, tests or benches
 *
 * `no-restricted-imports` sees import specifiers, not resolved files: a relative specifier climbing into another
 * part (`../../sdk/src/…`, `../scripts/…`) is refused. test/architecture/imports.test.ts checks the resolved import
 * graph (and cycles). No type information is loaded, so linting takes seconds.
 */
"use strict";
const tseslint = require("typescript-eslint");

/** A relative import climbing into the repository's top-level folder `dir`. */
const into = (dir, message) => ({ regex: `^(\\.\\./)+${dir}(/|$)`, message });

const SDK_SOURCES = into("sdk/src", "Import the SDK as a package: `@cityledger/sdk` or a subpath such as `@cityledger/sdk/merkle`.");
const SDK_DEEP = {
  regex: "^@cityledger/sdk/[^/]+/",
  message: "Only the SDK's subpath exports are public (`@cityledger/sdk/<subpath>`): import from the subpath's index.",
};
const TEST = into("test", "Test fixtures stay in test/: move what is shared to scripts/lib/ (or bench/lib/).");
const BENCH = into("bench", "Nothing imports a benchmark.");
const SCRIPTS = into("scripts", "The node is a library: the CLI and scripts import it, never the reverse.");
const NODE = into("ledger-node", "The SDK stands alone (it runs in browsers): it never imports the ledger node.");
const SDK_OUTSIDE = into("(scripts|test|bench)", "The SDK stands alone (it runs in browsers): it never imports scripts, tests or benches.");

const restrict = (...patterns) => ({ "no-restricted-imports": ["error", { patterns }] });

module.exports = tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", "typechain-types/**", "artifacts/**", "cache/**", "**/*.js", "**/*.mjs", "**/*.cjs"] },
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: "module", parserOptions: { ecmaFeatures: { jsx: true } } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  { files: ["ledger-node/**/*.ts"], rules: restrict(SDK_SOURCES, SDK_DEEP, SCRIPTS, TEST, BENCH) },
  { files: ["sdk/**/*.ts"], rules: restrict(NODE, SDK_OUTSIDE) },
  { files: ["scripts/**/*.ts"], rules: restrict(SDK_SOURCES, SDK_DEEP, TEST, BENCH) },
  { files: ["bench/**/*.ts"], rules: restrict(SDK_SOURCES, SDK_DEEP, TEST) },
  { files: ["examples/**/*.ts"], rules: restrict(SDK_SOURCES, SDK_DEEP, SCRIPTS, TEST, BENCH, into("ledger-node", "Examples use the SDK only.")) },
  {
    files: ["app/**/*.ts", "app/**/*.tsx"],
    rules: restrict(SDK_SOURCES, SDK_DEEP, SCRIPTS, TEST, BENCH, into("ledger-node", "The app reads the node over HTTP (app/src/api), never its code.")),
  },
);
