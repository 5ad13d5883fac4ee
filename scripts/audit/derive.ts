/**
 * Re-derives the log from the chain alone: `eth_getLogs` of every contract of the deployment record, in block ranges,
 * raw logs → RFC 6962 leaves (the SDK's `leafFromLog`) → a {@link MemoryTree}. Nothing here asks the ledger node.
 */
import { getAddress, toHex, type Address, type Hex, type PublicClient } from "viem";
import { MemoryTree } from "../../sdk/src/merkle";
import { leafFromLog } from "../../sdk/src/ledger";
import { isRangeLimit, withRetry } from "../../ledger-node/src/follower/retry";
import type { RawLog } from "../../ledger-node/src/types";

/** A log as eth_getLogs returns it (JSON, hex quantities). */
export interface JsonRpcLog {
  address: string;
  blockNumber: Hex;
  blockHash: Hex;
  transactionHash: Hex;
  logIndex: Hex;
  topics: Hex[];
  data: Hex;
  removed?: boolean;
}

export interface DownloadOptions {
  client: PublicClient;
  addresses: readonly Address[];
  fromBlock: bigint;
  toBlock: bigint;
  /** Blocks per eth_getLogs (halved when the RPC says the range is too wide). Default 2,000. */
  blockRange?: bigint;
  /** Called with each range's logs as they arrive, in block order (the next range is already being read). */
  onRange?: (logs: JsonRpcLog[], from: bigint, to: bigint) => void;
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
        }) as Promise<JsonRpcLog[]>,
      { attempts: 4, baseDelayMs: 200, maxDelayMs: 2_000 }, // a range limit is never retried as is: split below
    );
  const end = (a: bigint) => (a + range - 1n < options.toBlock ? a + range - 1n : options.toBlock);
  let pending: { from: bigint; to: bigint; logs: Promise<JsonRpcLog[]> } | undefined =
    from <= options.toBlock ? { from, to: end(from), logs: request(from, end(from)) } : undefined;
  while (pending) {
    let logs: JsonRpcLog[];
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
 * The log as anyone re-derives it: every final log of the deployment's contracts from `fromBlock` to `toBlock`, in
 * (block, logIndex) order, and its Merkle tree.
 */
export async function deriveLog(
  options: Omit<DownloadOptions, "onRange"> & { chainId: number; onProgress?: (block: bigint, entries: number) => void },
): Promise<DerivedLog> {
  const logs: RawLog[] = [];
  const tree = new MemoryTree();
  await downloadLogs({
    ...options,
    onRange: (raw, _from, to) => {
      const batch = raw
        .filter((l) => !l.removed)
        .map(
          (l): RawLog => ({
            chainId: options.chainId,
            blockNumber: BigInt(l.blockNumber),
            blockHash: l.blockHash,
            transactionHash: l.transactionHash,
            logIndex: Number(l.logIndex),
            address: getAddress(l.address),
            topics: l.topics,
            data: l.data,
          }),
        )
        .sort(byPosition);
      for (const log of batch) {
        logs.push(log);
        tree.appendHash(leafFromLog(log));
      }
      options.onProgress?.(to, logs.length);
    },
  });
  return { logs, tree };
}

function byPosition(a: RawLog, b: RawLog): number {
  return a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1;
}
