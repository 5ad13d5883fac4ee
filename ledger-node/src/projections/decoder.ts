/**
 * Shim (issue 14): the fast decoder is the SDK's {@link CityEventDecoder} (`decodeFast`, `sdk/src/ledger/decoder.ts`);
 * this module keeps the projections' import name until the node's imports switch to `@cityledger/sdk/ledger`.
 */
export { CityEventDecoder as ProjectionDecoder } from "@cityledger/sdk/ledger";
