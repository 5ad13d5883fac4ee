import { EMPTY_ROOT, hashChildren, hashLeaf, type TreeHasher } from "./hasher";
import { consistencyRanges, inclusionRanges, rangeNodes, type NodeId, type Range } from "./ranges";

/**
 * Source of perfect-node hashes: the in-memory tree below, or the ledger node's LevelDB store. Implementations
 * return the hash of a complete perfect node (never of a partial one).
 */
export interface NodeReader {
  node(id: NodeId): Uint8Array;
}

/** Hash of `range` from perfect nodes: the right fold `H(n1, H(n2, … nk))`. */
export function hashRange(reader: NodeReader, range: Range): Uint8Array {
  return foldRange(rangeNodes(range).map((id) => reader.node(id)));
}

/**
 * The right fold `H(n1, H(n2, … nk))` of a range's perfect-node hashes, given left to right as {@link rangeNodes}
 * names them (non-empty): the range's hash, whichever store the nodes came from (memory, tiles).
 * @internal
 */
export function foldRange(nodes: readonly Uint8Array[]): Uint8Array {
  let acc = nodes[nodes.length - 1];
  for (let i = nodes.length - 2; i >= 0; i--) acc = hashChildren(nodes[i], acc);
  return acc;
}

/**
 * An append-only RFC 6962 tree held in memory: every perfect node is stored once, so roots and proofs for any
 * past size cost O(log n) hashes. Used by auditors re-deriving a log and by tests; the ledger node keeps the same
 * nodes in LevelDB.
 *
 * @example
 * ```ts
 * const tree = new MemoryTree();
 * tree.append(new TextEncoder().encode("hello"));
 * const proof = tree.inclusionProof(0, tree.size);
 * verifyInclusion(tree.leafHash(0), 0, tree.size, proof, tree.root());
 * ```
 */
export class MemoryTree implements NodeReader {
  /** levels[l][i] = hash of perfect node (l, i). */
  private readonly levels: Uint8Array[][] = [[]];

  /**
   * @param hasher Hashes leaves and the perfect nodes appends complete (default: the portable `@noble/hashes` one; a
   * server re-deriving a big log may pass `treeHasher` over its platform's native SHA-256, same results).
   */
  constructor(private readonly hasher: TreeHasher = { hashLeaf, hashChildren }) {}

  /** Number of leaves. */
  get size(): number {
    return this.levels[0].length;
  }

  /** Appends a leaf given its input bytes; returns its index. */
  append(leafInput: Uint8Array): number {
    return this.appendHash(this.hasher.hashLeaf(leafInput));
  }

  /** Appends a leaf given its leaf hash; completes every perfect node it closes. */
  appendHash(leafHash: Uint8Array): number {
    const index = this.size;
    this.levels[0].push(leafHash);
    let level = 0;
    let i = index;
    while (i % 2 === 1) {
      const parent = this.hasher.hashChildren(this.levels[level][i - 1], this.levels[level][i]);
      level++;
      i = (i - 1) / 2;
      (this.levels[level] ??= []).push(parent);
    }
    return index;
  }

  leafHash(index: number): Uint8Array {
    return this.node({ level: 0, index });
  }

  node(id: NodeId): Uint8Array {
    const hash = this.levels[id.level]?.[id.index];
    if (!hash) throw new RangeError(`node (${id.level}, ${id.index}) is not complete in a tree of ${this.size} leaves`);
    return hash;
  }

  /** Root of the tree's first `size` leaves (default: all). */
  root(size = this.size): Uint8Array {
    if (size < 0 || size > this.size) throw new RangeError(`size ${size} out of range [0, ${this.size}]`);
    return size === 0 ? EMPTY_ROOT : hashRange(this, { begin: 0, end: size });
  }

  /** Audit path of leaf `index` in the tree of `size` leaves. */
  inclusionProof(index: number, size = this.size): Uint8Array[] {
    if (size > this.size) throw new RangeError(`size ${size} exceeds the tree (${this.size})`);
    return inclusionRanges(index, size).map((r) => hashRange(this, r));
  }

  /** Proof that the first `size1` leaves are a prefix of the first `size2`. */
  consistencyProof(size1: number, size2 = this.size): Uint8Array[] {
    if (size2 > this.size) throw new RangeError(`size ${size2} exceeds the tree (${this.size})`);
    return consistencyRanges(size1, size2).map((r) => hashRange(this, r));
  }
}
