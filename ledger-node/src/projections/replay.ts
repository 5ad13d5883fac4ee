/**
 * `cityledger replay`: rebuilds every projection from entry 0 of the log, in a fresh in-memory engine (no snapshot
 * read or written), and returns the state hash. It must equal the live node's hash at the same seq: the reducers are
 * pure, read nothing but the log, and encode canonically.
 *
 * The decoder's fast path (`decodeFast`) reads the city's events without viem's per-call signature hashing and
 * address checksums.
 */
import type { ReplaySource } from "../log/entries";
import type { CityEventDecoder } from "@cityledger/sdk/ledger";
import type { Projection } from "./projection";
import { ProjectionEngine, type CatchUpProgress, type StateHashes } from "./engine";

export interface ReplayOptions {
  /** The log (a `LogStore`; one with `leafInputs` is read faster). */
  store: ReplaySource;
  decoder: CityEventDecoder;
  /** Called after every page. */
  onProgress?: (progress: CatchUpProgress) => void;
  /** Entries read per page (default 5,000). */
  pageSize?: number;
  projections?: readonly Projection<unknown>[];
}

export interface ReplayResult extends StateHashes {
  /** Entries read (the log size at the end of the replay). */
  entries: number;
  /** Time to read and reduce the log. */
  reduceMs: number;
  /** Time to encode and hash the final state. */
  hashMs: number;
  /** Entries read per second of reduce time. */
  entriesPerSecond: number;
  /** The rebuilt engine, for inspection (e.g. wrap it in createQueries). */
  engine: ProjectionEngine;
}

/** Rebuilds the projections from entry 0 and hashes the result. */
export async function replay(options: ReplayOptions): Promise<ReplayResult> {
  const engine = new ProjectionEngine(options.projections);
  const started = performance.now();
  const entries = await engine.catchUp(options.store, options.decoder, { pageSize: options.pageSize, onProgress: options.onProgress });
  const reduced = performance.now();
  const hashes = engine.stateHashes();
  const hashed = performance.now();
  const reduceMs = reduced - started;
  return {
    ...hashes,
    entries,
    reduceMs,
    hashMs: hashed - reduced,
    entriesPerSecond: reduceMs > 0 ? Math.round((entries * 1000) / reduceMs) : 0,
    engine,
  };
}
