import { time } from "@nomicfoundation/hardhat-network-helpers";
import { MaxUint256, id, solidityPackedKeccak256, ZeroHash } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { cityFixture, coins, issue, now, register, type CityFixture } from "../fixtures";

export const HOUR = 3600;
export const DAY = 24 * HOUR;
export const BPS = 10_000n;

export const BallotRule = { Knapsack: 0, Approval: 1 } as const;
export const WinnerRule = {
  Greedy: 0,
  EqualSharesAdd1: 1,
  EqualSharesWieliczka: 2,
  EqualSharesAssen: 3,
  GreedyNoSkip: 4,
  EqualSharesAdd1Exact: 5,
  EqualSharesWieliczkaExact: 6,
  EqualSharesAssenExact: 7,
} as const;
export const Phase = { None: 0, Proposals: 1, Support: 2, Review: 3, Vote: 4, Tally: 5, Funding: 6 } as const;
export const ProjectStatus = { None: 0, Submitted: 1, Feasible: 2, Infeasible: 3, Selected: 4, Funded: 5, Closed: 6 } as const;

/** The districts the budget fixture's members live in (the registry's district numbers). */
export const NORTH = 1;
export const SOUTH = 2;
export const TREASURY_COINS = coins(10_000_000);

/** IParticipatoryBudget.RoundParams as the tests build them. */
export interface RoundParams {
  snapshot: number;
  proposalsEnd: number;
  supportEnd: number;
  reviewEnd: number;
  voteEnd: number;
  supportThreshold: number;
  ballotRule: number;
  maxApprovals: number;
  minSpendBps: number;
  collegeMask: number;
  winnerRule: number;
  cityAmount: bigint;
  districts: number[];
  districtAmounts: bigint[];
}

/**
 * The city with a budget treasury (a city account holding €10M that approved the budget contract) and members:
 * alice, bob and carol in the north (district 1), dave and erin in the south (district 2), all CITIZENS (college 1);
 * paul, a PUBLIC (college 0) member in the north.
 */
export async function budgetFixture() {
  const f = await cityFixture();
  const [treasury, alice, bob, carol, dave, erin, paul, ...rest] = f.people;
  await (await f.coin.connect(f.council).setCityAccount(treasury.address, true)).wait();
  await (await f.budget.connect(f.council).setTreasury(treasury.address)).wait();
  await issue(f, treasury, TREASURY_COINS);
  await (await f.coin.connect(treasury).approve(f.budget, MaxUint256)).wait();
  for (const who of [alice, bob, carol]) await register(f, who, { district: NORTH });
  for (const who of [dave, erin]) await register(f, who, { district: SOUTH });
  await register(f, paul, { college: 0, district: NORTH });
  return { ...f, treasury, alice, bob, carol, dave, erin, paul, rest };
}
export type BudgetCtx = Awaited<ReturnType<typeof budgetFixture>>;

/**
 * Round parameters starting from now: proposals for a day, support a day, review a day, vote a week. The snapshot is
 * the end of the proposals phase. Envelopes: €100,000 city-wide, €50,000 north, €30,000 south; knapsack, greedy, all
 * colleges, no support threshold.
 */
export async function roundParams(o: Partial<RoundParams> = {}): Promise<RoundParams> {
  const t = await now();
  const proposalsEnd = t + DAY;
  return {
    snapshot: proposalsEnd,
    proposalsEnd,
    supportEnd: proposalsEnd + DAY,
    reviewEnd: proposalsEnd + 2 * DAY,
    voteEnd: proposalsEnd + 9 * DAY,
    supportThreshold: 0,
    ballotRule: BallotRule.Knapsack,
    maxApprovals: 0,
    minSpendBps: 0,
    collegeMask: 0xffff,
    winnerRule: WinnerRule.Greedy,
    cityAmount: coins(100_000),
    districts: [NORTH, SOUTH],
    districtAmounts: [coins(50_000), coins(30_000)],
    ...o,
  };
}

/** Creates a round (as the orchestrator) and returns its id and parameters. */
export async function createRound(f: CityFixture, o: Partial<RoundParams> = {}) {
  const params = await roundParams(o);
  await (await f.budget.connect(f.orchestrator).createRound(params)).wait();
  return { roundId: await f.budget.roundCount(), params };
}

/** A project to submit: envelope index (0 = city-wide) and cost. */
export interface ProjectSpec {
  envelope: number;
  cost: bigint;
  proposer?: HardhatEthersSigner;
}

/** Submits a project and returns its id. */
export async function submit(f: BudgetCtx, roundId: bigint, p: ProjectSpec): Promise<bigint> {
  const proposer = p.proposer ?? f.alice;
  const count = (await f.budget.round(roundId)).state.projectCount;
  await (await f.budget.connect(proposer).submit(roundId, p.envelope, p.cost, id(`project ${count + 1n}`), `ipfs://project-${count + 1n}`)).wait();
  return count + 1n;
}

/**
 * A round in its vote phase with `projects` on the ballot, reviewed feasible in order (so project i + 1 is at ballot
 * index i).
 */
export async function votingRound(f: BudgetCtx, projects: ProjectSpec[], o: Partial<RoundParams> = {}) {
  const { roundId, params } = await createRound(f, o);
  const ids: bigint[] = [];
  for (const p of projects) ids.push(await submit(f, roundId, p));
  await time.increaseTo(params.supportEnd);
  for (const projectId of ids) await (await f.budget.connect(f.orchestrator).review(roundId, projectId, true, id("feasible"))).wait();
  await time.increaseTo(params.reviewEnd);
  return { roundId, params, ids };
}

/** Bitmap of ballot indexes. */
export function selection(...indexes: number[]): bigint {
  return indexes.reduce((acc, i) => acc | (1n << BigInt(i)), 0n);
}

/** The next head of a round's ballot log after `voter` cast `sel`. */
export function nextHead(head: string, voter: string, sel: bigint): string {
  return solidityPackedKeccak256(["bytes32", "address", "uint256"], [head, voter, sel]);
}

export const EMPTY_HEAD = ZeroHash;

/** Registers `count` members in district `district` (default north) from the remaining signers. */
export async function registerMore(f: BudgetCtx, count: number, district = NORTH) {
  const out: HardhatEthersSigner[] = [];
  for (let i = 0; i < count; ++i) {
    const who = f.rest.shift()!;
    await register(f, who, { district });
    out.push(who);
  }
  return out;
}
