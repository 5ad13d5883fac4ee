/**
 * Property tests of ParticipatoryBudget against a plain model.
 *  1. Ballots: random ballots (valid or not) by six members of two districts over six projects in three envelopes.
 *     The model keeps each member's last accepted ballot and decides acceptance from the knapsack rule and the
 *     districts; the chain must accept exactly those (and refuse the others with the model's custom error). After
 *     each run every project's on-chain count equals the number of last ballots that select it, every member's stored
 *     ballot is the model's, and the log head is the hash chain of the accepted ballots in order.
 *  2. Money: after a round is funded, random releases and closes of its winners keep
 *     treasury + escrow (the contract's balance) + released (the proposers' balances) constant, and the contract
 *     holds exactly Σ escrow.
 *
 * Reproduce / widen: FC_SEED=<n> FC_RUNS=<n> npx hardhat test test/votes/budget.property.test.ts
 */
import { expect } from "chai";
import fc from "fast-check";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { id } from "ethers";
import { coins } from "../fixtures";
import { EMPTY_HEAD, NORTH, SOUTH, budgetFixture, nextHead, votingRound, type ProjectSpec } from "./budgetHelpers";

const runs = Number(process.env.FC_RUNS ?? 25);
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;

/** Envelopes: city-wide €100k, north €50k, south €30k. Ballot index i = project i + 1. */
const PROJECTS: ProjectSpec[] = [
  { envelope: 0, cost: coins(60_000) },
  { envelope: 0, cost: coins(40_000) },
  { envelope: 0, cost: coins(30_000) },
  { envelope: 1, cost: coins(30_000) },
  { envelope: 1, cost: coins(25_000) },
  { envelope: 2, cost: coins(20_000) },
];
const AMOUNTS = [coins(100_000), coins(50_000), coins(30_000)];

async function ballotFixture() {
  const f = await budgetFixture();
  const r = await votingRound(f, PROJECTS);
  const voters = [f.alice, f.bob, f.carol, f.dave, f.erin, f.paul];
  const districts = [NORTH, NORTH, NORTH, SOUTH, SOUTH, NORTH];
  return { ...f, ...r, voters, districts };
}

/** The model's verdict on a ballot: null when accepted, else the custom error's name. */
function verdict(sel: number, district: number): string | null {
  if (sel === 0) return "ParticipatoryBudgetEmptyBallot";
  const spent = [0n, 0n, 0n];
  const own = district === NORTH ? 1 : 2;
  for (let i = 0; i < PROJECTS.length; ++i) {
    if ((sel >> i) & 1) {
      const { envelope, cost } = PROJECTS[i];
      if (envelope !== 0 && envelope !== own) return "ParticipatoryBudgetOutsideDistrict";
      spent[envelope] += cost;
    }
  }
  return spent.some((s, e) => s > AMOUNTS[e]) ? "ParticipatoryBudgetOverEnvelope" : null;
}

describe("ParticipatoryBudget properties", function () {
  this.timeout(600_000);

  it("per-project counts equal the last ballots; the log head chains the accepted ballots", async function () {
    const ballotArb = fc.record({ voter: fc.nat(5), sel: fc.nat((1 << PROJECTS.length) - 1) });
    await fc.assert(
      fc.asyncProperty(fc.array(ballotArb, { minLength: 1, maxLength: 14 }), async (ballots) => {
        const f = await loadFixture(ballotFixture);
        const last = new Map<number, number>();
        let head = EMPTY_HEAD;
        for (const { voter, sel } of ballots) {
          const who = f.voters[voter];
          const error = verdict(sel, f.districts[voter]);
          const tx = f.budget.connect(who).vote(f.roundId, sel);
          if (error) {
            await expect(tx, `${voter} ${sel}`).to.be.revertedWithCustomError(f.budget, error);
          } else {
            await (await tx).wait();
            last.set(voter, sel);
            head = nextHead(head, who.address, BigInt(sel));
          }
        }
        for (let i = 0; i < PROJECTS.length; ++i) {
          const expected = [...last.values()].filter((sel) => (sel >> i) & 1).length;
          expect((await f.budget.ballotEntry(f.roundId, i)).votes, `project ${i + 1}`).to.equal(BigInt(expected));
        }
        for (const [voter, who] of f.voters.entries()) {
          expect(await f.budget.ballotOf(f.roundId, who.address)).to.equal(BigInt(last.get(voter) ?? 0));
        }
        expect(await f.budget.logHead(f.roundId)).to.equal(head);
      }),
      { numRuns: runs, seed },
    );
  });

  it("treasury + escrow + released is conserved through funding, releases and closes", async function () {
    async function fundedFixture() {
      const f = await ballotFixture();
      // Winners (greedy): 60k and 40k city-wide, 30k north, 20k south (all proposed by alice).
      await (await f.budget.connect(f.alice).vote(f.roundId, 0b001011)).wait();
      await (await f.budget.connect(f.dave).vote(f.roundId, 0b100011)).wait();
      await time.increaseTo(f.params.voteEnd);
      await (await f.budget.tally(f.roundId)).wait();
      await (await f.budget.connect(f.orchestrator).fund(f.roundId)).wait();
      return f;
    }
    const opArb = fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant("release" as const), winner: fc.nat(3), amount: fc.bigInt({ min: 0n, max: coins(70_000) }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("close" as const), winner: fc.nat(3), amount: fc.constant(0n) }) },
    );
    const winners = [1, 2, 4, 6]; // project ids (ballot indexes 0, 1, 3, 5)
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 10 }), async (ops) => {
        const f = await loadFixture(fundedFixture);
        const o = f.budget.connect(f.orchestrator);
        const holders = [f.treasury, f.budget, f.alice] as const;
        const total = async () => (await Promise.all(holders.map((h) => f.coin.balanceOf(h)))).reduce((a, b) => a + b, 0n);
        const before = await total();
        expect(await f.coin.balanceOf(f.budget)).to.equal(coins(150_000));
        for (const op of ops) {
          const projectId = winners[op.winner];
          const p = await f.budget.project(f.roundId, projectId);
          const funded = p.status === 5n;
          if (op.kind === "release") {
            const tx = o.release(f.roundId, projectId, op.amount, id("milestone"));
            if (!funded) await expect(tx).to.be.revertedWithCustomError(o, "ParticipatoryBudgetNotFunded");
            else if (op.amount === 0n) await expect(tx).to.be.revertedWithCustomError(o, "ParticipatoryBudgetZeroAmount");
            else if (op.amount > p.escrow) await expect(tx).to.be.revertedWithCustomError(o, "ParticipatoryBudgetExceedsEscrow");
            else await (await tx).wait();
          } else {
            const tx = o.closeProject(f.roundId, projectId, id("closed"));
            if (!funded) await expect(tx).to.be.revertedWithCustomError(o, "ParticipatoryBudgetNotFunded");
            else await (await tx).wait();
          }
          let escrow = 0n;
          for (const pid of winners) escrow += (await f.budget.project(f.roundId, pid)).escrow;
          expect(await f.coin.balanceOf(f.budget)).to.equal(escrow);
        }
        // Every winner was proposed by alice (the helpers' default proposer), so released = alice's balance.
        expect(await total()).to.equal(before);
      }),
      { numRuns: runs, seed },
    );
  });
});
