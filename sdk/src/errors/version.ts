/**
 * The SDK's name and version, shown at the end of every error message (kept in step with package.json by a test).
 * @example `console.log(version); // "@cityledger/sdk@0.1.0"`
 */
export const version = "@cityledger/sdk@0.1.0";
