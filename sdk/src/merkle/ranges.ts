/**
 * Which subtree hashes a proof needs, as pure functions of sizes and indices (no hashing, no storage). A store
 * (in memory, or the ledger node's LevelDB) fetches the perfect nodes these plans name and folds them; the
 * verifier uses the same plans to know how long a proof must be.
 *
 * Terms: a range is the half-open leaf interval `[begin, end)`. A perfect node `(level, index)` covers
 * `[index · 2^level, (index + 1) · 2^level)` and, once complete, never changes.
 */

/** Half-open leaf interval `[begin, end)`. */
export interface Range {
  begin: number;
  end: number;
}

/** A perfect subtree: `2^level` leaves starting at `index · 2^level`. */
export interface NodeId {
  level: number;
  index: number;
}

/** Largest power of two strictly below `n` (requires n ≥ 2): the RFC 6962 split point `k`. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The ranges whose hashes form the audit path of leaf `index` in a tree of `size` leaves, from the leaf upwards
 * (RFC 6962 §2.1.1 PATH). Requires `0 <= index < size`.
 */
export function inclusionRanges(index: number, size: number): Range[] {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size)) {
    throw new RangeError(`index ${index} out of range for tree size ${size}`);
  }
  const out: Range[] = [];
  // Walk down from the root, collecting siblings, then reverse: the proof lists the deepest sibling first.
  let lo = 0;
  let hi = size;
  let m = index;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (m < k) {
      out.push({ begin: lo + k, end: hi });
      hi = lo + k;
    } else {
      out.push({ begin: lo, end: lo + k });
      lo += k;
      m -= k;
    }
  }
  return out.reverse();
}

/**
 * The ranges whose hashes prove that the tree of `size1` leaves is a prefix of the tree of `size2` leaves
 * (RFC 6962 §2.1.2 PROOF). Requires `0 <= size1 <= size2`; empty when `size1` is 0 or equals `size2`.
 */
export function consistencyRanges(size1: number, size2: number): Range[] {
  if (!(Number.isSafeInteger(size1) && Number.isSafeInteger(size2) && size1 >= 0 && size1 <= size2)) {
    throw new RangeError(`sizes ${size1} and ${size2} are not 0 <= size1 <= size2`);
  }
  if (size1 === 0 || size1 === size2) return [];
  const out: Range[] = [];
  // SUBPROOF(m, D[lo:hi], b), unrolled: the recursion only ever descends into one side.
  let lo = 0;
  let hi = size2;
  let m = size1;
  let complete = true; // the RFC's `b`: whether the subtree being walked is the whole old tree
  while (m !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (m <= k) {
      out.push({ begin: lo + k, end: hi });
      hi = lo + k;
    } else {
      out.push({ begin: lo, end: lo + k });
      lo += k;
      m -= k;
      complete = false;
    }
  }
  if (!complete) out.push({ begin: lo, end: hi });
  return out.reverse();
}

/**
 * The perfect nodes whose right fold is the hash of `range`, left to right. Requires the range to be the
 * left-aligned part of a perfect subtree (every range a proof plan produces is), so its hash is
 * `H(n1, H(n2, … nk))` over the binary decomposition of its length.
 */
export function rangeNodes(range: Range): NodeId[] {
  let begin = range.begin;
  let remaining = range.end - range.begin;
  if (remaining <= 0) throw new RangeError(`empty range [${range.begin}, ${range.end})`);
  // The widths are halved from the largest power of two in the length (exact in floating point) rather than each
  // raised anew: a node serving proofs calls this for every range of every proof (bench:ledger's CPU profile).
  let level = Math.floor(Math.log2(remaining));
  while (2 ** level > remaining) level--;
  while (2 ** (level + 1) <= remaining) level++;
  const nodes: NodeId[] = [];
  for (let width = 2 ** level; remaining > 0; level--, width /= 2) {
    if (remaining >= width) {
      if (begin % width !== 0) throw new RangeError(`range [${range.begin}, ${range.end}) is not left-aligned`);
      nodes.push({ level, index: begin / width });
      begin += width;
      remaining -= width;
    }
  }
  return nodes;
}
