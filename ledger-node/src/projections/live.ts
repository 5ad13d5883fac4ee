/**
 * The projections of a running node: restored from their snapshot, caught up with the log, kept up to date as the
 * follower appends, snapshotted every N entries and on close.
 *
 * Storage choice: the snapshots live in their own LevelDB at `dir` (by convention `<dataDir>/projections`), not in
 * the log's DB: the log stays append-only and ABI-free, and deleting `dir` costs nothing but a replay.
 *
 * @example
 *   const live = await LiveProjections.open({ dir: join(dataDir, "projections"), store, decoder: new CityEventDecoder(record) });
 *   const stop = live.follow(updates);   // catch up on every { kind: "entries" } update,
 *   // or, with the follower's hook:  new Follower({ …, onAppended: () => live.catchUp() })
 *   app.decorate("queries", live.queries);
 *   // on shutdown: stop(); await live.close();
 */
import { bytesToHex } from "viem";
import type { LogStore } from "../log/store";
import type { CityEventDecoder } from "@cityledger/sdk/ledger";
import type { UpdateBus } from "../updates";
import type { Projection } from "./projection";
import { ProjectionEngine, type CatchUpProgress } from "./engine";
import { createQueries, type ProjectionQueries } from "../domains";
import { ProjectionStore } from "./store";

export interface LiveProjectionsOptions {
  /** Snapshot DB directory, e.g. `<dataDir>/projections`. */
  dir: string;
  store: LogStore;
  decoder: CityEventDecoder;
  /** Entries between snapshots (default 100,000). */
  snapshotEvery?: number;
  /** Entries read per page (default 5,000). */
  pageSize?: number;
  onProgress?: (progress: CatchUpProgress) => void;
  /** Told when a snapshot could not be used (the engine then replays from 0). */
  onNote?: (note: string) => void;
  projections?: readonly Projection<unknown>[];
}

export class LiveProjections {
  readonly queries: ProjectionQueries;
  private running: Promise<void> = Promise.resolve();
  private pending = false;
  private closed = false;

  private constructor(
    readonly engine: ProjectionEngine,
    private readonly db: ProjectionStore,
    private readonly options: LiveProjectionsOptions,
  ) {
    this.queries = createQueries(engine);
  }

  /** Loads the snapshot (if any, and if it belongs to this log), then catches up with the whole log. */
  static async open(options: LiveProjectionsOptions): Promise<LiveProjections> {
    const db = await ProjectionStore.open(options.dir);
    const engine = await ProjectionEngine.load(db, {
      projections: options.projections,
      logRootAt: async (size) => bytesToHex(await options.store.rootAt(size)),
    });
    if (engine.loadNote) options.onNote?.(engine.loadNote);
    const live = new LiveProjections(engine, db, options);
    await live.catchUp();
    return live;
  }

  /**
   * Applies whatever the log holds beyond the engine's seq. Calls are serialised; a call made while one runs is
   * folded into one more run after it.
   */
  catchUp(): Promise<void> {
    if (this.closed) return Promise.reject(new Error("projections are closed"));
    if (this.pending) return this.running;
    this.pending = true;
    this.running = this.running.catch(() => {}).then(async () => {
      this.pending = false;
      const { store, decoder, pageSize, onProgress, snapshotEvery } = this.options;
      await this.engine.catchUp(store, decoder, { pageSize, onProgress, snapshot: { db: this.db, every: snapshotEvery } });
    });
    return this.running;
  }

  /** Catches up on every `entries` update of `updates`; returns the unsubscribe function. Errors go to `onError`. */
  follow(updates: UpdateBus, onError: (error: unknown) => void = () => {}): () => void {
    return updates.subscribe((u) => {
      if (u.kind === "entries" && !this.closed) this.catchUp().catch(onError);
    });
  }

  /** Writes a snapshot now (if anything was applied since the last one). */
  async snapshot(): Promise<void> {
    await this.running;
    if (this.engine.seq === this.engine.snapshotSeq) return;
    await this.engine.persist(this.db, bytesToHex(await this.options.store.rootAt(this.engine.seq)));
  }

  /** Waits for the running catch-up, snapshots, and closes the snapshot DB. */
  async close(): Promise<void> {
    if (this.closed) return;
    let failed = false;
    await this.running.catch(() => {
      failed = true;
    });
    this.closed = true;
    // After a failed catch-up the state may be half-applied: keep the last good snapshot instead.
    if (!failed && this.engine.seq !== this.engine.snapshotSeq) {
      await this.engine.persist(this.db, bytesToHex(await this.options.store.rootAt(this.engine.seq)));
    }
    await this.db.close();
  }
}
