/**
 * The SDK's ESM build: esbuild bundles `src/index.ts` and each subpath's `src/<subpath>/index.ts` (abis, ledger,
 * merkle, relay, votes, energy, datause, errors: the package's `exports`) into `dist/esm/*.mjs` (viem and
 * @noble stay external imports), next to the CommonJS build and type declarations `tsc` writes to `dist/`. A bundle
 * because Node's ESM loader needs file extensions on relative imports, which the TypeScript sources do not carry.
 */
"use strict";
const path = require("node:path");
const esbuild = require("esbuild");

const root = __dirname;
/** The package's subpath exports (package.json `exports`), each built from `src/<subpath>/index.ts`. */
const SUBPATHS = ["abis", "ledger", "merkle", "relay", "votes", "energy", "datause", "errors"];
esbuild
  .build({
    entryPoints: Object.fromEntries([["index", "src/index.ts"], ...SUBPATHS.map((s) => [s, `src/${s}/index.ts`])].map(([name, file]) => [name, path.join(root, file)])),
    outdir: path.join(root, "dist/esm"),
    outExtension: { ".js": ".mjs" },
    bundle: true,
    // Shared code goes to common chunks, so a class is one class whichever subpath it is imported from (instanceof).
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    format: "esm",
    platform: "neutral",
    target: "es2022",
    external: ["viem", "viem/*", "@noble/*"],
    sourcemap: true,
    logLevel: "warning",
  })
  .catch(() => process.exit(1));
