/**
 * The perfect nodes of the log's tree kept in memory by tile, the unit C2SP tlog-tiles and Tessera cache in: the
 * "tile tree" (L, N) holds the nodes of tree levels 8L … 8L+7 under the N-th tile of level L — its 256 base hashes
 * (the tile itself), then their 128 parents, … up to the 2 children of the node the tile's parent tile holds: 510
 * hashes in one 16,320-byte buffer.
 *
 * Why: an inclusion proof in a log of a million entries needs about twenty nodes, the leaf's and its neighbours' at
 * the low levels differing from proof to proof. Read from LevelDB, that is one point read per node, a hand-off to
 * the thread pool per request, and under load most of a proof's time (bench:ledger, proofs.inclusion's CPU profile:
 * the main thread idle, waiting on reads). A tile tree is read once, with one range read per level, and then
 * answers every proof into that tile from memory.
 *
 * Only trees whose 256 base nodes are all complete are kept: their nodes are never rewritten, so a kept tree can
 * never be stale (the log's invariant: a perfect node is written once, in the batch that completes it).
 */
import { TILE_HEIGHT, TILE_WIDTH, tileWidth } from "@cityledger/sdk/ledger";
import { remember } from "./cache";
import type { NodeId } from "@cityledger/sdk/merkle";

/** Hashes in a tile tree: 256 + 128 + … + 2. */
export const TILE_TREE_HASHES = 2 * TILE_WIDTH - 2;
const HASH = 32;

/** Where a perfect node sits: its tile tree, and its byte offset in that tree's buffer. */
export interface TileTreeSlot {
  level: number;
  index: number;
  key: number;
  offset: number;
}

/** Reads the `count` perfect nodes of tree level `level` from index `from` (all complete), in one range read. */
export type LevelReader = (level: number, from: number, count: number) => Promise<Buffer[]>;

export class TileTrees {
  private readonly trees = new Map<number, Buffer>();
  /** Trees being read: a burst of proofs into a cold tile reads it once. */
  private readonly loading = new Map<number, Promise<Buffer>>();
  private hitCount = 0;
  private missCount = 0;

  /**
   * @param limit trees kept at most (the oldest read dropped first): 16 KiB each, so 4,096 hold every low node of a
   *   million entries in 64 MiB.
   */
  constructor(
    private readonly readLevel: LevelReader,
    readonly limit = 4096,
  ) {}

  /** The slot of node `id` if its tile tree is complete in a log of `size` entries; undefined otherwise. */
  static slot(id: NodeId, size: number): TileTreeSlot | undefined {
    const level = Math.floor(id.level / TILE_HEIGHT);
    const height = id.level - level * TILE_HEIGHT;
    const perTile = TILE_WIDTH >> height; // nodes of this height in one tile tree
    const index = Math.floor(id.index / perTile);
    if (tileWidth(level, index, size) < TILE_WIDTH) return undefined; // its tile is not full yet
    const before = 2 * TILE_WIDTH - 2 * perTile; // hashes of the lower heights in the buffer
    return { level, index, key: treeKey(level, index), offset: (before + (id.index - index * perTile)) * HASH };
  }

  /** The hash at `slot` if its tree is in memory (counted as a hit or a miss). */
  get(slot: TileTreeSlot): Uint8Array | undefined {
    const tree = this.trees.get(slot.key);
    if (tree === undefined) {
      this.missCount += 1;
      return undefined;
    }
    this.hitCount += 1;
    return tree.subarray(slot.offset, slot.offset + HASH);
  }

  /** The base hashes of the full tile (level, index), the tlog-tile's bytes, from memory or read (and kept). */
  async tile(level: number, index: number): Promise<Buffer> {
    const tree = await this.load({ level, index, key: treeKey(level, index), offset: 0 });
    return tree.subarray(0, TILE_WIDTH * HASH);
  }

  /** Reads the tree of `slot` (once, however many ask at the same time) and keeps it. */
  load(slot: TileTreeSlot): Promise<Buffer> {
    const kept = this.trees.get(slot.key);
    if (kept) return Promise.resolve(kept);
    let pending = this.loading.get(slot.key);
    if (!pending) {
      pending = this.read(slot.level, slot.index).finally(() => this.loading.delete(slot.key));
      this.loading.set(slot.key, pending);
    }
    return pending;
  }

  /** Hits and misses of {@link get} since the log opened, and the trees kept: what /metrics and the bench report. */
  get stats(): { hits: number; misses: number; trees: number } {
    return { hits: this.hitCount, misses: this.missCount, trees: this.trees.size };
  }

  /**
   * Reads the trees `from` … `to` - 1 of tile level `level` that are not kept yet, `WARM_CHUNK` at a time (one range
   * read per height and chunk), stopping early when `stop()` says so: a node opening a big log has every proof's nodes
   * in memory seconds later, rather than after thousands of proofs each waited for its tree (bench:ledger).
   */
  async warm(level: number, from: number, to: number, stop: () => boolean = () => false): Promise<void> {
    for (let first = from; first < to && !stop(); first += WARM_CHUNK) {
      const count = Math.min(WARM_CHUNK, to - first);
      const trees = await this.readTrees(level, first, count);
      trees.forEach((tree, i) => this.keep(first + i, level, tree));
    }
  }

  private async read(level: number, index: number): Promise<Buffer> {
    const [tree] = await this.readTrees(level, index, 1);
    this.keep(index, level, tree);
    return tree;
  }

  /** The `count` trees from `index` of tile level `level`, with one range read per height. */
  private async readTrees(level: number, index: number, count: number): Promise<Buffer[]> {
    const trees = Array.from({ length: count }, () => Buffer.allocUnsafe(TILE_TREE_HASHES * HASH));
    const heights = Array.from({ length: TILE_HEIGHT }, (_, h) => h);
    const runs = await Promise.all(
      heights.map((h) => this.readLevel(level * TILE_HEIGHT + h, index * (TILE_WIDTH >> h), count * (TILE_WIDTH >> h))),
    );
    runs.forEach((run, h) => {
      const perTree = TILE_WIDTH >> h;
      // Values come without their keys: a node missing anywhere would shift every later one, so a short run is refused whole.
      if (run.length !== count * perTree) {
        const trees = count === 1 ? `tree ${level}/${index} lacks` : `trees ${level}/${index}…${index + count - 1} lack`;
        throw new Error(`log corrupted: tile ${trees} ${count * perTree - run.length} of their ${count * perTree} nodes of tree level ${level * TILE_HEIGHT + h}`);
      }
      const before = 2 * TILE_WIDTH - 2 * perTree;
      run.forEach((hash, i) => hash.copy(trees[Math.floor(i / perTree)], (before + (i % perTree)) * HASH));
    });
    return trees;
  }

  private keep(index: number, level: number, tree: Buffer): void {
    const key = treeKey(level, index);
    if (!this.trees.has(key)) remember(this.trees, key, tree, this.limit);
  }
}

/** A tree's key in the map: levels 0 … 63 (C2SP's L) under each index. */
function treeKey(level: number, index: number): number {
  return index * 64 + level;
}

/** Trees read together when warming: 64 × 16 KiB per step. */
const WARM_CHUNK = 64;
