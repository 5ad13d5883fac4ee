import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { createPublicClient, custom, type Address, type Hex, type PublicClient } from "viem";
import { ballotIndexesOf } from "../../sdk/src/actions/budget/types";
import { getBudgetBallotLog } from "../../sdk/src/actions/budget/getBudgetBallotLog";
import { computeBudgetResult } from "../../sdk/src/actions/budget/computeBudgetResult";
import type { CityAddresses } from "../../sdk/src/deployment/loadDeployment";
import { deriveLog } from "../../scripts/audit/derive";
import { EventIndex } from "../../scripts/audit/events";
import { budgetCheck } from "../../scripts/audit/checks";
import type { AuditContext, CheckResult } from "../../scripts/audit/types";
import { coins } from "../fixtures";
import { BallotRule, WinnerRule, budgetFixture, registerMore, selection, votingRound, type BudgetCtx } from "../votes/budgetHelpers";

/**
 * The audit recomputes a budget round with the rule the round recorded, conventions included: the Equal Shares share
 * (integral or exact) and greedy with or without skipping. Seven voters and four city-wide projects (€37, €38, €30,
 * €43) on a €102 envelope: 102 / 7 = €14.57 a voter, rounded down to €14 or kept exact, and the two select different
 * projects.
 */
const COSTS = [37, 38, 30, 43];
const BALLOTS = [[2, 3], [3, 0, 2], [1], [2], [2], [1], [3]];

async function round(f: BudgetCtx & { extra: BudgetCtx["alice"] }, winnerRule: number, amount: number) {
  const r = await votingRound(
    f,
    COSTS.map((c) => ({ envelope: 0, cost: coins(c) })),
    { winnerRule, ballotRule: BallotRule.Approval, maxApprovals: 3, cityAmount: coins(amount), districts: [], districtAmounts: [] },
  );
  const voters = [f.alice, f.bob, f.carol, f.dave, f.erin, f.paul, f.extra];
  for (const [v, picks] of BALLOTS.entries()) await (await f.budget.connect(voters[v]!).vote(r.roundId, selection(...picks))).wait();
  await time.increaseTo(r.params.voteEnd);
  return r.roundId;
}

async function fixture() {
  const f = await budgetFixture();
  const [extra] = await registerMore(f, 1);
  return { ...f, extra: extra! };
}

describe("cityledger audit: budget rules and their conventions", function () {
  this.timeout(120_000);

  it("recomputes with the recorded share convention (a result computed with the other fails) and greedy without skipping", async function () {
    const f = await loadFixture(fixture);
    // No block-number cache: each read below follows the transactions just sent.
    const publicClient = createPublicClient({ transport: custom(hre.network.provider), cacheTime: 0 }) as PublicClient;
    const sdk = { publicClient, addresses: { participatoryBudget: (await f.budget.getAddress()) as Hex } as CityAddresses };
    const o = f.budget.connect(f.orchestrator);

    // Two rounds that record the exact share: one posted with the integral share's winners, one with the exact's.
    const wrong = await round(f, WinnerRule.EqualSharesAdd1Exact, 102);
    const log = await getBudgetBallotLog(sdk, { roundId: wrong });
    const integral = computeBudgetResult(log, WinnerRule.EqualSharesAdd1).winners;
    const exact = computeBudgetResult(log, WinnerRule.EqualSharesAdd1Exact).winners;
    expect(integral).to.not.equal(exact);
    await (await o.postResult(wrong, integral, log.head)).wait();
    const right = await round(f, WinnerRule.EqualSharesAdd1Exact, 102);
    const rightLog = await getBudgetBallotLog(sdk, { roundId: right });
    await (await o.postResult(right, computeBudgetResult(rightLog, WinnerRule.EqualSharesAdd1Exact).winners, rightLog.head)).wait();
    // €70 without skipping: project 3 (4 votes, €30), then project 4 (3 votes, €43) does not fit: the selection
    // stops; skipping would add project 2 (2 votes, €38).
    const noSkip = await round(f, WinnerRule.GreedyNoSkip, 70);
    await (await f.budget.tally(noSkip)).wait();
    const noSkipLog = await getBudgetBallotLog(sdk, { roundId: noSkip });
    expect(computeBudgetResult(noSkipLog, WinnerRule.Greedy).winners).to.not.equal(await f.budget.winnersOf(noSkip));

    const block = await publicClient.getBlockNumber();
    const record = f.record;
    const derived = await deriveLog({
      client: publicClient,
      addresses: Object.values(record.contracts).map((c) => c.address as Address),
      fromBlock: 0n,
      toBlock: block,
      chainId: 31337,
    });
    const ctx: AuditContext = {
      deployment: record,
      client: publicClient,
      block,
      logs: derived.logs,
      tree: derived.tree,
      events: new EventIndex(derived.logs, record.contracts),
      options: {},
      log: () => {},
    };
    const results: CheckResult[] = await budgetCheck.run(ctx);
    const of = (roundId: bigint) => results.find((r) => r.record.startsWith(`round ${roundId} `))!;
    expect(of(wrong).status).to.equal("fail");
    // Project i + 1 is at ballot index i.
    const projects = (bits: bigint) => ballotIndexesOf(bits).map((i) => i + 1).join(", ");
    expect(of(wrong).message).to.equal(`Equal Shares (add1, exact share) on the ballot log selects projects [${projects(exact)}]; the round recorded [${projects(integral)}]`);
    expect(of(right).status).to.equal("pass");
    expect(of(right).figures!.rule).to.equal("Equal Shares (add1, exact share)");
    expect(of(noSkip).status).to.equal("pass");
    expect(of(noSkip).message).to.equal("greedy without skipping on 7 ballots selects projects [3], as recorded");
  });
});
