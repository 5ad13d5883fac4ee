/**
 * DataUseRegistry: every role rule (each COUNCIL function refused to every other role), every revert with its custom
 * error, every event with its fields, and the consent rule over random sequences against a model (fast-check).
 */
import { expect } from "chai";
import hre from "hardhat";
import fc from "fast-check";
import { loadFixture, mine } from "@nomicfoundation/hardhat-network-helpers";
import { anyUint } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { AbiCoder, ZeroAddress, id, keccak256 } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { cityFixture, register, type CityFixture } from "../fixtures";
import { expectOnlyRole, roleHolders } from "../access-control";
import type { IDataUseRegistry } from "../../typechain-types";

const Basis = { Consent: 0, Contract: 1, LegalObligation: 2, VitalInterest: 3, PublicTask: 4, LegitimateInterest: 5 } as const;
const Category = { IDENTITY: 1, LOCATION: 2, ENERGY: 4, PAYMENTS: 8, MOBILITY: 16, VOTES: 32 } as const;
const DAY = 24 * 3600;
/** Recipients' name hashes, ascending (the contract takes a strictly ascending set). */
const [R1, R2, R3] = ["city hall", "energy distributor", "university lab"].map((name) => id(name)).sort();

type Terms = IDataUseRegistry.PurposeTermsStruct;

/** A consent-based purpose's terms, with `changes` applied. */
function terms(changes: Partial<Terms> = {}): Terms {
  return { descriptionHash: id("parking occupancy study"), legalBasis: Basis.Consent, categories: Category.LOCATION | Category.MOBILITY, retention: 90 * DAY, recipients: [R1, R2], ...changes };
}

/** The terms as the contract emits them (a tuple, in field order). */
const tuple = (t: Terms) => [t.descriptionHash, t.legalBasis, t.categories, t.retention, t.recipients];

interface DataUseFixture extends CityFixture {
  /** Publishes for processor 1. */
  publisher: HardhatEthersSigner;
  /** Active members. */
  alice: HardhatEthersSigner;
  bob: HardhatEthersSigner;
  /** Purpose 1: consent-based; purpose 2: public task. */
  consentPurpose: bigint;
  taskPurpose: bigint;
}

async function datauseFixture(): Promise<DataUseFixture> {
  const f = await cityFixture();
  const [publisher, alice, bob] = f.people;
  await register(f, alice);
  await register(f, bob);
  await (await f.datause.connect(f.council).registerProcessor(publisher.address, id("Parking operator"), "mailto:dpo@parking.example")).wait();
  await (await f.datause.connect(publisher).declarePurpose(1, terms())).wait();
  await (await f.datause.connect(publisher).declarePurpose(1, terms({ legalBasis: Basis.PublicTask, categories: Category.IDENTITY, recipients: [] }))).wait();
  return { ...f, publisher, alice, bob, consentPurpose: 1n, taskPurpose: 2n };
}

async function blockOf(tx: Promise<{ wait(): Promise<{ blockNumber: number } | null> }>): Promise<bigint> {
  return BigInt((await (await tx).wait())!.blockNumber);
}

/** The timestamp of the block that mined `tx`: what the events' `at` carries (the log has no block times). */
async function timeOf(tx: Promise<{ wait(): Promise<{ blockNumber: number } | null> }>): Promise<bigint> {
  return BigInt((await hre.ethers.provider.getBlock(await blockOf(tx)))!.timestamp);
}

describe("DataUseRegistry", function () {
  describe("processors (COUNCIL)", () => {
    it("registerProcessor, updateProcessor and retireProcessor are COUNCIL's alone, each refused to every other role", async () => {
      const f = await loadFixture(datauseFixture);
      const holders = roleHolders(f);
      const account = f.people[5].address;
      await expectOnlyRole(f.datause, "registerProcessor", "COUNCIL", holders, [account, id("Energy distributor"), "https://grid.example/privacy"], [
        "ProcessorRegistered",
        [2n, account, id("Energy distributor"), "https://grid.example/privacy"],
      ]);
      await expectOnlyRole(f.datause, "updateProcessor", "COUNCIL", holders, [2n, f.people[6].address, id("Grid operator"), "mailto:dpo@grid.example"], [
        "ProcessorUpdated",
        [2n, f.people[6].address, id("Grid operator"), "mailto:dpo@grid.example"],
      ]);
      await expectOnlyRole(f.datause, "retireProcessor", "COUNCIL", holders, [2n], ["ProcessorRetired", [2n]]);
      const retired = await f.datause.processorOf(2n);
      expect([retired.account, retired.active, retired.nameHash, retired.contactUri]).to.deep.equal([f.people[6].address, false, id("Grid operator"), "mailto:dpo@grid.example"]);
      expect(await f.datause.processorCount()).to.equal(2n);
    });

    it("refuses a zero account, unknown processors and changes to a retired one", async () => {
      const f = await loadFixture(datauseFixture);
      const council = f.datause.connect(f.council);
      await expect(council.registerProcessor(ZeroAddress, id("x"), "")).to.be.revertedWithCustomError(f.datause, "DataUseRegistryZeroAddress");
      await expect(council.updateProcessor(1n, ZeroAddress, id("x"), "")).to.be.revertedWithCustomError(f.datause, "DataUseRegistryZeroAddress");
      await expect(council.updateProcessor(7n, f.publisher.address, id("x"), "")).to.be.revertedWithCustomError(f.datause, "DataUseRegistryUnknownProcessor").withArgs(7n);
      await expect(council.retireProcessor(7n)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryUnknownProcessor").withArgs(7n);
      await expect(f.datause.processorOf(7n)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryUnknownProcessor").withArgs(7n);
      await (await council.retireProcessor(1n)).wait();
      await expect(council.retireProcessor(1n)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryProcessorRetired").withArgs(1n);
      await expect(council.updateProcessor(1n, f.publisher.address, id("x"), "")).to.be.revertedWithCustomError(f.datause, "DataUseRegistryProcessorRetired").withArgs(1n);
    });
  });

  describe("purposes (the processor's account)", () => {
    it("declares a purpose at version 1, epoch 1, with every field in PurposeDeclared and purposeOf", async () => {
      const f = await loadFixture(datauseFixture);
      const t = terms({ categories: Category.ENERGY, retention: 365 * DAY, recipients: [R3] });
      const tx = f.datause.connect(f.publisher).declarePurpose(1n, t);
      await expect(tx).to.emit(f.datause, "PurposeDeclared").withArgs(3n, 1n, tuple(t), await timeOf(tx));
      const p = await f.datause.purposeOf(3n);
      expect([p.processorId, p.version, p.consentEpoch, p.active]).to.deep.equal([1n, 1n, 1n, true]);
      expect([p.descriptionHash, p.legalBasis, p.categories, p.retention, [...p.recipients]]).to.deep.equal(tuple(t).map((v) => (typeof v === "number" ? BigInt(v) : v)));
      expect(await f.datause.purposeCount()).to.equal(3n);
      await expect(f.datause.purposeOf(4n)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryUnknownPurpose").withArgs(4n);
    });

    it("refuses terms that declare votes, no or unknown categories, no retention, too many or unsorted recipients", async () => {
      const f = await loadFixture(datauseFixture);
      const declare = (t: Terms) => f.datause.connect(f.publisher).declarePurpose(1n, t);
      const update = (t: Terms) => f.datause.connect(f.publisher).updatePurpose(1n, t);
      for (const send of [declare, update]) {
        const votes = Category.VOTES | Category.IDENTITY;
        await expect(send(terms({ categories: votes }))).to.be.revertedWithCustomError(f.datause, "DataUseRegistryVotesNeverProcessed").withArgs(votes);
        await expect(send(terms({ categories: 0 }))).to.be.revertedWithCustomError(f.datause, "DataUseRegistryInvalidCategories").withArgs(0);
        await expect(send(terms({ categories: 64 | 1 }))).to.be.revertedWithCustomError(f.datause, "DataUseRegistryInvalidCategories").withArgs(65);
        await expect(send(terms({ retention: 0 }))).to.be.revertedWithCustomError(f.datause, "DataUseRegistryZeroRetention");
        const many = Array.from({ length: 17 }, (_, i) => `0x${(i + 1).toString(16).padStart(64, "0")}`);
        await expect(send(terms({ recipients: many }))).to.be.revertedWithCustomError(f.datause, "DataUseRegistryTooManyRecipients").withArgs(17, 16);
        await expect(send(terms({ recipients: [R2, R1] }))).to.be.revertedWithCustomError(f.datause, "DataUseRegistryRecipientsNotSorted").withArgs(1);
        await expect(send(terms({ recipients: [R1, R2, R2] }))).to.be.revertedWithCustomError(f.datause, "DataUseRegistryRecipientsNotSorted").withArgs(2);
      }
      // Sixteen recipients are allowed.
      await expect(declare(terms({ recipients: Array.from({ length: 16 }, (_, i) => `0x${(i + 1).toString(16).padStart(64, "0")}`) }))).to.emit(f.datause, "PurposeDeclared");
    });

    it("only the processor's account declares, updates and retires its purposes; a retired processor does none of it", async () => {
      const f = await loadFixture(datauseFixture);
      for (const who of [f.council, f.admin, f.alice]) {
        const as = f.datause.connect(who);
        for (const send of [() => as.declarePurpose(1n, terms()), () => as.updatePurpose(1n, terms({ retention: 1 })), () => as.retirePurpose(1n)]) {
          await expect(send()).to.be.revertedWithCustomError(f.datause, "DataUseRegistryNotProcessorAccount").withArgs(1n, who.address);
        }
      }
      const publisher = f.datause.connect(f.publisher);
      await expect(publisher.declarePurpose(9n, terms())).to.be.revertedWithCustomError(f.datause, "DataUseRegistryUnknownProcessor").withArgs(9n);
      await expect(publisher.updatePurpose(9n, terms())).to.be.revertedWithCustomError(f.datause, "DataUseRegistryUnknownPurpose").withArgs(9n);
      await expect(publisher.retirePurpose(9n)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryUnknownPurpose").withArgs(9n);
      // The council moves publishing to another account: the old one loses it.
      await (await f.datause.connect(f.council).updateProcessor(1n, f.people[7].address, id("Parking operator"), "")).wait();
      await expect(publisher.declarePurpose(1n, terms())).to.be.revertedWithCustomError(f.datause, "DataUseRegistryNotProcessorAccount").withArgs(1n, f.publisher.address);
      await (await f.datause.connect(f.council).retireProcessor(1n)).wait();
      const next = f.datause.connect(f.people[7]);
      for (const send of [() => next.declarePurpose(1n, terms()), () => next.updatePurpose(1n, terms({ retention: 1 })), () => next.retirePurpose(1n)]) {
        await expect(send()).to.be.revertedWithCustomError(f.datause, "DataUseRegistryProcessorRetired").withArgs(1n);
      }
    });

    it("a change that adds nothing (new text, shorter retention, fewer categories or recipients) is a new version that keeps consents", async () => {
      const f = await loadFixture(datauseFixture);
      await (await f.datause.connect(f.alice).grantConsent(1n)).wait();
      const granted = (await f.datause.consentOf(1n, f.alice.address)).since;
      const changes: Partial<Terms>[] = [{ descriptionHash: id("clearer text") }, { retention: 30 * DAY }, { categories: Category.LOCATION }, { recipients: [R2] }, { recipients: [] }];
      let current = terms();
      for (const [i, change] of changes.entries()) {
        current = { ...current, ...change };
        await expect(f.datause.connect(f.publisher).updatePurpose(1n, current)).to.emit(f.datause, "PurposeUpdated").withArgs(1n, 1n, i + 2, 1, false, tuple(current), anyUint);
      }
      expect(await f.datause.consentOf(1n, f.alice.address)).to.deep.equal([true, granted]);
      await expect(f.datause.connect(f.publisher).updatePurpose(1n, current)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryUnchangedPurpose").withArgs(1n);
    });

    for (const [what, change] of [
      ["a new category", { categories: Category.LOCATION | Category.MOBILITY | Category.PAYMENTS }],
      ["a longer retention", { retention: 90 * DAY + 1 }],
      ["a new recipient", { recipients: [R1, R2, R3] }],
      ["a recipient swapped for another", { recipients: [R1, R3] }],
      ["another legal basis", { legalBasis: Basis.LegitimateInterest }],
    ] as [string, Partial<Terms>][]) {
      it(`${what} is material: the epoch moves and every consent to the purpose lapses from that block`, async () => {
        const f = await loadFixture(datauseFixture);
        await (await f.datause.connect(f.alice).grantConsent(1n)).wait();
        await (await f.datause.connect(f.bob).grantConsent(1n)).wait();
        const t = terms(change);
        const tx = f.datause.connect(f.publisher).updatePurpose(1n, t);
        await expect(tx).to.emit(f.datause, "PurposeUpdated").withArgs(1n, 1n, 2, 2, true, tuple(t), await timeOf(tx));
        const changedAt = await blockOf(tx);
        for (const member of [f.alice, f.bob]) expect(await f.datause.consentOf(1n, member.address)).to.deep.equal([false, changedAt]);
        const p = await f.datause.purposeOf(1n);
        expect([p.version, p.consentEpoch]).to.deep.equal([2n, 2n]);
        await expect(f.datause.connect(f.alice).withdrawConsent(1n)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryNoConsent").withArgs(1n, f.alice.address);
        // A second material change does not move when the first one lapsed the consent.
        await (await f.datause.connect(f.publisher).updatePurpose(1n, { ...t, retention: BigInt(t.retention) + 1n })).wait();
        expect(await f.datause.consentOf(1n, f.bob.address)).to.deep.equal([false, changedAt]);
      });
    }

    it("retires a purpose: PurposeRetired, no new consent or version, a consent given stays withdrawable", async () => {
      const f = await loadFixture(datauseFixture);
      await (await f.datause.connect(f.alice).grantConsent(1n)).wait();
      await expect(f.datause.connect(f.publisher).retirePurpose(1n)).to.emit(f.datause, "PurposeRetired").withArgs(1n, 1n);
      expect((await f.datause.purposeOf(1n)).active).to.equal(false);
      await expect(f.datause.connect(f.publisher).retirePurpose(1n)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryPurposeRetired").withArgs(1n);
      await expect(f.datause.connect(f.publisher).updatePurpose(1n, terms({ retention: 1 }))).to.be.revertedWithCustomError(f.datause, "DataUseRegistryPurposeRetired").withArgs(1n);
      await expect(f.datause.connect(f.bob).grantConsent(1n)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryPurposeRetired").withArgs(1n);
      await expect(f.datause.connect(f.alice).withdrawConsent(1n)).to.emit(f.datause, "ConsentWithdrawn").withArgs(1n, f.alice.address, 1, 1, anyUint);
    });
  });

  describe("consent (members)", () => {
    it("grants and withdraws with their events; consentOf holds from each one's block", async () => {
      const f = await loadFixture(datauseFixture);
      expect(await f.datause.consentOf(1n, f.alice.address)).to.deep.equal([false, 0n]);
      const grant = f.datause.connect(f.alice).grantConsent(1n);
      await expect(grant).to.emit(f.datause, "ConsentGranted").withArgs(1n, f.alice.address, 1, 1, await timeOf(grant));
      expect(await f.datause.consentOf(1n, f.alice.address)).to.deep.equal([true, await blockOf(grant)]);
      await mine(3);
      const withdraw = f.datause.connect(f.alice).withdrawConsent(1n);
      await expect(withdraw).to.emit(f.datause, "ConsentWithdrawn").withArgs(1n, f.alice.address, 1, 1, await timeOf(withdraw));
      expect(await f.datause.consentOf(1n, f.alice.address)).to.deep.equal([false, await blockOf(withdraw)]);
      // Granting again after a withdrawal, and after a material change, names the version and epoch of the day.
      await (await f.datause.connect(f.publisher).updatePurpose(1n, terms({ recipients: [R1, R2, R3] }))).wait();
      await expect(f.datause.connect(f.alice).grantConsent(1n)).to.emit(f.datause, "ConsentGranted").withArgs(1n, f.alice.address, 2, 2, anyUint);
      expect(await f.datause.consentOf(1n, f.bob.address)).to.deep.equal([false, 0n]);
    });

    it("refuses non-members, suspended members, unknown, non-consent and retired processors' purposes, and a second grant", async () => {
      const f = await loadFixture(datauseFixture);
      await expect(f.datause.connect(f.outsider).grantConsent(1n)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryNotMember").withArgs(f.outsider.address);
      await expect(f.datause.connect(f.alice).grantConsent(9n)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryUnknownPurpose").withArgs(9n);
      await expect(f.datause.connect(f.alice).grantConsent(2n)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryNotConsentBased").withArgs(2n);
      await (await f.datause.connect(f.alice).grantConsent(1n)).wait();
      await expect(f.datause.connect(f.alice).grantConsent(1n)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryAlreadyConsented").withArgs(1n, f.alice.address);
      await (await f.registry.connect(f.registrar).suspend(f.bob.address, id("suspended"))).wait();
      await expect(f.datause.connect(f.bob).grantConsent(1n)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryNotMember").withArgs(f.bob.address);
      await (await f.datause.connect(f.council).retireProcessor(1n)).wait();
      await expect(f.datause.connect(f.alice).withdrawConsent(1n)).to.emit(f.datause, "ConsentWithdrawn");
      await expect(f.datause.connect(f.alice).grantConsent(1n)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryProcessorRetired").withArgs(1n);
    });

    it("withdrawal is never refused to whoever holds a consent (a suspended member too), and refused without one", async () => {
      const f = await loadFixture(datauseFixture);
      await expect(f.datause.connect(f.alice).withdrawConsent(1n)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryNoConsent").withArgs(1n, f.alice.address);
      await expect(f.datause.connect(f.alice).withdrawConsent(9n)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryUnknownPurpose").withArgs(9n);
      await (await f.datause.connect(f.alice).grantConsent(1n)).wait();
      await (await f.registry.connect(f.registrar).suspend(f.alice.address, id("suspended"))).wait();
      await expect(f.datause.connect(f.alice).withdrawConsent(1n)).to.emit(f.datause, "ConsentWithdrawn").withArgs(1n, f.alice.address, 1, 1, anyUint);
      await expect(f.datause.connect(f.alice).withdrawConsent(1n)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryNoConsent").withArgs(1n, f.alice.address);
    });
  });

  describe("access-record batches", () => {
    const root = id("records of 2026-11");
    const salt = id("processor 1 salt 2026-11");
    const saltHash = keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32"], [salt]));

    it("publishes one batch per processor and month (BatchPublished), then reveals its salt once (SaltRevealed)", async () => {
      const f = await loadFixture(datauseFixture);
      const publisher = f.datause.connect(f.publisher);
      await expect(publisher.publishBatch(1n, 202611, root, 42, saltHash)).to.emit(f.datause, "BatchPublished").withArgs(1n, 202611, root, 42, saltHash);
      const batch = await f.datause.batchOf(1n, 202611);
      expect([batch.root, batch.recordCount, batch.saltCommitment, batch.revealed]).to.deep.equal([root, 42n, saltHash.slice(0, 50), false]);
      await expect(publisher.publishBatch(1n, 202611, id("other"), 1, saltHash)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryBatchExists").withArgs(1n, 202611);
      // Another month, and none at all (an empty month is a statement too).
      await expect(publisher.publishBatch(1n, 202612, id("empty tree"), 0, saltHash)).to.emit(f.datause, "BatchPublished");
      await expect(publisher.revealSalt(1n, 202611, id("wrong salt"))).to.be.revertedWithCustomError(f.datause, "DataUseRegistrySaltMismatch").withArgs(1n, 202611);
      await expect(publisher.revealSalt(1n, 202611, salt)).to.emit(f.datause, "SaltRevealed").withArgs(1n, 202611, salt);
      expect((await f.datause.batchOf(1n, 202611)).revealed).to.equal(true);
      await expect(publisher.revealSalt(1n, 202611, salt)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryAlreadyRevealed").withArgs(1n, 202611);
      await expect(publisher.revealSalt(1n, 202601, salt)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryUnknownBatch").withArgs(1n, 202601);
      // A member finds their pseudonym with the revealed salt.
      const pseudonym = keccak256(AbiCoder.defaultAbiCoder().encode(["address", "uint256", "bytes32"], [f.alice.address, 1n, salt]));
      expect(await f.datause.pseudonymOf(f.alice.address, 1n, salt)).to.equal(pseudonym);
    });

    it("refuses other accounts, bad months, a zero root; a retired processor publishes nothing but still reveals", async () => {
      const f = await loadFixture(datauseFixture);
      const publisher = f.datause.connect(f.publisher);
      for (const who of [f.council, f.alice]) {
        await expect(f.datause.connect(who).publishBatch(1n, 202611, root, 1, saltHash)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryNotProcessorAccount").withArgs(1n, who.address);
      }
      for (const period of [0, 202600, 202613, 199912, 1000001]) {
        await expect(publisher.publishBatch(1n, period, root, 1, saltHash)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryInvalidPeriod").withArgs(period);
      }
      await expect(publisher.publishBatch(1n, 202611, `0x${"00".repeat(32)}`, 1, saltHash)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryZeroRoot");
      await expect(publisher.publishBatch(5n, 202611, root, 1, saltHash)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryUnknownProcessor").withArgs(5n);
      await expect(publisher.revealSalt(5n, 202611, salt)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryUnknownProcessor").withArgs(5n);
      await (await publisher.publishBatch(1n, 202611, root, 3, saltHash)).wait();
      await expect(f.datause.connect(f.alice).revealSalt(1n, 202611, salt)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryNotProcessorAccount").withArgs(1n, f.alice.address);
      await (await f.datause.connect(f.council).retireProcessor(1n)).wait();
      await expect(publisher.publishBatch(1n, 202612, root, 1, saltHash)).to.be.revertedWithCustomError(f.datause, "DataUseRegistryProcessorRetired").withArgs(1n);
      await expect(publisher.revealSalt(1n, 202611, salt)).to.emit(f.datause, "SaltRevealed").withArgs(1n, 202611, salt);
    });
  });

  describe("property: consent state follows a model over random grants, withdrawals and changes", () => {
    type Step =
      | { kind: "grant" | "withdraw"; member: number; purpose: number }
      | { kind: "material" | "minor"; purpose: number };

    const step: fc.Arbitrary<Step> = fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constantFrom("grant" as const, "withdraw" as const), member: fc.nat(2), purpose: fc.nat(1) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom("material" as const, "minor" as const), purpose: fc.nat(1) }) },
    );

    it("every call succeeds or reverts as the model says, and consentOf equals the model after each step", async function () {
      this.timeout(300_000);
      const base = await loadFixture(datauseFixture);
      const members = [base.alice, base.bob, base.people[3]];
      await register(base, members[2]);
      await (await base.datause.connect(base.publisher).declarePurpose(1n, terms({ descriptionHash: id("second") }))).wait();
      const purposes = [1n, 3n];
      // A snapshot is consumed by its revert: each run reverts to the last one and takes the next.
      let snapshot: string = await hre.network.provider.send("evm_snapshot");

      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
          await hre.network.provider.send("evm_revert", [snapshot]);
          snapshot = await hre.network.provider.send("evm_snapshot");
          // Model: per purpose its epoch and retention (grown by each material change); per member and purpose the
          // epoch of a standing grant, or none.
          const epoch = [1, 1];
          const retention = [90 * DAY, 90 * DAY];
          const minorText = [0, 0];
          const granted = new Map<string, number>();
          for (const s of steps) {
            const purposeId = purposes[s.purpose];
            const who = (m: number) => base.datause.connect(members[m]);
            if (s.kind === "grant" || s.kind === "withdraw") {
              const key = `${s.member}/${s.purpose}`;
              const holds = granted.get(key) === epoch[s.purpose];
              if (s.kind === "grant" && holds) {
                await expect(who(s.member).grantConsent(purposeId)).to.be.revertedWithCustomError(base.datause, "DataUseRegistryAlreadyConsented");
              } else if (s.kind === "withdraw" && !holds) {
                await expect(who(s.member).withdrawConsent(purposeId)).to.be.revertedWithCustomError(base.datause, "DataUseRegistryNoConsent");
              } else {
                await (await (s.kind === "grant" ? who(s.member).grantConsent(purposeId) : who(s.member).withdrawConsent(purposeId))).wait();
                if (s.kind === "grant") granted.set(key, epoch[s.purpose]);
                else granted.delete(key);
              }
            } else {
              if (s.kind === "material") {
                retention[s.purpose] += DAY;
                epoch[s.purpose] += 1;
              } else minorText[s.purpose] += 1;
              const t = terms({ retention: retention[s.purpose], descriptionHash: id(`text ${s.purpose} ${minorText[s.purpose]}`) });
              await (await base.datause.connect(base.publisher).updatePurpose(purposeId, t)).wait();
            }
            for (const [m, member] of members.entries()) {
              for (const [p, purposeId] of purposes.entries()) {
                const [onChain] = await base.datause.consentOf(purposeId, member.address);
                expect(onChain, `member ${m}, purpose ${p} after ${JSON.stringify(s)}`).to.equal(granted.get(`${m}/${p}`) === epoch[p]);
              }
            }
          }
        }),
        { numRuns: 50 },
      );
    });
  });
});
