import { expect } from "chai";
import hre from "hardhat";
import { createHash } from "node:crypto";
import { bytesToHex, hexToBytes, type Hex } from "viem";
import {
  EMPTY_ROOT,
  MemoryTree,
  MerkleProofError,
  ProofSizeError,
  RootMismatchError,
  consistencyRanges,
  verifyConsistency,
} from "../../sdk/src/merkle";
import type { MerkleConsistencyHarness } from "../../typechain-types";

/**
 * The on-chain verifier (contracts/ledger/MerkleConsistency.sol, through a test harness) against the SDK's
 * (sdk/src/merkle/verify.ts): for every pair of sizes up to {@link EXHAUSTIVE} (every tree shape up to depth 5), and
 * for larger trees up to {@link MAX} from the sizes where the proof's shape changes, both accept the real proof and
 * both reject each mutation of it with the same error and the same data (got/want sizes, expected/calculated roots).
 */

const EXHAUSTIVE = 32;
const MAX = 64;

/**
 * The old sizes checked against a tree of `size2`: all of them up to {@link EXHAUSTIVE}; past it, the edges (0, 1,
 * size2 − 1, size2), the powers of two below it and their neighbours, and the middle. Each pair is some 10 chain calls:
 * every pair up to 64 took five minutes of a CI worker for no branch the sampled ones miss.
 */
function oldSizes(size2: number): number[] {
  if (size2 <= EXHAUSTIVE) return Array.from({ length: size2 + 1 }, (_, i) => i);
  const picks = new Set([0, 1, size2 >> 1, size2 - 1, size2]);
  for (let p = 2; p < size2; p *= 2) for (const n of [p - 1, p, p + 1]) if (n < size2) picks.add(n);
  return [...picks].sort((a, b) => a - b);
}
const hex = (b: Uint8Array): Hex => bytesToHex(b);
const bytes = (h: string) => hexToBytes(h as Hex);
const ZERO = `0x${"00".repeat(32)}` as Hex;
const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

function flipBit(h: Hex, bit: number): Hex {
  const out = bytes(h);
  out[bit >> 3] ^= 1 << (bit & 7);
  return hex(out);
}

/** What a verifier says: accepted, or the name and data of the error it raised (the contract's error names). */
type Verdict = "ok" | { error: string; args: (string | bigint)[] };

function sdkVerdict(size1: number, size2: number, proof: Hex[], root1: Hex, root2: Hex): Verdict {
  try {
    verifyConsistency(size1, size2, proof.map(bytes), bytes(root1), bytes(root2));
    return "ok";
  } catch (err) {
    if (err instanceof ProofSizeError) return { error: "MerkleConsistencyWrongProofSize", args: [BigInt(err.got), BigInt(err.want)] };
    if (err instanceof RootMismatchError) return { error: "MerkleConsistencyRootMismatch", args: [hex(err.expected), hex(err.calculated)] };
    if (err instanceof MerkleProofError && err.code === "bad-sizes") {
      return { error: "MerkleConsistencyInvalidSizes", args: [BigInt(size1), BigInt(size2)] };
    }
    throw err;
  }
}

async function chainVerdict(harness: MerkleConsistencyHarness, size1: bigint | number, size2: bigint | number, proof: Hex[], root1: Hex, root2: Hex): Promise<Verdict> {
  try {
    await harness.verify(size1, size2, proof, root1, root2);
    return "ok";
  } catch (err) {
    const data = (err as { data?: string }).data;
    const parsed = data ? harness.interface.parseError(data) : null;
    if (!parsed) throw err;
    return { error: parsed.name, args: [...parsed.args].map((a) => (typeof a === "string" ? a.toLowerCase() : (a as bigint))) };
  }
}

describe("MerkleConsistency (RFC 9162 §2.1.4.2 on chain)", function () {
  const tree = new MemoryTree();
  let roots: Hex[] = [];
  let harness: MerkleConsistencyHarness;

  before(async function () {
    for (let i = 0; i < 100_000; i++) tree.append(new TextEncoder().encode(`leaf-${i}`));
    roots = Array.from({ length: MAX + 1 }, (_, n) => hex(tree.root(n)));
    const factory = await hre.ethers.getContractFactory("MerkleConsistencyHarness");
    harness = (await factory.deploy()) as unknown as MerkleConsistencyHarness;
  });

  const proofOf = (size1: number, size2: number) => tree.consistencyProof(size1, size2).map(hex);

  it("hashes interior nodes as SHA-256(0x01 || left || right), and the empty root is SHA-256(\"\")", async function () {
    const left = hex(sha256(new TextEncoder().encode("left")));
    const right = hex(sha256(new TextEncoder().encode("right")));
    expect(await harness.hashChildren(left, right)).to.equal(hex(sha256(Uint8Array.of(1), bytes(left), bytes(right))));
    expect(await chainVerdict(harness, 0, 5, [], hex(EMPTY_ROOT), roots[5])).to.equal("ok");
    expect(hex(EMPTY_ROOT)).to.equal(hex(sha256()));
  });

  describe(`differential against sdk/src/merkle verifyConsistency, every 0 <= size1 <= size2 <= ${EXHAUSTIVE}, sampled up to ${MAX}`, function () {
    for (let size2 = 0; size2 <= MAX; size2++) {
      it(`size2 = ${size2}: both accept the real proofs and reject each mutation with the same error`, async function () {
        for (const size1 of oldSizes(size2)) {
          const proof = proofOf(size1, size2);
          const root1 = roots[size1];
          const root2 = roots[size2];
          const what = `${size1} → ${size2}`;
          expect(sdkVerdict(size1, size2, proof, root1, root2), what).to.equal("ok");
          expect(await chainVerdict(harness, size1, size2, proof, root1, root2), what).to.equal("ok");

          // One flipped bit in every hash of the proof and in each root; garbage before, after; a hash dropped;
          // roots swapped; sizes swapped. Each must be rejected by both, with the same error and data.
          const spin = size1 * 7 + size2 * 13;
          const mutations: [string, Hex[], Hex, Hex, number, number][] = [];
          proof.forEach((_, i) => {
            const bad = proof.slice();
            bad[i] = flipBit(proof[i], (spin + 37 * i) % 256);
            mutations.push([`proof[${i}] flipped`, bad, root1, root2, size1, size2]);
          });
          mutations.push(["root1 flipped", proof, flipBit(root1, spin % 256), root2, size1, size2]);
          // The empty tree is a prefix of every tree: from size 0 any root2 is consistent (the signature binds it).
          if (size1 > 0) mutations.push(["root2 flipped", proof, root1, flipBit(root2, (spin + 1) % 256), size1, size2]);
          mutations.push(["preceding garbage", [ZERO, ...proof], root1, root2, size1, size2]);
          mutations.push(["trailing garbage", [...proof, ZERO], root1, root2, size1, size2]);
          if (proof.length > 0) mutations.push(["last hash dropped", proof.slice(0, -1), root1, root2, size1, size2]);
          if (root1 !== root2) mutations.push(["roots swapped", proof, root2, root1, size1, size2]);
          if (size1 !== size2) mutations.push(["sizes swapped", proof, root2, root1, size2, size1]);

          for (const [name, p, r1, r2, s1, s2] of mutations) {
            const sdk = sdkVerdict(s1, s2, p, r1, r2);
            const chain = await chainVerdict(harness, s1, s2, p, r1, r2);
            expect(sdk, `${what}: SDK accepted ${name}`).to.not.equal("ok");
            // 0 → 0 is both "equal sizes" and "from the empty tree": the contract checks the empty root first, the
            // SDK the equality first, so the two name the mismatched roots in a different order.
            if (s1 === 0 && s2 === 0) expect(chain, `${what}: ${name}`).to.not.equal("ok");
            else expect(chain, `${what}: ${name}`).to.deep.equal(sdk);
          }
        }
      });
    }
  });

  it("reverts with each error and its data on the edge cases", async function () {
    // size1 > size2
    await expect(harness.verify(5, 4, [], roots[5], roots[4]))
      .to.be.revertedWithCustomError(harness, "MerkleConsistencyInvalidSizes")
      .withArgs(5, 4);
    // Any tree extends the empty one, with an empty proof and the empty root…
    await harness.verify(0, 0, [], hex(EMPTY_ROOT), hex(EMPTY_ROOT));
    await harness.verify(0, 64, [], hex(EMPTY_ROOT), roots[64]);
    // …but not from another "empty" root, nor with a proof.
    await expect(harness.verify(0, 64, [], ZERO, roots[64]))
      .to.be.revertedWithCustomError(harness, "MerkleConsistencyRootMismatch")
      .withArgs(hex(EMPTY_ROOT), ZERO);
    await expect(harness.verify(0, 64, [roots[1]], hex(EMPTY_ROOT), roots[64]))
      .to.be.revertedWithCustomError(harness, "MerkleConsistencyWrongProofSize")
      .withArgs(1, 0);
    // Two empty trees: both roots must be the empty root. (The SDK, like transparency-dev/merkle, only compares
    // them to each other, so it accepts this one; the contract is stricter.)
    expect(sdkVerdict(0, 0, [], ZERO, ZERO)).to.equal("ok");
    await expect(harness.verify(0, 0, [], ZERO, ZERO))
      .to.be.revertedWithCustomError(harness, "MerkleConsistencyRootMismatch")
      .withArgs(hex(EMPTY_ROOT), ZERO);
    // Equal sizes: equal roots, empty proof.
    await harness.verify(7, 7, [], roots[7], roots[7]);
    await expect(harness.verify(7, 7, [], roots[7], roots[6]))
      .to.be.revertedWithCustomError(harness, "MerkleConsistencyRootMismatch")
      .withArgs(roots[7], roots[6]);
    await expect(harness.verify(7, 7, [roots[7]], roots[7], roots[7]))
      .to.be.revertedWithCustomError(harness, "MerkleConsistencyWrongProofSize")
      .withArgs(1, 0);
    // Power-of-two old tree: its root is the path's first node, left out of the proof (RFC 6962 §2.1.2).
    expect(proofOf(4, 8)).to.have.length(1);
    await harness.verify(4, 8, proofOf(4, 8), roots[4], roots[8]);
    await expect(harness.verify(4, 8, [roots[4], ...proofOf(4, 8)], roots[4], roots[8]))
      .to.be.revertedWithCustomError(harness, "MerkleConsistencyWrongProofSize")
      .withArgs(2, 1);
    // RFC 6962 §2.1.3's example: PROOF(3, D[7]) has four hashes.
    await harness.verify(3, 7, proofOf(3, 7), roots[3], roots[7]);
    await expect(harness.verify(3, 7, [], roots[3], roots[7]))
      .to.be.revertedWithCustomError(harness, "MerkleConsistencyWrongProofSize")
      .withArgs(0, 4);
  });

  it("agrees with the SDK's proof plan on the proof length for large sizes (up to 2^53 - 1)", async function () {
    const special = [1, 2, 3, 2 ** 20, 2 ** 20 + 1, 999_000, 1_000_000, 2 ** 32 - 1, 2 ** 32, 2 ** 52, 2 ** 53 - 2, 2 ** 53 - 1];
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const pairs: [number, number][] = [];
    for (const a of special) for (const b of special) if (a < b) pairs.push([a, b]);
    for (let i = 0; i < 60; i++) {
      const a = 1 + (random() * 2 ** 22 + random()) % (2 ** 53 - 2);
      const b = a + 1 + (random() % 2 ** 30);
      pairs.push([a, Math.min(b, 2 ** 53 - 1)]);
    }
    for (const [size1, size2] of pairs) {
      if (size1 >= size2) continue;
      const want = consistencyRanges(size1, size2).length;
      const wrong = Array.from({ length: want + 1 }, () => ZERO);
      await expect(harness.verify(size1, size2, wrong, ZERO, ZERO), `${size1} → ${size2}`)
        .to.be.revertedWithCustomError(harness, "MerkleConsistencyWrongProofSize")
        .withArgs(want + 1, want);
    }
  });

  it("verifies real proofs between sizes of a 100,000-leaf tree, and rejects them against other roots", async function () {
    const sizes = [1, 2, 1023, 1024, 1025, 4096, 50_000, 65_535, 65_536, 65_537, 99_000, 99_999, 100_000];
    for (const size1 of sizes) {
      for (const size2 of sizes) {
        if (size1 > size2) continue;
        const proof = proofOf(size1, size2);
        const root1 = hex(tree.root(size1));
        const root2 = hex(tree.root(size2));
        expect(await chainVerdict(harness, size1, size2, proof, root1, root2), `${size1} → ${size2}`).to.equal("ok");
        if (size1 < size2) {
          const other = hex(tree.root(size2 - 1));
          expect(await chainVerdict(harness, size1, size2, proof, root1, other), `${size1} → ${size2}`).to.deep.equal(
            sdkVerdict(size1, size2, proof, root1, other),
          );
        }
      }
    }
  });
});
