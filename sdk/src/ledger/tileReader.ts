import { EMPTY_ROOT, HASH_SIZE, hashChildren } from "../merkle/hasher";
import { foldRange } from "../merkle/memory-tree";
import { problemOf } from "../utils/problem";
import { consistencyRanges, inclusionRanges, rangeNodes, type NodeId, type Range } from "../merkle/ranges";
import { verifyCheckpoint, type Checkpoint } from "./checkpoint";
import { TILE_WIDTH, TileError, nodeInTile, parseEntryBundle, tileHashes, tilePath, tileWidth, type Tile } from "./tiles";

/** @example `const options: TileReaderOptions = { url: "https://ledger.city.example" };` */
export interface TileReaderOptions {
  /** The log's prefix: `<url>/checkpoint` and `<url>/tile/…` are fetched (a ledger node, or any static mirror or CDN). */
  url: string;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
  /** Tiles kept in memory once read (default 1,024, 8 MiB of full tiles); they never change, so never go stale. */
  cacheSize?: number;
}

/** A checkpoint read from `<prefix>/checkpoint`, its signature checked. */
export interface TileCheckpoint extends Checkpoint {
  /** The signed note as served. */
  note: string;
}

/**
 * Reads a log served as C2SP tlog-tiles and computes from its tiles what the node's proof endpoints would give
 * (as Go's `golang.org/x/mod/sumdb/tlog` does): inclusion and consistency proofs, roots of past sizes, leaf hashes,
 * and the entries from their bundles. Tiles are static and immutable, so any HTTP cache or CDN can serve them: a
 * browser or an auditor needs no proof endpoint.
 *
 * The reader trusts nothing it reads: a proof built from tiles is checked like any proof, with `verifyInclusion` or
 * `verifyConsistency` against a checkpoint whose signature was checked (a wrong tile gives a proof that does not
 * verify). Tiles are fetched at the width the given tree size implies, so a client only asks for partial tiles its
 * checkpoint says exist.
 *
 * @example
 * ```ts
 * const reader = new TileReader({ url: "http://127.0.0.1:8080" });
 * const checkpoint = await reader.checkpoint(verifierKey);
 * const proof = await reader.inclusionProof(seq, checkpoint.size);
 * const [leafInput] = await reader.entries(seq, seq + 1, checkpoint.size);
 * verifyInclusion(hashLeaf(leafInput), seq, checkpoint.size, proof, checkpoint.root);
 * ```
 */
export class TileReader {
  readonly url: string;
  private readonly fetch: typeof fetch;
  private readonly cacheSize: number;
  private readonly cache = new Map<string, Uint8Array>();
  /** Reads in flight, by path: concurrent proofs needing the same tile fetch it once. */
  private readonly pending = new Map<string, Promise<Uint8Array>>();

  constructor(options: TileReaderOptions) {
    this.url = options.url.replace(/\/+$/, "");
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.cacheSize = options.cacheSize ?? 1024;
  }

  /**
   * The log's latest checkpoint, its signature checked against `verifierKey`.
   *
   * @throws {CheckpointError} When the note is not signed by that key.
   * @throws {TileError} When it cannot be read.
   * @example `const { size, root } = await reader.checkpoint(verifierKey);`
   */
  async checkpoint(verifierKey: string): Promise<TileCheckpoint> {
    const note = new TextDecoder().decode(await this.get("checkpoint"));
    return { ...verifyCheckpoint(note, verifierKey), note };
  }

  /**
   * The bytes of a tile of hashes or an entry bundle, as served (length checked for tiles of hashes).
   *
   * @throws {TileError} `not-found`, `http-error`, `unreachable`, `bad-tile`, `entry-too-large`.
   * @example `const bytes = await reader.tile({ level: 0, index: 0, width: 256 });`
   */
  async tile(tile: Tile): Promise<Uint8Array> {
    const path = tilePath(tile);
    const cached = this.cache.get(path);
    if (cached) return cached;
    const bytes = await this.get(path);
    if (tile.level !== "entries") tileHashes(bytes, tile); // throws bad-tile on a wrong length
    if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(path, bytes);
    return bytes;
  }

  /**
   * Hash of perfect node `id` (tree level and index, as `@cityledger/sdk/merkle` names nodes) in the tree of
   * `treeSize` entries: read from the one tile that holds it, and the levels inside the tile hashed.
   *
   * @example `const leafHash = await reader.nodeHash({ level: 0, index: seq }, checkpoint.size);`
   */
  async nodeHash(id: NodeId, treeSize: number): Promise<Uint8Array> {
    const { tile, offset, count } = nodeInTile(id, treeSize);
    const bytes = await this.tile(tile); // its length checked when fetched
    // Only the run's hashes, not the whole tile's: a proof asks for ~log2(n) nodes, most of them from the same tiles.
    const hashes = Array.from({ length: count }, (_, i) => bytes.subarray((offset + i) * HASH_SIZE, (offset + i + 1) * HASH_SIZE));
    // The run is a perfect subtree of the tile: hash pairs level by level up to its root.
    let level = hashes;
    while (level.length > 1) {
      const up: Uint8Array[] = [];
      for (let i = 0; i < level.length; i += 2) up.push(hashChildren(level[i], level[i + 1]));
      level = up;
    }
    return level[0];
  }

  /**
   * Audit path of entry `index` in the tree of `treeSize` entries (RFC 6962), computed from tiles. Requires
   * `0 <= index < treeSize`.
   *
   * @example
   * ```ts
   * const proof = await reader.inclusionProof(seq, checkpoint.size);
   * verifyInclusion(leafHash, seq, checkpoint.size, proof, checkpoint.root);
   * ```
   */
  async inclusionProof(index: number, treeSize: number): Promise<Uint8Array[]> {
    return Promise.all(inclusionRanges(index, treeSize).map((r) => this.rangeHash(r, treeSize)));
  }

  /**
   * Proof that the tree of `size1` entries is a prefix of the tree of `size2` entries (RFC 6962), computed from the
   * tiles of `size2`. Requires `0 <= size1 <= size2`.
   *
   * @example
   * ```ts
   * const proof = await reader.consistencyProof(old.size, latest.size);
   * verifyConsistency(old.size, latest.size, proof, old.root, latest.root);
   * ```
   */
  async consistencyProof(size1: number, size2: number): Promise<Uint8Array[]> {
    return Promise.all(consistencyRanges(size1, size2).map((r) => this.rangeHash(r, size2)));
  }

  /**
   * Root of the tree of the first `size` entries, from the tiles of the tree of `treeSize` entries (default `size`):
   * compare it with a checkpoint's root to check the tiles themselves.
   *
   * @example `equalBytes(await reader.root(checkpoint.size), checkpoint.root)`
   */
  async root(size: number, treeSize = size): Promise<Uint8Array> {
    return size === 0 ? EMPTY_ROOT : this.rangeHash({ begin: 0, end: size }, treeSize);
  }

  /**
   * The leaf inputs of entry bundle `index` in the tree of `treeSize` entries (at the width that tree has).
   *
   * @throws {TileError} `not-found` beyond the tree, `bad-bundle` when malformed, `entry-too-large` when the node
   * cannot put an entry in a bundle.
   * @example `const leafInputs = await reader.entryBundle(0, checkpoint.size);`
   */
  async entryBundle(index: number, treeSize: number): Promise<Uint8Array[]> {
    const tile: Tile = { level: "entries", index, width: tileWidth("entries", index, treeSize) };
    if (tile.width === 0) throw new TileError("not-found", `tile/entries/${index}`, `entry bundle ${index} is beyond a tree of ${treeSize} entries`);
    const bytes = await this.tile(tile);
    return parseEntryBundle(bytes, tile.width, tilePath(tile));
  }

  /**
   * Leaf inputs of entries `[from, to)` of the tree of `treeSize` entries, read from their bundles (`concurrency` at a
   * time, default 8). Hash them with `hashLeaf` to compare with leaf hashes or prove them.
   *
   * @example
   * ```ts
   * const leafInputs = await reader.entries(0, checkpoint.size, checkpoint.size);
   * const logs = leafInputs.map((input) => parseLeafInput(input));
   * ```
   */
  async entries(from: number, to: number, treeSize: number, concurrency = 8): Promise<Uint8Array[]> {
    if (!(Number.isSafeInteger(from) && Number.isSafeInteger(to) && 0 <= from && from <= to && to <= treeSize)) {
      throw new RangeError(`entries [${from}, ${to}) are not within a tree of ${treeSize} entries`);
    }
    const first = Math.floor(from / TILE_WIDTH);
    const bundles: Uint8Array[][] = [];
    let next = first;
    const end = Math.ceil(to / TILE_WIDTH);
    const worker = async () => {
      for (let i = next++; i < end; i = next++) bundles[i - first] = await this.entryBundle(i, treeSize);
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, end - first)) }, worker));
    return bundles.flat().slice(from - first * TILE_WIDTH, to - first * TILE_WIDTH);
  }

  /** Hash of a proof range: its perfect nodes read from tiles, folded right to left. */
  private async rangeHash(range: Range, treeSize: number): Promise<Uint8Array> {
    return foldRange(await Promise.all(rangeNodes(range).map((id) => this.nodeHash(id, treeSize))));
  }

  /** GET `<url>/<path>` as bytes, once at a time per path. */
  private get(path: string): Promise<Uint8Array> {
    let request = this.pending.get(path);
    if (!request) {
      request = this.request(path).finally(() => this.pending.delete(path));
      this.pending.set(path, request);
    }
    return request;
  }

  private async request(path: string): Promise<Uint8Array> {
    let response: Response;
    try {
      response = await this.fetch(`${this.url}/${path}`);
    } catch (error) {
      throw new TileError("unreachable", path, `the log at ${this.url} is unreachable (${(error as Error).message})`, { cause: error });
    }
    if (response.ok) return new Uint8Array(await response.arrayBuffer());
    const problem = problemOf(await response.text().catch(() => ""));
    const code = response.status === 404 ? "not-found" : problem.type === "entry-too-large" ? "entry-too-large" : "http-error";
    throw new TileError(code, path, `${this.url}/${path}: ${problem.detail ?? `HTTP ${response.status}`}`, { status: response.status });
  }
}
