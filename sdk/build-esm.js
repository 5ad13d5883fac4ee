/**
 * The SDK's ESM build: esbuild bundles `src/index.ts` and `src/abis/index.ts` into `dist/esm/*.mjs` (viem and
 * @noble stay external imports), next to the CommonJS build and type declarations `tsc` writes to `dist/`. A bundle
 * because Node's ESM loader needs file extensions on relative imports, which the TypeScript sources do not carry.
 */
"use strict";
const path = require("node:path");
const esbuild = require("esbuild");

const root = __dirname;
esbuild
  .build({
    entryPoints: { index: path.join(root, "src/index.ts"), abis: path.join(root, "src/abis/index.ts") },
    outdir: path.join(root, "dist/esm"),
    outExtension: { ".js": ".mjs" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    external: ["viem", "viem/*", "@noble/*"],
    sourcemap: true,
    logLevel: "warning",
  })
  .catch(() => process.exit(1));
