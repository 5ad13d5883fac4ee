/**
 * Shim (issue 14): `parseLeafInput` is the SDK's leaf codec (`sdk/src/ledger/leaf.ts`) and `readEntries` moved to the
 * log layer (`ledger-node/src/log/entries.ts`); this module keeps the projections' import names.
 */
export { parseLeafInput } from "@cityledger/sdk/ledger";
export { readEntries, type LeafInputEntry, type LeafInputSource, type ReplaySource } from "../log/entries";
