// Loaded in each parallel mocha worker (hardhat.config.ts, mocha.require). Workers send results to the main process
// as JSON; a failure whose error carries bigints (chai's actual/expected) would crash that report and hide which test
// failed. After a failed test, the bigints in its error are rewritten as "<digits>n" strings — only there, so the code
// under test still sees JSON.stringify refuse a bigint as it does in production.
"use strict";

function withoutBigints(value, seen = new Set()) {
  if (typeof value === "bigint") return `${value}n`;
  if (value === null || typeof value !== "object" || seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => withoutBigints(v, seen));
  for (const key of Object.keys(value)) {
    try {
      value[key] = withoutBigints(value[key], seen);
    } catch {
      // a read-only property: leave it
    }
  }
  return value;
}

// With CITY_TEST_TIMINGS=<file>, each suite file's wall time is appended to <file> as a JSON line: `npm run
// test:timings` turns a run's lines into test/timings.json, which hardhat.config.ts reads to start the longest files
// first (in parallel mode root hooks run once per file, so beforeAll/afterAll bracket one file).
const path = require("node:path");
const fs = require("node:fs");
let fileStarted = 0;

exports.mochaHooks = {
  beforeAll() {
    fileStarted = Date.now();
  },
  afterAll() {
    const out = process.env.CITY_TEST_TIMINGS;
    const file = this.test && this.test.parent && this.test.parent.suites.map((s) => s.file).find(Boolean);
    if (!out || !file) return;
    const line = JSON.stringify({ file: path.relative(path.join(__dirname, ".."), file), seconds: (Date.now() - fileStarted) / 1000 });
    fs.appendFileSync(out, line + "\n");
  },
  afterEach() {
    const err = this.currentTest && this.currentTest.err;
    if (err) withoutBigints(err);
  },
};
