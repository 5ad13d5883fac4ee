import type { ContractFunctionArgs, ContractFunctionReturnType } from "viem";
import type { participatoryBudgetAbi } from "../../abis/participatoryBudget";

/**
 * `IParticipatoryBudget.RoundParams`, typed from the ABI: snapshot and deadlines (unix seconds), support threshold,
 * ballot rule and k, minimum share in basis points, college mask, winner rule, city-wide amount and district
 * envelopes.
 * @example `const params: BudgetRoundParams = { snapshot, proposalsEnd, supportEnd, reviewEnd, voteEnd, supportThreshold: 0, ballotRule: 0, maxApprovals: 0, minSpendBps: 0, collegeMask: 0xffff, winnerRule: 0, cityAmount, districts: [], districtAmounts: [] };`
 */
export type BudgetRoundParams = ContractFunctionArgs<typeof participatoryBudgetAbi, "nonpayable", "createRound">[0];

type RawRound = ContractFunctionReturnType<typeof participatoryBudgetAbi, "view", "round">;
/** `IParticipatoryBudget.VoteConfig`: what a ballot reads. @example `const { snapshot, voteEnd } = config;` */
export type BudgetVoteConfig = RawRound[0];
/** `IParticipatoryBudget.RoundState`. @example `const { ballotCount, resultIn } = state;` */
export type BudgetRoundState = RawRound[1];
/** `IParticipatoryBudget.Project`. @example `const { proposer, cost, escrow, released } = project;` */
export type BudgetProjectRecord = ContractFunctionReturnType<typeof participatoryBudgetAbi, "view", "project">;

/** `IParticipatoryBudget.BallotRule` values. @example `{ ballotRule: budgetBallotRules.approval, maxApprovals: 3 }` */
export const budgetBallotRules = { knapsack: 0, approval: 1 } as const;

/**
 * `IParticipatoryBudget.WinnerRule` values: greedy on chain (skipping what no longer fits, or stopping there), or one
 * of the three Equal Shares completions the SDK computes, each with the share rounded down to a whole euro (the first
 * three) or exact (`…Exact`). {@link budgetRuleOf} gives each one's {@link BudgetRule}.
 * @example `{ winnerRule: budgetWinnerRules.equalSharesAdd1 }`
 */
export const budgetWinnerRules = {
  greedy: 0,
  equalSharesAdd1: 1,
  equalSharesWieliczka: 2,
  equalSharesAssen: 3,
  greedyNoSkip: 4,
  equalSharesAdd1Exact: 5,
  equalSharesWieliczkaExact: 6,
  equalSharesAssenExact: 7,
} as const;

/** `IParticipatoryBudget.Phase` names by value. @example `budgetPhases[Number(await getBudgetPhase(city, { roundId }))]` */
export const budgetPhases = ["none", "proposals", "support", "review", "vote", "tally", "funding"] as const;

/**
 * A ballot's selection: the bitmap of the given ballot indexes (0..255).
 * @example `budgetSelection([0, 4]) // 17n`
 */
export function budgetSelection(ballotIndexes: readonly number[]): bigint {
  let selection = 0n;
  for (const index of ballotIndexes) {
    if (!Number.isInteger(index) || index < 0 || index > 255) throw new RangeError(`ballot index ${index} is not in 0..255`);
    selection |= 1n << BigInt(index);
  }
  return selection;
}

/**
 * The ballot indexes of a selection bitmap, in increasing order.
 * @example `ballotIndexesOf(17n) // [0, 4]`
 */
export function ballotIndexesOf(selection: bigint): number[] {
  const out: number[] = [];
  for (let i = 0; selection >> BigInt(i) !== 0n; ++i) if ((selection >> BigInt(i)) & 1n) out.push(i);
  return out;
}
