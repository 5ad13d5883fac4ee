import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import hre from "hardhat";
import { Wallet, id } from "ethers";
import { PERMISSIONS } from "../../scripts/lib/roles";
import { signForwardRequest } from "../../scripts/lib/relay";
import { now, register } from "../fixtures";
import { expectOnlyRole, roleHolders } from "../access-control";
import {
  ALL_COLLEGES,
  ASSOCIATIONS,
  BLANK,
  CITIZENS,
  DAY,
  HOUR,
  Kind,
  NO,
  NO_REFERENDUM,
  PRIVATE_PARTNERS,
  PUBLIC,
  State,
  YES,
  ballotParams,
  ballotsFixture,
  commitmentOf,
  createBallot,
  referendumTemplate,
  type BallotParams,
  type BallotsCtx,
} from "./ballotHelpers";

const SALT = id("salt");

/**
 * Opens `params` (moves time to its opening). Blocks mined since the parameters were drawn (their stamps follow the wall
 * clock, slower under load) may have reached the opening already: then there is nothing to move, and Hardhat refuses a
 * block stamped like the previous one.
 */
async function open(params: BallotParams) {
  if ((await time.latest()) < Number(params.opensAt)) await time.increaseTo(Number(params.opensAt));
}

/** Counts per option (without turnout) and turnout, from the contract's live results. */
async function totals(f: BallotsCtx, ballotId: bigint): Promise<{ counts: bigint[]; turnout: bigint }> {
  const [row] = await f.ballots.results(ballotId);
  return { counts: row.slice(0, row.length - 1), turnout: row[row.length - 1] };
}

describe("CityBallots", function () {
  describe("access control (PERMISSIONS table)", function () {
    const cases: Record<string, (f: BallotsCtx) => Promise<{ args: unknown[]; event: [string, unknown[]] }>> = {
      "createBallot((uint8,bool,bool,bool,uint8,uint8,uint16,uint8,uint16,uint48,uint48,uint32,uint32[],bytes32))":
        async (f) => ({
          args: [await ballotParams()],
          event: ["BallotCreated", [1n, Kind.Referendum, 0n, anyValue, anyValue, 6n, 0n]],
        }),
      "createPetition((uint8,bool,bool,bool,uint8,uint8,uint16,uint8,uint16,uint48,uint48,uint32,uint32[],bytes32),(uint256,(uint8,bool,bool,bool,uint8,uint8,uint16,uint8,uint16,uint48,uint48,uint32,uint32[],bytes32)))":
        async (f) => ({
          args: [await ballotParams({ kind: Kind.Petition, thresholdBps: 200 }), { proposalId: 7n, referendum: NO_REFERENDUM }],
          event: ["PetitionRequested", [1n, 7n, anyValue]],
        }),
    };

    it("covers exactly the PERMISSIONS entries", function () {
      expect(Object.keys(cases).sort()).to.deep.equal(Object.keys(PERMISSIONS.CityBallots).sort());
    });
    for (const [signature, role] of Object.entries(PERMISSIONS.CityBallots)) {
      it(`${signature} is ${role}-only, and open to the authority's admin (governance)`, async function () {
        const f = await loadFixture(ballotsFixture);
        const { args, event } = await cases[signature](f);
        // Every holder but the admin: only the role's holder may call it.
        await expectOnlyRole(f.ballots, signature, role, roleHolders(f).filter(([, held]) => held !== "ADMIN"), args, event);
        // The admin (the governance timelock once the city is handed over) may too, without holding the role.
        const again = await cases[signature](f);
        await expect(f.ballots.connect(f.admin).getFunction(signature)(...again.args)).to.emit(f.ballots, again.event[0]);
      });
    }

    it("a former admin loses the right to create ballots with the role", async function () {
      const f = await loadFixture(ballotsFixture);
      const [timelock] = f.rest;
      await (await f.authority.connect(f.admin).grantRole(0n, timelock.address, 0)).wait();
      await (await f.authority.connect(timelock).revokeRole(0n, f.admin.address)).wait();
      await expect(f.ballots.connect(timelock).createBallot(await ballotParams())).to.emit(f.ballots, "BallotCreated");
      await expect(f.ballots.connect(f.admin).createBallot(await ballotParams()))
        .to.be.revertedWithCustomError(f.ballots, "AccessManagedUnauthorized")
        .withArgs(f.admin.address);
    });
  });

  describe("creation", function () {
    it("records the configuration, the snapshot and the electorate, and emits every parameter", async function () {
      const f = await loadFixture(ballotsFixture);
      const params = await ballotParams({ collegeMask: 1 << CITIZENS, thresholdBps: 3_000, binding: true });
      const tx = f.ballots.connect(f.orchestrator).createBallot(params);
      await expect(tx)
        .to.emit(f.ballots, "BallotCreated")
        .withArgs(1n, Kind.Referendum, 0n, anyValue, anyValue, 3n, 0n);
      const receipt = await (await tx).wait();
      const block = await receipt!.getBlock();
      const event = f.ballots.interface.parseLog(receipt!.logs[0])!;
      expect(event.args.snapshot).to.equal(BigInt(block.timestamp - 1));
      const emitted = event.args.params;
      expect([emitted.kind, emitted.sealed_, emitted.binding, emitted.approval, emitted.optionCount]).to.deep.equal([0n, false, true, false, 3n]);
      expect([emitted.collegeMask, emitted.flagBit, emitted.thresholdBps]).to.deep.equal([BigInt(1 << CITIZENS), 0n, 3_000n]);
      expect([emitted.opensAt, emitted.closesAt, emitted.questionHash]).to.deep.equal([BigInt(params.opensAt), BigInt(params.closesAt), params.questionHash]);
      const [config, tally] = await f.ballots.ballot(1n);
      expect(config.optionCount).to.equal(3n);
      expect(config.snapshot).to.equal(BigInt(block.timestamp - 1));
      expect(tally.electorate).to.equal(3n);
      expect(await f.ballots.stateOf(1n)).to.equal(State.Pending);
      expect(await f.ballots.stateOf(2n)).to.equal(State.None);
    });

    it("counts the electorate of a flag (merchants)", async function () {
      const f = await loadFixture(ballotsFixture);
      await createBallot(f, { flagBit: 2 });
      const [, tally] = await f.ballots.ballot(1n);
      expect(tally.electorate).to.equal(1n);
    });

    it("stores the districts of a district ballot, with no electorate count", async function () {
      const f = await loadFixture(ballotsFixture);
      await createBallot(f, { districts: [2, 3] });
      expect(await f.ballots.isBallotDistrict(1n, 2)).to.equal(true);
      expect(await f.ballots.isBallotDistrict(1n, 1)).to.equal(false);
      expect((await f.ballots.ballot(1n))[1].electorate).to.equal(0n);
    });

    const invalidOptions: [string, Partial<BallotParams>][] = [
      ["a consultation of one option", { kind: Kind.Consultation, optionCount: 1 }],
      ["a consultation of 65 options", { kind: Kind.Consultation, optionCount: 65 }],
      ["an approval of k = 0", { kind: Kind.Consultation, optionCount: 4, approval: true, maxApprovals: 0 }],
      ["an approval of k > n", { kind: Kind.Consultation, optionCount: 4, approval: true, maxApprovals: 5 }],
      ["a single-choice consultation with k", { kind: Kind.Consultation, optionCount: 4, maxApprovals: 2 }],
      ["an approval referendum", { approval: true, maxApprovals: 1 }],
      ["a referendum of 5 options", { optionCount: 5 }],
      ["a petition through createBallot", { kind: Kind.Petition, thresholdBps: 200 }],
    ];
    for (const [name, o] of invalidOptions) {
      it(`refuses ${name}`, async function () {
        const f = await loadFixture(ballotsFixture);
        const p = await ballotParams(o);
        await expect(f.ballots.connect(f.orchestrator).createBallot(p))
          .to.be.revertedWithCustomError(f.ballots, "CityBallotsInvalidOptions")
          .withArgs(p.kind, p.optionCount, p.maxApprovals);
      });
    }

    it("refuses a quorum above 100%", async function () {
      const f = await loadFixture(ballotsFixture);
      await expect(f.ballots.connect(f.orchestrator).createBallot(await ballotParams({ thresholdBps: 10_001 })))
        .to.be.revertedWithCustomError(f.ballots, "CityBallotsInvalidThreshold")
        .withArgs(Kind.Referendum, 10_001);
    });

    it("refuses an empty college mask and a flag out of range", async function () {
      const f = await loadFixture(ballotsFixture);
      await expect(f.ballots.connect(f.orchestrator).createBallot(await ballotParams({ collegeMask: 0 }))).to.be.revertedWithCustomError(
        f.ballots,
        "CityBallotsEmptyElectorate",
      );
      await expect(f.ballots.connect(f.orchestrator).createBallot(await ballotParams({ flagBit: 17 })))
        .to.be.revertedWithCustomError(f.ballots, "CityBallotsFlagOutOfRange")
        .withArgs(17, 16);
    });

    it("refuses bad schedules", async function () {
      const f = await loadFixture(ballotsFixture);
      const t = await now();
      const cases: Partial<BallotParams>[] = [
        { opensAt: t - 10, closesAt: t + DAY },
        { opensAt: t + 100, closesAt: t + 100 },
        { sealed_: true, revealWindow: 0 },
        { revealWindow: HOUR },
      ];
      for (const o of cases) {
        const p = await ballotParams(o);
        await expect(f.ballots.connect(f.orchestrator).createBallot(p))
          .to.be.revertedWithCustomError(f.ballots, "CityBallotsInvalidSchedule")
          .withArgs(p.opensAt, p.closesAt, p.revealWindow);
      }
    });

    it("refuses more than 64 districts, and a quorum over districts (the registry does not count them)", async function () {
      const f = await loadFixture(ballotsFixture);
      const many = Array.from({ length: 65 }, (_, i) => i);
      await expect(f.ballots.connect(f.orchestrator).createBallot(await ballotParams({ districts: many })))
        .to.be.revertedWithCustomError(f.ballots, "CityBallotsTooManyDistricts")
        .withArgs(65, 64);
      await expect(f.ballots.connect(f.orchestrator).createBallot(await ballotParams({ districts: [1], thresholdBps: 100 })))
        .to.be.revertedWithCustomError(f.ballots, "CityBallotsUncountedElectorate")
        .withArgs(1, 100);
    });

    it("refuses bad petitions and petition targets", async function () {
      const f = await loadFixture(ballotsFixture);
      const petition = await ballotParams({ kind: Kind.Petition, thresholdBps: 200 });
      const c = f.ballots.connect(f.orchestrator);
      await expect(c.createPetition(await ballotParams(), { proposalId: 1n, referendum: NO_REFERENDUM }))
        .to.be.revertedWithCustomError(f.ballots, "CityBallotsInvalidOptions")
        .withArgs(Kind.Referendum, 0, 0);
      await expect(c.createPetition({ ...petition, thresholdBps: 0 }, { proposalId: 1n, referendum: NO_REFERENDUM }))
        .to.be.revertedWithCustomError(f.ballots, "CityBallotsInvalidThreshold")
        .withArgs(Kind.Petition, 0);
      await expect(c.createPetition({ ...petition, sealed_: true, revealWindow: HOUR }, { proposalId: 1n, referendum: NO_REFERENDUM }))
        .to.be.revertedWithCustomError(f.ballots, "CityBallotsInvalidOptions")
        .withArgs(Kind.Petition, 0, 0);
      await expect(c.createPetition(petition, { proposalId: 0n, referendum: { ...referendumTemplate(), kind: Kind.Consultation } }))
        .to.be.revertedWithCustomError(f.ballots, "CityBallotsInvalidPetitionTarget")
        .withArgs(0n, Kind.Consultation);
      await expect(c.createPetition(petition, { proposalId: 5n, referendum: referendumTemplate() }))
        .to.be.revertedWithCustomError(f.ballots, "CityBallotsInvalidPetitionTarget")
        .withArgs(5n, Kind.Referendum);
      const absolute = { ...referendumTemplate(), opensAt: 5 };
      await expect(c.createPetition(petition, { proposalId: 0n, referendum: absolute }))
        .to.be.revertedWithCustomError(f.ballots, "CityBallotsInvalidSchedule")
        .withArgs(5, absolute.closesAt, 0);
      // The referendum is checked in full now, so that reaching the threshold cannot fail.
      await expect(c.createPetition(petition, { proposalId: 0n, referendum: referendumTemplate({ collegeMask: 0 }) })).to.be.revertedWithCustomError(
        f.ballots,
        "CityBallotsEmptyElectorate",
      );
    });
  });

  describe("open voting", function () {
    it("counts a vote live, per option, college and district, and emits it", async function () {
      const f = await loadFixture(ballotsFixture);
      const { id: b, params } = await createBallot(f);
      await open(params);
      await expect(f.ballots.connect(f.alice).vote(b, YES)).to.emit(f.ballots, "VoteCast").withArgs(b, f.alice.address, YES, CITIZENS, 1);
      await (await f.ballots.connect(f.dave).vote(b, NO)).wait();
      await (await f.ballots.connect(f.frank).vote(b, BLANK)).wait();
      expect(await totals(f, b)).to.deep.equal({ counts: [1n, 1n, 1n], turnout: 3n });
      const [, byCollege, byDistrict] = await f.ballots.results(b);
      expect(byCollege[CITIZENS]).to.deep.equal([1n, 0n, 0n, 1n]);
      expect(byCollege[ASSOCIATIONS]).to.deep.equal([0n, 1n, 0n, 1n]);
      expect(byCollege[PRIVATE_PARTNERS]).to.deep.equal([0n, 0n, 1n, 1n]);
      expect(await f.ballots.votedDistricts(b)).to.deep.equal([1n, 2n, 9n]);
      expect(byDistrict).to.deep.equal([
        [1n, 0n, 0n, 1n],
        [0n, 1n, 0n, 1n],
        [0n, 0n, 1n, 1n],
      ]);
      expect(await f.ballots.choiceOf(b, f.dave)).to.deep.equal([true, NO]);
      expect(await f.ballots.stateOf(b)).to.equal(State.Open);
    });

    it("a changed vote replaces the previous one: the last counts, never twice", async function () {
      const f = await loadFixture(ballotsFixture);
      const { id: b, params } = await createBallot(f);
      await open(params);
      await (await f.ballots.connect(f.alice).vote(b, YES)).wait();
      await (await f.ballots.connect(f.alice).vote(b, YES)).wait();
      expect(await totals(f, b)).to.deep.equal({ counts: [1n, 0n, 0n], turnout: 1n });
      await expect(f.ballots.connect(f.alice).vote(b, NO)).to.emit(f.ballots, "VoteCast").withArgs(b, f.alice.address, NO, CITIZENS, 1);
      expect(await totals(f, b)).to.deep.equal({ counts: [0n, 1n, 0n], turnout: 1n });
      expect(await f.ballots.choiceOf(b, f.alice)).to.deep.equal([true, NO]);
    });

    it("an approval consultation counts every approved option and each voter once in turnout", async function () {
      const f = await loadFixture(ballotsFixture);
      const { id: b, params } = await createBallot(f, { kind: Kind.Consultation, optionCount: 5, approval: true, maxApprovals: 2 });
      await open(params);
      await (await f.ballots.connect(f.alice).vote(b, 0b00011n)).wait();
      await (await f.ballots.connect(f.bob).vote(b, 0b10001n)).wait();
      expect(await totals(f, b)).to.deep.equal({ counts: [2n, 1n, 0n, 0n, 1n], turnout: 2n });
      await (await f.ballots.connect(f.alice).vote(b, 0b00110n)).wait();
      expect(await totals(f, b)).to.deep.equal({ counts: [1n, 1n, 1n, 0n, 1n], turnout: 2n });
      for (const bad of [0n, 0b100000n, 0b00111n]) {
        await expect(f.ballots.connect(f.carol).vote(b, bad)).to.be.revertedWithCustomError(f.ballots, "CityBallotsInvalidChoice").withArgs(b, bad);
      }
    });

    it("a single-choice consultation takes any of its options", async function () {
      const f = await loadFixture(ballotsFixture);
      const { id: b, params } = await createBallot(f, { kind: Kind.Consultation, optionCount: 64 });
      await open(params);
      await (await f.ballots.connect(f.alice).vote(b, 63n)).wait();
      expect((await totals(f, b)).counts[63]).to.equal(1n);
      await expect(f.ballots.connect(f.alice).vote(b, 64n)).to.be.revertedWithCustomError(f.ballots, "CityBallotsInvalidChoice").withArgs(b, 64n);
    });

    it("voters share mark slots 32 to a slot: 40 members' marks and changes stay their own, across ballots", async function () {
      const f = await loadFixture(ballotsFixture);
      const crowd = await Promise.all(
        Array.from({ length: 34 }, async () => {
          const wallet = Wallet.createRandom().connect(hre.ethers.provider);
          await hre.network.provider.send("hardhat_setBalance", [wallet.address, "0x56BC75E2D63100000"]);
          return wallet;
        }),
      );
      for (const [i, who] of crowd.entries()) await register(f, who, { college: CITIZENS, district: 1 + (i % 3) });
      const first = await createBallot(f);
      const second = await createBallot(f, { kind: Kind.Consultation, optionCount: 64 });
      await open(second.params);
      const voters = [f.alice, f.bob, f.carol, f.dave, f.erin, f.frank, ...crowd];
      const choiceOf = (i: number) => BigInt(i % 3);
      for (const [i, who] of voters.entries()) await (await f.ballots.connect(who).vote(first.id, choiceOf(i))).wait();
      // The 35th voter (second slot) changes; the 2nd (first slot) too.
      await (await f.ballots.connect(voters[34]).vote(first.id, BLANK)).wait();
      await (await f.ballots.connect(voters[1]).vote(first.id, YES)).wait();
      const last = voters.map((_, i) => (i === 34 ? BLANK : i === 1 ? YES : choiceOf(i)));
      for (const [i, who] of voters.entries()) expect(await f.ballots.choiceOf(first.id, who), `voter ${i}`).to.deep.equal([true, last[i]]);
      const count = (o: bigint) => BigInt(last.filter((c) => c === o).length);
      expect(await totals(f, first.id)).to.deep.equal({ counts: [count(YES), count(NO), count(BLANK)], turnout: 40n });
      // On another ballot the same members start with no mark.
      expect(await f.ballots.choiceOf(second.id, voters[34])).to.deep.equal([false, 0n]);
      await (await f.ballots.connect(voters[34]).vote(second.id, 63n)).wait();
      expect(await f.ballots.choiceOf(second.id, voters[34])).to.deep.equal([true, 63n]);
      expect(await f.ballots.choiceOf(second.id, voters[33])).to.deep.equal([false, 0n]);
      expect(await f.ballots.choiceOf(first.id, f.outsider)).to.deep.equal([false, 0n]);
    });

    it("a relayed vote counts for the signer, not the relayer", async function () {
      const f = await loadFixture(ballotsFixture);
      const { id: b, params } = await createBallot(f);
      await open(params);
      const data = f.ballots.interface.encodeFunctionData("vote", [b, NO]);
      const request = await signForwardRequest(f.forwarder, f.carol, { to: await f.ballots.getAddress(), data });
      await expect(f.forwarder.connect(f.relayer).execute(request))
        .to.emit(f.ballots, "VoteCast")
        .withArgs(b, f.carol.address, NO, CITIZENS, 2)
        .and.to.emit(f.forwarder, "ExecutedForwardRequest");
      expect(await f.ballots.choiceOf(b, f.carol)).to.deep.equal([true, NO]);
    });

    it("refuses votes on unknown, pending and closed ballots", async function () {
      const f = await loadFixture(ballotsFixture);
      const { id: b, params } = await createBallot(f);
      await expect(f.ballots.connect(f.alice).vote(9n, YES)).to.be.revertedWithCustomError(f.ballots, "CityBallotsUnknownBallot").withArgs(9n);
      await expect(f.ballots.connect(f.alice).vote(b, YES)).to.be.revertedWithCustomError(f.ballots, "CityBallotsWrongState").withArgs(b, State.Pending);
      await time.increaseTo(Number(params.closesAt));
      await expect(f.ballots.connect(f.alice).vote(b, YES)).to.be.revertedWithCustomError(f.ballots, "CityBallotsWrongState").withArgs(b, State.Closed);
    });

    it("refuses a non-member, a member who joined after the snapshot, and a suspended member", async function () {
      const f = await loadFixture(ballotsFixture);
      const [late] = f.rest;
      const { id: b, params } = await createBallot(f);
      await register(f, late);
      await open(params);
      await expect(f.ballots.connect(f.outsider).vote(b, YES))
        .to.be.revertedWithCustomError(f.ballots, "CityBallotsNotAMember")
        .withArgs(b, f.outsider.address);
      await expect(f.ballots.connect(late).vote(b, YES)).to.be.revertedWithCustomError(f.ballots, "CityBallotsNotAMember").withArgs(b, late.address);
      await (await f.ballots.connect(f.bob).vote(b, YES)).wait();
      for (const who of [f.alice, f.bob]) await (await f.registry.connect(f.registrar).suspend(who.address, id("reason"))).wait();
      await expect(f.ballots.connect(f.alice).vote(b, YES))
        .to.be.revertedWithCustomError(f.ballots, "CityBallotsMemberSuspended")
        .withArgs(b, f.alice.address);
      // A suspended member cannot change a vote either; the vote cast before suspension stays.
      await expect(f.ballots.connect(f.bob).vote(b, NO)).to.be.revertedWithCustomError(f.ballots, "CityBallotsMemberSuspended").withArgs(b, f.bob.address);
      expect(await totals(f, b)).to.deep.equal({ counts: [1n, 0n, 0n], turnout: 1n });
    });

    it("refuses members outside the electorate's colleges, flag or districts", async function () {
      const f = await loadFixture(ballotsFixture);
      const byCollege = await createBallot(f, { collegeMask: 1 << CITIZENS });
      const byFlag = await createBallot(f, { flagBit: 2 });
      const byDistrict = await createBallot(f, { districts: [2] });
      await open(byDistrict.params);
      const refuse = async (b: bigint, who: { address: string }) =>
        expect(f.ballots.connect(who as never).vote(b, YES)).to.be.revertedWithCustomError(f.ballots, "CityBallotsOutsideElectorate").withArgs(b, who.address);
      await refuse(byCollege.id, f.dave);
      await (await f.ballots.connect(f.alice).vote(byCollege.id, YES)).wait();
      await refuse(byFlag.id, f.alice);
      await (await f.ballots.connect(f.erin).vote(byFlag.id, YES)).wait();
      await refuse(byDistrict.id, f.alice);
      await (await f.ballots.connect(f.carol).vote(byDistrict.id, YES)).wait();
    });

    it("refuses a choice out of range and the calls of the other modes", async function () {
      const f = await loadFixture(ballotsFixture);
      const { id: b, params } = await createBallot(f);
      // Same opening time: the second ballot is created a block (maybe a second) later.
      const sealed = await createBallot(f, { sealed_: true, revealWindow: DAY, opensAt: params.opensAt });
      await open(params);
      await expect(f.ballots.connect(f.alice).vote(b, 3n)).to.be.revertedWithCustomError(f.ballots, "CityBallotsInvalidChoice").withArgs(b, 3n);
      await expect(f.ballots.connect(f.alice).commit(b, id("x"))).to.be.revertedWithCustomError(f.ballots, "CityBallotsWrongMode").withArgs(b);
      await expect(f.ballots.connect(f.alice).vote(sealed.id, YES)).to.be.revertedWithCustomError(f.ballots, "CityBallotsWrongMode").withArgs(sealed.id);
      await expect(f.ballots.connect(f.alice).sign(b)).to.be.revertedWithCustomError(f.ballots, "CityBallotsNotAPetition").withArgs(b);
    });
  });

  describe("sealed voting", function () {
    async function sealedBallot(f: BallotsCtx, o: Partial<BallotParams> = {}) {
      const ballot = await createBallot(f, { sealed_: true, revealWindow: DAY, thresholdBps: 5_000, binding: true, ...o });
      await open(ballot.params);
      return ballot;
    }

    it("commits count as turnout only, nothing is counted while open, and a recommit replaces the commitment", async function () {
      const f = await loadFixture(ballotsFixture);
      const { id: b } = await sealedBallot(f);
      const first = commitmentOf(b, f.alice.address, YES, SALT);
      await expect(f.ballots.connect(f.alice).commit(b, first))
        .to.emit(f.ballots, "VoteCommitted")
        .withArgs(b, f.alice.address, first, CITIZENS, 1);
      const second = commitmentOf(b, f.alice.address, NO, SALT);
      await (await f.ballots.connect(f.alice).commit(b, second)).wait();
      expect(await f.ballots.commitmentOf(b, f.alice)).to.equal(second);
      expect(await totals(f, b)).to.deep.equal({ counts: [0n, 0n, 0n], turnout: 1n });
      expect(await f.ballots.hashCommitment(b, f.alice, NO, SALT)).to.equal(second);
    });

    it("reveals the last commitment in the window and counts it; unrevealed ballots are turnout, not counted", async function () {
      const f = await loadFixture(ballotsFixture);
      const { id: b, params } = await sealedBallot(f);
      await (await f.ballots.connect(f.alice).commit(b, commitmentOf(b, f.alice.address, YES, SALT))).wait();
      await (await f.ballots.connect(f.alice).commit(b, commitmentOf(b, f.alice.address, NO, SALT))).wait();
      await (await f.ballots.connect(f.dave).commit(b, commitmentOf(b, f.dave.address, NO, SALT))).wait();
      await (await f.ballots.connect(f.frank).commit(b, commitmentOf(b, f.frank.address, YES, SALT))).wait();
      await expect(f.ballots.connect(f.alice).reveal(b, NO, SALT)).to.be.revertedWithCustomError(f.ballots, "CityBallotsWrongState").withArgs(b, State.Open);
      await time.increaseTo(Number(params.closesAt));
      expect(await f.ballots.stateOf(b)).to.equal(State.Revealing);
      await expect(f.ballots.connect(f.alice).reveal(b, YES, SALT)).to.be.revertedWithCustomError(f.ballots, "CityBallotsBadReveal").withArgs(b, f.alice.address);
      await expect(f.ballots.connect(f.alice).reveal(b, NO, id("other"))).to.be.revertedWithCustomError(f.ballots, "CityBallotsBadReveal").withArgs(b, f.alice.address);
      await expect(f.ballots.connect(f.alice).reveal(b, NO, SALT)).to.emit(f.ballots, "VoteRevealed").withArgs(b, f.alice.address, NO, SALT);
      await expect(f.ballots.connect(f.alice).reveal(b, NO, SALT)).to.be.revertedWithCustomError(f.ballots, "CityBallotsAlreadyRevealed").withArgs(b, f.alice.address);
      await expect(f.ballots.connect(f.bob).reveal(b, NO, SALT)).to.be.revertedWithCustomError(f.ballots, "CityBallotsNoCommitment").withArgs(b, f.bob.address);
      // A member suspended after committing may still reveal: eligibility is judged when the ballot is cast.
      await (await f.registry.connect(f.registrar).suspend(f.dave.address, id("reason"))).wait();
      await (await f.ballots.connect(f.dave).reveal(b, NO, SALT)).wait();
      await expect(f.ballots.finalize(b)).to.be.revertedWithCustomError(f.ballots, "CityBallotsWrongState").withArgs(b, State.Revealing);
      await time.increaseTo(Number(params.closesAt) + DAY);
      await expect(f.ballots.connect(f.frank).reveal(b, YES, SALT)).to.be.revertedWithCustomError(f.ballots, "CityBallotsWrongState").withArgs(b, State.Closed);
      // electorate 6, turnout 3 (frank never revealed): quorum 50% met, 2 counted.
      await expect(f.ballots.finalize(b))
        .to.emit(f.ballots, "BallotFinalized")
        .withArgs(b, Kind.Referendum, true, 6n, 3n, 2n, 5_000, true, [0n, 2n, 0n])
        .and.to.emit(f.ballots, "BallotCollegeResult")
        .withArgs(b, PRIVATE_PARTNERS, 1n, [0n, 0n, 0n])
        .and.to.emit(f.ballots, "BallotDistrictResult")
        .withArgs(b, 2, 1n, [0n, 1n, 0n]);
    });

    it("refuses a commitment of zero and a revealed choice that is not an option", async function () {
      const f = await loadFixture(ballotsFixture);
      const { id: b, params } = await sealedBallot(f);
      await expect(f.ballots.connect(f.alice).commit(b, "0x" + "00".repeat(32))).to.be.revertedWithCustomError(f.ballots, "CityBallotsInvalidCommitment").withArgs(b);
      await (await f.ballots.connect(f.alice).commit(b, commitmentOf(b, f.alice.address, 7n, SALT))).wait();
      await time.increaseTo(Number(params.closesAt));
      await expect(f.ballots.connect(f.alice).reveal(b, 7n, SALT)).to.be.revertedWithCustomError(f.ballots, "CityBallotsInvalidChoice").withArgs(b, 7n);
    });

    it("a commitment is bound to its voter: another member cannot replay it", async function () {
      const f = await loadFixture(ballotsFixture);
      const { id: b, params } = await sealedBallot(f);
      const aliceCommitment = commitmentOf(b, f.alice.address, YES, SALT);
      await (await f.ballots.connect(f.alice).commit(b, aliceCommitment)).wait();
      await (await f.ballots.connect(f.bob).commit(b, aliceCommitment)).wait();
      await time.increaseTo(Number(params.closesAt));
      await expect(f.ballots.connect(f.bob).reveal(b, YES, SALT)).to.be.revertedWithCustomError(f.ballots, "CityBallotsBadReveal").withArgs(b, f.bob.address);
    });

    it("sealed approval: reveals count every approved option", async function () {
      const f = await loadFixture(ballotsFixture);
      const { id: b, params } = await sealedBallot(f, { kind: Kind.Consultation, optionCount: 3, approval: true, maxApprovals: 2, thresholdBps: 0 });
      await (await f.ballots.connect(f.alice).commit(b, commitmentOf(b, f.alice.address, 0b101n, SALT))).wait();
      await time.increaseTo(Number(params.closesAt));
      await (await f.ballots.connect(f.alice).reveal(b, 0b101n, SALT)).wait();
      expect(await totals(f, b)).to.deep.equal({ counts: [1n, 0n, 1n], turnout: 1n });
    });
  });

  describe("finalization", function () {
    it("anyone finalizes after close, once, with the quorum judged on turnout", async function () {
      const f = await loadFixture(ballotsFixture);
      const { id: b, params } = await createBallot(f, { thresholdBps: 5_000 });
      await open(params);
      await expect(f.ballots.finalize(b)).to.be.revertedWithCustomError(f.ballots, "CityBallotsWrongState").withArgs(b, State.Open);
      await (await f.ballots.connect(f.alice).vote(b, YES)).wait();
      await (await f.ballots.connect(f.erin).vote(b, YES)).wait();
      await time.increaseTo(Number(params.closesAt));
      const tx = f.ballots.connect(f.outsider).finalize(b);
      // turnout 2 of 6 < 50%: quorum not met; advisory.
      await expect(tx).to.emit(f.ballots, "BallotFinalized").withArgs(b, Kind.Referendum, false, 6n, 2n, 2n, 5_000, false, [2n, 0n, 0n]);
      await expect(tx).to.emit(f.ballots, "BallotCollegeResult").withArgs(b, PUBLIC, 1n, [1n, 0n, 0n]);
      await expect(tx).to.emit(f.ballots, "BallotCollegeResult").withArgs(b, CITIZENS, 1n, [1n, 0n, 0n]);
      await expect(tx).to.emit(f.ballots, "BallotCollegeResult").withArgs(b, ASSOCIATIONS, 0n, [0n, 0n, 0n]);
      await expect(tx).to.emit(f.ballots, "BallotDistrictResult").withArgs(b, 3, 1n, [1n, 0n, 0n]);
      expect(await f.ballots.stateOf(b)).to.equal(State.Finalized);
      await expect(f.ballots.finalize(b)).to.be.revertedWithCustomError(f.ballots, "CityBallotsWrongState").withArgs(b, State.Finalized);
      await expect(f.ballots.finalize(42n)).to.be.revertedWithCustomError(f.ballots, "CityBallotsWrongState").withArgs(42n, State.None);
    });

    it("finalizes in pages: each page emits its districts' results, the finalization the rest, the totals and colleges", async function () {
      const f = await loadFixture(ballotsFixture);
      await (await f.registry.connect(f.council).configureCollege(12, "NEIGHBOURHOODS", true)).wait();
      const [n1] = f.rest;
      await register(f, n1, { college: 12, district: 4 });
      const { id: b, params } = await createBallot(f, { collegeMask: ALL_COLLEGES | (1 << 12) });
      await open(params);
      await expect(f.ballots.finalizePage(b, 1)).to.be.revertedWithCustomError(f.ballots, "CityBallotsWrongState").withArgs(b, State.Open);
      await (await f.ballots.connect(f.alice).vote(b, YES)).wait(); // district 1
      await (await f.ballots.connect(f.carol).vote(b, NO)).wait(); // district 2
      await (await f.ballots.connect(n1).vote(b, YES)).wait(); // district 4, college group 1
      await (await f.ballots.connect(f.erin).vote(b, BLANK)).wait(); // district 3
      await time.increaseTo(Number(params.closesAt));
      const [totals] = await f.ballots.results(b);

      const page1 = f.ballots.connect(f.outsider).finalizePage(b, 2);
      await expect(page1).to.emit(f.ballots, "BallotResultsPaged").withArgs(b, 0n, 2n, 4n);
      await expect(page1).to.emit(f.ballots, "BallotDistrictResult").withArgs(b, 1, 1n, [1n, 0n, 0n]);
      await expect(page1).to.emit(f.ballots, "BallotDistrictResult").withArgs(b, 2, 1n, [0n, 1n, 0n]);
      await expect(page1).to.not.emit(f.ballots, "BallotFinalized");
      expect(await f.ballots.finalizationProgress(b)).to.deep.equal([2n, 4n]);
      const page2 = f.ballots.finalizePage(b, 1);
      await expect(page2).to.emit(f.ballots, "BallotDistrictResult").withArgs(b, 4, 1n, [1n, 0n, 0n]);
      expect(await f.ballots.stateOf(b)).to.equal(State.Closed);

      const tx = f.ballots.finalize(b);
      await expect(tx).to.emit(f.ballots, "BallotDistrictResult").withArgs(b, 3, 1n, [0n, 0n, 1n]);
      await expect(tx).to.emit(f.ballots, "BallotFinalized").withArgs(b, Kind.Referendum, false, 7n, 4n, 4n, 0, true, totals.slice(0, 3));
      await expect(tx).to.emit(f.ballots, "BallotCollegeResult").withArgs(b, CITIZENS, 2n, [1n, 1n, 0n]);
      await expect(tx).to.emit(f.ballots, "BallotCollegeResult").withArgs(b, PUBLIC, 1n, [0n, 0n, 1n]);
      await expect(tx).to.emit(f.ballots, "BallotCollegeResult").withArgs(b, 12, 1n, [1n, 0n, 0n]);
      expect(totals.slice(0, 3)).to.deep.equal([2n, 1n, 1n]);
      await expect(f.ballots.finalizePage(b, 1)).to.be.revertedWithCustomError(f.ballots, "CityBallotsWrongState").withArgs(b, State.Finalized);
    });

    it("a page with nothing left to sum is refused; finalize refuses more than a page of districts left", async function () {
      const f = await loadFixture(ballotsFixture);
      const { id: b, params } = await createBallot(f);
      await open(params);
      await (await f.ballots.connect(f.alice).vote(b, YES)).wait();
      await time.increaseTo(Number(params.closesAt));
      await expect(f.ballots.finalizePage(b, 0)).to.be.revertedWithCustomError(f.ballots, "CityBallotsNothingToPage").withArgs(b, 0n, 1n);
      await (await f.ballots.finalizePage(b, 5)).wait();
      await expect(f.ballots.finalizePage(b, 5)).to.be.revertedWithCustomError(f.ballots, "CityBallotsNothingToPage").withArgs(b, 1n, 1n);
      // Every district already paged: finalize emits only the totals and colleges.
      const tx = f.ballots.finalize(b);
      await expect(tx).to.emit(f.ballots, "BallotFinalized").withArgs(b, Kind.Referendum, false, 6n, 1n, 1n, 0, true, [1n, 0n, 0n]);
      await expect(tx).to.not.emit(f.ballots, "BallotDistrictResult");
      // The bound itself (CityBallotsPagesRemaining) is exercised at scale in ballots.scale.test.ts.
    });

    it("counts college groups above 7 in their own slots", async function () {
      const f = await loadFixture(ballotsFixture);
      await (await f.registry.connect(f.council).configureCollege(12, "NEIGHBOURHOODS", true)).wait();
      const [n1] = f.rest;
      await register(f, n1, { college: 12, district: 1 });
      const { id: b, params } = await createBallot(f, { collegeMask: (1 << 12) | (1 << CITIZENS) });
      await open(params);
      await (await f.ballots.connect(n1).vote(b, NO)).wait();
      await (await f.ballots.connect(f.alice).vote(b, NO)).wait();
      const [row, byCollege, byDistrict] = await f.ballots.results(b);
      expect(row).to.deep.equal([0n, 2n, 0n, 2n]);
      expect(byCollege[12]).to.deep.equal([0n, 1n, 0n, 1n]);
      expect(byDistrict).to.deep.equal([[0n, 2n, 0n, 2n]]);
      await expect(f.ballots.results(99n)).to.be.revertedWithCustomError(f.ballots, "CityBallotsUnknownBallot").withArgs(99n);
    });
  });

  describe("petitions", function () {
    it("members sign once; the threshold puts the proposal on the agenda", async function () {
      const f = await loadFixture(ballotsFixture);
      // 3,400 bps of 6 members: 3 signatures (rounded up).
      const params = await ballotParams({ kind: Kind.Petition, thresholdBps: 3_400 });
      await expect(f.ballots.connect(f.orchestrator).createPetition(params, { proposalId: 77n, referendum: NO_REFERENDUM }))
        .to.emit(f.ballots, "BallotCreated")
        .withArgs(1n, Kind.Petition, 0n, anyValue, anyValue, 6n, 3n);
      await open(params);
      await expect(f.ballots.connect(f.alice).sign(1n)).to.emit(f.ballots, "PetitionSigned").withArgs(1n, f.alice.address, CITIZENS, 1, 1n);
      await expect(f.ballots.connect(f.alice).sign(1n)).to.be.revertedWithCustomError(f.ballots, "CityBallotsAlreadySigned").withArgs(1n, f.alice.address);
      await expect(f.ballots.connect(f.outsider).sign(1n)).to.be.revertedWithCustomError(f.ballots, "CityBallotsNotAMember").withArgs(1n, f.outsider.address);
      await expect(f.ballots.connect(f.alice).vote(1n, 0n)).to.be.revertedWithCustomError(f.ballots, "CityBallotsWrongMode").withArgs(1n);
      await (await f.ballots.connect(f.bob).sign(1n)).wait();
      expect(await f.ballots.petitionOutcome(1n)).to.deep.equal([false, 77n]);
      await expect(f.ballots.connect(f.dave).sign(1n))
        .to.emit(f.ballots, "PetitionThresholdReached")
        .withArgs(1n, 77n, 0n, 3n);
      expect(await f.ballots.petitionOutcome(1n)).to.deep.equal([true, 77n]);
      // Later signatures still count, the request is made once.
      await expect(f.ballots.connect(f.erin).sign(1n)).to.not.emit(f.ballots, "PetitionThresholdReached");
      await time.increaseTo(Number(params.closesAt));
      await expect(f.ballots.connect(f.frank).sign(1n)).to.be.revertedWithCustomError(f.ballots, "CityBallotsWrongState").withArgs(1n, State.Closed);
      await expect(f.ballots.finalize(1n)).to.emit(f.ballots, "BallotFinalized").withArgs(1n, Kind.Petition, false, 6n, 4n, 4n, 3_400, true, [4n]);
    });

    it("reaching the threshold opens the referendum the petition asks for", async function () {
      const f = await loadFixture(ballotsFixture);
      const params = await ballotParams({ kind: Kind.Petition, thresholdBps: 200, collegeMask: 1 << CITIZENS });
      const template = referendumTemplate({ collegeMask: ALL_COLLEGES, thresholdBps: 2_500 }, 10 * DAY);
      await expect(f.ballots.connect(f.orchestrator).createPetition(params, { proposalId: 0n, referendum: template }))
        .to.emit(f.ballots, "PetitionRequested")
        .withArgs(1n, 0n, anyValue);
      await open(params);
      const tx = f.ballots.connect(f.carol).sign(1n);
      await expect(tx).to.emit(f.ballots, "PetitionThresholdReached").withArgs(1n, 0n, 2n, 1n);
      await expect(tx).to.emit(f.ballots, "BallotCreated").withArgs(2n, Kind.Referendum, 1n, anyValue, anyValue, 6n, 0n);
      const at = (await (await (await tx).wait())!.getBlock()).timestamp;
      const [config, tally] = await f.ballots.ballot(2n);
      expect([config.opensAt, config.closesAt, config.optionCount, config.collegeMask]).to.deep.equal([BigInt(at), BigInt(at + 10 * DAY), 3n, BigInt(ALL_COLLEGES)]);
      expect(tally.thresholdBps).to.equal(2_500n);
      expect(await f.ballots.petitionOutcome(1n)).to.deep.equal([true, 0n]);
      await (await f.ballots.connect(f.dave).vote(2n, YES)).wait();
      await expect(f.ballots.petitionOutcome(2n)).to.be.revertedWithCustomError(f.ballots, "CityBallotsNotAPetition").withArgs(2n);
      await expect(f.ballots.petitionOutcome(3n)).to.be.revertedWithCustomError(f.ballots, "CityBallotsNotAPetition").withArgs(3n);
    });

    it("an active member opens a petition for the agenda, addressed to the whole city, one at a time", async function () {
      const f = await loadFixture(ballotsFixture);
      const params = await ballotParams({ kind: Kind.Petition, thresholdBps: 3_400, collegeMask: 0xffff });
      const target = { proposalId: 77n, referendum: NO_REFERENDUM };
      const tx = f.ballots.connect(f.alice).openPetition(params, target);
      await expect(tx).to.emit(f.ballots, "BallotCreated").withArgs(1n, Kind.Petition, 0n, anyValue, anyValue, 6n, 3n);
      await expect(tx).to.emit(f.ballots, "PetitionRequested").withArgs(1n, 77n, anyValue);
      await expect(tx).to.emit(f.ballots, "PetitionOpened").withArgs(1n, f.alice.address);
      expect(await f.ballots.memberPetitionOf(f.alice.address)).to.equal(1n);
      // One petition collecting signatures at a time, per member.
      const later = await ballotParams({ kind: Kind.Petition, thresholdBps: 3_400, collegeMask: 0xffff });
      await expect(f.ballots.connect(f.alice).openPetition(later, target))
        .to.be.revertedWithCustomError(f.ballots, "CityBallotsPetitionPending")
        .withArgs(f.alice.address, 1n);
      // It goes the usual way: signatures, then the governor's proposeByPetition reads the outcome.
      await open(params);
      for (const m of [f.alice, f.bob, f.dave]) await (await f.ballots.connect(m).sign(1n)).wait();
      expect(await f.ballots.petitionOutcome(1n)).to.deep.equal([true, 77n]);
      // Reached: the member may open another one.
      const next = await ballotParams({ kind: Kind.Petition, thresholdBps: 500, collegeMask: 0xffff });
      await expect(f.ballots.connect(f.alice).openPetition(next, target)).to.emit(f.ballots, "PetitionOpened").withArgs(2n, f.alice.address);
    });

    it("a member's petition closed unreached frees its member; a member's referendum petition is checked like the orchestrator's", async function () {
      const f = await loadFixture(ballotsFixture);
      const params = await ballotParams({ kind: Kind.Petition, thresholdBps: 5_000, collegeMask: 0xffff });
      await (await f.ballots.connect(f.bob).openPetition(params, { proposalId: 0n, referendum: referendumTemplate() })).wait();
      await time.increaseTo(Number(params.closesAt));
      const again = await ballotParams({ kind: Kind.Petition, thresholdBps: 5_000, collegeMask: 0xffff });
      await expect(f.ballots.connect(f.bob).openPetition(again, { proposalId: 0n, referendum: referendumTemplate({ kind: Kind.Consultation }) }))
        .to.be.revertedWithCustomError(f.ballots, "CityBallotsInvalidPetitionTarget")
        .withArgs(0n, Kind.Consultation);
      await expect(f.ballots.connect(f.bob).openPetition(again, { proposalId: 0n, referendum: referendumTemplate() })).to.emit(f.ballots, "PetitionOpened");
    });

    it("refuses a petition from a non-member or a suspended member, and one narrower than the whole city or under 5%", async function () {
      const f = await loadFixture(ballotsFixture);
      const target = { proposalId: 77n, referendum: NO_REFERENDUM };
      const ok = await ballotParams({ kind: Kind.Petition, thresholdBps: 500, collegeMask: 0xffff });
      await expect(f.ballots.connect(f.outsider).openPetition(ok, target))
        .to.be.revertedWithCustomError(f.ballots, "CityBallotsNotAMember")
        .withArgs(0n, f.outsider.address);
      await (await f.registry.connect(f.registrar).suspend(f.carol.address, id("fraud"))).wait();
      await expect(f.ballots.connect(f.carol).openPetition(ok, target))
        .to.be.revertedWithCustomError(f.ballots, "CityBallotsNotAMember")
        .withArgs(0n, f.carol.address);
      for (const [o, mask, flag, bps] of [
        [{ collegeMask: 1 << CITIZENS }, 1 << CITIZENS, 0, 500],
        [{ flagBit: 1 }, 0xffff, 1, 500],
        [{ thresholdBps: 499 }, 0xffff, 0, 499],
      ] as const) {
        const narrow = await ballotParams(Object.assign({ kind: Kind.Petition, thresholdBps: 500, collegeMask: 0xffff }, o));
        await expect(f.ballots.connect(f.alice).openPetition(narrow, target))
          .to.be.revertedWithCustomError(f.ballots, "CityBallotsMemberPetitionTooNarrow")
          .withArgs(mask, flag, bps);
      }
      // The creation rules still apply (a petition through the member path is a petition).
      const consultation = await ballotParams({ kind: Kind.Consultation, optionCount: 2, thresholdBps: 500, collegeMask: 0xffff });
      await expect(f.ballots.connect(f.alice).openPetition(consultation, target)).to.be.revertedWithCustomError(f.ballots, "CityBallotsInvalidOptions");
    });

    it("a petition that misses its threshold ends unreached", async function () {
      const f = await loadFixture(ballotsFixture);
      const params = await ballotParams({ kind: Kind.Petition, thresholdBps: 10_000 });
      await (await f.ballots.connect(f.orchestrator).createPetition(params, { proposalId: 3n, referendum: NO_REFERENDUM })).wait();
      await open(params);
      await (await f.ballots.connect(f.alice).sign(1n)).wait();
      await time.increaseTo(Number(params.closesAt));
      await expect(f.ballots.finalize(1n)).to.emit(f.ballots, "BallotFinalized").withArgs(1n, Kind.Petition, false, 6n, 1n, 1n, 10_000, false, [1n]);
      expect(await f.ballots.petitionOutcome(1n)).to.deep.equal([false, 3n]);
    });
  });
});
