// Loaded in each parallel mocha worker (hardhat.config.ts, mocha.require). Workers send results to the main process
// as JSON; a failure carrying bigints (chai's actual/expected) would crash that report and hide which test failed.
// Bigints are sent as "<digits>n" instead.
"use strict";
if (typeof BigInt.prototype.toJSON !== "function") {
  Object.defineProperty(BigInt.prototype, "toJSON", {
    value() {
      return `${this.toString()}n`;
    },
    configurable: true,
    writable: true,
  });
}
