/**
 * The projection engine: every domain's reducer fed the log in seq order, the state hash that proves two nodes (or a
 * node and `cityledger replay`) reached the same state, and snapshots in LevelDB so a restart replays only the tail.
 *
 * State hash = SHA-256 (hex) of the canonical JSON (see canonical.ts) of
 *   { "seq": <next seq to apply>, "states": { <domain name>: <projection.encode(state)>, … } }
 * for the projections of every domain of the list (domains/index.ts) by default.
 * and a domain's hash = SHA-256 of the canonical JSON of its encoded state alone.
 *
 * Projections read only the log: the block timestamp of a `ProjectedEntry` is not part of the log, so no reducer
 * reads it (catch-up passes 0).
 */
import { createHash } from "node:crypto";
import { bytesToHex } from "viem";
import type { CityEventDecoder } from "@cityledger/sdk/ledger";
import type { DecodedEntry, LogEntry, ProjectedEntry } from "../types";
import { DEFAULT_PROJECTIONS } from "../domains";
import type { StateHashes } from "./projection";
import type { Projection } from "./projection";
import { hashSink, writeCanonical } from "./canonical";
import { ProjectionStore, type SnapshotMeta } from "./store";
import { readEntries, type ReplaySource } from "../log/entries";

export { DEFAULT_PROJECTIONS };
export type { StateHashes };

export interface CatchUpProgress {
  /** Next seq to apply. */
  seq: number;
  /** Log size being caught up to. */
  size: number;
  /** Entries applied by this catch-up so far. */
  applied: number;
  elapsedMs: number;
}

export interface CatchUpOptions {
  /** Entries read per page (default 5,000). */
  pageSize?: number;
  onProgress?: (progress: CatchUpProgress) => void;
  /** Persist a snapshot to `db` whenever `every` entries (default 100,000) were applied since the last one. */
  snapshot?: { db: ProjectionStore; every?: number };
}

export interface LoadOptions {
  projections?: readonly Projection<unknown>[];
  /**
   * Root (hex) of the log's first `size` entries. When given, a snapshot whose log root differs (the log was
   * replaced) is ignored and the engine starts from entry 0.
   */
  logRootAt?: (size: number) => Promise<string>;
}

const DEFAULT_PAGE = 5_000;
const DEFAULT_SNAPSHOT_EVERY = 100_000;

export class ProjectionEngine {
  private readonly projections: readonly Projection<unknown>[];
  private readonly states: unknown[];
  private readonly index = new Map<Projection<unknown>, number>();
  private _seq = 0;
  private _snapshotSeq = 0;
  private cached?: StateHashes;
  /** Why a snapshot was not used, when {@link ProjectionEngine.load} fell back to a fresh engine. */
  loadNote?: string;
  /** Set when a reducer threw: the state is then half-applied and the engine refuses to go on or persist. */
  private failure?: Error;

  constructor(projections: readonly Projection<unknown>[] = DEFAULT_PROJECTIONS) {
    const names = new Set<string>();
    for (const p of projections) {
      if (names.has(p.name)) throw new Error(`two projections are named "${p.name}"`);
      names.add(p.name);
    }
    this.projections = projections;
    this.states = projections.map((p) => p.initial());
    projections.forEach((p, i) => this.index.set(p, i));
  }

  /** Next seq to apply: every entry below it is reflected in the state. */
  get seq(): number {
    return this._seq;
  }

  /** Seq of the last snapshot written or loaded (0 if none). */
  get snapshotSeq(): number {
    return this._snapshotSeq;
  }

  get names(): string[] {
    return this.projections.map((p) => p.name);
  }

  /** The live state of `projection` (mutated by later applies: read it, don't keep it). */
  state<S>(projection: Projection<S>): S {
    const i = this.index.get(projection as Projection<unknown>);
    if (i === undefined) throw new Error(`projection "${projection.name}" is not in this engine`);
    return this.states[i] as S;
  }

  /**
   * Reduces `entries` (increasing seq; gaps are entries no ABI decodes). Entries below {@link seq} were applied
   * already and are skipped, so a page may be re-sent after a restart.
   * @throws if a reducer throws (a decoding bug): the engine is then unusable, every later call throws the same error
   * and nothing is persisted; rebuild the state with a replay once fixed.
   */
  apply(entries: readonly DecodedEntry[]): void {
    for (const entry of entries) this.applyOne(entry);
  }

  /** Marks every entry below `seq` as applied (the tail of a page holds only entries nothing decodes). */
  advanceTo(seq: number): void {
    if (this.failure) throw this.failure;
    if (seq > this._seq) {
      this._seq = seq;
      this.cached = undefined;
    }
  }

  /**
   * Decodes (with {@link CityEventDecoder.decodeFast}: addresses lower-cased, which the reducers expect) and reduces
   * log entries, then advances past the last of them, decoded or not.
   */
  applyLog(entries: readonly LogEntry[], decoder: CityEventDecoder): void {
    for (const e of entries) {
      if (e.seq < this._seq) continue;
      const event = decoder.decodeFast(e.log);
      if (event !== undefined) this.applyOne({ seq: e.seq, log: e.log, event, timestamp: 0 });
    }
    if (entries.length > 0) this.advanceTo(entries[entries.length - 1].seq + 1);
  }

  private applyOne(decoded: DecodedEntry): void {
    if (this.failure) throw this.failure;
    if (decoded.seq < this._seq) return;
    // Where the decoder's result enters the engine, typed once: the decoders decode with the city's ABIs, the very
    // ABIs `CityEvent` is typed from.
    const entry = decoded as ProjectedEntry;
    const { projections, states } = this;
    try {
      for (let i = 0; i < projections.length; i++) states[i] = projections[i].reduce(states[i], entry);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.failure = new Error(
        `projections: entry ${entry.seq} (${entry.event.contract}.${entry.event.name}, tx ${entry.log.transactionHash}) failed to reduce: ${reason}. The state is unusable: fix the reducer, then replay.`,
        { cause: error },
      );
      throw this.failure;
    }
    this._seq = entry.seq + 1;
    this.cached = undefined;
  }

  /**
   * Reads the log from {@link seq} to its end in pages and reduces it; returns the number of entries read.
   * Snapshots are written at page ends when `options.snapshot` asks for them. A store with `leafInputs` is read
   * through the fast leaf parser (see leaf.ts), any other through `entries`.
   */
  async catchUp(store: ReplaySource, decoder: CityEventDecoder, options: CatchUpOptions = {}): Promise<number> {
    const pageSize = options.pageSize ?? DEFAULT_PAGE;
    const every = options.snapshot?.every ?? DEFAULT_SNAPSHOT_EVERY;
    const started = performance.now();
    const first = this._seq;
    let next = this._seq < store.size ? readEntries(store, this._seq, pageSize) : undefined;
    while (next !== undefined) {
      const page = await next;
      if (page.length === 0) break;
      const end = page[page.length - 1].seq + 1;
      // Read the next page while this one is reduced.
      next = end < store.size ? readEntries(store, end, pageSize) : undefined;
      this.applyLog(page, decoder);
      options.onProgress?.({ seq: this._seq, size: store.size, applied: this._seq - first, elapsedMs: performance.now() - started });
      if (options.snapshot && this._seq - this._snapshotSeq >= every) {
        await this.persist(options.snapshot.db, bytesToHex(await store.rootAt(this._seq)));
      }
    }
    return this._seq - first;
  }

  /** The state hash and each domain's hash, in one pass over the encoded state (cached until the next apply). */
  stateHashes(): StateHashes {
    if (this.cached) return this.cached;
    const whole = createHash("sha256");
    const domains: Record<string, string> = {};
    whole.update(`{"seq":${this._seq},"states":{`, "utf8");
    const order = this.sortedIndices();
    order.forEach((i, k) => {
      const name = this.projections[i].name;
      whole.update(`${k > 0 ? "," : ""}${JSON.stringify(name)}:`, "utf8");
      const own = createHash("sha256");
      writeCanonical(this.projections[i].encode(this.states[i]), hashSink(whole, own));
      domains[name] = own.digest("hex");
    });
    whole.update("}}", "utf8");
    this.cached = { seq: this._seq, stateHash: whole.digest("hex"), domains };
    return this.cached;
  }

  /** SHA-256 hex of the canonical JSON of `{ seq, states: { name: encoded } }`. */
  stateHash(): string {
    return this.stateHashes().stateHash;
  }

  /**
   * Writes every domain's encoded state and the seq to `db`, in one atomic batch.
   * @param logRoot Root (hex) of the log's first `seq` entries, recorded so a snapshot is never applied to another log.
   */
  async persist(db: ProjectionStore, logRoot?: string): Promise<SnapshotMeta> {
    if (this.failure) throw this.failure;
    const whole = createHash("sha256");
    const domains: SnapshotMeta["domains"] = {};
    const chunks: Record<string, string[]> = {};
    whole.update(`{"seq":${this._seq},"states":{`, "utf8");
    this.sortedIndices().forEach((i, k) => {
      const name = this.projections[i].name;
      whole.update(`${k > 0 ? "," : ""}${JSON.stringify(name)}:`, "utf8");
      const own = createHash("sha256");
      const parts = db.chunker();
      writeCanonical(this.projections[i].encode(this.states[i]), (t) => {
        whole.update(t, "utf8");
        own.update(t, "utf8");
        parts.write(t);
      });
      chunks[name] = parts.end();
      domains[name] = { hash: own.digest("hex"), chunks: chunks[name].length };
    });
    whole.update("}}", "utf8");
    const meta: SnapshotMeta = { version: 1, seq: this._seq, stateHash: whole.digest("hex"), domains };
    if (logRoot !== undefined) meta.logRoot = logRoot;
    await db.save(meta, chunks);
    this._snapshotSeq = meta.seq;
    return meta;
  }

  /**
   * An engine restored from the snapshot in `db`, or a fresh one (with {@link loadNote} saying why) when there is
   * none, it names other domains, its log root differs, or it fails its hash check.
   */
  static async load(db: ProjectionStore, options: LoadOptions = {}): Promise<ProjectionEngine> {
    const engine = new ProjectionEngine(options.projections);
    const meta = await db.meta();
    if (!meta) return engine;
    const names = engine.names.slice().sort();
    if (meta.version !== 1 || Object.keys(meta.domains).sort().join() !== names.join()) {
      engine.loadNote = `snapshot of domains [${Object.keys(meta.domains).sort().join(", ")}] does not match [${names.join(", ")}]: replaying from 0`;
      return engine;
    }
    if (options.logRootAt && meta.logRoot !== undefined) {
      const root = await options.logRootAt(meta.seq).catch(() => undefined);
      if (root !== meta.logRoot) {
        engine.loadNote = `snapshot at seq ${meta.seq} was taken on another log (root ${meta.logRoot}, log has ${root ?? "fewer entries"}): replaying from 0`;
        return engine;
      }
    }
    const restored = new ProjectionEngine(options.projections);
    for (let i = 0; i < restored.projections.length; i++) {
      const p = restored.projections[i];
      const text = await db.text(p.name, meta.domains[p.name].chunks);
      const hash = createHash("sha256").update(text, "utf8").digest("hex");
      if (hash !== meta.domains[p.name].hash) {
        engine.loadNote = `snapshot of "${p.name}" at seq ${meta.seq} fails its hash check: replaying from 0`;
        return engine;
      }
      restored.states[i] = p.decode(JSON.parse(text));
    }
    restored._seq = meta.seq;
    restored._snapshotSeq = meta.seq;
    if (restored.stateHash() !== meta.stateHash) {
      engine.loadNote = `snapshot at seq ${meta.seq} does not re-encode to its state hash (a projection changed its encoding): replaying from 0`;
      return engine;
    }
    return restored;
  }

  private sortedIndices(): number[] {
    return this.projections.map((_, i) => i).sort((a, b) => (this.projections[a].name < this.projections[b].name ? -1 : 1));
  }
}
