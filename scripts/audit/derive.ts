/**
 * Re-derives the log from the chain alone: `eth_getLogs` of every contract of the deployment record, in block ranges,
 * raw logs → RFC 6962 leaves (the SDK's leaf codec) → a {@link MemoryTree}. Nothing here asks the ledger node.
 */
import { hash } from "node:crypto";
import { toHex, type Address, type PublicClient } from "viem";
import { MemoryTree, treeHasher } from "@cityledger/sdk/merkle";
import { encodeLeafInput, leafInputOfRpcLog, leafLogOfRpcLog, type RawLog, type RpcLog } from "@cityledger/sdk/ledger";
import { isRangeLimit, withRetry } from "@cityledger/sdk/ledger";

export interface DownloadOptions {
  client: PublicClient;
  addresses: readonly Address[];
  fromBlock: bigint;
  toBlock: bigint;
  /** Blocks per eth_getLogs (halved when the RPC says the range is too wide). Default 2,000. */
  blockRange?: bigint;
  /** Called with each range's logs as they arrive, in block order (the next range is already being read). */
  onRange?: (logs: RpcLog[], from: bigint, to: bigint) => void;
}

/**
 * Reads every log of `addresses` in `[fromBlock, toBlock]`, range after range, one request in flight while the
 * previous range is handed to `onRange`. Returns the number of logs. The bench times this alone as the baseline.
 */
export async function downloadLogs(options: DownloadOptions): Promise<number> {
  const { client, addresses } = options;
  let range = options.blockRange ?? 2_000n;
  let count = 0;
  let from = options.fromBlock;
  const request = (a: bigint, b: bigint) =>
    withRetry(
      () =>
        client.request({
          method: "eth_getLogs",
          params: [{ address: addresses as Address[], fromBlock: toHex(a), toBlock: toHex(b) }],
        }) as Promise<RpcLog[]>,
      { attempts: 4, baseDelayMs: 200, maxDelayMs: 2_000 }, // a range limit is never retried as is: split below
    );
  const end = (a: bigint) => (a + range - 1n < options.toBlock ? a + range - 1n : options.toBlock);
  let pending: { from: bigint; to: bigint; logs: Promise<RpcLog[]> } | undefined =
    from <= options.toBlock ? { from, to: end(from), logs: request(from, end(from)) } : undefined;
  while (pending) {
    let logs: RpcLog[];
    try {
      logs = await pending.logs;
    } catch (error) {
      if (isRangeLimit(error) && pending.to > pending.from) {
        range = (pending.to - pending.from + 1n) / 2n || 1n;
        pending = { from: pending.from, to: end(pending.from), logs: request(pending.from, end(pending.from)) };
        continue;
      }
      throw error;
    }
    const done = pending;
    from = done.to + 1n;
    pending = from <= options.toBlock ? { from, to: end(from), logs: request(from, end(from)) } : undefined;
    void pending?.logs.catch(() => {}); // awaited on the next turn; no unhandled rejection meanwhile
    count += logs.length;
    options.onRange?.(logs, done.from, done.to);
  }
  return count;
}

export interface DerivedLog {
  logs: RawLog[];
  tree: MemoryTree;
}

/**
 * RFC 6962 hashing over Node's native one-shot SHA-256 (the SDK's prefixes): several times faster than the portable
 * one, and than a `createHash` object per hash. One scratch buffer holds `0x01 || left || right`.
 */
const scratch = Buffer.alloc(65);
export const nativeHasher = treeHasher((...parts) => {
  if (parts.length === 3 && parts[0].length === 1 && parts[1].length === 32 && parts[2].length === 32) {
    scratch.set(parts[0], 0);
    scratch.set(parts[1], 1);
    scratch.set(parts[2], 33);
    return hash("sha256", scratch, "buffer");
  }
  return hash("sha256", Buffer.concat(parts), "buffer");
});

/** Every this many logs, the eth_getLogs leaf encoder is checked against the reference `encodeLeafInput`. */
const CROSS_CHECK_EVERY = 997;

/** Turns ranges of eth_getLogs JSON, in block order, into the log's entries and its tree. */
export class LogDeriver implements DerivedLog {
  readonly logs: RawLog[] = [];
  readonly tree = new MemoryTree(nativeHasher);
  constructor(private readonly chainId: number) {}

  /** Appends one range's logs (sorted here if the RPC did not). */
  add(raw: readonly RpcLog[]): void {
    const batch = raw.filter((l) => !l.removed);
    if (!isSorted(batch)) batch.sort(byJsonPosition);
    for (const l of batch) {
      // Lower-case, not checksummed: the leaf encodes the 20 bytes, and checks compare addresses lower-cased.
      const log: RawLog = { ...leafLogOfRpcLog(this.chainId, l), address: l.address.toLowerCase() as Address };
      // `00` prefixes the leaf input: the RFC 6962 leaf hash, SHA-256(0x00 || leafInput), of one buffer.
      const input = leafInputOfRpcLog(this.chainId, l);
      if (this.logs.length % CROSS_CHECK_EVERY === 0 && input !== encodeLeafInput(log).toLowerCase()) {
        throw new Error(`internal error: the SDK's eth_getLogs leaf encoder disagrees with encodeLeafInput on the log at block ${log.blockNumber}, index ${log.logIndex}`);
      }
      this.logs.push(log);
      this.tree.appendHash(hash("sha256", Buffer.from(`00${input.slice(2)}`, "hex"), "buffer"));
    }
  }
}

/**
 * The log as anyone re-derives it: every final log of the deployment's contracts from `fromBlock` to `toBlock`, in
 * (block, logIndex) order, and its Merkle tree.
 */
export async function deriveLog(
  options: Omit<DownloadOptions, "onRange"> & { chainId: number; onProgress?: (block: bigint, entries: number) => void },
): Promise<DerivedLog> {
  const deriver = new LogDeriver(options.chainId);
  await downloadLogs({
    ...options,
    onRange: (raw, _from, to) => {
      deriver.add(raw);
      options.onProgress?.(to, deriver.logs.length);
    },
  });
  return deriver;
}

function isSorted(logs: RpcLog[]): boolean {
  for (let i = 1; i < logs.length; i++) if (byJsonPosition(logs[i - 1], logs[i]) > 0) return false;
  return true;
}

function byJsonPosition(a: RpcLog, b: RpcLog): number {
  // Number() reads "0x…" quantities; block numbers stay far below 2^53.
  return Number(a.blockNumber) - Number(b.blockNumber) || Number(a.logIndex) - Number(b.logIndex);
}

