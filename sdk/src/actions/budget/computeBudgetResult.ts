import { equalShares, type EqualSharesCompletion } from "../../votes/equalShares";
import { greedy } from "../../votes/greedy";
import type { BudgetOutcome } from "../../votes/greedy";
import type { GetBudgetBallotLogReturnType } from "./getBudgetBallotLog";
import { budgetWinnerRules } from "./types";

/**
 * The Equal Shares completion each on-chain winner rule names (greedy has none).
 * @example `budgetCompletionOf[budgetWinnerRules.equalSharesAssen] // "add1-no-greedy"`
 */
export const budgetCompletionOf: Readonly<Record<number, EqualSharesCompletion | undefined>> = {
  [budgetWinnerRules.greedy]: undefined,
  [budgetWinnerRules.equalSharesAdd1]: "add1",
  [budgetWinnerRules.equalSharesWieliczka]: "add1-stop-on-overspend",
  [budgetWinnerRules.equalSharesAssen]: "add1-no-greedy",
};

/** @example `const { winners, outcomes } = computeBudgetResult(log, budgetWinnerRules.equalSharesAdd1);` */
export interface BudgetResult {
  /** Bitmap of the winning ballot indexes, as {@link postEqualSharesResult} and `winnersOf` hold it. */
  winners: bigint;
  /** Each envelope's outcome (winner ids are project ids as decimal strings), by envelope index. */
  outcomes: BudgetOutcome[];
}

/**
 * Computes a round's winners from its ballot log, envelope by envelope, with the round's winner rule: the greedy rule
 * (what `tally` does on chain: use it to check a greedy result) or the Method of Equal Shares with the rule's
 * completion, with exact rational arithmetic.
 *
 * @example
 * ```ts
 * const log = await getBudgetBallotLog(city, { roundId });
 * const { winners } = computeBudgetResult(log, budgetWinnerRules.equalSharesAdd1);
 * await postEqualSharesResult(city, { roundId, winners, logHead: log.head, wait: true });
 * ```
 */
export function computeBudgetResult(log: GetBudgetBallotLogReturnType, winnerRule: number): BudgetResult {
  if (!(winnerRule in budgetCompletionOf)) throw new RangeError(`winner rule ${winnerRule} is not one of ParticipatoryBudget's`);
  const completion = budgetCompletionOf[winnerRule];
  const outcomes = log.elections.map((election) => (completion ? equalShares(election, { completion }) : greedy(election)));
  const indexOf = new Map(log.projects.map((p) => [String(p.projectId), p.ballotIndex]));
  let winners = 0n;
  for (const outcome of outcomes) for (const id of outcome.winners) winners |= 1n << BigInt(indexOf.get(id)!);
  return { winners, outcomes };
}
