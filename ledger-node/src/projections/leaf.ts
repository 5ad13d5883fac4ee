/**
 * Reading log entries for replay without the cost of `LogStore.entries`, which per entry decodes the leaf with viem,
 * checksums the emitter (a keccak) and hashes the leaf (what proofs need, replay does not).
 *
 * A store that offers `leafInputs(from, limit)` (raw leaf inputs by seq) is read through {@link parseLeafInput}, a
 * hand-written decoder of the fixed leaf layout; any other store through `entries`. Both give the same projections:
 * projections lower-case every address.
 */
import type { Address, Hex } from "viem";
import type { LogStore } from "../log/store";
import type { LogEntry, RawLog } from "../types";

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

/**
 * Decodes a leaf input, `abi.encode(uint256 chainId, uint64 blockNumber, bytes32 blockHash, bytes32 txHash,
 * uint32 logIndex, address emitter, bytes32[] topics, bytes data)`, into its raw log. Hex comes back lower-case
 * (the emitter too: not checksummed).
 * @throws Error naming the field when the input is not a well-formed leaf.
 */
export function parseLeafInput(input: Uint8Array): RawLog {
  const h = Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString("hex");
  const words = h.length / 64;
  if (!Number.isInteger(words) || words < 10) throw new Error(`leaf input of ${input.byteLength} bytes is not a log leaf`);
  const word = (i: number) => h.slice(64 * i, 64 * (i + 1));
  const small = (i: number, what: string): number => {
    const w = word(i);
    const n = Number.parseInt(w, 16);
    if (!Number.isSafeInteger(n)) throw new Error(`leaf input: ${what} ${w} is out of range`);
    return n;
  };
  const topicsAt = small(6, "topics offset");
  const dataAt = small(7, "data offset");
  if (topicsAt % 32 !== 0 || dataAt % 32 !== 0) throw new Error("leaf input: unaligned offsets");
  const t = topicsAt / 32;
  const count = small(t, "topic count");
  if (t + 1 + count > words) throw new Error(`leaf input: ${count} topics overrun the input`);
  const topics: Hex[] = new Array(count);
  for (let i = 0; i < count; i++) topics[i] = `0x${word(t + 1 + i)}`;
  const d = dataAt / 32;
  const size = small(d, "data length");
  const start = 64 * (d + 1);
  if (start + 2 * size > h.length) throw new Error(`leaf input: ${size} data bytes overrun the input`);
  return {
    chainId: small(0, "chainId"),
    blockNumber: BigInt(`0x${word(1)}`),
    blockHash: `0x${word(2)}`,
    transactionHash: `0x${word(3)}`,
    logIndex: small(4, "logIndex"),
    address: `0x${word(5).slice(24)}` as Address,
    topics,
    data: `0x${h.slice(start, start + 2 * size)}`,
  };
}

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
