import { HASH_SIZE, EMPTY_ROOT, hashChildren } from "./hasher";
import { consistencyRanges, inclusionRanges } from "./ranges";
import { MerkleProofError, ProofSizeError, RootMismatchError } from "./errors";

/**
 * Computes the root implied by an inclusion proof (RFC 9162 §2.1.3.2), without comparing it to anything.
 * Requires `0 <= index < size` and a proof of exactly the audit-path length; throws {@link MerkleProofError}
 * otherwise.
 *
 * @example
 * ```ts
 * const root = rootFromInclusionProof(hashLeaf(entry), 5, 8, proof);
 * ```
 */
export function rootFromInclusionProof(leafHash: Uint8Array, index: number, size: number, proof: readonly Uint8Array[]): Uint8Array {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size)) {
    throw new MerkleProofError("index-out-of-range", `index ${index} is out of range for tree size ${size}`, [
      "- Requires 0 <= index < size.",
    ]);
  }
  checkHash(leafHash, "leaf hash");
  const want = inclusionRanges(index, size).length;
  if (proof.length !== want) throw new ProofSizeError(proof.length, want);
  proof.forEach((p, i) => checkHash(p, `proof[${i}]`));

  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(p, r);
      // A right-edge node with no sibling at this level: climb until this node is a right child again.
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // The planner fixed the length, so the walk always ends at the root; this guards the planner itself.
  if (sn !== 0) throw new ProofSizeError(proof.length, want + 1);
  return r;
}

/**
 * Checks that `leafHash` is the leaf at `index` of the tree of `size` leaves whose root is `root`.
 * Throws {@link RootMismatchError} or another {@link MerkleProofError}; returns nothing on success.
 *
 * @example
 * ```ts
 * verifyInclusion(hashLeaf(leafInput), seq, checkpoint.size, proof, checkpoint.root);
 * ```
 */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  checkHash(root, "root");
  const calculated = rootFromInclusionProof(leafHash, index, size, proof);
  if (!equalBytes(calculated, root)) throw new RootMismatchError(root, calculated);
}

/**
 * Checks that the tree of `size1` leaves with root `root1` is a prefix of the tree of `size2` leaves with root
 * `root2` (RFC 9162 §2.1.4.2): the log only grew. Requires `0 <= size1 <= size2`.
 *
 * @example
 * ```ts
 * verifyConsistency(old.size, latest.size, proof, old.root, latest.root);
 * ```
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  if (!(Number.isSafeInteger(size1) && Number.isSafeInteger(size2) && size1 >= 0 && size1 <= size2)) {
    throw new MerkleProofError("bad-sizes", `sizes ${size1} and ${size2} are not 0 <= size1 <= size2`, [
      "- A log never shrinks: the older checkpoint must have the smaller size.",
    ]);
  }
  checkHash(root1, "root1");
  checkHash(root2, "root2");
  const want = consistencyRanges(size1, size2).length;
  if (proof.length !== want) throw new ProofSizeError(proof.length, want);
  proof.forEach((p, i) => checkHash(p, `proof[${i}]`));

  if (size1 === size2) {
    if (!equalBytes(root1, root2)) throw new RootMismatchError(root1, root2, "root of the same size");
    return;
  }
  if (size1 === 0) {
    if (!equalBytes(root1, EMPTY_ROOT)) throw new RootMismatchError(EMPTY_ROOT, root1, "empty-tree root");
    return;
  }

  // When the old tree is a perfect subtree, its root is the first node of the path (the proof omits it).
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) throw new ProofSizeError(proof.length, proof.length - 1);
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new ProofSizeError(proof.length, proof.length + 1);
  if (!equalBytes(fr, root1)) throw new RootMismatchError(root1, fr, "old root");
  if (!equalBytes(sr, root2)) throw new RootMismatchError(root2, sr, "new root");
}

function checkHash(hash: Uint8Array, what: string): void {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
    throw new MerkleProofError("bad-hash", `${what} is not a ${HASH_SIZE}-byte hash`, [
      `- Got ${hash instanceof Uint8Array ? `${hash.length} bytes` : typeof hash}.`,
    ]);
  }
}

/** Safe for any safe integer (bitwise operators would truncate to 32 bits). */
function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}

/** Constant-shape byte comparison (hashes are public: no timing concern, just clarity). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
