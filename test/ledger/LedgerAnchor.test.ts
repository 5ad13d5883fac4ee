import { expect } from "chai";
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { type Interface, ZeroAddress } from "ethers";
import {
  bytesToHex,
  concat,
  createWalletClient,
  custom,
  getAddress,
  hashTypedData,
  keccak256,
  numberToHex,
  parseSignature,
  recoverTypedDataAddress,
  sha256 as viemSha256,
  toHex,
  type Hex,
  type LocalAccount,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { deployCity } from "../../scripts/lib/deploy";
import { PERMISSIONS, Roles } from "../../scripts/lib/roles";
import { EMPTY_ROOT, MemoryTree } from "../../sdk/src/merkle";
import { AccountRequiredError } from "../../sdk/src/errors/client";
import {
  InvalidCheckpointError,
  checkpointTypedData,
  signCheckpoint,
  sortSignatures,
  type CheckpointTypedDataParameters,
} from "../../sdk/src/ledger/witness";
import { cityFixture } from "../fixtures";
import { expectOnlyRole, roleHolders } from "../access-control";

const CHAIN_ID = 31337;
const ORIGIN = `cityledger.local/${CHAIN_ID}`;
const EMPTY = bytesToHex(EMPTY_ROOT);
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** Five witnesses with local keys (as the ledger node's witnesses would hold them), and a key that is no witness. */
const WITNESSES: LocalAccount[] = Array.from({ length: 5 }, (_, i) => privateKeyToAccount(keccak256(toHex(`cityledger witness ${i}`))));
const STRANGER = privateKeyToAccount(keccak256(toHex("not a witness")));
const THRESHOLD = 3;

/** The log (1024 entries) and a fork of it that rewrote entry 10. */
const LOG_SIZE = 1024;
const log = new MemoryTree();
const forked = new MemoryTree();
for (let i = 0; i < LOG_SIZE; i++) {
  log.append(new TextEncoder().encode(`entry-${i}`));
  forked.append(new TextEncoder().encode(i === 10 ? "entry-10, rewritten" : `entry-${i}`));
}
const rootOf = (size: number, tree = log): Hex => bytesToHex(tree.root(size));
const proofOf = (size1: number, size2: number, tree = log): Hex[] => tree.consistencyProof(size1, size2).map((h) => bytesToHex(h));

/** The city with the five witnesses set, threshold 3, by the council. */
async function anchorFixture() {
  const f = await cityFixture();
  await (await f.ledgerAnchor.connect(f.council).setWitnesses(WITNESSES.map((w) => w.address), THRESHOLD)).wait();
  return { ...f, anchorAddress: getAddress(await f.ledgerAnchor.getAddress()) };
}
type Ctx = Awaited<ReturnType<typeof anchorFixture>>;

function checkpoint(f: Ctx, size: number | bigint, root: Hex): CheckpointTypedDataParameters {
  return { chainId: CHAIN_ID, anchorAddress: f.anchorAddress, origin: ORIGIN, size: BigInt(size), root };
}

/** Signatures of `signers` over (size, root), sorted as the contract wants them (through the SDK). */
async function signed(f: Ctx, size: number, root: Hex, signers: LocalAccount[] = WITNESSES.slice(0, THRESHOLD)) {
  const cp = checkpoint(f, size, root);
  const signatures = await Promise.all(signers.map((w) => signCheckpoint(w, cp)));
  return sortSignatures({ ...cp, signatures });
}

/** Anchors the log at `size` (from the anchored `from`), submitted by the outsider. */
async function anchorLog(f: Ctx, from: number, size: number) {
  const { signatures } = await signed(f, size, rootOf(size));
  await (await f.ledgerAnchor.connect(f.outsider).anchor(size, rootOf(size), proofOf(from, size), signatures)).wait();
}

/** A 65-byte signature r || s || v. */
function serialize(r: Hex, s: bigint, v: number): Hex {
  return concat([r, numberToHex(s, { size: 32 }), numberToHex(v, { size: 1 })]);
}

describe("LedgerAnchor", function () {
  describe("deployment", function () {
    it("deployCity deploys it after BasicIncome, with origin cityledger.local/<chainId>, no witnesses and no anchor", async function () {
      const f = await loadFixture(cityFixture);
      const a = f.ledgerAnchor;
      expect(f.record.contracts.LedgerAnchor.address).to.equal(await a.getAddress());
      expect(f.record.contracts.LedgerAnchor.blockNumber).to.be.greaterThan(f.record.contracts.BasicIncome.blockNumber);
      expect(await a.authority()).to.equal(await f.authority.getAddress());
      expect(await a.origin()).to.equal(ORIGIN);
      expect(await a.witnesses()).to.deep.equal([]);
      expect(await a.threshold()).to.equal(0n);
      expect(await a.anchorCount()).to.equal(0n);
      expect(await a.latestAnchor()).to.deep.equal([0n, EMPTY]);
      expect(await a.EMPTY_ROOT()).to.equal(viemSha256("0x"));
      expect(await a.CHECKPOINT_TYPEHASH()).to.equal(keccak256(toHex("Checkpoint(string origin,uint64 size,bytes32 root)")));
      const domain = await a.eip712Domain();
      expect([domain.name, domain.version, domain.chainId, domain.verifyingContract]).to.deep.equal([
        "LedgerAnchor",
        "1",
        BigInt(CHAIN_ID),
        await a.getAddress(),
      ]);
    });

    it("deployCity sets the witnesses and the threshold of DeployOptions, and an origin of its own", async function () {
      const [admin] = await hre.ethers.getSigners();
      const addresses = WITNESSES.slice(0, 3).map((w) => w.address);
      const city = await deployCity(hre, admin, { witnesses: { addresses, threshold: 2 }, ledgerOrigin: "city.example/ledger" });
      const a = city.ledgerAnchor;
      expect(await a.witnesses()).to.deep.equal(addresses);
      expect(await a.threshold()).to.equal(2n);
      expect(await a.origin()).to.equal("city.example/ledger");
      const events = await a.queryFilter(a.filters.WitnessesSet());
      expect(events.map((e) => [e.args.witnesses, e.args.threshold])).to.deep.equal([[addresses, 2n]]);
      // through the temporary COUNCIL grant, which is gone
      expect((await city.authority.hasRole(Roles.COUNCIL, admin.address))[0]).to.equal(false);
    });

    it("rejects an empty origin", async function () {
      const f = await loadFixture(cityFixture);
      const factory = await hre.ethers.getContractFactory("LedgerAnchor");
      await expect(factory.deploy(await f.authority.getAddress(), "")).to.be.revertedWithCustomError(factory, "LedgerAnchorEmptyOrigin");
    });
  });

  describe("access control (PERMISSIONS table)", function () {
    const cases: Record<string, { args: unknown[]; event: [string, unknown[]] }> = {
      "setWitnesses(address[],uint8)": {
        args: [[WITNESSES[0].address, WITNESSES[1].address], 2],
        event: ["WitnessesSet", [[WITNESSES[0].address, WITNESSES[1].address], 2]],
      },
    };

    it("has a case for every LedgerAnchor entry of the table, and the table is what the authority enforces", async function () {
      const f = await loadFixture(anchorFixture);
      expect(Object.keys(cases).sort()).to.deep.equal(Object.keys(PERMISSIONS.LedgerAnchor).sort());
      for (const [signature, role] of Object.entries(PERMISSIONS.LedgerAnchor)) {
        const selector = (f.ledgerAnchor.interface as Interface).getFunction(signature)!.selector;
        expect(await f.authority.getTargetFunctionRole(f.ledgerAnchor, selector), signature).to.equal(Roles[role]);
      }
    });

    it("every state-changing function is in the table but anchor, which is open by design", async function () {
      const f = await loadFixture(anchorFixture);
      const stateChanging: string[] = [];
      (f.ledgerAnchor.interface as Interface).forEachFunction((fn) => {
        if (!fn.constant) stateChanging.push(fn.format("sighash"));
      });
      const managedByAccessManaged = ["setAuthority(address)"]; // AccessManaged's own: only the authority calls it
      expect(stateChanging.sort()).to.deep.equal(
        [...Object.keys(PERMISSIONS.LedgerAnchor), "anchor(uint64,bytes32,bytes32[],bytes[])", ...managedByAccessManaged].sort(),
      );
    });

    for (const [signature, role] of Object.entries(PERMISSIONS.LedgerAnchor)) {
      it(`${signature}: only ${role} may call it`, async function () {
        const f = await loadFixture(anchorFixture);
        const { args, event } = cases[signature];
        await expectOnlyRole(f.ledgerAnchor, signature, role, roleHolders(f), args, [event[0], event[1]]);
      });
    }

    it("the authority's setAuthority is refused to everyone else (AccessManagedUnauthorized)", async function () {
      const f = await loadFixture(anchorFixture);
      for (const [signer] of roleHolders(f)) {
        await expect(f.ledgerAnchor.connect(signer).setAuthority(signer.address))
          .to.be.revertedWithCustomError(f.ledgerAnchor, "AccessManagedUnauthorized")
          .withArgs(signer.address);
      }
    });
  });

  describe("setWitnesses", function () {
    it("replaces the whole set and the threshold, emitting both", async function () {
      const f = await loadFixture(anchorFixture);
      const a = f.ledgerAnchor.connect(f.council);
      expect(await a.witnesses()).to.deep.equal(WITNESSES.map((w) => w.address));
      expect(await a.threshold()).to.equal(BigInt(THRESHOLD));
      const next = [WITNESSES[4].address, STRANGER.address];
      await expect(a.setWitnesses(next, 2)).to.emit(a, "WitnessesSet").withArgs(next, 2);
      expect(await a.witnesses()).to.deep.equal(next);
      expect(await a.threshold()).to.equal(2n);
      for (const w of WITNESSES.slice(0, 4)) expect(await a.isWitness(w.address), w.address).to.equal(false);
      expect(await a.isWitness(WITNESSES[4].address)).to.equal(true);
      expect(await a.isWitness(STRANGER.address)).to.equal(true);
      // the same set again, a threshold of 1
      await expect(a.setWitnesses(next, 1)).to.emit(a, "WitnessesSet").withArgs(next, 1);
      expect(await a.isWitness(STRANGER.address)).to.equal(true);
    });

    it("accepts MAX_WITNESSES witnesses and a threshold equal to their number", async function () {
      const f = await loadFixture(anchorFixture);
      const max = Number(await f.ledgerAnchor.MAX_WITNESSES());
      expect(max).to.equal(64);
      const many = Array.from({ length: max }, (_, i) => getAddress(numberToHex(i + 1, { size: 20 })));
      await expect(f.ledgerAnchor.connect(f.council).setWitnesses(many, max)).to.emit(f.ledgerAnchor, "WitnessesSet").withArgs(many, max);
      expect(await f.ledgerAnchor.witnesses()).to.deep.equal(many);
    });

    it("rejects a zero threshold, a threshold above the set, too many, zero and duplicate witnesses", async function () {
      const f = await loadFixture(anchorFixture);
      const a = f.ledgerAnchor.connect(f.council);
      const three = WITNESSES.slice(0, 3).map((w) => w.address);
      await expect(a.setWitnesses(three, 0)).to.be.revertedWithCustomError(a, "LedgerAnchorZeroThreshold");
      await expect(a.setWitnesses(three, 4)).to.be.revertedWithCustomError(a, "LedgerAnchorThresholdTooHigh").withArgs(4, 3);
      await expect(a.setWitnesses([], 1)).to.be.revertedWithCustomError(a, "LedgerAnchorThresholdTooHigh").withArgs(1, 0);
      await expect(a.setWitnesses([], 0)).to.be.revertedWithCustomError(a, "LedgerAnchorZeroThreshold");
      const tooMany = Array.from({ length: 65 }, (_, i) => getAddress(numberToHex(i + 1, { size: 20 })));
      await expect(a.setWitnesses(tooMany, 3)).to.be.revertedWithCustomError(a, "LedgerAnchorTooManyWitnesses").withArgs(65, 64);
      await expect(a.setWitnesses([three[0], ZeroAddress, three[1]], 2))
        .to.be.revertedWithCustomError(a, "LedgerAnchorZeroWitness")
        .withArgs(1);
      await expect(a.setWitnesses([three[0], three[1], three[0]], 2))
        .to.be.revertedWithCustomError(a, "LedgerAnchorDuplicateWitness")
        .withArgs(three[0]);
      // nothing changed
      expect(await a.witnesses()).to.deep.equal(WITNESSES.map((w) => w.address));
      expect(await a.threshold()).to.equal(BigInt(THRESHOLD));
    });
  });

  describe("anchor", function () {
    it("anchors the first checkpoint from the empty tree, for anyone holding the signatures", async function () {
      const f = await loadFixture(anchorFixture);
      const { signatures, signers } = await signed(f, 100, rootOf(100));
      expect(signers).to.have.length(THRESHOLD);
      expect(await f.ledgerAnchor.connect(f.outsider).anchor.staticCall(100, rootOf(100), [], signatures)).to.equal(0n);
      await expect(f.ledgerAnchor.connect(f.outsider).anchor(100, rootOf(100), [], signatures))
        .to.emit(f.ledgerAnchor, "Anchored")
        .withArgs(0n, 100n, rootOf(100), signers);
      expect(await f.ledgerAnchor.anchorCount()).to.equal(1n);
      expect(await f.ledgerAnchor.latestAnchor()).to.deep.equal([100n, rootOf(100)]);
      expect(await f.ledgerAnchor.anchorAt(0)).to.deep.equal([100n, rootOf(100)]);
    });

    it("anchors a growing log with real consistency proofs (perfect and ragged old trees), keeping every anchor", async function () {
      const f = await loadFixture(anchorFixture);
      const sizes = [1, 2, 3, 4, 7, 8, 9, 100, 512, 513, 1000, 1024];
      let from = 0;
      for (const [index, size] of sizes.entries()) {
        const { signatures, signers } = await signed(f, size, rootOf(size));
        await expect(f.ledgerAnchor.connect(f.outsider).anchor(size, rootOf(size), proofOf(from, size), signatures), `${from} → ${size}`)
          .to.emit(f.ledgerAnchor, "Anchored")
          .withArgs(index, size, rootOf(size), signers);
        expect(await f.ledgerAnchor.latestAnchor()).to.deep.equal([BigInt(size), rootOf(size)]);
        from = size;
      }
      expect(await f.ledgerAnchor.anchorCount()).to.equal(BigInt(sizes.length));
      for (const [index, size] of sizes.entries()) {
        expect(await f.ledgerAnchor.anchorAt(index)).to.deep.equal([BigInt(size), rootOf(size)]);
      }
      await expect(f.ledgerAnchor.anchorAt(sizes.length))
        .to.be.revertedWithCustomError(f.ledgerAnchor, "LedgerAnchorUnknownAnchor")
        .withArgs(sizes.length, sizes.length);
    });

    it("accepts more signatures than the threshold, all of them checked and listed", async function () {
      const f = await loadFixture(anchorFixture);
      const { signatures, signers } = await signed(f, 10, rootOf(10), WITNESSES);
      expect(signers).to.deep.equal([...WITNESSES.map((w) => w.address)].sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1)));
      await expect(f.ledgerAnchor.anchor(10, rootOf(10), [], signatures))
        .to.emit(f.ledgerAnchor, "Anchored")
        .withArgs(0n, 10n, rootOf(10), signers);
    });

    it("refuses every checkpoint until a witness set is configured", async function () {
      const f = await loadFixture(cityFixture);
      await expect(f.ledgerAnchor.anchor(10, rootOf(10), [], [])).to.be.revertedWithCustomError(f.ledgerAnchor, "LedgerAnchorNoWitnesses");
    });

    describe("threshold rules", function () {
      it("M - 1 signatures (or none) are not enough", async function () {
        const f = await loadFixture(anchorFixture);
        const { signatures } = await signed(f, 10, rootOf(10), WITNESSES.slice(0, THRESHOLD - 1));
        await expect(f.ledgerAnchor.anchor(10, rootOf(10), [], signatures))
          .to.be.revertedWithCustomError(f.ledgerAnchor, "LedgerAnchorNotEnoughSignatures")
          .withArgs(THRESHOLD - 1, THRESHOLD);
        await expect(f.ledgerAnchor.anchor(10, rootOf(10), [], []))
          .to.be.revertedWithCustomError(f.ledgerAnchor, "LedgerAnchorNotEnoughSignatures")
          .withArgs(0, THRESHOLD);
      });

      it("a signer counts once: a duplicated signature is rejected", async function () {
        const f = await loadFixture(anchorFixture);
        const { signatures, signers } = await signed(f, 10, rootOf(10));
        const twice = [signatures[0], signatures[1], signatures[1]];
        await expect(f.ledgerAnchor.anchor(10, rootOf(10), [], twice))
          .to.be.revertedWithCustomError(f.ledgerAnchor, "LedgerAnchorDuplicateSigner")
          .withArgs(2, signers[1]);
      });

      it("a second, different signature of the same witness is rejected too", async function () {
        const f = await loadFixture(anchorFixture);
        const { signatures, signers } = await signed(f, 10, rootOf(10));
        // the malleable twin of signatures[0] is refused as malformed; an honest re-signature is the same bytes
        // (RFC 6979), so the only second form of a valid signature is the twin.
        const { r, s, yParity } = parseSignature(signatures[0]);
        const twin = serialize(r, SECP256K1_N - BigInt(s), 27 + (1 - yParity!));
        expect(await recoverTypedDataAddress({ ...checkpointTypedData(checkpoint(f, 10, rootOf(10))), signature: twin })).to.equal(signers[0]);
        await expect(f.ledgerAnchor.anchor(10, rootOf(10), [], [signatures[0], twin, signatures[1], signatures[2]]))
          .to.be.revertedWithCustomError(f.ledgerAnchor, "LedgerAnchorInvalidSignature")
          .withArgs(1);
      });

      it("signatures out of signer order are rejected", async function () {
        const f = await loadFixture(anchorFixture);
        const { signatures, signers } = await signed(f, 10, rootOf(10));
        await expect(f.ledgerAnchor.anchor(10, rootOf(10), [], [signatures[1], signatures[0], signatures[2]]))
          .to.be.revertedWithCustomError(f.ledgerAnchor, "LedgerAnchorUnsortedSigners")
          .withArgs(1, signers[1], signers[0]);
        await expect(f.ledgerAnchor.anchor(10, rootOf(10), [], [...signatures].reverse()))
          .to.be.revertedWithCustomError(f.ledgerAnchor, "LedgerAnchorUnsortedSigners")
          .withArgs(1, signers[2], signers[1]);
      });

      it("a non-witness signer is rejected, even alongside enough witnesses", async function () {
        const f = await loadFixture(anchorFixture);
        const { signatures } = await signed(f, 10, rootOf(10), [...WITNESSES.slice(0, THRESHOLD), STRANGER]);
        const position = (await sortSignatures({ ...checkpoint(f, 10, rootOf(10)), signatures })).signers.indexOf(STRANGER.address);
        await expect(f.ledgerAnchor.anchor(10, rootOf(10), [], signatures))
          .to.be.revertedWithCustomError(f.ledgerAnchor, "LedgerAnchorNotAWitness")
          .withArgs(position, STRANGER.address);
      });

      it("a witness removed from the set no longer counts", async function () {
        const f = await loadFixture(anchorFixture);
        await (await f.ledgerAnchor.connect(f.council).setWitnesses(WITNESSES.slice(1).map((w) => w.address), 2)).wait();
        const { signatures, signers } = await signed(f, 10, rootOf(10), WITNESSES.slice(0, 2));
        const position = signers.indexOf(WITNESSES[0].address);
        await expect(f.ledgerAnchor.anchor(10, rootOf(10), [], signatures))
          .to.be.revertedWithCustomError(f.ledgerAnchor, "LedgerAnchorNotAWitness")
          .withArgs(position, WITNESSES[0].address);
        // the new set and threshold apply
        const ok = await signed(f, 10, rootOf(10), WITNESSES.slice(3, 5));
        await expect(f.ledgerAnchor.anchor(10, rootOf(10), [], ok.signatures))
          .to.emit(f.ledgerAnchor, "Anchored")
          .withArgs(0n, 10n, rootOf(10), ok.signers);
      });

      /** Signatures the witnesses made for something else, submitted for (10, root 10). */
      const otherCheckpoints: [string, (f: Ctx) => CheckpointTypedDataParameters][] = [
        ["another size", (f) => checkpoint(f, 11, rootOf(10))],
        ["another root", (f) => checkpoint(f, 10, rootOf(11))],
        ["another chain", (f) => ({ ...checkpoint(f, 10, rootOf(10)), chainId: 1 })],
        ["another anchor contract", (f) => ({ ...checkpoint(f, 10, rootOf(10)), anchorAddress: getAddress(f.record.contracts.BasicIncome.address) })],
        ["another log (origin)", (f) => ({ ...checkpoint(f, 10, rootOf(10)), origin: "cityledger.local/1" })],
      ];
      for (const [what, other] of otherCheckpoints) {
        it(`a signature for ${what} does not count`, async function () {
          const f = await loadFixture(anchorFixture);
          const cp = other(f);
          const own = await Promise.all(WITNESSES.slice(0, THRESHOLD).map((w) => signCheckpoint(w, cp)));
          const { signatures } = await sortSignatures({ ...cp, signatures: own });
          // on chain, the first signature recovers to some unrelated address
          const recovered = await recoverTypedDataAddress({ ...checkpointTypedData(checkpoint(f, 10, rootOf(10))), signature: signatures[0] });
          expect(WITNESSES.map((w) => w.address)).to.not.include(recovered);
          await expect(f.ledgerAnchor.anchor(10, rootOf(10), [], signatures))
            .to.be.revertedWithCustomError(f.ledgerAnchor, "LedgerAnchorNotAWitness")
            .withArgs(0, recovered);
        });
      }

      it("malformed signatures are rejected with their position: wrong length, bad v, high s", async function () {
        const f = await loadFixture(anchorFixture);
        const { signatures } = await signed(f, 10, rootOf(10));
        const { r, s, yParity } = parseSignature(signatures[2]);
        const malformed: Hex[] = [
          concat([r, numberToHex(BigInt(s), { size: 32 })]), // 64 bytes (ERC-2098 short form is not accepted)
          `${signatures[2]}00` as Hex, // 66 bytes
          serialize(r, BigInt(s), 29),
          serialize(r, SECP256K1_N - BigInt(s), 27 + (1 - yParity!)),
          "0x",
        ];
        for (const bad of malformed) {
          await expect(f.ledgerAnchor.anchor(10, rootOf(10), [], [signatures[0], signatures[1], bad]), bad)
            .to.be.revertedWithCustomError(f.ledgerAnchor, "LedgerAnchorInvalidSignature")
            .withArgs(2);
        }
      });
    });

    describe("the log only grows", function () {
      it("a checkpoint older than the latest anchor is rejected", async function () {
        const f = await loadFixture(anchorFixture);
        await anchorLog(f, 0, 100);
        const { signatures } = await signed(f, 50, rootOf(50));
        await expect(f.ledgerAnchor.anchor(50, rootOf(50), [], signatures))
          .to.be.revertedWithCustomError(f.ledgerAnchor, "LedgerAnchorSizeNotGrowing")
          .withArgs(100, 50);
      });

      it("the latest anchor again is nothing to anchor", async function () {
        const f = await loadFixture(anchorFixture);
        await anchorLog(f, 0, 100);
        const { signatures } = await signed(f, 100, rootOf(100));
        await expect(f.ledgerAnchor.anchor(100, rootOf(100), [], signatures))
          .to.be.revertedWithCustomError(f.ledgerAnchor, "LedgerAnchorNothingToAnchor")
          .withArgs(100, rootOf(100));
        // and the empty tree, before any anchor
        const g = await loadFixture(anchorFixture);
        const empty = await signed(g, 0, EMPTY);
        await expect(g.ledgerAnchor.anchor(0, EMPTY, [], empty.signatures))
          .to.be.revertedWithCustomError(g.ledgerAnchor, "LedgerAnchorNothingToAnchor")
          .withArgs(0, EMPTY);
      });

      it("a fork at the anchored size (same size, another root) is rejected, however many witnesses sign it", async function () {
        const f = await loadFixture(anchorFixture);
        await anchorLog(f, 0, 100);
        const { signatures } = await signed(f, 100, rootOf(100, forked), WITNESSES);
        await expect(f.ledgerAnchor.anchor(100, rootOf(100, forked), [], signatures))
          .to.be.revertedWithCustomError(f.ledgerAnchor, "LedgerAnchorConflictingRoot")
          .withArgs(100, rootOf(100), rootOf(100, forked));
      });

      it("a forked log that grew is rejected: its own consistency proof leads to another old root", async function () {
        const f = await loadFixture(anchorFixture);
        await anchorLog(f, 0, 100);
        const root = rootOf(200, forked);
        const { signatures } = await signed(f, 200, root, WITNESSES);
        await expect(f.ledgerAnchor.anchor(200, root, proofOf(100, 200, forked), signatures))
          .to.be.revertedWithCustomError(f.ledgerAnchor, "MerkleConsistencyRootMismatch")
          .withArgs(rootOf(100), rootOf(100, forked));
        // the honest log's proof does not lead to the forked root either
        await expect(f.ledgerAnchor.anchor(200, root, proofOf(100, 200), signatures))
          .to.be.revertedWithCustomError(f.ledgerAnchor, "MerkleConsistencyRootMismatch")
          .withArgs(root, rootOf(200));
        // the honest checkpoint still anchors
        await anchorLog(f, 100, 200);
        expect(await f.ledgerAnchor.latestAnchor()).to.deep.equal([200n, rootOf(200)]);
      });

      it("a proof of the wrong length, or with a flipped bit, is rejected", async function () {
        const f = await loadFixture(anchorFixture);
        await anchorLog(f, 0, 100);
        const { signatures } = await signed(f, 300, rootOf(300));
        const proof = proofOf(100, 300);
        await expect(f.ledgerAnchor.anchor(300, rootOf(300), [...proof, rootOf(1)], signatures))
          .to.be.revertedWithCustomError(f.ledgerAnchor, "MerkleConsistencyWrongProofSize")
          .withArgs(proof.length + 1, proof.length);
        const flipped = [...proof];
        flipped[1] = `0x${(BigInt(flipped[1]) ^ 1n).toString(16).padStart(64, "0")}` as Hex;
        await expect(f.ledgerAnchor.anchor(300, rootOf(300), flipped, signatures)).to.be.revertedWithCustomError(
          f.ledgerAnchor,
          "MerkleConsistencyRootMismatch",
        );
        // the first anchor extends the empty tree: its proof is empty
        const g = await loadFixture(anchorFixture);
        const first = await signed(g, 100, rootOf(100));
        await expect(g.ledgerAnchor.anchor(100, rootOf(100), [rootOf(1)], first.signatures))
          .to.be.revertedWithCustomError(g.ledgerAnchor, "MerkleConsistencyWrongProofSize")
          .withArgs(1, 0);
      });
    });

    it("checkpointDigest is the EIP-712 digest the SDK computes, for any size and root", async function () {
      const f = await loadFixture(anchorFixture);
      for (const [size, root] of [
        [0n, EMPTY],
        [1000n, rootOf(1000)],
        [2n ** 64n - 1n, keccak256("0x01")],
      ] as [bigint, Hex][]) {
        expect(await f.ledgerAnchor.checkpointDigest(size, root), `${size}`).to.equal(hashTypedData(checkpointTypedData(checkpoint(f, size, root))));
      }
    });
  });

  describe("SDK witness helpers (sdk/src/ledger/witness.ts)", function () {
    const transport = custom(hre.network.provider, { retryCount: 0 });

    it("a witness signing through a wallet client (JSON-RPC account) is accepted on chain", async function () {
      const f = await loadFixture(anchorFixture);
      const [hardhatWitness] = f.people;
      await (await f.ledgerAnchor.connect(f.council).setWitnesses([hardhatWitness.address, WITNESSES[0].address], 2)).wait();
      const walletClient = createWalletClient({ chain: hardhat, transport, account: getAddress(hardhatWitness.address) });
      const cp = checkpoint(f, 10, rootOf(10));
      const collected = [await signCheckpoint(walletClient, cp), await signCheckpoint(WITNESSES[0], cp)];
      const { signatures, signers } = await sortSignatures({ ...cp, signatures: collected });
      expect([...signers].sort()).to.deep.equal([getAddress(hardhatWitness.address), WITNESSES[0].address].sort());
      await expect(f.ledgerAnchor.anchor(10, rootOf(10), [], signatures))
        .to.emit(f.ledgerAnchor, "Anchored")
        .withArgs(0n, 10n, rootOf(10), signers);
    });

    it("signCheckpoint takes the account from the call when the wallet client has none, and says so when neither has", async function () {
      const f = await loadFixture(anchorFixture);
      const walletClient = createWalletClient({ chain: hardhat, transport });
      const cp = checkpoint(f, 10, rootOf(10));
      const signature = await signCheckpoint(walletClient, { ...cp, account: getAddress(f.people[1].address) });
      expect(await recoverTypedDataAddress({ ...checkpointTypedData(cp), signature })).to.equal(getAddress(f.people[1].address));
      let caught: unknown;
      try {
        await signCheckpoint(walletClient, cp);
      } catch (err) {
        caught = err;
      }
      expect(caught).to.be.instanceOf(AccountRequiredError);
    });

    it("sortSignatures sorts by recovered signer, drops a signer's second signature, rejects malformed ones", async function () {
      const f = await loadFixture(anchorFixture);
      const cp = checkpoint(f, 10, rootOf(10));
      const own = await Promise.all(WITNESSES.map((w) => signCheckpoint(w, cp)));
      const sorted = await sortSignatures({ ...cp, signatures: [...own, own[2], own[0]] });
      const expected = WITNESSES.map((w, i) => ({ signer: w.address, signature: own[i] })).sort((x, y) =>
        BigInt(x.signer) < BigInt(y.signer) ? -1 : 1,
      );
      expect(sorted.signers).to.deep.equal(expected.map((e) => e.signer));
      expect(sorted.signatures).to.deep.equal(expected.map((e) => e.signature));

      const { r, s, yParity } = parseSignature(own[0]);
      for (const bad of [serialize(r, SECP256K1_N - BigInt(s), 27 + (1 - yParity!)), own[0].slice(0, -2) as Hex]) {
        let caught: unknown;
        try {
          await sortSignatures({ ...cp, signatures: [own[1], bad] });
        } catch (err) {
          caught = err;
        }
        expect(caught, bad).to.be.instanceOf(InvalidCheckpointError);
        expect((caught as InvalidCheckpointError).shortMessage).to.match(/^signature 1 /);
      }
    });

    it("checkpointTypedData rejects what the contract could not take: sizes outside uint64, short roots, empty origins", function () {
      const base = { chainId: CHAIN_ID, anchorAddress: WITNESSES[0].address, origin: ORIGIN, size: 1n, root: rootOf(1) };
      expect(checkpointTypedData(base).domain).to.deep.equal({
        name: "LedgerAnchor",
        version: "1",
        chainId: CHAIN_ID,
        verifyingContract: WITNESSES[0].address,
      });
      expect(() => checkpointTypedData({ ...base, size: 2n ** 64n - 1n })).to.not.throw();
      for (const bad of [
        { ...base, size: -1n },
        { ...base, size: 2n ** 64n },
        { ...base, root: rootOf(1).slice(0, -2) as Hex },
        { ...base, origin: "" },
        { ...base, anchorAddress: "0x1234" as Hex },
      ]) {
        expect(() => checkpointTypedData(bad)).to.throw(InvalidCheckpointError);
      }
    });
  });
});
