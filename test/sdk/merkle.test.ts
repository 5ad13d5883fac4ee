import { expect } from "chai";
import fc from "fast-check";
import { bytesToHex, hexToBytes } from "viem";
import { createHash } from "node:crypto";
import {
  EMPTY_ROOT,
  MemoryTree,
  MerkleProofError,
  ProofSizeError,
  RootMismatchError,
  consistencyRanges,
  hashChildren,
  hashLeaf,
  treeHasher,
  inclusionRanges,
  rangeNodes,
  verifyConsistency,
  verifyInclusion,
} from "../../sdk/src/merkle";
import vectors from "../vectors/merkle.json";

/** SHA-256 from Node's OpenSSL: an implementation independent of the SDK's @noble one. */
const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

/** The RFC 6962 definition, recursively, sharing no code with the tree: what the tree must agree with. */
function naiveRoot(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return sha256(Uint8Array.of(0), leaves[0]);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha256(Uint8Array.of(1), naiveRoot(leaves.slice(0, k)), naiveRoot(leaves.slice(k)));
}

const leafInput = (i: number) => new TextEncoder().encode(`leaf-${i}`);
const MAX = 300;
const hex = (b: Uint8Array) => bytesToHex(b);
const bytes = (h: string) => hexToBytes(h as `0x${string}`);

function flipBit(b: Uint8Array, bit: number): Uint8Array {
  const out = b.slice();
  out[bit >> 3] ^= 1 << (bit & 7);
  return out;
}

function expectReject(fn: () => void, what: string) {
  try {
    fn();
  } catch (err) {
    expect(err, what).to.be.instanceOf(MerkleProofError);
    return;
  }
  expect.fail(`accepted a mutated proof: ${what}`);
}

/**
 * A size or index is only bound to the root through the shape of the audit path: two claims whose paths take the
 * same sides at every step compute the same root from the same hashes, so no verifier can tell them apart (the
 * signed checkpoint is what binds a size to its root). These oracles name that shape; a mutated size or index must
 * be rejected exactly when it changes the shape.
 */
function inclusionShape(index: number, size: number): string {
  if (!(index >= 0 && index < size)) return "invalid";
  return inclusionRanges(index, size)
    .map((r) => (r.end <= index ? "L" : "R"))
    .join("");
}

/** The operations RFC 9162's consistency walk performs for these sizes (see {@link inclusionShape}). */
function consistencyShape(size1: number, size2: number): string {
  if (!(size1 >= 0 && size1 <= size2)) return "invalid";
  if (size1 === 0 || size1 === size2) return `trivial-${size1 === 0 ? "empty" : "equal"}-${size1 === 0 ? "" : size1}`;
  const n = consistencyRanges(size1, size2).length;
  const pow2 = Number.isInteger(Math.log2(size1));
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  const ops: string[] = [pow2 ? "P" : "-"];
  for (let i = pow2 ? 0 : 1; i < n; i++) {
    if (fn % 2 === 1 || fn === sn) {
      ops.push("B");
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
    } else ops.push("S");
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  return `${ops.join("")}|${sn}`;
}

function expectVerdict(accepted: boolean, fn: () => void, what: string) {
  if (accepted) expect(fn, what).to.not.throw();
  else expectReject(fn, what);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function applyMutation(proof: string[], mutation: string | undefined): string[] {
  switch (mutation) {
    case undefined:
      return proof;
    case "flip-first-bit":
      return [hex(flipBit(bytes(proof[0]), 0)), ...proof.slice(1)];
    case "preceding-garbage":
      return [`0x${"00".repeat(32)}`, ...proof];
    case "trailing-garbage":
      return [...proof, `0x${"00".repeat(32)}`];
    case "drop-last":
      return proof.slice(0, -1);
    default:
      throw new Error(`unknown mutation ${mutation}`);
  }
}

describe("RFC 6962 Merkle tree (sdk/src/merkle)", () => {
  const tree = new MemoryTree();
  const inputs: Uint8Array[] = [];
  let roots: Uint8Array[] = [];
  before(() => {
    for (let i = 0; i < MAX; i++) {
      inputs.push(leafInput(i));
      tree.append(inputs[i]);
    }
    roots = range(MAX + 1).map((n) => tree.root(n));
  });

  describe("test vectors (test/vectors/merkle.json)", () => {
    for (const v of vectors.roots) {
      it(v.description, () => {
        const t = new MemoryTree();
        for (const leaf of v.leaves) t.append(bytes(leaf));
        expect(hex(t.root())).to.equal(v.root);
      });
    }
    for (const v of vectors.inclusion) {
      it(v.description, () => {
        const t = new MemoryTree();
        for (const leaf of vectors.rfcLeaves) t.append(bytes(leaf));
        const proof = applyMutation(t.inclusionProof(v.index, v.size).map(hex), v.mutation);
        const root = v.swapRoot ? t.root(v.size - 1) : t.root(v.size);
        const run = () => verifyInclusion(t.leafHash(v.index), v.index, v.size, proof.map(bytes), root);
        if (v.error) expect(run).to.throw(MerkleProofError, v.error);
        else expect(run).to.not.throw();
      });
    }
  });

  it("treeHasher over another SHA-256 (Node's, as the node's store uses) hashes exactly like the defaults", () => {
    const native = treeHasher((...parts) => sha256(...parts));
    for (const input of inputs.slice(0, 20)) expect(hex(native.hashLeaf(input))).to.equal(hex(hashLeaf(input)));
    expect(hex(native.hashChildren(inputs[0], inputs[1]))).to.equal(hex(hashChildren(inputs[0], inputs[1])));
  });

  it("empty tree root is SHA-256 of the empty string", () => {
    expect(hex(new MemoryTree().root())).to.equal("0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(hex(EMPTY_ROOT)).to.equal(hex(sha256()));
    expect(hex(hashLeaf(new Uint8Array(0)))).to.equal(hex(sha256(Uint8Array.of(0))));
  });

  it(`root equals the naive recursive definition for every size 0..${MAX}`, () => {
    for (let n = 0; n <= MAX; n++) expect(hex(tree.root(n)), `size ${n}`).to.equal(hex(naiveRoot(inputs.slice(0, n))));
  });

  it("rangeNodes covers a left-aligned range with its binary decomposition, from 1 leaf to 2^52", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 52 }), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), (top, at, share) => {
        // A range as proofs plan them: the left part of the perfect subtree [begin, begin + 2^top).
        const span = 2 ** top;
        const begin = (at % Math.max(1, Math.floor(2 ** 53 / span) - 1)) * span;
        const length = Math.max(1, Math.min(span, Math.ceil(share * span)));
        const nodes = rangeNodes({ begin, end: begin + length });
        let at2 = begin;
        for (const node of nodes) {
          expect(node.index * 2 ** node.level).to.equal(at2); // contiguous, each perfect and aligned
          at2 += 2 ** node.level;
        }
        expect(at2).to.equal(begin + length);
        // strictly decreasing levels: the set bits of the length, high to low
        expect(nodes.map((n) => n.level)).to.deep.equal([...length.toString(2)].flatMap((bit, i, all) => (bit === "1" ? [all.length - 1 - i] : [])));
      }),
      { numRuns: 500 },
    );
    expect(() => rangeNodes({ begin: 3, end: 3 })).to.throw(RangeError, "empty range");
    expect(() => rangeNodes({ begin: 1, end: 3 })).to.throw(RangeError, "not left-aligned");
  });

  it("proof plans have the RFC lengths", () => {
    expect(inclusionRanges(0, 1)).to.deep.equal([]);
    expect(inclusionRanges(5, 8).length).to.equal(3);
    expect(inclusionRanges(6, 7).length).to.equal(2);
    expect(consistencyRanges(4, 8).length).to.equal(1);
    expect(consistencyRanges(3, 7).length).to.equal(4); // RFC 6962 §2.1.3: PROOF(3, D[7]) = [c, d, g, l]
    expect(consistencyRanges(0, 7)).to.deep.equal([]);
    expect(() => inclusionRanges(3, 3)).to.throw(RangeError);
    expect(() => consistencyRanges(4, 3)).to.throw(RangeError);
  });

  /**
   * Mutation tiers keep the suite fast while every proof is checked: sizes up to 8 flip every bit of every hash;
   * up to 40 one bit of every hash, every size/index bit and garbage around the proof; beyond, every proof still
   * verifies and one rotating mutation of each kind (proof hash, root, leaf, size, index) is rejected.
   */
  const tier = (size: number) => (size <= 8 ? "exhaustive" : size <= 40 ? "thorough" : "sampled");

  it(`every inclusion proof for sizes 1..${MAX} verifies, and mutations of it are rejected`, function () {
    this.timeout(300_000);
    for (let size = 1; size <= MAX; size++) {
      const root = roots[size];
      const t = tier(size);
      for (let index = 0; index < size; index++) {
        const leaf = tree.leafHash(index);
        const proof = tree.inclusionProof(index, size);
        verifyInclusion(leaf, index, size, proof, root);

        const spin = index * 31 + size * 7;
        const hashBits = (salt: number) => (t === "exhaustive" ? range(256) : [(spin + salt) % 256]);
        const elements = t === "sampled" ? (proof.length ? [spin % proof.length] : []) : range(proof.length);
        for (const i of elements) {
          for (const bit of hashBits(i)) {
            const bad = proof.slice();
            bad[i] = flipBit(proof[i], bit);
            expectReject(() => verifyInclusion(leaf, index, size, bad, root), `size ${size} index ${index} proof[${i}] bit ${bit}`);
          }
        }
        for (const bit of hashBits(101)) {
          expectReject(() => verifyInclusion(leaf, index, size, proof, flipBit(root, bit)), `size ${size} index ${index} root bit ${bit}`);
          expectReject(() => verifyInclusion(flipBit(leaf, bit), index, size, proof, root), `size ${size} index ${index} leaf bit ${bit}`);
        }
        const shape = inclusionShape(index, size);
        for (const bit of t === "sampled" ? [spin % 10] : range(10)) {
          const badSize = size ^ (1 << bit);
          const badIndex = index ^ (1 << bit);
          expectVerdict(shape === inclusionShape(index, badSize), () => verifyInclusion(leaf, index, badSize, proof, root), `size ${size} -> ${badSize}`);
          expectVerdict(shape === inclusionShape(badIndex, size), () => verifyInclusion(leaf, badIndex, size, proof, root), `index ${index} -> ${badIndex}`);
        }
        if (t !== "sampled") {
          expectReject(() => verifyInclusion(leaf, index, size, [...proof, root], root), "trailing garbage");
          expectReject(() => verifyInclusion(leaf, index, size, [root, ...proof], root), "preceding garbage");
          if (proof.length > 0) expectReject(() => verifyInclusion(leaf, index, size, proof.slice(1), root), "truncated");
        }
      }
    }
  });

  it(`every consistency proof between sizes 0..${MAX} verifies, and mutations of it are rejected`, function () {
    this.timeout(300_000);
    for (let size2 = 0; size2 <= MAX; size2++) {
      const root2 = roots[size2];
      const t = tier(size2);
      for (let size1 = 0; size1 <= size2; size1++) {
        const root1 = roots[size1];
        const proof = tree.consistencyProof(size1, size2);
        verifyConsistency(size1, size2, proof, root1, root2);

        const spin = size1 * 31 + size2 * 7;
        const hashBits = (salt: number) => (t === "exhaustive" ? range(256) : [(spin + salt) % 256]);
        const elements = t === "sampled" ? (proof.length ? [spin % proof.length] : []) : range(proof.length);
        for (const i of elements) {
          for (const bit of hashBits(i)) {
            const bad = proof.slice();
            bad[i] = flipBit(proof[i], bit);
            expectReject(() => verifyConsistency(size1, size2, bad, root1, root2), `${size1}->${size2} proof[${i}] bit ${bit}`);
          }
        }
        // The empty tree is a prefix of every non-empty tree: from size 0 nothing about the new root can be wrong.
        const fromEmpty = size1 === 0;
        for (const bit of hashBits(101)) {
          expectReject(() => verifyConsistency(size1, size2, proof, flipBit(root1, bit), root2), `${size1}->${size2} root1 bit ${bit}`);
          expectVerdict(fromEmpty && size2 > 0, () => verifyConsistency(size1, size2, proof, root1, flipBit(root2, bit)), `${size1}->${size2} root2 bit ${bit}`);
        }
        const shape = consistencyShape(size1, size2);
        for (const bit of t === "sampled" ? [spin % 10] : range(10)) {
          const bad1 = size1 ^ (1 << bit);
          const bad2 = size2 ^ (1 << bit);
          expectVerdict(shape === consistencyShape(bad1, size2), () => verifyConsistency(bad1, size2, proof, root1, root2), `${size1}->${size2} size1 -> ${bad1}`);
          expectVerdict(
            fromEmpty ? bad2 > 0 : shape === consistencyShape(size1, bad2),
            () => verifyConsistency(size1, bad2, proof, root1, root2),
            `${size1}->${size2} size2 -> ${bad2}`,
          );
        }
        if (t !== "sampled") {
          if (size1 < size2) expectReject(() => verifyConsistency(size1, size2, proof, root2, root1), "swapped roots");
          expectReject(() => verifyConsistency(size1, size2, [...proof, root1], root1, root2), "trailing garbage");
          expectReject(() => verifyConsistency(size1, size2, [root1, ...proof], root1, root2), "preceding garbage");
        }
      }
    }
  });

  it("gives typed errors with got/want and expected/calculated", () => {
    const proof = tree.inclusionProof(3, 8);
    const root = tree.root(8);
    expect(() => verifyInclusion(tree.leafHash(3), 3, 8, proof.slice(1), root))
      .to.throw(ProofSizeError, "wrong proof size 2, want 3")
      .with.property("want", 3);
    try {
      verifyInclusion(tree.leafHash(4), 3, 8, proof, root);
      expect.fail("accepted the wrong leaf");
    } catch (err) {
      expect(err).to.be.instanceOf(RootMismatchError);
      expect(hex((err as RootMismatchError).expected)).to.equal(hex(root));
    }
    expect(() => verifyInclusion(tree.leafHash(3), 8, 8, proof, root)).to.throw(MerkleProofError, "index 8 is out of range");
    expect(() => verifyConsistency(5, 4, [], root, root)).to.throw(MerkleProofError, "not 0 <= size1 <= size2");
    expect(() => verifyInclusion(new Uint8Array(31), 3, 8, proof, root)).to.throw(MerkleProofError, "32-byte");
  });
});
