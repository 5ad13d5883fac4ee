/**
 * When a log entry happened. The log and the projections hold no time (a leaf is the raw log, and reducers read the log
 * only), yet the open data counts payments per day: the day comes from the block's timestamp, which the block hash in
 * every leaf commits to, so anyone re-derives it from any RPC node. Both lookups are cached for good: entries in the log
 * are final, and so are their blocks.
 */
import type { LogEntry } from "../types";

/** Unix seconds of the block of each entry, by seq (in the order asked). */
export type EntryTime = (seqs: readonly number[]) => Promise<number[]>;

/** What dating entries reads of the log: one entry by seq. */
export interface EntrySource {
  entries(from: number, limit: number): Promise<LogEntry[]>;
}

/**
 * Dates entries of `store` with `blockTime` (a block's timestamp, e.g. viem's `getBlock`), caching both. The caches are
 * cleared when they grow past `maxCached` entries: a rare refetch is cheaper than an unbounded map.
 */
export function entryTimes(store: EntrySource, blockTime: (block: bigint) => Promise<number>, maxCached = 200_000): EntryTime {
  const bySeq = new Map<number, number>();
  const byBlock = new Map<bigint, Promise<number>>();
  const timeOfBlock = (block: bigint): Promise<number> => {
    let t = byBlock.get(block);
    if (t === undefined) {
      if (byBlock.size >= maxCached) byBlock.clear();
      t = blockTime(block);
      // A failed lookup (RPC down) must not stay cached.
      t.catch(() => byBlock.delete(block));
      byBlock.set(block, t);
    }
    return t;
  };
  return async (seqs) => {
    const out: number[] = new Array(seqs.length);
    for (let i = 0; i < seqs.length; i++) {
      const seq = seqs[i];
      let t = bySeq.get(seq);
      if (t === undefined) {
        const [entry] = await store.entries(seq, 1);
        if (entry === undefined) throw new RangeError(`no log entry ${seq}`);
        t = await timeOfBlock(entry.log.blockNumber);
        if (bySeq.size >= maxCached) bySeq.clear();
        bySeq.set(seq, t);
      }
      out[i] = t;
    }
    return out;
  };
}

/** The UTC day of unix seconds `t`, as an ISO 8601 date (YYYY-MM-DD). */
export const utcDate = (t: number): string => new Date(t * 1000).toISOString().slice(0, 10);

/** The UTC date-time of unix seconds `t`, ISO 8601 with a Z (YYYY-MM-DDTHH:MM:SSZ). */
export const utcDateTime = (t: number): string => new Date(t * 1000).toISOString().replace(".000Z", "Z");
