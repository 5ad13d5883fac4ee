/**
 * The demo's participatory budget (ParticipatoryBudget): six rounds, one in each phase when the city is ready, and a
 * seventh open for votes with an approval ballot. The oldest was voted by most members, its Equal Shares result
 * computed from the ballot log with the SDK, posted, and funded after its challenge window; the next waits for its
 * greedy tally; one is open for votes (knapsack ballots) with projects in every district; the others are in review, in
 * support and taking proposals.
 */
import { MaxUint256, id } from "ethers";
import { createPublicClient, custom } from "viem";
import { budgetBallotRules, budgetWinnerRules, computeBudgetResult, createCityClient, type DeploymentRecordJson } from "@cityledger/sdk";
import { DEMO_DISTRICTS, EURO, type DemoMember } from "./members";
import { READY, mined, type DemoContext } from "./context";
import { DAY, HOUR } from "./timeline";

/** The phases of ParticipatoryBudget, the demo's round in each (the `Phase` enum's names). */
export const BUDGET_PHASES = ["proposals", "support", "review", "vote", "tally", "funding"] as const;
export type BudgetPhaseName = (typeof BUDGET_PHASES)[number];

export interface DemoBudget {
  /** The round in each phase when the city is ready, by phase. */
  rounds: Record<BudgetPhaseName, bigint>;
  /** The round tallied with the Method of Equal Shares: its winners (ballot-index bitmap and project ids), funded. */
  equalShares: { roundId: bigint; winners: bigint; winningProjects: number[]; logHead: string };
  /** Ballots cast in the round open for votes so far. */
  openVotes: number;
  /** A second round open for votes, with approval ballots of at most {@link APPROVAL_K} projects per envelope; no ballot yet. */
  approvalRound: bigint;
}

/** How many projects an approval ballot of the demo approves at most, per envelope. */
export const APPROVAL_K = 2;

/** Envelopes of every demo round: the city-wide one, then one per district (1..5). */
const CITY_ENVELOPE = 3_000n * EURO;
const DISTRICT_ENVELOPE = 800n * EURO;

/** Projects of a round with a full ballot: three city-wide, two in each district (costs in euros). */
const FULL = {
  city: [
    ["A covered bike park at the railway station", 1_200],
    ["Solar panels on the school roofs", 900],
    ["A repair café in the old market hall", 1_500],
  ],
  district: [
    ["Shaded benches on the main square", 500],
    ["A community vegetable garden", 350],
  ],
} as const;
/** Projects of a round still being proposed, supported or reviewed: one city-wide, one per district. */
const SMALL = { city: [["Drinking fountains in the parks", 1_000]], district: [["Street trees along the school route", 400]] } as const;

interface RoundPlan {
  phase: BudgetPhaseName;
  /** Days from its creation to the end of proposals, support, review and vote. */
  days: readonly [number, number, number, number];
  winnerRule: number;
  supportThreshold: number;
  projects: typeof FULL | typeof SMALL;
  /** Approval of at most k per envelope; knapsack (within the envelope's amount) when absent. */
  approvalOf?: number;
}

/** The rounds, oldest first (ids 1..6). Deadlines are days after the timeline's start (the last: after its creation). */
const ROUNDS: readonly RoundPlan[] = [
  { phase: "funding", days: [1, 2, 3, 5], winnerRule: budgetWinnerRules.equalSharesAdd1, supportThreshold: 0, projects: FULL },
  { phase: "tally", days: [1, 2, 3, 8], winnerRule: budgetWinnerRules.greedy, supportThreshold: 0, projects: FULL },
  { phase: "vote", days: [1, 2, 3, 16], winnerRule: budgetWinnerRules.equalSharesAdd1, supportThreshold: 0, projects: FULL },
  { phase: "review", days: [1, 8, 14, 21], winnerRule: budgetWinnerRules.equalSharesAdd1, supportThreshold: 2, projects: SMALL },
  { phase: "support", days: [8, 14, 16, 23], winnerRule: budgetWinnerRules.greedy, supportThreshold: 2, projects: SMALL },
  { phase: "proposals", days: [7, 10, 12, 19], winnerRule: budgetWinnerRules.equalSharesAdd1, supportThreshold: 2, projects: SMALL },
];
/** The round open for votes with approval ballots (a wallet shows the count left, not the budget left). */
const APPROVAL_ROUND: RoundPlan = { ...ROUNDS.find((r) => r.phase === "vote")!, winnerRule: budgetWinnerRules.greedy, approvalOf: APPROVAL_K };

/** A round's projects in submission order (= ballot order when all are found feasible): envelope 0, then districts. */
function projectsOf(plan: RoundPlan): { envelope: number; title: string; cost: bigint }[] {
  const city = plan.projects.city.map(([title, euros]) => ({ envelope: 0, title, cost: BigInt(euros) * EURO }));
  const districts = Array.from({ length: DEMO_DISTRICTS }, (_, d) =>
    plan.projects.district.map(([title, euros]) => ({ envelope: d + 1, title: `${title} (district ${d + 1})`, cost: BigInt(euros) * EURO })),
  );
  return [...city, ...districts.flat()];
}

/**
 * A knapsack ballot of a round with the full ballot, a pure function of the member: two of the three city-wide projects
 * (or the costliest alone) and one or none of its district's two.
 */
function ballotOf(m: DemoMember): bigint {
  const city = [0b011n, 0b101n, 0b110n, 0b100n][m.index % 4];
  const districtFirst = BigInt(FULL.city.length + FULL.district.length * (m.district - 1));
  const own = [1n << districtFirst, 1n << (districtFirst + 1n), 0n][m.index % 3];
  return city | own;
}

/** Schedules the rounds; the returned function reads what was made, once played. */
export function scheduleBudget(ctx: DemoContext): () => Promise<DemoBudget> {
  const { city, timeline, actors, wallets, members } = ctx;
  const budget = city.budget;
  const orchestrator = budget.connect(actors.orchestrator);
  const t0 = timeline.t0;
  const ids = {} as Record<BudgetPhaseName, bigint>;
  const plan = (phase: BudgetPhaseName) => ROUNDS.find((r) => r.phase === phase)!;
  let approvalRound = 0n;

  /** Creates the round of `p` now (`start` is the time its deadlines count from) and submits its projects. */
  const open = async (p: RoundPlan, start: number) => {
    const [proposalsEnd, supportEnd, reviewEnd, voteEnd] = p.days.map((d) => start + d * DAY);
    await mined(
      orchestrator.createRound({
        snapshot: proposalsEnd,
        proposalsEnd,
        supportEnd,
        reviewEnd,
        voteEnd,
        supportThreshold: p.supportThreshold,
        ballotRule: p.approvalOf === undefined ? budgetBallotRules.knapsack : budgetBallotRules.approval,
        maxApprovals: p.approvalOf ?? 0,
        minSpendBps: 0,
        collegeMask: 0xffff,
        winnerRule: p.winnerRule,
        cityAmount: CITY_ENVELOPE,
        districts: Array.from({ length: DEMO_DISTRICTS }, (_, d) => d + 1),
        districtAmounts: Array<bigint>(DEMO_DISTRICTS).fill(DISTRICT_ENVELOPE),
      }),
    );
    const roundId = await budget.roundCount();
    if (p === APPROVAL_ROUND) approvalRound = roundId;
    else ids[p.phase] = roundId;
    for (const [k, project] of projectsOf(p).entries()) {
      // Proposed by a member of the project's district (any member for a city-wide one), in turn.
      const pool = project.envelope === 0 ? members : members.filter((m) => m.district === project.envelope);
      const proposer = pool[(Number(roundId) + k) % pool.length];
      const slug = project.title.toLowerCase().replace(/[^a-z0-9]+/g, "-");
      await mined(budget.connect(wallets[proposer.index]).submit(roundId, project.envelope, project.cost, id(project.title), `https://demo.cityledger.invalid/budget/${roundId}/${slug}`));
    }
  };
  const support = async (phase: BudgetPhaseName, supporters: readonly DemoMember[], projects: number) => {
    for (let projectId = 1; projectId <= projects; projectId++) {
      for (const m of supporters) await mined(budget.connect(wallets[m.index]).support(ids[phase], projectId));
    }
  };
  const reviewRound = async (roundId: bigint, verdicts: readonly boolean[]) => {
    for (const [k, feasible] of verdicts.entries()) {
      await mined(orchestrator.review(roundId, k + 1, feasible, id(`cityledger demo technical report ${roundId}-${k + 1}`)));
    }
  };
  const review = (phase: BudgetPhaseName, verdicts: readonly boolean[]) => reviewRound(ids[phase], verdicts);
  const vote = async (phase: BudgetPhaseName, voters: readonly DemoMember[]) => {
    for (const m of voters) await mined(budget.connect(wallets[m.index]).vote(ids[phase], ballotOf(m)));
  };
  const full = (phase: BudgetPhaseName) => projectsOf(plan(phase)).length;
  const allFeasible = (phase: BudgetPhaseName) => Array<boolean>(full(phase)).fill(true);
  const openVoters = members.slice(0, 10);
  let equalShares: DemoBudget["equalShares"] | undefined;

  timeline.at(t0, "budget: five rounds open, members propose projects", async () => {
    for (const phase of ["funding", "tally", "vote", "review", "support"] as const) await open(plan(phase), t0);
    await open(APPROVAL_ROUND, t0);
  });
  timeline.at(t0 + DAY + HOUR, "budget: members support projects", () => support("review", members.slice(0, 2), full("review")));
  timeline.at(t0 + 2 * DAY + HOUR, "budget: projects reviewed", async () => {
    for (const phase of ["funding", "tally", "vote"] as const) await review(phase, allFeasible(phase));
    await reviewRound(approvalRound, allFeasible("vote"));
  });
  timeline.at(t0 + 3 * DAY + HOUR, "budget: members vote", async () => {
    await vote("funding", members.slice(0, 24));
    await vote("tally", members.slice(8, 24));
    await vote("vote", openVoters);
  });
  // The vote of the first round closed on day 5: its Equal Shares result, computed from the ballot log as anyone can.
  timeline.at(t0 + 5 * DAY + HOUR, "budget: an Equal Shares result posted", async () => {
    const roundId = ids.funding;
    const reader = createCityClient({
      publicClient: createPublicClient({ transport: custom(ctx.hre.network.provider) }),
      deployment: city.record as DeploymentRecordJson,
    });
    const log = await reader.budget.getBudgetBallotLog({ roundId, fromBlock: BigInt(city.record.contracts.ParticipatoryBudget.blockNumber) });
    const { winners } = computeBudgetResult(log, plan("funding").winnerRule);
    await mined(orchestrator.postResult(roundId, winners, log.head));
    const winningProjects = log.projects.filter((p) => (winners >> BigInt(p.ballotIndex)) & 1n).map((p) => p.projectId);
    equalShares = { roundId, winners, winningProjects, logHead: log.head };
  });
  // Its three-day challenge window passed without a challenge: the treasury funds the winners' escrow.
  timeline.at(t0 + 8 * DAY + 2 * HOUR, "budget: winners funded, projects reviewed and supported", async () => {
    await mined(city.coin.connect(actors.treasury).approve(await budget.getAddress(), MaxUint256));
    await mined(orchestrator.fund(ids.funding));
    await review("review", [true, false, true]);
    await support("support", members.slice(2, 4), 3);
  });
  timeline.at(t0 + READY - HOUR, "budget: a new round takes proposals", () => open(plan("proposals"), t0 + READY - HOUR));

  return async () => ({ rounds: ids, equalShares: equalShares!, openVotes: openVoters.length, approvalRound });
}
