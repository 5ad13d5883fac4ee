import { getAddress, type Address, type PublicClient } from "viem";
import { ledgerAnchorAbi } from "@cityledger/sdk/abis";

/**
 * LedgerAnchor's witness set as the chain holds it at one block: who may cosign the log's checkpoints and how many
 * signatures an anchor needs. Read from the contract, never from this node's settings, so a client shown it can check
 * it against any RPC node at `blockNumber`.
 */
export interface WitnessSet {
  anchor: Address;
  witnesses: Address[];
  /** Signatures an anchor needs (0 while LedgerAnchor has no witness set). */
  threshold: number;
  /** The block both reads were made at. */
  blockNumber: bigint;
}

/**
 * Reads `witnesses()` and `threshold()` of LedgerAnchor at the chain's latest block, both at that same block so they
 * describe one state of the contract.
 *
 * @example
 * ```ts
 * const { witnesses, threshold } = await readWitnessSet(client, deployment.contracts.LedgerAnchor.address);
 * ```
 */
export async function readWitnessSet(client: PublicClient, anchor: Address): Promise<WitnessSet> {
  const blockNumber = await client.getBlockNumber({ cacheTime: 0 });
  const [witnesses, threshold] = await Promise.all([
    client.readContract({ address: anchor, abi: ledgerAnchorAbi, functionName: "witnesses", blockNumber }),
    client.readContract({ address: anchor, abi: ledgerAnchorAbi, functionName: "threshold", blockNumber }),
  ]);
  return { anchor: getAddress(anchor), witnesses: witnesses.map((w) => getAddress(w)), threshold: Number(threshold), blockNumber };
}
