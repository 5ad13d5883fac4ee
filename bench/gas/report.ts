import type { ContractTransactionResponse } from "ethers";

/**
 * One line of `bench/results/gas.json`; `ratio` = gas / baseline when a baseline was measured in the same run (or is a
 * published figure, said so where it is set); `perMatch` = gas / matched orders, for auctions.
 */
export interface GasEntry {
  gas: number;
  baseline?: number;
  ratio?: number;
  perMatch?: number;
}

/** Gas used by a mined transaction. */
export async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  return Number(receipt!.gasUsed);
}

/** Adds ratios (3 decimals) and sorts keys, so the committed file diffs cleanly. */
export function finalize(entries: Record<string, GasEntry>): Record<string, GasEntry> {
  const out: Record<string, GasEntry> = {};
  for (const key of Object.keys(entries).sort()) {
    const { gas, baseline, perMatch } = entries[key];
    out[key] = baseline ? { gas, baseline, ratio: Math.round((gas / baseline) * 1000) / 1000 } : { gas };
    if (perMatch !== undefined) out[key].perMatch = perMatch;
  }
  return out;
}
