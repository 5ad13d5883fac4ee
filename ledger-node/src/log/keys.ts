/**
 * LevelDB layout of the log. Keys are binary and big-endian so that LevelDB's byte order is numeric order.
 *
 *   e <seq:u64>                      → leaf input (abi-encoded raw log)
 *   n <level:u8> <index:u64>         → perfect node hash (level 0 = leaf hashes); written once, never changed
 *   x <txHash:32> <logIndex:u32>     → seq (u64)
 *   c <size:u64>                     → signed checkpoint note for that size
 *   m cursor                         → JSON IngestCursor (bigints as decimal strings)
 *
 * One ingest batch writes its entries, index keys, the perfect nodes they complete, the new checkpoint and the
 * cursor in a single atomic LevelDB batch.
 */
import type { Hex } from "viem";

export const PREFIX = { entry: 0x65, node: 0x6e, index: 0x78, checkpoint: 0x63, meta: 0x6d } as const;

export function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

export function entryKey(seq: number): Buffer {
  return Buffer.concat([Buffer.of(PREFIX.entry), u64(seq)]);
}

export function nodeKey(level: number, index: number): Buffer {
  return Buffer.concat([Buffer.of(PREFIX.node, level), u64(index)]);
}

export function indexKey(txHash: Hex, logIndex: number): Buffer {
  const li = Buffer.alloc(4);
  li.writeUInt32BE(logIndex);
  return Buffer.concat([Buffer.of(PREFIX.index), Buffer.from(txHash.slice(2), "hex"), li]);
}

export function checkpointKey(size: number): Buffer {
  return Buffer.concat([Buffer.of(PREFIX.checkpoint), u64(size)]);
}

export const CURSOR_KEY = Buffer.from("mcursor");
