import { getAddress, type Hex, type Log, type PublicClient } from "viem";
import type { LogStore } from "../log/store";
import type { CityEventDecoder } from "@cityledger/sdk/ledger";
import type { UpdateBus } from "../updates";
import type { FollowerView, TentativeEntry } from "../context";
import type { FollowerStatus, IngestCursor, LogEntry, RawLog } from "../types";
import { DEFAULT_RETRY, isRangeLimit, withRetry, type RetryOptions } from "@cityledger/sdk/ledger";

/** Syncs in a row that must find the chain's head below the cursor before the follower halts. */
const BEHIND_SYNCS = 3;

/** How final a block must be before its logs enter the log. */
export type Finality = { depth: number } | "finalized";

export interface FollowerOptions {
  client: PublicClient;
  store: LogStore;
  decoder: CityEventDecoder;
  updates: UpdateBus;
  chainId: number;
  finality: Finality;
  /** Delay between polls when caught up. */
  pollIntervalMs?: number;
  /** Largest block range of one eth_getLogs (it halves on range-limit errors, then grows back). */
  maxBlockRange?: bigint;
  /** Most entries per atomic batch (batches end on block boundaries). */
  maxBatchEntries?: number;
  retry?: RetryOptions;
  /** Called after every appended batch, before the update is published (projections catch up here). */
  onAppended?: (entries: LogEntry[]) => Promise<void> | void;
  /** Where loud messages go (a deep reorg, retries). */
  logger?: Pick<Console, "error" | "warn" | "info">;
}

/**
 * Follows the chain: reads the city contracts' logs in (block, logIndex) order over JSON-RPC, appends the final
 * ones to the log, keeps the ones above finality as a tentative view, and halts — never rewrites — when a block it
 * already ingested is no longer canonical (a reorg deeper than its finality).
 *
 * Invariant checked before every batch: the block the cursor names still has the hash the cursor recorded, so
 * every appended batch links to what came before it.
 */
export class Follower implements FollowerView {
  private _status: FollowerStatus = { state: "starting" };
  private _tentative: TentativeEntry[] = [];
  private range: bigint;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Consecutive syncs that found the chain's head below the cursor (see {@link BEHIND_SYNCS}). */
  private behind = 0;
  /** Aborted by stop(): RPC retries of the running sync give up at once instead of backing off for minutes. */
  private stopping: AbortController | undefined;
  /** Counters for /metrics. */
  readonly counters = { batches: 0, entries: 0, rpcRetries: 0, rangeSplits: 0 };

  constructor(private readonly options: FollowerOptions) {
    this.range = options.maxBlockRange ?? 2_000n;
  }

  status(): FollowerStatus {
    return this._status;
  }

  tentative(): readonly TentativeEntry[] {
    return this._tentative;
  }

  /** Starts polling until {@link stop}. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = new AbortController();
    this.loop = (async () => {
      while (this.running && this._status.state !== "halted") {
        try {
          const { caughtUp } = await this.syncOnce();
          if (caughtUp) await this.pause(this.options.pollIntervalMs ?? 1_000);
        } catch (error) {
          this.log().warn(`ledger follower: sync failed, retrying: ${(error as Error).message}`);
          await this.pause(this.options.pollIntervalMs ?? 1_000);
        }
      }
    })();
  }

  /** Stops polling and waits for the current batch to finish (a batch is never cut in half). */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping?.abort();
    this.wake?.();
    await this.loop;
    this.stopping = undefined;
  }

  /**
   * One step: checks the cursor is still canonical, appends at most one RPC range of final logs, and refreshes the
   * tentative view once caught up. Returns whether the log reached the final head.
   */
  async syncOnce(): Promise<{ appended: number; caughtUp: boolean }> {
    if (this._status.state === "halted") return { appended: 0, caughtUp: true };
    const { store } = this.options;
    const latest = await this.rpc(() => this.options.client.getBlockNumber({ cacheTime: 0 }));
    const finalHead = await this.finalHead(latest);

    if (!this.headReachesCursor(store.cursor, latest)) return { appended: 0, caughtUp: true };
    if (!(await this.cursorIsCanonical(store.cursor))) return { appended: 0, caughtUp: true };

    let appended = 0;
    if (store.cursor.block < finalHead) {
      const from = store.cursor.block + 1n;
      const to = from + this.range - 1n < finalHead ? from + this.range - 1n : finalHead;
      const endBlockHash = async () => (await this.rpc(() => this.options.client.getBlock({ blockNumber: to }))).hash;
      const before = await endBlockHash();
      const logs = await this.getLogs(from, to);
      if (logs === undefined) return { appended: 0, caughtUp: false }; // range split: try again smaller
      const endHash = await endBlockHash();
      // The end block's hash commits to the whole range: unchanged around the read, and named by the logs of that
      // block, the logs are of the chain the cursor will name. Otherwise a block was replaced during the read (a
      // reorg beyond finality): append nothing, read again.
      if (endHash !== before || logs.some((l) => l.blockNumber === to && l.blockHash !== endHash)) {
        throw new Error(`block ${to} changed while blocks ${from}..${to} were read (a reorg): nothing appended, reading them again`);
      }
      appended = await this.appendInBatches(logs, to, endHash);
      // Grow back after a split, never beyond the configured maximum (a split range need not be max / 2^k).
      const max = this.options.maxBlockRange ?? 2_000n;
      if (this.range < max) this.range = this.range * 2n < max ? this.range * 2n : max;
    }
    const caughtUp = store.cursor.block >= finalHead;
    if (caughtUp) await this.refreshTentative(finalHead, latest);
    this._status = { state: "following", finalBlock: store.cursor.block, tentativeBlock: latest };
    return { appended, caughtUp };
  }

  private async appendInBatches(logs: RawLog[], to: bigint, toHash: Hex): Promise<number> {
    const max = this.options.maxBatchEntries ?? 5_000;
    let start = 0;
    while (start < logs.length) {
      // Cut on a block boundary so the cursor always names a block whose logs are all in.
      let end = Math.min(logs.length, start + max);
      while (end < logs.length && end > start && logs[end].blockNumber === logs[end - 1].blockNumber) end--;
      if (end === start) end = nextBlockEnd(logs, start); // a single block larger than a batch: keep it whole
      const batch = logs.slice(start, end);
      const last = end === logs.length;
      const cursor = last ? { block: to, blockHash: toHash } : { block: batch[batch.length - 1].blockNumber, blockHash: batch[batch.length - 1].blockHash };
      await this.commit(batch, cursor);
      start = end;
    }
    if (logs.length === 0) await this.commit([], { block: to, blockHash: toHash });
    return logs.length;
  }

  private async commit(batch: RawLog[], cursor: Omit<IngestCursor, "size">): Promise<void> {
    const { store, updates } = this.options;
    // An empty range only moves the cursor; it still gets an atomic batch (and a checkpoint of the same size).
    const { from, to, checkpoint } = await store.append(batch, cursor);
    this.counters.batches++;
    this.counters.entries += batch.length;
    if (batch.length > 0) {
      try {
        if (this.options.onAppended) await this.options.onAppended(await store.entries(from, to - from));
      } finally {
        // The batch is in the log whatever the hook did: subscribers (SSE, the anchorer) must hear of it, or a failing
        // read model would silently stop live updates and anchoring while the log keeps growing.
        updates.publish({ kind: "entries", from, to });
        updates.publish({ kind: "checkpoint", checkpoint });
      }
    }
  }

  private async refreshTentative(finalHead: bigint, latest: bigint): Promise<void> {
    // Tentative = above the cursor, not above the final head: the final head can lie below the cursor (finality raised
    // on restart, a lagging RPC, or a depth larger than the chain, where it is negative), and what the cursor covers
    // is already in the log.
    const cursorBlock = this.options.store.cursor.block;
    const fromBlock = (finalHead > cursorBlock ? finalHead : cursorBlock) + 1n;
    if (latest < fromBlock) {
      if (this._tentative.length > 0) {
        this._tentative = [];
        this.options.updates.publish({ kind: "tentative", fromBlock, toBlock: latest, count: 0 });
      }
      return;
    }
    const logs = await this.getLogsInRanges(fromBlock, latest);
    this._tentative = logs.map((log) => ({ log, event: this.options.decoder.decode(log) }));
    this.options.updates.publish({ kind: "tentative", fromBlock, toBlock: latest, count: logs.length });
  }

  private async finalHead(latest: bigint): Promise<bigint> {
    const { finality } = this.options;
    if (finality === "finalized") {
      const block = await this.rpc(() => this.options.client.getBlock({ blockTag: "finalized" }));
      return block.number;
    }
    return latest - BigInt(finality.depth);
  }

  /**
   * False while the chain's head is below the block the cursor names, and halted once that held for
   * {@link BEHIND_SYNCS} syncs in a row: the chain lost blocks whose logs are in the log (a node restarted from an
   * older state, a reorg to a shorter chain). One low read is waited out: an RPC behind a load balancer can lag.
   */
  private headReachesCursor(cursor: IngestCursor, latest: bigint): boolean {
    if (latest >= cursor.block) {
      this.behind = 0;
      return true;
    }
    if (++this.behind < BEHIND_SYNCS) return false;
    const reason =
      `the chain went back below the log: its head is block ${latest} but the log already holds block ${cursor.block} ` +
      `(${cursor.blockHash}). The chain lost blocks the node had logged (restarted from an older state, or a reorg ` +
      `deeper than finality). Ingestion halted; the log is unchanged and is the evidence of what the chain held.`;
    this._status = { state: "halted", reason, atBlock: cursor.block, expectedHash: cursor.blockHash };
    this.log().error(`ledger follower HALTED: ${reason}`);
    this.options.updates.publish({ kind: "halted", reason });
    return false;
  }

  /** False (and halted) when the cursor's block was replaced: a reorg deeper than the finality depth. */
  private async cursorIsCanonical(cursor: IngestCursor): Promise<boolean> {
    if (cursor.block < 0n) return true;
    const block = await this.rpc(() => this.options.client.getBlock({ blockNumber: cursor.block }));
    if (block.hash === cursor.blockHash) return true;
    const reason =
      `reorg deeper than finality: block ${cursor.block} was ${cursor.blockHash} when ingested and is now ${block.hash}. ` +
      `Ingestion halted; the log is unchanged. Investigate the chain (or raise the finality depth) before restarting.`;
    this._status = { state: "halted", reason, atBlock: cursor.block, expectedHash: cursor.blockHash, actualHash: block.hash! };
    this.log().error(`ledger follower HALTED: ${reason}`);
    this.options.updates.publish({ kind: "halted", reason });
    return false;
  }

  /**
   * Logs of the city's contracts in [from, to], read a range at a time and split as the RPC asks. The tentative view
   * spans the whole finality depth (64 blocks behind Ethereum's `finalized`): a provider capping eth_getLogs below
   * that would otherwise leave it empty for good.
   */
  private async getLogsInRanges(from: bigint, to: bigint): Promise<RawLog[]> {
    const out: RawLog[] = [];
    while (from <= to) {
      const end = from + this.range - 1n < to ? from + this.range - 1n : to;
      const logs = await this.getLogs(from, end);
      if (logs === undefined) continue; // split: this.range is smaller now
      out.push(...logs);
      from = end + 1n;
    }
    return out;
  }

  /** Logs of the city's contracts in [from, to], sorted; `undefined` when the RPC wants a smaller range. */
  private async getLogs(from: bigint, to: bigint): Promise<RawLog[] | undefined> {
    let logs: Log[];
    try {
      logs = await this.rpc(() =>
        this.options.client.getLogs({ address: this.options.decoder.addresses, fromBlock: from, toBlock: to }),
      );
    } catch (error) {
      if (isRangeLimit(error) && to > from) {
        this.range = (to - from + 1n) / 2n || 1n;
        this.counters.rangeSplits++;
        return undefined;
      }
      throw error;
    }
    return logs
      .filter((l) => !l.removed)
      .map((l) => this.toRaw(l))
      .sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
  }

  private toRaw(l: Log): RawLog {
    return {
      chainId: this.options.chainId,
      blockNumber: l.blockNumber!,
      blockHash: l.blockHash!,
      transactionHash: l.transactionHash!,
      logIndex: l.logIndex!,
      address: getAddress(l.address),
      topics: [...l.topics] as Hex[],
      data: l.data,
    };
  }

  private rpc<T>(call: () => Promise<T>): Promise<T> {
    return withRetry(call, {
      ...(this.options.retry ?? DEFAULT_RETRY),
      signal: this.stopping?.signal,
      onRetry: () => {
        this.counters.rpcRetries++;
      },
    });
  }

  /** Waits `ms`, or until {@link stop} wakes it; the timer is cleared either way (it must not keep the process alive). */
  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (!this.running) return resolve(); // stop() was called while a sync ran: its wake-up has already fired
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private log() {
    return this.options.logger ?? console;
  }
}

function nextBlockEnd(logs: RawLog[], start: number): number {
  let end = start + 1;
  while (end < logs.length && logs[end].blockNumber === logs[start].blockNumber) end++;
  return end;
}
