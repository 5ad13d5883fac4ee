/**
 * Resolves `@cityledger/sdk` and its subpaths (`@cityledger/sdk/merkle` …) to the SDK's TypeScript sources in this
 * repository, so that the node, the CLI, the scripts and the benches import the SDK as its users do — through the
 * package's public entry points — without building it first. The package's `exports` point at `dist/`, which only
 * `npm run build -w @cityledger/sdk` writes; inside the repository a subpath `<sub>` is `sdk/src/<sub>/index`
 * (the root is `sdk/src/index`), the same rule as the `paths` of the root tsconfig.json gives the type checker.
 * A deep import (`@cityledger/sdk/merkle/hasher`) is not a subpath and falls through to Node's resolution, which
 * refuses it as the published package would.
 *
 * Loaded before any TypeScript source: by ts-node (the `ts-node.require` of tsconfig.json, which covers `hardhat …`,
 * `ts-node bench/*.ts`, `ts-node examples/*.ts` and scripts/bin/cityledger.js) or with `node -r` for transpiled
 * copies of the sources (the resolved directory is relative to this file, so a copy of the tree resolves to its own
 * sdk/src). Plain CommonJS: it must run before ts-node compiles anything. Installing it twice is harmless.
 */
"use strict";
const Module = require("node:module");
const fs = require("node:fs");
const path = require("node:path");

const PACKAGE = "@cityledger/sdk";
const SDK_SRC = path.resolve(__dirname, "..", "..", "sdk", "src");
const INSTALLED = Symbol.for("cityledger.resolveSdk");

/** The source directory a package specifier stands for, or undefined when it is not the SDK (or not a subpath). */
function sdkSource(request) {
  if (request === PACKAGE) return SDK_SRC;
  if (!request.startsWith(`${PACKAGE}/`)) return undefined;
  const sub = request.slice(PACKAGE.length + 1);
  if (!/^[a-z][a-z0-9-]*$/.test(sub)) return undefined;
  const dir = path.join(SDK_SRC, sub);
  return fs.existsSync(dir) ? dir : undefined;
}

if (!Module[INSTALLED]) {
  Module[INSTALLED] = true;
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, isMain, options) {
    const dir = sdkSource(request);
    // The directory's index, with whatever extensions are registered (.ts under ts-node, .js in a transpiled copy).
    return resolveFilename.call(this, dir === undefined ? request : dir, parent, isMain, options);
  };
}

module.exports = { sdkSource, SDK_SRC };
