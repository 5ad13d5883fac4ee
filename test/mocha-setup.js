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

exports.mochaHooks = {
  afterEach() {
    const err = this.currentTest && this.currentTest.err;
    if (err) withoutBigints(err);
  },
};
