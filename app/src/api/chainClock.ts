import { createPublicClient, http } from "viem";

/** The chain's latest block time (unix seconds), with viem alone: pages that need only the clock skip the SDK client. */
export async function latestBlockTime(rpcUrl: string): Promise<number> {
  return Number((await createPublicClient({ transport: http(rpcUrl) }).getBlock()).timestamp);
}
