/**
 * Reading log entries for replay without the cost of `LogStore.entries`, which per entry decodes the leaf with viem,
 * checksums the emitter (a keccak) and hashes the leaf (what proofs need, replay does not).
 *
 * A store that offers `leafInputs(from, limit)` (raw leaf inputs by seq) is read through the SDK's `parseLeafInput`
 * (the one leaf codec); any other store through `entries`. Both give the same projections: projections lower-case
 * every address.
 */
import { parseLeafInput } from "@cityledger/sdk/ledger";
import type { LogStore } from "./store";
import type { LogEntry } from "../types";

/** One stored leaf input, by seq. */
export interface LeafInputEntry {
  seq: number;
  leafInput: Uint8Array;
}

/** A log store that can hand out raw leaf inputs (e.g. `LogStore` once it has `leafInputs`). */
export interface LeafInputSource {
  leafInputs(from: number, limit: number): Promise<LeafInputEntry[]>;
}

/** What catch-up needs of a log store. */
export type ReplaySource = Pick<LogStore, "size" | "entries" | "rootAt"> & Partial<LeafInputSource>;

const EMPTY = new Uint8Array(0);

/** Entries `[from, from + limit)`: parsed from raw leaf inputs when the store offers them, else `entries`. */
export async function readEntries(store: ReplaySource, from: number, limit: number): Promise<LogEntry[]> {
  if (typeof store.leafInputs !== "function") return store.entries(from, limit);
  const raw = await store.leafInputs(from, limit);
  const out: LogEntry[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    // The leaf hash is not needed to reduce: left empty rather than computed.
    out[i] = { seq: raw[i].seq, log: parseLeafInput(raw[i].leafInput), leafInput: raw[i].leafInput, leafHash: EMPTY };
  }
  return out;
}
