/**
 * What every domain's queries share: paging of lists, address normalisation and checksumming. Conventions of the
 * reads: every big integer is a `bigint` (the API serialises it as a decimal string); small counters, seqs, colleges,
 * districts and unix times are `number`; addresses come back checksummed, inputs may be any case. Reads are
 * synchronous: the projections live in memory. Views are fresh objects: callers may keep or change them.
 */
import { getAddress, type Address } from "viem";

export interface PageRequest {
  /** Items to skip (default 0). */
  offset?: number;
  /** Items to return (default 50, at most 1,000). */
  limit?: number;
  /** "desc" (default) = newest first, by seq; "asc" = oldest first. */
  order?: "asc" | "desc";
}

export interface Page<T> {
  items: T[];
  /** Items in the whole list. */
  total: number;
  offset: number;
  limit: number;
}

/** Default and maximum page sizes. */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1_000;

/** The window a page request asks of a list of `total` items: clamped offset and limit, indices in the order asked. */
export function pageWindow(total: number, page: PageRequest | undefined): { offset: number; limit: number; indices: number[] } {
  const int = (v: number | undefined, fallback: number) => (v !== undefined && Number.isFinite(v) ? Math.floor(v) : fallback);
  const offset = Math.max(0, int(page?.offset, 0));
  const limit = Math.min(MAX_LIMIT, Math.max(0, int(page?.limit, DEFAULT_LIMIT)));
  const indices: number[] = [];
  const desc = (page?.order ?? "desc") === "desc";
  for (let k = offset; k < Math.min(total, offset + limit); k++) indices.push(desc ? total - 1 - k : k);
  return { offset, limit, indices };
}

/** A page of `list` (oldest first as stored), each item shown through `view`. */
export function paged<S, T>(list: readonly S[], page: PageRequest | undefined, view: (s: S) => T): Page<T> {
  const w = pageWindow(list.length, page);
  return { items: w.indices.map((i) => view(list[i])), total: list.length, offset: w.offset, limit: w.limit };
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Lower-case form of an address given in any case, or undefined if it is not one. */
export function normalizeAddress(address: string): string | undefined {
  return ADDRESS.test(address) ? address.toLowerCase() : undefined;
}

/** A checksummer of lower-case addresses with a bounded cache (checksumming costs a keccak). */
export function checksummer(): (address: string) => Address {
  const cache = new Map<string, Address>();
  return (a) => {
    let c = cache.get(a);
    if (c === undefined) {
      if (cache.size >= 100_000) cache.clear();
      c = getAddress(a);
      cache.set(a, c);
    }
    return c;
  };
}

/** Ascending order of bigints (for `Array.prototype.sort`). */
export const byBigint = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);
