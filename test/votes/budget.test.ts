import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { type Interface, ZeroAddress, id } from "ethers";
import { PERMISSIONS, Roles } from "../../scripts/lib/roles";
import { signForwardRequest } from "../../scripts/lib/relay";
import { linkedLibraries } from "../../scripts/lib/deploy";
import { coins, now, register } from "../fixtures";
import { expectOnlyRole, roleHolders } from "../access-control";
import {
  BallotRule,
  DAY,
  EMPTY_HEAD,
  NORTH,
  Phase,
  ProjectStatus,
  SOUTH,
  TREASURY_COINS,
  WinnerRule,
  budgetFixture,
  createRound,
  nextHead,
  roundParams,
  selection,
  submit,
  votingRound,
  type BudgetCtx,
  type ProjectSpec,
} from "./budgetHelpers";

const CITY = 0;
const NORTH_ENV = 1;
const SOUTH_ENV = 2;

/** City-wide €60k and €50k, north €20k, south €10k: ballot indexes 0, 1, 2, 3. */
const FOUR: ProjectSpec[] = [
  { envelope: CITY, cost: coins(60_000) },
  { envelope: CITY, cost: coins(50_000) },
  { envelope: NORTH_ENV, cost: coins(20_000) },
  { envelope: SOUTH_ENV, cost: coins(10_000) },
];

/**
 * A round whose vote is closed, with five ballots. Votes: project 1 (€60k) 3, project 2 (€50k) 2, north 2, south 1;
 * greedy selects projects 1 (city-wide: 2 no longer fits), 3 (north) and 4 (south): €90k.
 */
async function closedRound(f: BudgetCtx, winnerRule: number = WinnerRule.Greedy) {
  const r = await votingRound(f, FOUR, { winnerRule });
  await (await f.budget.connect(f.alice).vote(r.roundId, selection(0, 2))).wait();
  await (await f.budget.connect(f.bob).vote(r.roundId, selection(0))).wait();
  await (await f.budget.connect(f.carol).vote(r.roundId, selection(1, 2))).wait();
  await (await f.budget.connect(f.dave).vote(r.roundId, selection(1, 3))).wait();
  await (await f.budget.connect(f.erin).vote(r.roundId, selection(0))).wait();
  await time.increaseTo(r.params.voteEnd);
  return r;
}

/** A round tallied (greedy) and funded: projects 1 (€60k, city-wide), 3 (€20k, north), 4 (€10k, south) in escrow. */
async function fundedRound(f: BudgetCtx) {
  const r = await closedRound(f);
  await (await f.budget.tally(r.roundId)).wait();
  await (await f.budget.connect(f.orchestrator).fund(r.roundId)).wait();
  return r;
}

/** An Equal Shares round whose posted result (projects 2, 3, 4) a member (erin) challenged with projects 1, 3, 4. */
async function challengedRound(f: BudgetCtx) {
  const r = await closedRound(f, WinnerRule.EqualSharesAdd1);
  await (await f.budget.connect(f.orchestrator).postResult(r.roundId, selection(1, 2, 3), await f.budget.logHead(r.roundId))).wait();
  await (await f.budget.connect(f.erin).challengeResult(r.roundId, selection(0, 2, 3))).wait();
  return r;
}

describe("ParticipatoryBudget", function () {
  describe("access control (PERMISSIONS table)", function () {
    interface PrivilegedCase {
      setup: (f: BudgetCtx) => Promise<{ args: unknown[]; event: [string, unknown[]] }>;
    }
    const cases: Record<string, PrivilegedCase> = {
      "setTreasury(address)": {
        setup: async (f) => ({ args: [f.erin.address], event: ["TreasurySet", [f.erin.address]] }),
      },
      "createRound((uint48,uint48,uint48,uint48,uint48,uint32,uint8,uint8,uint16,uint16,uint8,uint64,uint32[],uint64[]))": {
        setup: async () => {
          const p = await roundParams();
          return { args: [p], event: ["EnvelopeCreated", [1n, 2, SOUTH, p.districtAmounts[1]]] };
        },
      },
      "review(uint256,uint32,bool,bytes32)": {
        setup: async (f) => {
          const { roundId, params } = await createRound(f);
          await submit(f, roundId, FOUR[0]);
          await time.increaseTo(params.supportEnd);
          return { args: [roundId, 1, true, id("ok")], event: ["ProjectReviewed", [roundId, 1, true, 0, id("ok")]] };
        },
      },
      "reviseCost(uint256,uint32,uint64,bytes32)": {
        setup: async (f) => {
          const { roundId, params } = await createRound(f);
          await submit(f, roundId, FOUR[0]);
          await time.increaseTo(params.supportEnd);
          await (await f.budget.connect(f.orchestrator).review(roundId, 1, true, id("ok"))).wait();
          return {
            args: [roundId, 1, coins(55_000), id("quote")],
            event: ["ProjectCostRevised", [roundId, 1, coins(60_000), coins(55_000), id("quote")]],
          };
        },
      },
      "postResult(uint256,uint256,bytes32)": {
        setup: async (f) => {
          const { roundId } = await closedRound(f, WinnerRule.EqualSharesAdd1);
          const head = await f.budget.logHead(roundId);
          const winners = selection(0, 2);
          return {
            args: [roundId, winners, head],
            event: ["RoundTallied", [roundId, WinnerRule.EqualSharesAdd1, winners, head, f.orchestrator.address]],
          };
        },
      },
      "fund(uint256)": {
        setup: async (f) => {
          const { roundId } = await closedRound(f);
          await (await f.budget.tally(roundId)).wait();
          return { args: [roundId], event: ["RoundFunded", [roundId, f.treasury.address, coins(90_000)]] };
        },
      },
      "release(uint256,uint32,uint64,bytes32)": {
        setup: async (f) => {
          const { roundId } = await fundedRound(f);
          return {
            args: [roundId, 1, coins(10_000), id("milestone 1")],
            event: ["TrancheReleased", [roundId, 1, f.alice.address, coins(10_000), id("milestone 1"), coins(10_000)]],
          };
        },
      },
      "closeProject(uint256,uint32,bytes32)": {
        setup: async (f) => {
          const { roundId } = await fundedRound(f);
          return {
            args: [roundId, 3, id("done")],
            event: ["ProjectClosed", [roundId, 3, f.treasury.address, coins(20_000), id("done")]],
          };
        },
      },
      "resolveChallenge(uint256,bool,bytes32)": {
        setup: async (f) => {
          const { roundId } = await challengedRound(f);
          return { args: [roundId, true, id("recount")], event: ["ChallengeResolved", [roundId, true, id("recount"), anyValue]] };
        },
      },
      "forfeitHeld(address,bytes32)": {
        setup: async (f) => {
          const { roundId } = await fundedRound(f);
          await (await f.registry.connect(f.registrar).remove(f.alice.address, id("moved away"))).wait();
          await (await f.budget.connect(f.orchestrator).release(roundId, 1, coins(10_000), id("m1"))).wait();
          return { args: [f.alice.address, id("left")], event: ["HeldForfeited", [f.alice.address, f.treasury.address, coins(10_000), id("left")]] };
        },
      },
    };

    it("has a case for every ParticipatoryBudget entry of the table, and the table is what the authority enforces", async function () {
      const f = await loadFixture(budgetFixture);
      expect(Object.keys(cases).sort()).to.deep.equal(Object.keys(PERMISSIONS.ParticipatoryBudget).sort());
      for (const [signature, role] of Object.entries(PERMISSIONS.ParticipatoryBudget)) {
        const selector = (f.budget.interface as Interface).getFunction(signature)!.selector;
        expect(await f.authority.getTargetFunctionRole(f.budget, selector), signature).to.equal(Roles[role]);
      }
    });

    for (const [signature, role] of Object.entries(PERMISSIONS.ParticipatoryBudget)) {
      it(`${signature}: only ${role} may call it`, async function () {
        const f = await loadFixture(budgetFixture);
        const { args, event } = await cases[signature].setup(f);
        await expectOnlyRole(f.budget, signature, role, roleHolders(f), args, [event[0], event[1]]);
      });
    }
  });

  describe("deployment and treasury", function () {
    it("deployCity registers the contract as a city account, with the community fund as its first treasury", async function () {
      const f = await loadFixture(budgetFixture);
      expect(await f.coin.isCityAccount(f.budget)).to.equal(true);
      expect(await f.budget.coin()).to.equal(await f.coin.getAddress());
      expect(await f.budget.registry()).to.equal(await f.registry.getAddress());
      expect(await f.budget.treasury()).to.equal(f.treasury.address);
      expect(await f.budget.MAX_BALLOT_PROJECTS()).to.equal(256);
      expect(await f.budget.MAX_DISTRICT_ENVELOPES()).to.equal(64);
    });

    it("the constructor emits the treasury and refuses the zero address; so does setTreasury", async function () {
      const f = await loadFixture(budgetFixture);
      const factory = await hre.ethers.getContractFactory("ParticipatoryBudget", {
        signer: f.admin,
        libraries: await linkedLibraries(hre, f.admin, "ParticipatoryBudget"),
      });
      const args = [f.authority, f.forwarder, f.coin, f.registry] as const;
      const deployed = await factory.deploy(...args, f.treasury.address);
      await expect(deployed.deploymentTransaction()).to.emit(deployed, "TreasurySet").withArgs(f.treasury.address);
      await expect(factory.deploy(...args, ZeroAddress)).to.be.revertedWithCustomError(factory, "ParticipatoryBudgetZeroAddress");
      await expect(f.budget.connect(f.council).setTreasury(ZeroAddress)).to.be.revertedWithCustomError(
        f.budget,
        "ParticipatoryBudgetZeroAddress",
      );
    });
  });

  describe("createRound", function () {
    it("stores the round and emits it with every envelope", async function () {
      const f = await loadFixture(budgetFixture);
      const p = await roundParams({ ballotRule: BallotRule.Approval, maxApprovals: 3, minSpendBps: 2_500, collegeMask: 0b10, supportThreshold: 2, winnerRule: WinnerRule.EqualSharesAssen });
      const tx = f.budget.connect(f.orchestrator).createRound(p);
      const config = [p.snapshot, p.reviewEnd, p.voteEnd, BallotRule.Approval, 3, 2_500, 0b10, p.cityAmount];
      await expect(tx)
        .to.emit(f.budget, "RoundCreated")
        .withArgs(1n, config, p.proposalsEnd, p.supportEnd, 2, WinnerRule.EqualSharesAssen);
      await expect(tx).to.emit(f.budget, "EnvelopeCreated").withArgs(1n, 0, 0, p.cityAmount);
      await expect(tx).to.emit(f.budget, "EnvelopeCreated").withArgs(1n, 1, NORTH, p.districtAmounts[0]);
      await expect(tx).to.emit(f.budget, "EnvelopeCreated").withArgs(1n, 2, SOUTH, p.districtAmounts[1]);
      expect(await f.budget.roundCount()).to.equal(1n);
      const { config: c, state: s } = await f.budget.round(1n);
      expect([c.snapshot, c.voteStart, c.voteEnd, c.ballotRule, c.maxApprovals, c.minSpendBps, c.collegeMask, c.cityAmount]).to.deep.equal(
        config.map(BigInt),
      );
      expect(s.envelopeCount).to.equal(3n);
      expect(s.supportThreshold).to.equal(2n);
      expect((await f.budget.envelopeOf(1n, 2)).district).to.equal(BigInt(SOUTH));
      expect((await f.budget.envelopeOf(1n, 2)).amount).to.equal(p.districtAmounts[1]);
      expect(await f.budget.phaseOf(1n)).to.equal(Phase.Proposals);
      expect(await f.budget.phaseOf(2n)).to.equal(Phase.None);
    });

    it("rejects a schedule out of order, a bad ballot rule, a minimum share over 100%, no college and bad envelopes", async function () {
      const f = await loadFixture(budgetFixture);
      const b = f.budget.connect(f.orchestrator);
      const base = await roundParams();
      const t = await now();
      const schedules = [
        { proposalsEnd: t },
        { supportEnd: base.proposalsEnd - 1 },
        { reviewEnd: base.supportEnd },
        { voteEnd: base.reviewEnd },
        { snapshot: base.reviewEnd },
      ];
      for (const o of schedules) {
        const p = { ...base, ...o };
        await expect(b.createRound(p))
          .to.be.revertedWithCustomError(b, "ParticipatoryBudgetInvalidSchedule")
          .withArgs(p.snapshot, p.proposalsEnd, p.supportEnd, p.reviewEnd, p.voteEnd);
      }
      await expect(b.createRound({ ...base, ballotRule: BallotRule.Approval, maxApprovals: 0 }))
        .to.be.revertedWithCustomError(b, "ParticipatoryBudgetInvalidBallotRule")
        .withArgs(BallotRule.Approval, 0);
      await expect(b.createRound({ ...base, ballotRule: BallotRule.Knapsack, maxApprovals: 2 }))
        .to.be.revertedWithCustomError(b, "ParticipatoryBudgetInvalidBallotRule")
        .withArgs(BallotRule.Knapsack, 2);
      await expect(b.createRound({ ...base, minSpendBps: 10_001 }))
        .to.be.revertedWithCustomError(b, "ParticipatoryBudgetMinSpendTooHigh")
        .withArgs(10_001);
      await expect(b.createRound({ ...base, collegeMask: 0 })).to.be.revertedWithCustomError(b, "ParticipatoryBudgetEmptyElectorate");
      await expect(b.createRound({ ...base, districtAmounts: [coins(1)] }))
        .to.be.revertedWithCustomError(b, "ParticipatoryBudgetEnvelopeLengthMismatch")
        .withArgs(2, 1);
      const many = Array.from({ length: 65 }, (_, i) => i + 1);
      await expect(b.createRound({ ...base, districts: many, districtAmounts: many.map(() => coins(1)) }))
        .to.be.revertedWithCustomError(b, "ParticipatoryBudgetTooManyEnvelopes")
        .withArgs(65, 64);
      await expect(b.createRound({ ...base, districts: [3, 3], districtAmounts: [coins(1), coins(2)] }))
        .to.be.revertedWithCustomError(b, "ParticipatoryBudgetDuplicateDistrict")
        .withArgs(3);
    });
  });

  describe("proposals and support", function () {
    it("a member submits a project in the proposals phase; the round counts it", async function () {
      const f = await loadFixture(budgetFixture);
      const { roundId } = await createRound(f);
      await expect(f.budget.connect(f.dave).submit(roundId, SOUTH_ENV, coins(7_000), id("bench"), "ipfs://bench"))
        .to.emit(f.budget, "ProjectSubmitted")
        .withArgs(roundId, 1, f.dave.address, SOUTH_ENV, coins(7_000), id("bench"), "ipfs://bench");
      const p = await f.budget.project(roundId, 1);
      expect([p.proposer, p.envelope, p.status, p.cost]).to.deep.equal([f.dave.address, 2n, BigInt(ProjectStatus.Submitted), coins(7_000)]);
      expect((await f.budget.round(roundId)).state.projectCount).to.equal(1n);
    });

    it("refuses a submission outside the phase, from a non-member or suspended member, to an unknown envelope or at a bad cost", async function () {
      const f = await loadFixture(budgetFixture);
      const { roundId, params } = await createRound(f);
      const b = f.budget;
      await expect(b.connect(f.alice).submit(9, CITY, coins(1), id("x"), ""))
        .to.be.revertedWithCustomError(b, "ParticipatoryBudgetUnknownRound")
        .withArgs(9);
      await expect(b.connect(f.outsider).submit(roundId, CITY, coins(1), id("x"), ""))
        .to.be.revertedWithCustomError(b, "ParticipatoryBudgetNotAMember")
        .withArgs(f.outsider.address);
      await (await f.registry.connect(f.registrar).suspend(f.erin.address, id("fraud"))).wait();
      await expect(b.connect(f.erin).submit(roundId, CITY, coins(1), id("x"), ""))
        .to.be.revertedWithCustomError(b, "ParticipatoryBudgetMemberSuspended")
        .withArgs(f.erin.address);
      await expect(b.connect(f.alice).submit(roundId, 3, coins(1), id("x"), ""))
        .to.be.revertedWithCustomError(b, "ParticipatoryBudgetUnknownEnvelope")
        .withArgs(roundId, 3);
      await expect(b.connect(f.alice).submit(roundId, CITY, 0, id("x"), ""))
        .to.be.revertedWithCustomError(b, "ParticipatoryBudgetInvalidCost")
        .withArgs(0, params.cityAmount);
      await expect(b.connect(f.alice).submit(roundId, NORTH_ENV, coins(50_001), id("x"), ""))
        .to.be.revertedWithCustomError(b, "ParticipatoryBudgetInvalidCost")
        .withArgs(coins(50_001), coins(50_000));
      await time.increaseTo(params.proposalsEnd);
      await expect(b.connect(f.alice).submit(roundId, CITY, coins(1), id("x"), ""))
        .to.be.revertedWithCustomError(b, "ParticipatoryBudgetWrongPhase")
        .withArgs(roundId, Phase.Support, Phase.Proposals);
    });

    it("members support a project once each, in the support phase", async function () {
      const f = await loadFixture(budgetFixture);
      const { roundId, params } = await createRound(f, { supportThreshold: 2 });
      await submit(f, roundId, FOUR[0]);
      await expect(f.budget.connect(f.bob).support(roundId, 1))
        .to.be.revertedWithCustomError(f.budget, "ParticipatoryBudgetWrongPhase")
        .withArgs(roundId, Phase.Proposals, Phase.Support);
      await time.increaseTo(params.proposalsEnd);
      await expect(f.budget.connect(f.bob).support(roundId, 1)).to.emit(f.budget, "ProjectSupported").withArgs(roundId, 1, f.bob.address, 1);
      await expect(f.budget.connect(f.dave).support(roundId, 1)).to.emit(f.budget, "ProjectSupported").withArgs(roundId, 1, f.dave.address, 2);
      expect(await f.budget.hasSupported(roundId, 1, f.bob.address)).to.equal(true);
      expect(await f.budget.hasSupported(roundId, 1, f.carol.address)).to.equal(false);
      await expect(f.budget.connect(f.bob).support(roundId, 1))
        .to.be.revertedWithCustomError(f.budget, "ParticipatoryBudgetAlreadySupported")
        .withArgs(roundId, 1, f.bob.address);
      await expect(f.budget.connect(f.bob).support(roundId, 2))
        .to.be.revertedWithCustomError(f.budget, "ParticipatoryBudgetUnknownProject")
        .withArgs(roundId, 2);
      await expect(f.budget.connect(f.outsider).support(roundId, 1))
        .to.be.revertedWithCustomError(f.budget, "ParticipatoryBudgetNotAMember")
        .withArgs(f.outsider.address);
      await (await f.registry.connect(f.registrar).suspend(f.erin.address, id("fraud"))).wait();
      await expect(f.budget.connect(f.erin).support(roundId, 1))
        .to.be.revertedWithCustomError(f.budget, "ParticipatoryBudgetMemberSuspended")
        .withArgs(f.erin.address);
      expect((await f.budget.project(roundId, 1)).supportCount).to.equal(2n);
    });
  });

  describe("review", function () {
    it("puts feasible projects that reached the threshold on the ballot in review order; infeasible ones stay off", async function () {
      const f = await loadFixture(budgetFixture);
      const { roundId, params } = await createRound(f, { supportThreshold: 1 });
      for (const p of FOUR.slice(0, 3)) await submit(f, roundId, p);
      await time.increaseTo(params.proposalsEnd);
      for (const pid of [1, 2, 3]) await (await f.budget.connect(f.bob).support(roundId, pid)).wait();
      await time.increaseTo(params.supportEnd);
      const o = f.budget.connect(f.orchestrator);
      await expect(o.review(roundId, 3, true, id("ok 3"))).to.emit(o, "ProjectReviewed").withArgs(roundId, 3, true, 0, id("ok 3"));
      await expect(o.review(roundId, 2, false, id("illegal"))).to.emit(o, "ProjectReviewed").withArgs(roundId, 2, false, 0, id("illegal"));
      await expect(o.review(roundId, 1, true, id("ok 1"))).to.emit(o, "ProjectReviewed").withArgs(roundId, 1, true, 1, id("ok 1"));
      expect((await f.budget.project(roundId, 2)).status).to.equal(BigInt(ProjectStatus.Infeasible));
      expect((await f.budget.project(roundId, 1)).status).to.equal(BigInt(ProjectStatus.Feasible));
      const e = await f.budget.ballotEntry(roundId, 0);
      expect([e.cost, e.envelope, e.votes, e.projectId]).to.deep.equal([FOUR[2].cost, 1n, 0n, 3n]);
      expect((await f.budget.round(roundId)).state.ballotCount).to.equal(2n);
      await expect(o.review(roundId, 2, true, id("again")))
        .to.be.revertedWithCustomError(o, "ParticipatoryBudgetAlreadyReviewed")
        .withArgs(roundId, 2);
      await expect(o.review(roundId, 9, true, id("?")))
        .to.be.revertedWithCustomError(o, "ParticipatoryBudgetUnknownProject")
        .withArgs(roundId, 9);
    });

    it("refuses a project below the support threshold and a review outside the review phase", async function () {
      const f = await loadFixture(budgetFixture);
      const { roundId, params } = await createRound(f, { supportThreshold: 2 });
      await submit(f, roundId, FOUR[0]);
      const o = f.budget.connect(f.orchestrator);
      await expect(o.review(roundId, 1, true, id("early")))
        .to.be.revertedWithCustomError(o, "ParticipatoryBudgetWrongPhase")
        .withArgs(roundId, Phase.Proposals, Phase.Review);
      await time.increaseTo(params.proposalsEnd);
      await (await f.budget.connect(f.bob).support(roundId, 1)).wait();
      await time.increaseTo(params.supportEnd);
      await expect(o.review(roundId, 1, true, id("ok")))
        .to.be.revertedWithCustomError(o, "ParticipatoryBudgetNotAdvanced")
        .withArgs(roundId, 1, 1, 2);
      await time.increaseTo(params.reviewEnd);
      await expect(o.review(roundId, 1, true, id("late")))
        .to.be.revertedWithCustomError(o, "ParticipatoryBudgetWrongPhase")
        .withArgs(roundId, Phase.Vote, Phase.Review);
    });

    it("revises the cost of a feasible project, within its envelope; not of others", async function () {
      const f = await loadFixture(budgetFixture);
      const { roundId, params } = await createRound(f);
      for (const p of FOUR.slice(0, 3)) await submit(f, roundId, p);
      await time.increaseTo(params.supportEnd);
      const o = f.budget.connect(f.orchestrator);
      await (await o.review(roundId, 3, true, id("ok"))).wait();
      await (await o.review(roundId, 2, false, id("no"))).wait();
      await expect(o.reviseCost(roundId, 3, coins(25_000), id("quote")))
        .to.emit(o, "ProjectCostRevised")
        .withArgs(roundId, 3, coins(20_000), coins(25_000), id("quote"));
      expect((await f.budget.project(roundId, 3)).cost).to.equal(coins(25_000));
      expect((await f.budget.ballotEntry(roundId, 0)).cost).to.equal(coins(25_000));
      await expect(o.reviseCost(roundId, 3, coins(50_001), id("too much")))
        .to.be.revertedWithCustomError(o, "ParticipatoryBudgetInvalidCost")
        .withArgs(coins(50_001), coins(50_000));
      await expect(o.reviseCost(roundId, 3, 0, id("free")))
        .to.be.revertedWithCustomError(o, "ParticipatoryBudgetInvalidCost")
        .withArgs(0, coins(50_000));
      for (const pid of [1, 2]) {
        await expect(o.reviseCost(roundId, pid, coins(1), id("x")))
          .to.be.revertedWithCustomError(o, "ParticipatoryBudgetNotFeasible")
          .withArgs(roundId, pid);
      }
      await time.increaseTo(params.reviewEnd);
      await expect(o.reviseCost(roundId, 3, coins(1), id("late")))
        .to.be.revertedWithCustomError(o, "ParticipatoryBudgetWrongPhase")
        .withArgs(roundId, Phase.Vote, Phase.Review);
    });

    it("holds at most 256 projects on a ballot", async function () {
      this.timeout(300_000);
      const f = await loadFixture(budgetFixture);
      const { roundId, params } = await createRound(f);
      for (let i = 0; i < 257; ++i) await submit(f, roundId, { envelope: CITY, cost: coins(1) });
      await time.increaseTo(params.supportEnd);
      const o = f.budget.connect(f.orchestrator);
      for (let pid = 1; pid <= 256; ++pid) await (await o.review(roundId, pid, true, id("ok"))).wait();
      await expect(o.review(roundId, 257, true, id("ok")))
        .to.be.revertedWithCustomError(o, "ParticipatoryBudgetBallotFull")
        .withArgs(roundId, 256);
      await expect(o.review(roundId, 257, false, id("no room"))).to.emit(o, "ProjectReviewed");
    });
  });

  describe("vote", function () {
    it("counts a ballot in the city-wide and the voter's district envelope, and chains it into the ballot log", async function () {
      const f = await loadFixture(budgetFixture);
      const { roundId } = await votingRound(f, FOUR);
      expect(await f.budget.phaseOf(roundId)).to.equal(Phase.Vote);
      const sel = selection(0, 2);
      const head = nextHead(EMPTY_HEAD, f.alice.address, sel);
      await expect(f.budget.connect(f.alice).vote(roundId, sel)).to.emit(f.budget, "BallotCast").withArgs(roundId, f.alice.address, sel, head);
      expect(await f.budget.logHead(roundId)).to.equal(head);
      expect(await f.budget.ballotOf(roundId, f.alice.address)).to.equal(sel);
      const votes = await Promise.all([0, 1, 2, 3].map(async (i) => (await f.budget.ballotEntry(roundId, i)).votes));
      expect(votes).to.deep.equal([1n, 0n, 1n, 0n]);
      const sel2 = selection(1, 3);
      await expect(f.budget.connect(f.dave).vote(roundId, sel2))
        .to.emit(f.budget, "BallotCast")
        .withArgs(roundId, f.dave.address, sel2, nextHead(head, f.dave.address, sel2));
    });

    it("a new ballot replaces the voter's last one: only the last counts", async function () {
      const f = await loadFixture(budgetFixture);
      const { roundId } = await votingRound(f, FOUR);
      const b = f.budget.connect(f.alice);
      await (await b.vote(roundId, selection(0, 2))).wait();
      await (await f.budget.connect(f.bob).vote(roundId, selection(0))).wait();
      await (await b.vote(roundId, selection(1, 2))).wait();
      await (await b.vote(roundId, selection(1, 2))).wait();
      const votes = await Promise.all([0, 1, 2, 3].map(async (i) => (await f.budget.ballotEntry(roundId, i)).votes));
      expect(votes).to.deep.equal([1n, 1n, 1n, 0n]);
      expect(await f.budget.ballotOf(roundId, f.alice.address)).to.equal(selection(1, 2));
    });

    it("a relayed ballot (ERC-2771) counts for its signer", async function () {
      const f = await loadFixture(budgetFixture);
      const { roundId } = await votingRound(f, FOUR);
      const data = f.budget.interface.encodeFunctionData("vote", [roundId, selection(3)]);
      const request = await signForwardRequest(f.forwarder, f.erin, { to: await f.budget.getAddress(), data });
      await expect(f.forwarder.connect(f.relayer).execute(request))
        .to.emit(f.budget, "BallotCast")
        .withArgs(roundId, f.erin.address, selection(3), nextHead(EMPTY_HEAD, f.erin.address, selection(3)));
    });

    it("refuses ballots before the vote opens and after it closes, for an unknown round, and empty ones", async function () {
      const f = await loadFixture(budgetFixture);
      const { roundId, params } = await createRound(f);
      await submit(f, roundId, FOUR[0]);
      const b = f.budget.connect(f.alice);
      await expect(b.vote(roundId, 1)).to.be.revertedWithCustomError(b, "ParticipatoryBudgetWrongPhase").withArgs(roundId, Phase.Proposals, Phase.Vote);
      await time.increaseTo(params.supportEnd);
      await (await f.budget.connect(f.orchestrator).review(roundId, 1, true, id("ok"))).wait();
      await expect(b.vote(roundId, 1)).to.be.revertedWithCustomError(b, "ParticipatoryBudgetWrongPhase").withArgs(roundId, Phase.Review, Phase.Vote);
      await time.increaseTo(params.reviewEnd);
      await expect(b.vote(roundId, 0)).to.be.revertedWithCustomError(b, "ParticipatoryBudgetEmptyBallot");
      await expect(b.vote(roundId + 1n, 1)).to.be.revertedWithCustomError(b, "ParticipatoryBudgetUnknownRound").withArgs(roundId + 1n);
      await (await b.vote(roundId, 1)).wait();
      await time.increaseTo(params.voteEnd);
      await expect(b.vote(roundId, 1)).to.be.revertedWithCustomError(b, "ParticipatoryBudgetWrongPhase").withArgs(roundId, Phase.Tally, Phase.Vote);
    });

    it("refuses a non-member, a suspended member, a member who joined after the snapshot and one outside the round's colleges", async function () {
      const f = await loadFixture(budgetFixture);
      const { roundId } = await votingRound(f, FOUR, { collegeMask: 0b10 });
      await (await f.registry.connect(f.registrar).suspend(f.erin.address, id("fraud"))).wait();
      await (await f.registry.connect(f.registrar).remove(f.bob.address, id("moved away"))).wait();
      const late = f.rest[0];
      await register(f, late);
      const refused: [typeof f.alice, string][] = [
        [f.outsider, "ParticipatoryBudgetNotAMember"],
        [f.bob, "ParticipatoryBudgetNotAMember"],
        [f.erin, "ParticipatoryBudgetMemberSuspended"],
        [late, "ParticipatoryBudgetNotInElectorate"],
        [f.paul, "ParticipatoryBudgetNotInElectorate"],
      ];
      for (const [who, error] of refused) {
        await expect(f.budget.connect(who).vote(roundId, 1), who.address).to.be.revertedWithCustomError(f.budget, error).withArgs(who.address);
      }
      await expect(f.budget.connect(f.alice).vote(roundId, 1)).to.emit(f.budget, "BallotCast");
    });

    it("refuses projects not on the ballot and projects of another district", async function () {
      const f = await loadFixture(budgetFixture);
      const { roundId } = await votingRound(f, FOUR);
      const b = f.budget.connect(f.alice);
      await expect(b.vote(roundId, selection(0, 4))).to.be.revertedWithCustomError(b, "ParticipatoryBudgetNotOnBallot").withArgs(roundId, 4);
      await expect(b.vote(roundId, selection(255))).to.be.revertedWithCustomError(b, "ParticipatoryBudgetNotOnBallot").withArgs(roundId, 255);
      await expect(b.vote(roundId, selection(2, 3))).to.be.revertedWithCustomError(b, "ParticipatoryBudgetOutsideDistrict").withArgs(4, NORTH);
      // A member of a district without an envelope votes city-wide only.
      const elsewhere = f.rest[0];
      await register(f, elsewhere, { district: 7 });
      const r2 = await votingRound(f, FOUR);
      await expect(f.budget.connect(elsewhere).vote(r2.roundId, selection(0, 2)))
        .to.be.revertedWithCustomError(b, "ParticipatoryBudgetOutsideDistrict")
        .withArgs(3, 7);
      await expect(f.budget.connect(elsewhere).vote(r2.roundId, selection(0))).to.emit(b, "BallotCast");
    });

    it("knapsack: a ballot's costs fit each envelope", async function () {
      const f = await loadFixture(budgetFixture);
      const { roundId } = await votingRound(f, [...FOUR, { envelope: NORTH_ENV, cost: coins(30_001) }]);
      const b = f.budget.connect(f.alice);
      await expect(b.vote(roundId, selection(0, 1)))
        .to.be.revertedWithCustomError(b, "ParticipatoryBudgetOverEnvelope")
        .withArgs(CITY, coins(110_000), coins(100_000));
      await expect(b.vote(roundId, selection(2, 4)))
        .to.be.revertedWithCustomError(b, "ParticipatoryBudgetOverEnvelope")
        .withArgs(NORTH_ENV, coins(50_001), coins(50_000));
      await expect(b.vote(roundId, selection(0, 4))).to.emit(b, "BallotCast");
    });

    it("approval: at most k projects per envelope, costs free", async function () {
      const f = await loadFixture(budgetFixture);
      const projects = [...FOUR, { envelope: CITY, cost: coins(40_000) }, { envelope: NORTH_ENV, cost: coins(40_000) }];
      const { roundId } = await votingRound(f, projects, { ballotRule: BallotRule.Approval, maxApprovals: 2 });
      const b = f.budget.connect(f.alice);
      await expect(b.vote(roundId, selection(0, 1, 4)))
        .to.be.revertedWithCustomError(b, "ParticipatoryBudgetTooManyApprovals")
        .withArgs(CITY, 3, 2);
      await expect(b.vote(roundId, selection(0, 1, 2, 5))).to.emit(b, "BallotCast");
    });

    it("a minimum share to spend applies to each envelope the ballot votes in", async function () {
      const f = await loadFixture(budgetFixture);
      const { roundId } = await votingRound(f, FOUR, { minSpendBps: 5_000 });
      const b = f.budget.connect(f.alice);
      await expect(b.vote(roundId, selection(2)))
        .to.be.revertedWithCustomError(b, "ParticipatoryBudgetUnderMinimumSpend")
        .withArgs(NORTH_ENV, coins(20_000), coins(25_000));
      await expect(b.vote(roundId, selection(0, 2)))
        .to.be.revertedWithCustomError(b, "ParticipatoryBudgetUnderMinimumSpend")
        .withArgs(NORTH_ENV, coins(20_000), coins(25_000));
      // Exactly half of the city-wide envelope, nothing in the south's: accepted.
      await expect(f.budget.connect(f.dave).vote(roundId, selection(1))).to.emit(b, "BallotCast");
      await expect(b.vote(roundId, selection(0))).to.emit(b, "BallotCast");
      const r2 = await votingRound(f, FOUR, { minSpendBps: 7_000 });
      await expect(b.vote(r2.roundId, selection(1)))
        .to.be.revertedWithCustomError(b, "ParticipatoryBudgetUnderMinimumSpend")
        .withArgs(CITY, coins(50_000), coins(70_000));
    });
  });

  describe("results", function () {
    it("greedy: by votes, then lower cost, then lower id; skips what no longer fits and projects with no vote", async function () {
      const f = await loadFixture(budgetFixture);
      // City-wide €100k: A 60k, B 50k, C 40k, D 40k, E 10k, F 5k (no vote).
      const projects = [60, 50, 40, 40, 10, 5].map((k) => ({ envelope: CITY, cost: coins(k * 1_000) }));
      const r = await votingRound(f, [...projects, { envelope: NORTH_ENV, cost: coins(20_000) }]);
      const v = (who: typeof f.alice, ...i: number[]) => f.budget.connect(who).vote(r.roundId, selection(...i)).then((t) => t.wait());
      await v(f.alice, 0, 2, 6); // A, C, north
      await v(f.bob, 0, 3); // A, D
      await v(f.carol, 1, 3); // B, D
      await v(f.dave, 1, 4); // B, E
      // Votes: A 2, B 2, C 1, D 2, E 1, F 0. Order: D (2, 40k, id 4), B (2, 50k), A (2, 60k), E (1, 10k), C (1, 40k).
      // D 40k → 60k left; B 50k → 10k left; A skipped; E 10k → 0 left; C skipped; F has no vote.
      await time.increaseTo(r.params.voteEnd);
      const winners = selection(1, 3, 4, 6);
      const head = await f.budget.logHead(r.roundId);
      const tx = f.budget.connect(f.outsider).tally(r.roundId);
      await expect(tx).to.emit(f.budget, "RoundTallied").withArgs(r.roundId, WinnerRule.Greedy, winners, head, f.outsider.address);
      await expect(tx).to.emit(f.budget, "ProjectSelected").withArgs(r.roundId, 4, CITY, coins(40_000), 2);
      await expect(tx).to.emit(f.budget, "ProjectSelected").withArgs(r.roundId, 2, CITY, coins(50_000), 2);
      await expect(tx).to.emit(f.budget, "ProjectSelected").withArgs(r.roundId, 5, CITY, coins(10_000), 1);
      await expect(tx).to.emit(f.budget, "ProjectSelected").withArgs(r.roundId, 7, NORTH_ENV, coins(20_000), 1);
      expect(await f.budget.winnersOf(r.roundId)).to.equal(winners);
      expect((await f.budget.project(r.roundId, 1)).status).to.equal(BigInt(ProjectStatus.Feasible));
      expect((await f.budget.project(r.roundId, 4)).status).to.equal(BigInt(ProjectStatus.Selected));
      expect(await f.budget.phaseOf(r.roundId)).to.equal(Phase.Funding);
      await expect(f.budget.tally(r.roundId))
        .to.be.revertedWithCustomError(f.budget, "ParticipatoryBudgetWrongPhase")
        .withArgs(r.roundId, Phase.Funding, Phase.Tally);
    });

    it("greedy without skipping: each envelope's selection stops at its first project that does not fit", async function () {
      const f = await loadFixture(budgetFixture);
      // The ballots of the greedy test above: D 40k and B 50k leave 10k of the city-wide envelope; A (60k) does not
      // fit, so the city-wide selection stops there and E (10k), which would fit, is not selected. The north envelope
      // is its own: its project is still selected.
      const projects = [60, 50, 40, 40, 10, 5].map((k) => ({ envelope: CITY, cost: coins(k * 1_000) }));
      const r = await votingRound(f, [...projects, { envelope: NORTH_ENV, cost: coins(20_000) }], { winnerRule: WinnerRule.GreedyNoSkip });
      const v = (who: typeof f.alice, ...i: number[]) => f.budget.connect(who).vote(r.roundId, selection(...i)).then((t) => t.wait());
      await v(f.alice, 0, 2, 6);
      await v(f.bob, 0, 3);
      await v(f.carol, 1, 3);
      await v(f.dave, 1, 4);
      await time.increaseTo(r.params.voteEnd);
      const winners = selection(1, 3, 6);
      const head = await f.budget.logHead(r.roundId);
      const tx = f.budget.connect(f.outsider).tally(r.roundId);
      await expect(tx).to.emit(f.budget, "RoundTallied").withArgs(r.roundId, WinnerRule.GreedyNoSkip, winners, head, f.outsider.address);
      await expect(tx).to.emit(f.budget, "ProjectSelected").withArgs(r.roundId, 4, CITY, coins(40_000), 2);
      await expect(tx).to.emit(f.budget, "ProjectSelected").withArgs(r.roundId, 2, CITY, coins(50_000), 2);
      await expect(tx).to.emit(f.budget, "ProjectSelected").withArgs(r.roundId, 7, NORTH_ENV, coins(20_000), 1);
      const receipt = await (await tx).wait();
      const selected = receipt!.logs.flatMap((l) => {
        const parsed = f.budget.interface.parseLog(l);
        return parsed?.name === "ProjectSelected" ? [Number(parsed.args.projectId)] : [];
      });
      expect(selected.sort()).to.deep.equal([2, 4, 7]);
      expect(await f.budget.winnersOf(r.roundId)).to.equal(winners);
      expect((await f.budget.project(r.roundId, 5)).status).to.equal(BigInt(ProjectStatus.Feasible));
    });

    it("a round records its Equal Shares share convention; it takes a posted result, not a tally; greedy without skipping takes no posted result", async function () {
      const f = await loadFixture(budgetFixture);
      const o = f.budget.connect(f.orchestrator);
      const p = await roundParams({ winnerRule: WinnerRule.EqualSharesAssenExact });
      await expect(o.createRound(p))
        .to.emit(o, "RoundCreated")
        .withArgs(await f.budget.roundCount() + 1n, anyValue, p.proposalsEnd, p.supportEnd, 0, WinnerRule.EqualSharesAssenExact);
      const exact = await closedRound(f, WinnerRule.EqualSharesAdd1Exact);
      expect((await f.budget.round(exact.roundId)).state.winnerRule).to.equal(BigInt(WinnerRule.EqualSharesAdd1Exact));
      await expect(f.budget.tally(exact.roundId))
        .to.be.revertedWithCustomError(f.budget, "ParticipatoryBudgetWrongWinnerRule")
        .withArgs(exact.roundId, WinnerRule.EqualSharesAdd1Exact);
      const head = await f.budget.logHead(exact.roundId);
      await expect(o.postResult(exact.roundId, selection(1, 2, 3), head))
        .to.emit(o, "RoundTallied")
        .withArgs(exact.roundId, WinnerRule.EqualSharesAdd1Exact, selection(1, 2, 3), head, f.orchestrator.address);
      const noSkip = await closedRound(f, WinnerRule.GreedyNoSkip);
      await expect(o.postResult(noSkip.roundId, selection(0), await f.budget.logHead(noSkip.roundId)))
        .to.be.revertedWithCustomError(o, "ParticipatoryBudgetWrongWinnerRule")
        .withArgs(noSkip.roundId, WinnerRule.GreedyNoSkip);
    });

    it("tally only after the vote closes, and only for a greedy round", async function () {
      const f = await loadFixture(budgetFixture);
      const r = await votingRound(f, FOUR, { winnerRule: WinnerRule.EqualSharesWieliczka });
      await expect(f.budget.tally(r.roundId))
        .to.be.revertedWithCustomError(f.budget, "ParticipatoryBudgetWrongPhase")
        .withArgs(r.roundId, Phase.Vote, Phase.Tally);
      await time.increaseTo(r.params.voteEnd);
      await expect(f.budget.tally(r.roundId))
        .to.be.revertedWithCustomError(f.budget, "ParticipatoryBudgetWrongWinnerRule")
        .withArgs(r.roundId, WinnerRule.EqualSharesWieliczka);
      await expect(f.budget.tally(99)).to.be.revertedWithCustomError(f.budget, "ParticipatoryBudgetUnknownRound").withArgs(99);
    });

    it("an Equal Shares result is posted with the ballot log's head, within each envelope, on the ballot", async function () {
      const f = await loadFixture(budgetFixture);
      const r = await closedRound(f, WinnerRule.EqualSharesAdd1);
      const o = f.budget.connect(f.orchestrator);
      const head = await f.budget.logHead(r.roundId);
      let expected = EMPTY_HEAD;
      for (const [who, sel] of [[f.alice, selection(0, 2)], [f.bob, selection(0)], [f.carol, selection(1, 2)], [f.dave, selection(1, 3)], [f.erin, selection(0)]] as const) {
        expected = nextHead(expected, who.address, sel);
      }
      expect(head).to.equal(expected);
      await expect(o.postResult(r.roundId, selection(0), id("another log")))
        .to.be.revertedWithCustomError(o, "ParticipatoryBudgetLogHeadMismatch")
        .withArgs(head, id("another log"));
      await expect(o.postResult(r.roundId, selection(0, 1), head))
        .to.be.revertedWithCustomError(o, "ParticipatoryBudgetOverEnvelope")
        .withArgs(CITY, coins(110_000), coins(100_000));
      await expect(o.postResult(r.roundId, selection(0, 4), head))
        .to.be.revertedWithCustomError(o, "ParticipatoryBudgetNotOnBallot")
        .withArgs(r.roundId, 4);
      const tx = o.postResult(r.roundId, selection(1, 2, 3), head);
      await expect(tx).to.emit(o, "RoundTallied").withArgs(r.roundId, WinnerRule.EqualSharesAdd1, selection(1, 2, 3), head, f.orchestrator.address);
      await expect(tx).to.emit(o, "ProjectSelected").withArgs(r.roundId, 4, SOUTH_ENV, coins(10_000), 1);
      await expect(o.postResult(r.roundId, selection(0), head))
        .to.be.revertedWithCustomError(o, "ParticipatoryBudgetWrongPhase")
        .withArgs(r.roundId, Phase.Funding, Phase.Tally);
    });

    it("a greedy round takes no posted result", async function () {
      const f = await loadFixture(budgetFixture);
      const r = await closedRound(f);
      await expect(f.budget.connect(f.orchestrator).postResult(r.roundId, selection(0), await f.budget.logHead(r.roundId)))
        .to.be.revertedWithCustomError(f.budget, "ParticipatoryBudgetWrongWinnerRule")
        .withArgs(r.roundId, WinnerRule.Greedy);
    });
  });

  describe("challenge window of posted results", function () {
    it("fund waits for the window after an Equal Shares result; unchallenged, it funds after", async function () {
      const f = await loadFixture(budgetFixture);
      const r = await closedRound(f, WinnerRule.EqualSharesAdd1);
      const o = f.budget.connect(f.orchestrator);
      await (await o.postResult(r.roundId, selection(1, 2, 3), await f.budget.logHead(r.roundId))).wait();
      const end = (await f.budget.round(r.roundId)).state.challengeEnd;
      expect(end).to.equal(BigInt(await time.latest()) + (await f.budget.CHALLENGE_WINDOW()));
      await expect(o.fund(r.roundId)).to.be.revertedWithCustomError(o, "ParticipatoryBudgetChallengeWindowOpen").withArgs(r.roundId, end);
      await time.increaseTo(end);
      await expect(f.budget.connect(f.erin).challengeResult(r.roundId, selection(0, 2, 3)))
        .to.be.revertedWithCustomError(o, "ParticipatoryBudgetNotChallengeable")
        .withArgs(r.roundId, end);
      await expect(o.fund(r.roundId)).to.emit(o, "RoundFunded").withArgs(r.roundId, f.treasury.address, coins(80_000));
    });

    it("a greedy result (computed on chain) is funded at once", async function () {
      const f = await loadFixture(budgetFixture);
      const r = await closedRound(f);
      await (await f.budget.tally(r.roundId)).wait();
      await expect(f.budget.connect(f.erin).challengeResult(r.roundId, selection(1)))
        .to.be.revertedWithCustomError(f.budget, "ParticipatoryBudgetNotChallengeable");
      await expect(f.budget.connect(f.orchestrator).fund(r.roundId)).to.emit(f.budget, "RoundFunded");
    });

    it("a challenged result cannot be funded until the council resolves it; upheld, it is funded", async function () {
      const f = await loadFixture(budgetFixture);
      const r = await challengedRound(f);
      const o = f.budget.connect(f.orchestrator);
      await time.increase(4 * DAY);
      await expect(o.fund(r.roundId)).to.be.revertedWithCustomError(o, "ParticipatoryBudgetResultChallenged").withArgs(r.roundId);
      await expect(f.budget.connect(f.council).resolveChallenge(r.roundId, true, id("recount agrees")))
        .to.emit(f.budget, "ChallengeResolved")
        .withArgs(r.roundId, true, id("recount agrees"), f.council.address);
      await expect(f.budget.connect(f.council).resolveChallenge(r.roundId, true, id("again")))
        .to.be.revertedWithCustomError(f.budget, "ParticipatoryBudgetNotChallenged")
        .withArgs(r.roundId);
      await expect(o.fund(r.roundId)).to.emit(o, "RoundFunded").withArgs(r.roundId, f.treasury.address, coins(80_000));
    });

    it("a rejected result returns the round to its tally: projects back on the ballot, a corrected result starts a new window", async function () {
      const f = await loadFixture(budgetFixture);
      const r = await challengedRound(f);
      await (await f.budget.connect(f.council).resolveChallenge(r.roundId, false, id("recount differs"))).wait();
      expect(await f.budget.phaseOf(r.roundId)).to.equal(Phase.Tally);
      expect(await f.budget.winnersOf(r.roundId)).to.equal(0n);
      expect((await f.budget.project(r.roundId, 2)).status).to.equal(BigInt(ProjectStatus.Feasible));
      const o = f.budget.connect(f.orchestrator);
      await expect(o.postResult(r.roundId, selection(0, 2, 3), await f.budget.logHead(r.roundId))).to.emit(o, "RoundTallied");
      await expect(o.fund(r.roundId)).to.be.revertedWithCustomError(o, "ParticipatoryBudgetChallengeWindowOpen");
    });

    it("a challenge comes from an active member, once, with other winners that fit the ballot", async function () {
      const f = await loadFixture(budgetFixture);
      const r = await closedRound(f, WinnerRule.EqualSharesAdd1);
      await (await f.budget.connect(f.orchestrator).postResult(r.roundId, selection(1, 2, 3), await f.budget.logHead(r.roundId))).wait();
      await expect(f.budget.connect(f.outsider).challengeResult(r.roundId, selection(0)))
        .to.be.revertedWithCustomError(f.budget, "ParticipatoryBudgetNotAMember")
        .withArgs(f.outsider.address);
      await expect(f.budget.connect(f.erin).challengeResult(r.roundId, selection(1, 2, 3)))
        .to.be.revertedWithCustomError(f.budget, "ParticipatoryBudgetSameResult")
        .withArgs(r.roundId, selection(1, 2, 3));
      await expect(f.budget.connect(f.erin).challengeResult(r.roundId, selection(0, 1)))
        .to.be.revertedWithCustomError(f.budget, "ParticipatoryBudgetOverEnvelope");
      await expect(f.budget.connect(f.erin).challengeResult(r.roundId, selection(0, 2, 3)))
        .to.emit(f.budget, "ResultChallenged")
        .withArgs(r.roundId, f.erin.address, selection(1, 2, 3), selection(0, 2, 3));
      await expect(f.budget.connect(f.dave).challengeResult(r.roundId, selection(0)))
        .to.be.revertedWithCustomError(f.budget, "ParticipatoryBudgetNotChallengeable");
    });
  });

  describe("tranches of members who are not active (held) and key recovery", function () {
    it("a suspended proposer's tranche is held for them (other projects unaffected), withdrawn once reinstated", async function () {
      const f = await loadFixture(budgetFixture);
      const r = await fundedRound(f);
      const o = f.budget.connect(f.orchestrator);
      await (await f.registry.connect(f.registrar).suspend(f.alice.address, id("inquiry"))).wait();
      const tx = o.release(r.roundId, 1, coins(10_000), id("m1"));
      await expect(tx).to.emit(o, "TrancheReleased").withArgs(r.roundId, 1, f.alice.address, coins(10_000), id("m1"), coins(10_000));
      await expect(tx).to.emit(o, "TrancheHeld").withArgs(r.roundId, 1, f.alice.address, coins(10_000), coins(10_000));
      expect(await f.budget.heldOf(f.alice.address)).to.equal(coins(10_000));
      // The project's other operations, and other projects, go on.
      await expect(o.closeProject(r.roundId, 4, id("done"))).to.emit(o, "ProjectClosed");
      await expect(f.budget.connect(f.alice).withdrawHeld()).to.be.revertedWithCustomError(o, "ParticipatoryBudgetMemberSuspended");
      await expect(o.forfeitHeld(f.alice.address, id("x"))).to.be.revertedWithCustomError(o, "AccessManagedUnauthorized");
      await expect(f.budget.connect(f.council).forfeitHeld(f.alice.address, id("x")))
        .to.be.revertedWithCustomError(o, "ParticipatoryBudgetNotRemoved")
        .withArgs(f.alice.address);
      await (await f.registry.connect(f.registrar).reinstate(f.alice.address)).wait();
      const w = f.budget.connect(f.alice).withdrawHeld();
      await expect(w).to.emit(o, "HeldWithdrawn").withArgs(f.alice.address, coins(10_000));
      await expect(w).to.changeTokenBalances(f.coin, [f.budget, f.alice], [-coins(10_000), coins(10_000)]);
      await expect(f.budget.connect(f.alice).withdrawHeld()).to.be.revertedWithCustomError(o, "ParticipatoryBudgetNothingHeld").withArgs(f.alice.address);
    });

    it("a removed proposer's held tranche goes back to the treasury on the council's decision", async function () {
      const f = await loadFixture(budgetFixture);
      const r = await fundedRound(f);
      await (await f.registry.connect(f.registrar).remove(f.alice.address, id("left the city"))).wait();
      await (await f.budget.connect(f.orchestrator).release(r.roundId, 1, coins(10_000), id("m1"))).wait();
      const tx = f.budget.connect(f.council).forfeitHeld(f.alice.address, id("left"));
      await expect(tx).to.emit(f.budget, "HeldForfeited").withArgs(f.alice.address, f.treasury.address, coins(10_000), id("left"));
      await expect(tx).to.changeTokenBalances(f.coin, [f.budget, f.treasury], [-coins(10_000), coins(10_000)]);
      expect(await f.coin.balanceOf(f.budget)).to.equal(coins(80_000)); // Σ escrow + Σ held
    });

    it("a recovered proposer's tranches go to the new key, and what was held moves with the membership", async function () {
      const f = await loadFixture(budgetFixture);
      const r = await fundedRound(f);
      const o = f.budget.connect(f.orchestrator);
      const [newKey] = f.rest;
      await (await f.registry.connect(f.registrar).suspend(f.alice.address, id("key lost"))).wait();
      await (await o.release(r.roundId, 1, coins(10_000), id("m1"))).wait();
      await (await f.registry.connect(f.registrar).startMigration(f.alice.address, newKey.address)).wait();
      await (await f.registry.connect(f.orchestrator).approveMigration(f.alice.address)).wait();
      await time.increase(3 * DAY);
      await expect(f.registry.completeMigration(f.alice.address))
        .to.emit(f.budget, "ProposerMigrated")
        .withArgs(f.alice.address, newKey.address, coins(10_000));
      expect(await f.budget.heldOf(newKey.address)).to.equal(coins(10_000));
      await (await f.registry.connect(f.registrar).reinstate(newKey.address)).wait();
      await expect(o.release(r.roundId, 1, coins(5_000), id("m2"))).to.changeTokenBalances(f.coin, [f.budget, newKey], [-coins(5_000), coins(5_000)]);
      await expect(f.budget.connect(newKey).withdrawHeld()).to.changeTokenBalances(f.coin, [f.budget, newKey], [-coins(10_000), coins(10_000)]);
    });

  });

  describe("funding", function () {
    it("moves the winners' costs from the treasury into per-project escrow, once", async function () {
      const f = await loadFixture(budgetFixture);
      const r = await closedRound(f);
      const o = f.budget.connect(f.orchestrator);
      await expect(o.fund(r.roundId))
        .to.be.revertedWithCustomError(o, "ParticipatoryBudgetWrongPhase")
        .withArgs(r.roundId, Phase.Tally, Phase.Funding);
      await (await f.budget.tally(r.roundId)).wait();
      const tx = o.fund(r.roundId);
      await expect(tx).to.emit(o, "ProjectFunded").withArgs(r.roundId, 1, coins(60_000));
      await expect(tx).to.emit(o, "ProjectFunded").withArgs(r.roundId, 3, coins(20_000));
      await expect(tx).to.emit(o, "ProjectFunded").withArgs(r.roundId, 4, coins(10_000));
      await expect(tx).to.emit(o, "RoundFunded").withArgs(r.roundId, f.treasury.address, coins(90_000));
      await expect(tx).to.changeTokenBalances(f.coin, [f.treasury, f.budget], [-coins(90_000), coins(90_000)]);
      const p = await f.budget.project(r.roundId, 1);
      expect([p.status, p.escrow, p.released]).to.deep.equal([BigInt(ProjectStatus.Funded), coins(60_000), 0n]);
      await expect(o.fund(r.roundId)).to.be.revertedWithCustomError(o, "ParticipatoryBudgetAlreadyFunded").withArgs(r.roundId);
    });

    it("a round without winners funds nothing", async function () {
      const f = await loadFixture(budgetFixture);
      const r = await votingRound(f, FOUR);
      await time.increaseTo(r.params.voteEnd);
      await (await f.budget.tally(r.roundId)).wait();
      await expect(f.budget.connect(f.orchestrator).fund(r.roundId)).to.emit(f.budget, "RoundFunded").withArgs(r.roundId, f.treasury.address, 0);
      expect(await f.coin.balanceOf(f.budget)).to.equal(0n);
    });

    it("releases tranches to the proposer on milestone evidence, then returns the rest to the treasury at close", async function () {
      const f = await loadFixture(budgetFixture);
      const r = await fundedRound(f);
      const o = f.budget.connect(f.orchestrator);
      await expect(o.release(r.roundId, 1, coins(25_000), id("m1"))).to.changeTokenBalances(f.coin, [f.budget, f.alice], [-coins(25_000), coins(25_000)]);
      await expect(o.release(r.roundId, 1, coins(5_000), id("m2")))
        .to.emit(o, "TrancheReleased")
        .withArgs(r.roundId, 1, f.alice.address, coins(5_000), id("m2"), coins(30_000));
      await expect(o.release(r.roundId, 1, coins(30_001), id("m3")))
        .to.be.revertedWithCustomError(o, "ParticipatoryBudgetExceedsEscrow")
        .withArgs(r.roundId, 1, coins(30_001), coins(30_000));
      await expect(o.release(r.roundId, 1, 0, id("m3"))).to.be.revertedWithCustomError(o, "ParticipatoryBudgetZeroAmount");
      const close = o.closeProject(r.roundId, 1, id("finished under budget"));
      await expect(close).to.emit(o, "ProjectClosed").withArgs(r.roundId, 1, f.treasury.address, coins(30_000), id("finished under budget"));
      await expect(close).to.changeTokenBalances(f.coin, [f.budget, f.treasury], [-coins(30_000), coins(30_000)]);
      const p = await f.budget.project(r.roundId, 1);
      expect([p.status, p.escrow, p.released]).to.deep.equal([BigInt(ProjectStatus.Closed), 0n, coins(30_000)]);
      await expect(o.release(r.roundId, 1, 1, id("after close")))
        .to.be.revertedWithCustomError(o, "ParticipatoryBudgetNotFunded")
        .withArgs(r.roundId, 1);
      await expect(o.closeProject(r.roundId, 1, id("again")))
        .to.be.revertedWithCustomError(o, "ParticipatoryBudgetNotFunded")
        .withArgs(r.roundId, 1);
      // A project that lost, and one that does not exist.
      await expect(o.release(r.roundId, 2, 1, id("x"))).to.be.revertedWithCustomError(o, "ParticipatoryBudgetNotFunded").withArgs(r.roundId, 2);
      await expect(o.release(r.roundId, 9, 1, id("x"))).to.be.revertedWithCustomError(o, "ParticipatoryBudgetUnknownProject").withArgs(r.roundId, 9);
      expect(await f.coin.balanceOf(f.treasury)).to.equal(TREASURY_COINS - coins(90_000) + coins(30_000));
    });
  });
});
