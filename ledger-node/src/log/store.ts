import { Level } from "level";
import { bytesToHex, decodeAbiParameters, getAddress, hexToBytes, type Hex } from "viem";
import { EMPTY_ROOT, hashChildren, hashLeaf } from "../../../sdk/src/merkle/hasher";
import { consistencyRanges, inclusionRanges, rangeNodes, type NodeId, type Range } from "../../../sdk/src/merkle/ranges";
import { LEAF_PARAMETERS, encodeLeafInput } from "../../../sdk/src/ledger/leaf";
import { formatCheckpoint, signNote, type NoteSigner } from "../../../sdk/src/ledger/checkpoint";
import type { IngestCursor, LogEntry, RawLog, SignedCheckpoint } from "../types";
import { CURSOR_KEY, checkpointKey, entryKey, indexKey, nodeKey, u64 } from "./keys";

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
  /** Signs every new checkpoint (C2SP signed note, Ed25519). Absent: the log opens read-only (replay, audit). */
  signer?: NoteSigner;
  /** Cursor before the first batch: the block before the deployment. */
  genesis: IngestCursor;
}

/** An RFC 6962 proof request that cannot be answered for the sizes given. */
export class ProofRangeError extends Error {
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
  private _size = 0;
  private _cursor!: IngestCursor;
  private _checkpoint!: SignedCheckpoint;

  private constructor(
    private readonly db: DB,
    private readonly options: LogStoreOptions,
  ) {}

  /** Opens (or creates) the log in `options.dir` and restores the frontier from the stored nodes. */
  static async open(options: LogStoreOptions): Promise<LogStore> {
    const db: DB = new Level<Buffer, Buffer>(options.dir, { keyEncoding: "buffer", valueEncoding: "buffer" });
    await db.open();
    const store = new LogStore(db, options);
    await store.restore();
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
    return foldFrontier(this.frontier);
  }

  /**
   * Appends `logs` (already final, in (block, logIndex) order, none of them in the log yet) and moves the cursor to
   * `cursor`, in one atomic batch with the new perfect nodes and the new signed checkpoint.
   */
  async append(logs: readonly RawLog[], cursor: Omit<IngestCursor, "size">): Promise<{ from: number; to: number; checkpoint: SignedCheckpoint }> {
    const from = this._size;
    const frontier = this.frontier.slice();
    const batch = this.db.batch();
    let size = from;
    for (const log of logs) {
      const leafInput = hexToBytes(encodeLeafInput(log));
      const leafHash = hashLeaf(leafInput);
      batch.put(entryKey(size), Buffer.from(leafInput));
      batch.put(indexKey(log.transactionHash, log.logIndex), u64(size));
      batch.put(nodeKey(0, size), Buffer.from(leafHash));
      size += 1;
      frontier.push({ level: 0, hash: leafHash });
      // Merge equal-level neighbours: each merge completes a perfect node ending at `size`.
      while (frontier.length >= 2 && frontier[frontier.length - 1].level === frontier[frontier.length - 2].level) {
        const right = frontier.pop()!;
        const left = frontier.pop()!;
        const level = left.level + 1;
        const hash = hashChildren(left.hash, right.hash);
        batch.put(nodeKey(level, (size - 2 ** level) / 2 ** level), Buffer.from(hash));
        frontier.push({ level, hash });
      }
    }
    const nextCursor: IngestCursor = { ...cursor, size };
    const checkpoint = this.sign(size, foldFrontier(frontier));
    batch.put(checkpointKey(size), Buffer.from(checkpoint.note));
    batch.put(CURSOR_KEY, Buffer.from(JSON.stringify(cursorToJson(nextCursor))));
    await batch.write();

    this.frontier = frontier;
    this._size = size;
    this._cursor = nextCursor;
    this._checkpoint = checkpoint;
    return { from, to: size, checkpoint };
  }

  /** Entries `[from, from + limit)` that exist. */
  async entries(from: number, limit: number): Promise<LogEntry[]> {
    const end = Math.min(this._size, from + limit);
    if (from >= end) return [];
    const out: LogEntry[] = [];
    for await (const [key, value] of this.db.iterator({ gte: entryKey(from), lt: entryKey(end) })) {
      out.push(this.toEntry(Number(key.readBigUInt64BE(1)), value));
    }
    return out;
  }

  /**
   * Raw leaf inputs of `[from, from + limit)`, undecoded: what replay reads (it parses leaves itself, skipping the
   * ABI decoding, checksums and hashing that {@link entries} does for API answers).
   */
  async leafInputs(from: number, limit: number): Promise<{ seq: number; leafInput: Uint8Array }[]> {
    const end = Math.min(this._size, from + limit);
    if (from >= end) return [];
    const out: { seq: number; leafInput: Uint8Array }[] = [];
    for await (const [key, value] of this.db.iterator({ gte: entryKey(from), lt: entryKey(end) })) {
      out.push({ seq: Number(key.readBigUInt64BE(1)), leafInput: value });
    }
    return out;
  }

  async entry(seq: number): Promise<LogEntry | undefined> {
    if (!(seq >= 0 && seq < this._size)) return undefined;
    const value = await this.db.get(entryKey(seq));
    return value === undefined ? undefined : this.toEntry(seq, value);
  }

  /** Sequence number of the log emitted at (txHash, logIndex), if it is in the log. */
  async seqOf(txHash: Hex, logIndex: number): Promise<number | undefined> {
    const value = await this.db.get(indexKey(txHash, logIndex));
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
    const value = await this.db.get(checkpointKey(size));
    return value?.toString();
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  /** Hashes of `ranges`, reading every perfect node they need in one `getMany`. */
  private async hashRanges(ranges: Range[]): Promise<Uint8Array[]> {
    const plans = ranges.map((r) => rangeNodes(r));
    const ids = plans.flat();
    const values = await this.db.getMany(ids.map((id: NodeId) => nodeKey(id.level, id.index)));
    let k = 0;
    return plans.map((plan) => {
      const hashes = plan.map(() => {
        const v = values[k++];
        if (!v) throw new Error(`log corrupted: perfect node missing in a tree of size ${this._size}`);
        return new Uint8Array(v);
      });
      let acc: Uint8Array = hashes[hashes.length - 1];
      for (let i = hashes.length - 2; i >= 0; i--) acc = hashChildren(hashes[i], acc);
      return acc;
    });
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
    this._cursor = raw ? cursorFromJson(JSON.parse(raw.toString())) : { ...this.options.genesis, size: 0 };
    this._size = this._cursor.size;
    const ids = this._size === 0 ? [] : rangeNodes({ begin: 0, end: this._size });
    const values = await this.db.getMany(ids.map((id) => nodeKey(id.level, id.index)));
    this.frontier = ids.map((id, i) => {
      const v = values[i];
      if (!v) throw new Error(`log corrupted: frontier node (${id.level}, ${id.index}) missing at size ${this._size}`);
      return { level: id.level, hash: new Uint8Array(v) };
    });
    const stored = await this.checkpointAt(this._size);
    if (stored && raw) this._checkpoint = { origin: this.options.origin, size: this._size, root: this.root(), note: stored };
    else if (this.options.signer) this._checkpoint = this.sign(this._size, this.root());
    else throw new Error(`no log at ${this.options.dir}: nothing to read (start a node on this data dir first)`);
  }

  private toEntry(seq: number, leafInput: Buffer): LogEntry {
    const input = new Uint8Array(leafInput);
    const [chainId, blockNumber, blockHash, transactionHash, logIndex, address, topics, data] = decodeAbiParameters(
      LEAF_PARAMETERS,
      bytesToHex(input),
    );
    return {
      seq,
      leafInput: input,
      leafHash: hashLeaf(input),
      log: {
        chainId: Number(chainId),
        blockNumber,
        blockHash,
        transactionHash,
        logIndex,
        address: getAddress(address),
        topics: [...topics],
        data,
      },
    };
  }
}

function foldFrontier(frontier: FrontierNode[]): Uint8Array {
  if (frontier.length === 0) return EMPTY_ROOT;
  let acc = frontier[frontier.length - 1].hash;
  for (let i = frontier.length - 2; i >= 0; i--) acc = hashChildren(frontier[i].hash, acc);
  return acc;
}

function cursorToJson(c: IngestCursor) {
  return { block: c.block.toString(), blockHash: c.blockHash, size: c.size };
}

function cursorFromJson(j: { block: string; blockHash: Hex; size: number }): IngestCursor {
  return { block: BigInt(j.block), blockHash: j.blockHash, size: j.size };
}
