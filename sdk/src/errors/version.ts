/** The SDK's name and version, shown at the end of every error message (kept in step with package.json by a test). */
export const version = "@cityledger/sdk@0.1.0";
