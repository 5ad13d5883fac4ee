import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { Level } from "level";
import { getAddress, hexToBytes, isAddress, type Address, type Hex } from "viem";
import { EMPTY_ROOT, consistencyRanges, inclusionRanges, rangeNodes, treeHasher, type NodeId, type Range } from "@cityledger/sdk/merkle";
import { TILE_WIDTH, hashesAtLevel, tileWidth, encodeLeafInput, nativeBytesToHex, parseLeafInput, formatCheckpoint, signNote, verifierKey, verifyCheckpoint, type NoteSigner } from "@cityledger/sdk/ledger";
import type { IngestCursor, LogEntry, RawLog, SignedCheckpoint } from "../types";
import { NodeError } from "../errors";
import { CURSOR_KEY, checkpointKey, entryKey, indexKey, nodeKey, u64 } from "./keys";
import { TileTrees } from "./tileTrees";
import { remember } from "./cache";
import { KeyedSerial } from "../serial";

type DB = Level<Buffer, Buffer>;

/** A perfect node on the right edge of the tree: the frontier holds at most log2(size) of them. */
interface FrontierNode {
  level: number;
  hash: Uint8Array;
}

export interface LogStoreOptions {
  /** LevelDB directory. */
  dir: string;
  /** Checkpoint origin line, e.g. "cityledger.local/31337". */
  origin: string;
  /**
   * Flush every append to disk before it resolves (LevelDB `sync: true`). Default false, what the node uses: a batch
   * is atomic either way, and after a crash the log reopens at the last batch that reached the disk (the cursor is in
   * the same batch), from where the follower re-ingests the same final logs, giving the same entries and root.
   */
  sync?: boolean;
  /** Signs every new checkpoint (C2SP signed note, Ed25519). Absent: the log opens read-only (replay, audit). */
  signer?: NoteSigner;
  /** Cursor before the first batch: the block before the deployment (needed only to create a log). */
  genesis?: IngestCursor;
}

/** The log's LevelDB is held by another process (one process may open a log at a time). */
export class LogLockedError extends NodeError {
  override name = "LogLockedError";
  constructor(
    readonly dir: string,
    cause: unknown,
  ) {
    super(`the log in ${dir} is locked by another process (a running node?): only one process may open it`, { cause });
  }
}

/** An RFC 6962 proof request that cannot be answered for the sizes given. */
export class ProofRangeError extends NodeError {
  override name = "ProofRangeError";
}

/**
 * The append-only log: entries, their Merkle tree (perfect nodes persisted, so any proof costs O(log n) reads),
 * the ingest cursor and signed checkpoints, in one LevelDB. Appends are atomic batches; nothing is ever rewritten.
 *
 * Invariant: after every batch, `size` entries exist at seq 0..size-1, every perfect node inside [0, size) is
 * stored, the cursor names the last block whose logs are all in, and the checkpoint at `size` is signed.
 */
export class LogStore {
  private frontier: FrontierNode[] = [];
  /** Root of the whole log, folded once per append (proofs against the current size ask for it on every request). */
  private _root?: Uint8Array;
  /** Perfect nodes of level >= CACHED_NODE_LEVEL outside complete tiles, once read (never rewritten, so never stale). See nodes(). */
  private readonly nodeCache = new Map<number, Uint8Array>();
  /** Every node under a complete tile that a proof or a tile read asked for, by tile (see tileTrees.ts). */
  private readonly tileTrees = new TileTrees((level, from, count) =>
    this.db.values({ gte: nodeKey(level, from), lt: nodeKey(level, from + count) }).all(),
  );
  /**
   * Hashes of ranges that are not one perfect node (a proof's right edge: folded from several nodes), by range. Every
   * proof against the same tree size shares them, and a range below the log's size never changes.
   */
  private readonly folds = new Map<string, Uint8Array>();
  private closing = false;
  /** Appends, one at a time (see append). */
  private readonly appends = new KeyedSerial();
  /** Point reads asked for in this turn of the event loop, sent together by flushReads. */
  private queuedReads: QueuedRead[] = [];
  private _size = 0;
  private _cursor!: IngestCursor;
  private _checkpoint!: SignedCheckpoint;

  private constructor(
    private readonly db: DB,
    private readonly options: LogStoreOptions,
  ) {}

  /** Opens (or creates) the log in `options.dir` and restores the frontier from the stored nodes. */
  static async open(options: LogStoreOptions): Promise<LogStore> {
    // Read-only (no signer: replay, audit) never creates a database: a mistyped --data-dir must not leave one behind.
    const readOnly = options.signer === undefined;
    if (readOnly && !existsSync(options.dir)) throw new Error(noLog(options.dir));
    const db: DB = new Level<Buffer, Buffer>(options.dir, { keyEncoding: "buffer", valueEncoding: "buffer", createIfMissing: !readOnly });
    try {
      await db.open();
    } catch (error) {
      // `level` reports a held lock as "Database failed to open" with the LEVEL_LOCKED error as its cause: say so.
      const e = error as { code?: string; cause?: { code?: string } };
      if (e.code === "LEVEL_LOCKED" || e.cause?.code === "LEVEL_LOCKED") {
        throw new LogLockedError(options.dir, error);
      }
      if (readOnly && /does not exist/.test(String((error as { cause?: Error }).cause?.message))) throw new Error(noLog(options.dir), { cause: error });
      throw error;
    }
    const store = new LogStore(db, options);
    try {
      await store.restore();
    } catch (error) {
      await db.close().catch(() => {});
      throw error;
    }
    return store;
  }

  get size(): number {
    return this._size;
  }

  get cursor(): IngestCursor {
    return this._cursor;
  }

  get checkpoint(): SignedCheckpoint {
    return this._checkpoint;
  }

  get origin(): string {
    return this.options.origin;
  }

  /** Root of the whole log now (the frontier folded right to left). */
  root(): Uint8Array {
    return (this._root ??= foldFrontier(this.frontier));
  }

  /**
   * Appends `logs` (already final, in (block, logIndex) order, none of them in the log yet) and moves the cursor to
   * `cursor`, in one atomic batch with the new perfect nodes and the new signed checkpoint.
   */
  append(logs: readonly RawLog[], cursor: Omit<IngestCursor, "size">): Promise<{ from: number; to: number; checkpoint: SignedCheckpoint }> {
    // One append at a time, in call order: each starts from the state the previous one committed.
    return this.appends.run("log", () => this.appendNow(logs, cursor));
  }

  private async appendNow(logs: readonly RawLog[], cursor: Omit<IngestCursor, "size">): Promise<{ from: number; to: number; checkpoint: SignedCheckpoint }> {
    const from = this._size;
    const frontier = this.frontier.slice();
    const batch = this.db.batch();
    let size = from;
    let nextCursor: IngestCursor;
    let root: Uint8Array;
    let checkpoint: SignedCheckpoint;
    try {
      for (const log of logs) {
        // Hashing and encoding a big batch takes tens of milliseconds: the reads waiting meanwhile are served between
        // slices (bench:ledger's live figures), and see the log as it was until the batch is written.
        if (size > from && (size - from) % APPEND_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
        const leafInput = leafInputOf(log);
        const leafHash = hasher.hashLeaf(leafInput);
        batch.put(entryKey(size), leafInput);
        batch.put(indexKey(log.transactionHash, log.logIndex), u64(size));
        batch.put(nodeKey(0, size), leafHash);
        size += 1;
        frontier.push({ level: 0, hash: leafHash });
        // Merge equal-level neighbours: each merge completes a perfect node ending at `size`.
        while (frontier.length >= 2 && frontier[frontier.length - 1].level === frontier[frontier.length - 2].level) {
          const right = frontier.pop()!;
          const left = frontier.pop()!;
          const level = left.level + 1;
          const hash = hasher.hashChildren(left.hash, right.hash);
          batch.put(nodeKey(level, (size - 2 ** level) / 2 ** level), hash);
          frontier.push({ level, hash });
        }
      }
      nextCursor = { ...cursor, size };
      root = foldFrontier(frontier);
      checkpoint = this.sign(size, root);
      batch.put(checkpointKey(size), Buffer.from(checkpoint.note));
      batch.put(CURSOR_KEY, Buffer.from(JSON.stringify(cursorToJson(nextCursor))));
      await batch.write({ sync: this.options.sync ?? false });
    } catch (error) {
      await batch.close().catch(() => {}); // a batch cut short (a bad log, the store closing) is dropped whole
      throw error;
    }

    this.frontier = frontier;
    this._root = root;
    this._size = size;
    this._cursor = nextCursor;
    this._checkpoint = checkpoint;
    return { from, to: size, checkpoint };
  }

  /** Entries `[from, from + limit)` that exist. */
  async entries(from: number, limit: number): Promise<LogEntry[]> {
    const end = Math.min(this._size, from + limit);
    if (from >= end) return [];
    // One `all()` (the range in one hand-off to the thread pool) rather than `for await`, a promise per entry.
    const values = await this.db.values({ gte: entryKey(from), lt: entryKey(end) }).all();
    // A leaf in a complete tile whose tree is in memory has its hash there (the stored level-0 node): no hashing.
    return values.map((value, i) => {
      const slot = TileTrees.slot({ level: 0, index: from + i }, this._size);
      return this.toEntry(from + i, value, slot && this.tileTrees.get(slot));
    });
  }

  /**
   * Raw leaf inputs of `[from, from + limit)`, undecoded: what replay reads (it parses leaves itself, skipping the
   * ABI decoding, checksums and hashing that {@link entries} does for API answers).
   */
  async leafInputs(from: number, limit: number): Promise<{ seq: number; leafInput: Uint8Array }[]> {
    const end = Math.min(this._size, from + limit);
    if (from >= end) return [];
    const values = await this.db.values({ gte: entryKey(from), lt: entryKey(end) }).all();
    return values.map((leafInput, i) => ({ seq: from + i, leafInput }));
  }

  /**
   * Leaf inputs of entries `[from, from + count)`, all of which must exist (what an entry bundle holds), in one range
   * read.
   */
  async leafInputRun(from: number, count: number): Promise<Buffer[]> {
    if (!(from >= 0 && count >= 0 && from + count <= this._size)) throw new ProofRangeError(`entries [${from}, ${from + count}) are not all in the log (size ${this._size})`);
    const values = await this.db.values({ gte: entryKey(from), lt: entryKey(from + count) }).all();
    if (values.length !== count) throw new Error(`log corrupted: ${count - values.length} of entries [${from}, ${from + count}) missing at size ${this._size}`);
    return values;
  }

  /**
   * Hashes of the perfect nodes `(level, from) … (level, from + count − 1)`, all of which must be complete (what a
   * tile holds), in one range read: nodes of one level are adjacent keys.
   */
  async perfectNodes(level: number, from: number, count: number): Promise<Buffer[]> {
    if (!(from >= 0 && count >= 0 && (from + count) * 2 ** level <= this._size)) {
      throw new ProofRangeError(`nodes ${from}..${from + count - 1} of level ${level} are not all complete in a log of size ${this._size}`);
    }
    const values = await this.db.values({ gte: nodeKey(level, from), lt: nodeKey(level, from + count) }).all();
    if (values.length !== count) throw new Error(`log corrupted: ${count - values.length} perfect nodes of level ${level} missing at size ${this._size}`);
    return values;
  }

  async entry(seq: number): Promise<LogEntry | undefined> {
    if (!(seq >= 0 && seq < this._size)) return undefined;
    const [value] = await this.read([entryKey(seq)]);
    return value === undefined ? undefined : this.toEntry(seq, value);
  }

  /** Sequence number of the log emitted at (txHash, logIndex), if it is in the log. */
  async seqOf(txHash: Hex, logIndex: number): Promise<number | undefined> {
    const [value] = await this.read([indexKey(txHash, logIndex)]);
    if (value === undefined) return undefined;
    const seq = Number(value.readBigUInt64BE(0));
    return seq < this._size ? seq : undefined;
  }

  /** Root of the first `size` entries. */
  async rootAt(size: number): Promise<Uint8Array> {
    this.checkSize(size);
    if (size === 0) return EMPTY_ROOT;
    if (size === this._size) return this.root();
    const [hash] = await this.hashRanges([{ begin: 0, end: size }]);
    return hash;
  }

  /** Audit path of entry `seq` in the tree of `treeSize` entries. */
  async inclusionProof(seq: number, treeSize: number): Promise<Uint8Array[]> {
    this.checkSize(treeSize);
    if (!(Number.isSafeInteger(seq) && seq >= 0 && seq < treeSize)) {
      throw new ProofRangeError(`seq ${seq} is not in a tree of size ${treeSize}`);
    }
    return this.hashRanges(inclusionRanges(seq, treeSize));
  }

  /** Proof that the tree of `from` entries is a prefix of the tree of `to` entries. */
  async consistencyProof(from: number, to: number): Promise<Uint8Array[]> {
    this.checkSize(to);
    if (!(Number.isSafeInteger(from) && from >= 0 && from <= to)) {
      throw new ProofRangeError(`sizes ${from} and ${to} are not 0 <= from <= to`);
    }
    return this.hashRanges(consistencyRanges(from, to));
  }

  /** The signed checkpoint stored for `size` (every batch end has one). */
  async checkpointAt(size: number): Promise<string | undefined> {
    const [value] = await this.read([checkpointKey(size)]);
    return value?.toString();
  }

  /**
   * Reads into memory the tile trees of the log's complete tiles (see tileTrees.ts), the upper levels first (every
   * proof needs them), then the newest level-0 ones, as many as the trees kept. A node calls it once opened, without
   * waiting: proofs are served meanwhile, reading what they need. Stops early when the store closes.
   */
  async warmTileTrees(): Promise<{ trees: number; ms: number }> {
    const started = performance.now();
    let budget = this.tileTrees.limit;
    const size = this._size;
    const levels: number[] = [];
    for (let level = 0; hashesAtLevel(level, size) >= TILE_WIDTH; level++) levels.unshift(level);
    try {
      for (const level of levels) {
        const complete = Math.floor(hashesAtLevel(level, size) / TILE_WIDTH);
        const from = Math.max(0, complete - budget);
        await this.tileTrees.warm(level, from, complete, () => this.closing);
        budget -= complete - from;
      }
    } catch (error) {
      if (!this.closing) throw error; // a read cut short by close() is no failure
    }
    return { trees: this.tileTrees.stats.trees, ms: Math.round(performance.now() - started) };
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.db.close();
  }

  /**
   * Values of `keys`, read with every other point read asked for in the same turn of the event loop (the entries,
   * proof nodes and checkpoints of all the requests being served) in one `getMany`, in the check phase. Each
   * LevelDB call costs the main thread a snapshot under the database lock and a hand-off to the thread pool: under
   * load, one call per turn instead of two or three per request.
   */
  private read(keys: Buffer[]): Promise<(Buffer | undefined)[]> {
    return new Promise((resolve, reject) => {
      if (this.queuedReads.length === 0) setImmediate(() => this.flushReads());
      this.queuedReads.push({ keys, resolve, reject });
    });
  }

  private flushReads(): void {
    const reads = this.queuedReads;
    this.queuedReads = [];
    this.db.getMany(reads.flatMap((r) => r.keys)).then(
      (values) => {
        let k = 0;
        for (const r of reads) r.resolve(values.slice(k, (k += r.keys.length)));
      },
      (error: unknown) => {
        for (const r of reads) r.reject(error);
      },
    );
  }

  /** Hashes of `ranges`, each folded from the perfect nodes that cover it (see {@link nodes}), or known already. */
  private async hashRanges(ranges: Range[]): Promise<Uint8Array[]> {
    const out: Uint8Array[] = new Array(ranges.length);
    const plans: { at: number; key?: string; ids: NodeId[] }[] = [];
    ranges.forEach((range, at) => {
      const ids = rangeNodes(range);
      if (ids.length === 1) return plans.push({ at, ids });
      const key = `${range.begin}:${range.end}`;
      const known = this.folds.get(key);
      if (known) out[at] = known;
      else plans.push({ at, key, ids });
    });
    const hashes = await this.nodes(plans.flatMap((plan) => plan.ids));
    let k = 0;
    for (const { at, key, ids } of plans) {
      const acc = foldHashes(hashes.slice(k, (k += ids.length)));
      out[at] = acc;
      if (key) remember(this.folds, key, acc, FOLD_CACHE_LIMIT);
    }
    return out;
  }

  /**
   * Hashes of the perfect nodes `ids`: from the tile trees in memory (every node under a complete tile, see
   * tileTrees.ts; a cold one is read whole), else from the node cache (nodes of level >= CACHED_NODE_LEVEL on the
   * right edge, under tiles not complete yet), else read with the other point reads of the turn (see read).
   */
  private async nodes(ids: NodeId[]): Promise<Uint8Array[]> {
    const size = this._size;
    const hashes: Uint8Array[] = new Array(ids.length);
    const loads: Promise<void>[] = [];
    const points: number[] = [];
    ids.forEach((id, i) => {
      const slot = TileTrees.slot(id, size);
      if (slot) {
        const hash = this.tileTrees.get(slot);
        if (hash) hashes[i] = hash;
        else loads.push(this.tileTrees.load(slot).then((tree) => void (hashes[i] = tree.subarray(slot.offset, slot.offset + 32))));
        return;
      }
      const cached = id.level >= CACHED_NODE_LEVEL ? this.nodeCache.get(nodeCacheKey(id)) : undefined;
      if (cached) hashes[i] = cached;
      else points.push(i);
    });
    if (points.length > 0) {
      loads.push(
        this.read(points.map((i) => nodeKey(ids[i].level, ids[i].index))).then((values) => {
          points.forEach((i, k) => {
            const v = values[k];
            if (!v) throw new Error(`log corrupted: perfect node (${ids[i].level}, ${ids[i].index}) missing in a tree of size ${size}`);
            const hash = new Uint8Array(v);
            hashes[i] = hash;
            if (ids[i].level >= CACHED_NODE_LEVEL) remember(this.nodeCache, nodeCacheKey(ids[i]), hash, NODE_CACHE_LIMIT);
          });
        }),
      );
    }
    await Promise.all(loads);
    return hashes;
  }

  private checkSize(size: number): void {
    if (!(Number.isSafeInteger(size) && size >= 0 && size <= this._size)) {
      throw new ProofRangeError(`tree size ${size} is beyond the log (size ${this._size})`);
    }
  }

  private sign(size: number, root: Uint8Array): SignedCheckpoint {
    if (!this.options.signer) throw new Error("this log was opened read-only (no signing key): it cannot append");
    const note = signNote(formatCheckpoint({ origin: this.options.origin, size, root }), this.options.signer);
    return { origin: this.options.origin, size, root, note };
  }

  private async restore(): Promise<void> {
    const raw = await this.db.get(CURSOR_KEY);
    if (!raw && !this.options.genesis) throw new Error(noLog(this.options.dir));
    this._cursor = raw ? cursorFromJson(JSON.parse(raw.toString())) : { ...this.options.genesis!, size: 0 };
    this._size = this._cursor.size;
    const ids = this._size === 0 ? [] : rangeNodes({ begin: 0, end: this._size });
    const values = await this.db.getMany(ids.map((id) => nodeKey(id.level, id.index)));
    this.frontier = ids.map((id, i) => {
      const v = values[i];
      if (!v) throw new Error(`log corrupted: frontier node (${id.level}, ${id.index}) missing at size ${this._size}`);
      return { level: id.level, hash: new Uint8Array(v) };
    });
    const stored = await this.checkpointAt(this._size);
    if (stored && raw) {
      const origin = stored.slice(0, stored.indexOf("\n"));
      const { signer } = this.options;
      if (signer && origin !== this.options.origin) {
        throw new Error(`the log in ${this.options.dir} has origin "${origin}", not "${this.options.origin}": a log keeps one origin, start it with --origin "${origin}"`);
      }
      // Signed by another key (the key file was replaced): the current checkpoint must verify with this node's key.
      const note = signer && !signedBy(stored, signer) ? this.sign(this._size, this.root()).note : stored;
      this._checkpoint = { origin, size: this._size, root: this.root(), note };
    } else if (this.options.signer) this._checkpoint = this.sign(this._size, this.root());
    else throw new Error(noLog(this.options.dir));
  }

  private toEntry(seq: number, leafInput: Buffer, leafHash?: Uint8Array): LogEntry {
    const input = new Uint8Array(leafInput);
    // The SDK's hand-written leaf parser, not viem's general ABI decoder: profiled under /v1/entries load, the decoder's
    // cursor and per-word allocations were most of the time and garbage of a page (bench:ledger, entries.page detail).
    const leafInputHex = nativeBytesToHex(input);
    const log = parseLeafInput(leafInputHex);
    return { seq, leafInput: input, leafInputHex, leafHash: leafHash ?? hasher.hashLeaf(input), log: { ...log, address: checksummed(log.address) } };
  }

  /** Hash of leaf `seq`: the stored level-0 node (no entry read, no hashing), from a tile tree when it is complete. */
  async leafHash(seq: number): Promise<Uint8Array | undefined> {
    if (!(Number.isSafeInteger(seq) && seq >= 0 && seq < this._size)) return undefined;
    const [hash] = await this.nodes([{ level: 0, index: seq }]);
    return hash;
  }

  /**
   * The base hashes of the full tile `index` of tile level `level` (a C2SP tlog-tile: the perfect nodes of tree
   * level 8·level), kept in memory with the rest of its tile tree: what GET /tile serves and proofs read.
   */
  async fullTile(level: number, index: number): Promise<Buffer> {
    if (!(Number.isSafeInteger(index) && index >= 0 && tileWidth(level, index, this._size) === TILE_WIDTH)) {
      throw new ProofRangeError(`tile ${level}/${index} is not complete in a log of size ${this._size}`);
    }
    return this.tileTrees.tile(level, index);
  }

  /** How often proofs, tiles and pages of entries found their nodes in memory (see tileTrees.ts): for bench:ledger. */
  get tileTreeStats(): { hits: number; misses: number; trees: number } {
    return this.tileTrees.stats;
  }
}

/**
 * EIP-55 form of a lower-case address, kept: entries name a handful of emitters (the city's contracts), and viem's
 * `getAddress` hashes (or looks up in its LRU, which reorders on every hit) on every call.
 */
export function checksummed(address: Address): Address {
  let out = checksums.get(address);
  if (out === undefined) {
    out = getAddress(address);
    remember(checksums, address, out, 4096);
  }
  return out;
}
const checksums = new Map<string, Address>();

function signedBy(note: string, signer: NoteSigner): boolean {
  try {
    verifyCheckpoint(note, verifierKey(signer));
    return true;
  } catch {
    return false;
  }
}

function noLog(dir: string): string {
  return `no log at ${dir}: nothing to read (start a node on this data dir first)`;
}

function foldFrontier(frontier: FrontierNode[]): Uint8Array {
  return frontier.length === 0 ? EMPTY_ROOT : foldHashes(frontier.map((node) => node.hash));
}

/** The right fold `H(h1, H(h2, … hk))` of perfect-node hashes, left to right (non-empty): a range's hash, or a root. */
function foldHashes(hashes: readonly Uint8Array[]): Uint8Array {
  let acc = hashes[hashes.length - 1];
  for (let i = hashes.length - 2; i >= 0; i--) acc = hasher.hashChildren(hashes[i], acc);
  return acc;
}

interface QueuedRead {
  keys: Buffer[];
  resolve: (values: (Buffer | undefined)[]) => void;
  reject: (error: unknown) => void;
}

/** Perfect nodes from this level up (64 leaves and more) outside complete tiles are cached by nodes(). */
const CACHED_NODE_LEVEL = 6;
/** Logs hashed and encoded between two turns given to the reads while a batch is appended. */
const APPEND_SLICE = 256;
/** Right-edge folds kept (see LogStore.folds): a proof has at most ~log2(size) of them, shared by every proof of its size. */
const FOLD_CACHE_LIMIT = 4096;
/** At most this many cached nodes: all the cacheable nodes of a log of 2 million entries. */
const NODE_CACHE_LIMIT = 2 ** 16;

/** Levels are below 64 and indices below 2^47 in any log that fits a disk: one number names a node. */
function nodeCacheKey(id: NodeId): number {
  return id.index * 64 + id.level;
}

/**
 * The SDK's RFC 6962 hashing over Node's native SHA-256: 2 to 3 times faster than the portable @noble/hashes on
 * this hot path (every append and proof), same prefixes, same results.
 */
const hasher = treeHasher((...parts) => {
  const h = createHash("sha256");
  for (const part of parts) h.update(part);
  return h.digest();
});

const U64_LIMIT = 2n ** 64n;

/**
 * The leaf input of `log`, byte for byte the SDK's `encodeLeafInput` (the fixed layout documented there), written
 * straight into a buffer: viem's encoder spends ~12 µs a log on hex strings, a third of an append. Whatever the
 * direct path does not take as is (a chain id or block number beyond 64 bits, malformed hex, a badly checksummed
 * address) goes through `encodeLeafInput`, which encodes it or throws viem's error.
 */
function leafInputOf(log: RawLog): Buffer {
  return writeLeafInput(log) ?? Buffer.from(hexToBytes(encodeLeafInput(log)));
}

function writeLeafInput(log: RawLog): Buffer | undefined {
  const { chainId, blockNumber, logIndex, topics, data } = log;
  if (!(Number.isSafeInteger(chainId) && chainId >= 0)) return undefined;
  if (!(typeof blockNumber === "bigint" && blockNumber >= 0n && blockNumber < U64_LIMIT)) return undefined;
  if (!(Number.isInteger(logIndex) && logIndex >= 0 && logIndex <= 0xffff_ffff)) return undefined;
  if (!(typeof data === "string" && data.startsWith("0x") && data.length % 2 === 0)) return undefined;
  const dataBytes = (data.length - 2) / 2;
  if (dataBytes > 0xffff_ffff || !isAddress(log.address)) return undefined;
  // Head: 8 words (the two dynamic fields as offsets), then the topics array, then the data, padded to a word.
  const dataAt = 32 * (9 + topics.length);
  const out = Buffer.alloc(dataAt + 32 + 32 * Math.ceil(dataBytes / 32));
  out.writeBigUInt64BE(BigInt(chainId), 24);
  out.writeBigUInt64BE(blockNumber, 56);
  if (!writeHex(out, 64, log.blockHash, 32) || !writeHex(out, 96, log.transactionHash, 32)) return undefined;
  out.writeUInt32BE(logIndex, 156);
  if (!writeHex(out, 172, log.address, 20)) return undefined;
  out.writeUInt32BE(256, 220);
  out.writeUInt32BE(dataAt, 252);
  out.writeUInt32BE(topics.length, 284);
  for (let i = 0; i < topics.length; i++) if (!writeHex(out, 288 + 32 * i, topics[i], 32)) return undefined;
  out.writeUInt32BE(dataBytes, dataAt + 28);
  return writeHex(out, dataAt + 32, data, dataBytes) ? out : undefined;
}

/** Writes `0x`-hex of exactly `bytes` bytes at `offset`; false if it is anything else. */
function writeHex(out: Buffer, offset: number, hex: string, bytes: number): boolean {
  if (!(typeof hex === "string" && hex.length === 2 + 2 * bytes && hex.startsWith("0x"))) return false;
  return bytes === 0 || out.write(hex.slice(2), offset, bytes, "hex") === bytes;
}

function cursorToJson(c: IngestCursor) {
  return { block: c.block.toString(), blockHash: c.blockHash, size: c.size };
}

function cursorFromJson(j: { block: string; blockHash: Hex; size: number }): IngestCursor {
  return { block: BigInt(j.block), blockHash: j.blockHash, size: j.size };
}
