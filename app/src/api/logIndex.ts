import { useQuery, type UseQueryResult } from "@tanstack/react-query";
import { nodeJson } from "./node";
import { nodeKey } from "./query";
import type { EntriesPage, EntryJson } from "./types";

/** The node's largest page of entries. */
const PAGE = 1000;
export const LOG_INDEX_PATH = "/v1/entries?all";

/**
 * Every entry of the log, in order, kept in the page and extended as the log grows: entries never change once in the
 * log, so a live update fetches only the new ones. The node has no search or per-contract listing of entries, so the
 * log search (by address, transaction) and the figures that need a history (supply over time, members per college,
 * anchors) read this. It grows with the log: fine for a city's first hundred thousand entries, not beyond (a node-side
 * index would be the next step).
 */
const known: EntryJson[] = [];

async function extend(signal: AbortSignal): Promise<readonly EntryJson[]> {
  const head = await nodeJson<EntriesPage>("/v1/entries?from=0&limit=1", { signal });
  // A log shorter than what the page holds, or with another first entry, is another log (the node was reset): start over.
  if (head.size < known.length || (known.length > 0 && head.entries[0]?.leafHash !== known[0]!.leafHash)) known.length = 0;
  for (;;) {
    const from = known.length;
    const page = await nodeJson<EntriesPage>(`/v1/entries?from=${from}&limit=${PAGE}`, { signal });
    // Two reads racing (a refetch while one runs) must not append the same entries twice.
    if (page.from === known.length) known.push(...page.entries);
    if (page.next === null || page.entries.length === 0) return known.slice();
  }
}

/** Every entry (or what `select` derives from them, recomputed only when the log grew). */
export function useLogIndex<R = readonly EntryJson[]>(select?: (entries: readonly EntryJson[]) => R): UseQueryResult<R, Error> {
  return useQuery({ queryKey: nodeKey(LOG_INDEX_PATH), queryFn: ({ signal }) => extend(signal), staleTime: 5_000, select });
}

/** Entries of `contract`'s `name` events (decoded by the node), oldest first. */
export function eventsNamed(entries: readonly EntryJson[], contract: string, ...names: string[]): EntryJson[] {
  return entries.filter((e) => e.event?.contract === contract && names.includes(e.event.name));
}
