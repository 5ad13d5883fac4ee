import type { Address, Hex } from "viem";
import type { CityContext } from "../../types";
import { ledgerGet } from "../internal/ledger";

/**
 * An entry of the city's log as the node serves it: its leaf, the raw log it encodes, the log decoded.
 * @example `const entry: LedgerEntry = await getEntry(city, { seq: 0 });`
 */
export interface LedgerEntry {
  seq: number;
  leafHash: Hex;
  leafInput: Hex;
  log: {
    chainId: number;
    blockNumber: string;
    blockHash: Hex;
    transactionHash: Hex;
    logIndex: number;
    address: Address;
    topics: Hex[];
    data: Hex;
  };
  /** The log decoded with the city's ABIs (integers as decimal strings), or null. */
  event: { contract: string; name: string; args: Record<string, unknown> } | null;
}

/** @example `const p: GetEntryParameters = { seq: 42 };` */
export interface GetEntryParameters {
  seq: number;
}

/**
 * Reads entry `seq` of the log.
 * @throws {LedgerRequestError} `not-found` when the log is not that long yet.
 * @example `const { event } = await getEntry(city, { seq: 42 });`
 */
export async function getEntry(context: CityContext, parameters: GetEntryParameters): Promise<LedgerEntry> {
  return ledgerGet<LedgerEntry>(context, "getEntry", `/v1/entries/${parameters.seq}`);
}

/** @example `const p: GetEntriesParameters = { from: 0, limit: 100 };` */
export interface GetEntriesParameters {
  from?: number | undefined;
  /** At most 1000 (default 100). */
  limit?: number | undefined;
}

/** @example `const page: GetEntriesReturnType = await getEntries(city, { from: 0 });` */
export interface GetEntriesReturnType {
  from: number;
  size: number;
  entries: LedgerEntry[];
  /** `from` of the next page, null at the end of the log. */
  next: number | null;
}

/**
 * Reads a page of entries.
 * @example
 * ```ts
 * for (let from: number | null = 0; from !== null; ) ({ next: from } = await getEntries(city, { from }));
 * ```
 */
export async function getEntries(context: CityContext, parameters: GetEntriesParameters = {}): Promise<GetEntriesReturnType> {
  const query = new URLSearchParams();
  if (parameters.from !== undefined) query.set("from", String(parameters.from));
  if (parameters.limit !== undefined) query.set("limit", String(parameters.limit));
  return ledgerGet<GetEntriesReturnType>(context, "getEntries", `/v1/entries?${query}`);
}
