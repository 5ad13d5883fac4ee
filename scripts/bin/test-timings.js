#!/usr/bin/env node
/**
 * Runs the mocha suites (as `npm test` does) recording each file's wall time, then writes test/timings.json: the
 * suite files, longest first, with their seconds. hardhat.config.ts hands the files to mocha's parallel workers in
 * that order, so the longest start first and the run does not end on one long file started last.
 * Usage: npm run test:timings
 */
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..");
const lines = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cityledger-timings-")), "timings.jsonl");
const hardhat = path.join(root, "node_modules", "hardhat", "internal", "cli", "cli.js");
const run = spawnSync(process.execPath, [hardhat, "test", "--no-compile", "--parallel"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, CITY_TEST_TIMINGS: lines },
});
const seconds = {};
for (const line of fs.existsSync(lines) ? fs.readFileSync(lines, "utf8").split("\n").filter(Boolean) : []) {
  const { file, seconds: s } = JSON.parse(line);
  seconds[file] = Math.round(((seconds[file] ?? 0) + s) * 10) / 10;
}
const sorted = Object.fromEntries(Object.entries(seconds).sort((a, b) => b[1] - a[1]));
fs.writeFileSync(path.join(root, "test", "timings.json"), JSON.stringify(sorted, null, 2) + "\n");
console.log(`test/timings.json: ${Object.keys(sorted).length} files, ${Object.values(sorted).reduce((a, b) => a + b, 0).toFixed(0)} s in all`);
process.exit(run.status ?? 1);
