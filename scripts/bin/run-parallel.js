#!/usr/bin/env node
/**
 * Runs shell commands side by side and prints each one's output once it ends, under its command line; exits non-zero
 * if any failed (after all have ended, so every failure is shown). `npm run lint` uses it: tsc is single-threaded,
 * and its three projects, eslint and solhint otherwise ran one after another on a machine with cores to spare.
 * Usage: run-parallel.js '<command>' '<command>' …
 */
"use strict";
const { spawn } = require("node:child_process");

const commands = process.argv.slice(2);
let failed = 0;
Promise.all(
  commands.map(
    (command) =>
      new Promise((resolve) => {
        const started = Date.now();
        const child = spawn(command, { shell: true, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (d) => (output += d));
        child.stderr.on("data", (d) => (output += d));
        child.on("close", (code) => {
          const seconds = ((Date.now() - started) / 1000).toFixed(1);
          if (code !== 0) failed++;
          process.stdout.write(`${code === 0 ? "ok" : `FAILED (exit ${code})`} in ${seconds} s: ${command}\n${output}`);
          resolve();
        });
      }),
  ),
).then(() => process.exit(failed > 0 ? 1 : 0));
