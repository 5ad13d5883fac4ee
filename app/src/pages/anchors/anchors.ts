import { useQuery } from "@tanstack/react-query";
import type { Hex } from "viem";
import { ledgerAnchorAbi } from "@cityledger/sdk";
import type { City } from "../../api/city";
import { eventsNamed, useLogIndex } from "../../api/logIndex";
import type { EntryJson } from "../../api/types";
import type { AnchorView } from "../verify/checks";

/** An anchor as LedgerAnchor's `Anchored` event recorded it, with the log entry (and so the transaction) it is. */
export interface AnchorRecord {
  index: number;
  size: number;
  root: Hex;
  signers: string[];
  entry: EntryJson;
}

export function anchorsOf(entries: readonly EntryJson[]): AnchorRecord[] {
  return eventsNamed(entries, "LedgerAnchor", "Anchored").map((entry) => {
    const args = entry.event!.args as { index: string; size: string; root: Hex; signers: string[] };
    return { index: Number(args.index), size: Number(args.size), root: args.root, signers: args.signers, entry };
  });
}

/** Every anchor in the log, oldest first. */
export function useAnchors() {
  return useLogIndex(anchorsOf);
}

/**
 * LedgerAnchor's latest anchor read on chain (the source an auditor trusts: the contract verified the witnesses'
 * signatures and the consistency proof), or undefined when nothing is anchored yet.
 */
export async function latestAnchorOnChain(city: City): Promise<{ index: number; size: number; root: Hex } | undefined> {
  const client = city.client!;
  const address = city.deployment.addresses.ledgerAnchor;
  if (!address) return undefined;
  const count = await client.publicClient.readContract({ address, abi: ledgerAnchorAbi, functionName: "anchorCount" });
  if (count === 0n) return undefined;
  const { size, root } = await client.publicClient.readContract({ address, abi: ledgerAnchorAbi, functionName: "latestAnchor" });
  return { index: Number(count) - 1, size: Number(size), root };
}

/** The last anchor with its signers: from the chain when the node publishes an RPC, else as the log recorded it. */
export async function lastAnchor(city: City, anchors: readonly AnchorRecord[]): Promise<AnchorView | undefined> {
  if (city.client) {
    const onChain = await latestAnchorOnChain(city);
    if (!onChain) return undefined;
    const recorded = anchors.find((a) => a.index === onChain.index);
    return { size: onChain.size, root: onChain.root, signers: recorded?.signers ?? [], source: "chain" };
  }
  const last = anchors.at(-1);
  return last && { size: last.size, root: last.root, signers: last.signers, source: "log" };
}

/**
 * The chain's view of LedgerAnchor, for the anchors page (no RPC: disabled). Keyed by how many anchors the log has
 * seen, so a new `Anchored` entry (live) reads the chain again.
 */
export function useLatestAnchorOnChain(city: City | undefined, anchorsInLog: number | undefined) {
  return useQuery({
    queryKey: ["chain", "latestAnchor", city?.deployment.addresses.ledgerAnchor, anchorsInLog],
    queryFn: () => latestAnchorOnChain(city!),
    enabled: city?.client !== undefined && anchorsInLog !== undefined,
  });
}

/** The origin of the log LedgerAnchor anchors, read on chain (undefined without an RPC or a LedgerAnchor). */
export async function anchoredOriginOnChain(city: City): Promise<string | undefined> {
  const address = city.deployment.addresses.ledgerAnchor;
  if (!city.client || !address) return undefined;
  return city.client.publicClient.readContract({ address, abi: ledgerAnchorAbi, functionName: "origin" });
}
