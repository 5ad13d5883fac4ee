/**
 * Shim (issue 14): the decoder is the SDK's {@link CityEventDecoder} (`sdk/src/ledger/decoder.ts`); this module keeps
 * the node's import names until its imports switch to `@cityledger/sdk/ledger`.
 */
export { CityEventDecoder as EventDecoder } from "@cityledger/sdk/ledger";

/** The deployment record fields the node reads: each contract's address and ABI (the relayer's allow-list reads the ABIs). */
export interface DecoderDeployment {
  contracts: Record<string, { address: string; abi: readonly unknown[] }>;
}
