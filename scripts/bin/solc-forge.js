#!/usr/bin/env node
/**
 * A `solc` executable for forge, backed by the pinned solcjs package: forge cannot download a compiler here.
 * It answers the two calls forge makes: `--version` and `--standard-json` (input on stdin, output on stdout).
 */
"use strict";
const solc = require("solc");

const args = process.argv.slice(2);
if (args.includes("--version")) {
  // forge parses "Version: <semver>+commit.<hash>"; solcjs reports "0.8.30+commit.73712a01.Emscripten.clang".
  const version = solc.version().replace(/\.Emscripten.*$/, "");
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${version}.Linux.g++\n`);
  process.exit(0);
}
if (!args.includes("--standard-json")) {
  process.stderr.write("solc-forge: only --version and --standard-json are supported (this wraps solcjs for forge)\n");
  process.exit(2);
}

const chunks = [];
process.stdin.on("data", (c) => chunks.push(c));
process.stdin.on("end", () => {
  const input = Buffer.concat(chunks).toString("utf8");
  const basePath = argValue("--base-path") ?? process.cwd();
  const includePaths = allValues("--include-path");
  const allowed = [basePath, ...includePaths];
  const path = require("node:path");
  const fs = require("node:fs");
  // solcjs has no file system: resolve imports the way native solc does with --base-path/--include-path.
  const findImports = (p) => {
    for (const root of allowed) {
      const full = path.isAbsolute(p) ? p : path.join(root, p);
      if (fs.existsSync(full)) return { contents: fs.readFileSync(full, "utf8") };
    }
    return { error: `File not found: ${p}` };
  };
  process.stdout.write(solc.compile(input, { import: findImports }));
});

function argValue(name) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
function allValues(name) {
  const out = [];
  args.forEach((a, i) => a === name && out.push(args[i + 1]));
  return out;
}
