import type { EqualSharesCompletion } from "../../votes/equalShares";
import type { BudgetOutcome } from "../../votes/greedy";
import { runBudgetRule, type BudgetRule } from "../../votes/rules";
import type { GetBudgetBallotLogReturnType } from "./getBudgetBallotLog";
import { budgetWinnerRules } from "./types";

/**
 * The rule each on-chain winner rule records: greedy with or without skipping, or Equal Shares with its completion
 * and its share convention (the share rounded down to a whole euro, or exact).
 * @example `budgetRuleOf[budgetWinnerRules.equalSharesAdd1Exact] // { method: "equalShares", completion: "add1", integral: false }`
 */
export const budgetRuleOf: Readonly<Record<number, BudgetRule>> = {
  [budgetWinnerRules.greedy]: { method: "greedy", skip: true },
  [budgetWinnerRules.greedyNoSkip]: { method: "greedy", skip: false },
  [budgetWinnerRules.equalSharesAdd1]: { method: "equalShares", completion: "add1", integral: true },
  [budgetWinnerRules.equalSharesWieliczka]: { method: "equalShares", completion: "add1-stop-on-overspend", integral: true },
  [budgetWinnerRules.equalSharesAssen]: { method: "equalShares", completion: "add1-no-greedy", integral: true },
  [budgetWinnerRules.equalSharesAdd1Exact]: { method: "equalShares", completion: "add1", integral: false },
  [budgetWinnerRules.equalSharesWieliczkaExact]: { method: "equalShares", completion: "add1-stop-on-overspend", integral: false },
  [budgetWinnerRules.equalSharesAssenExact]: { method: "equalShares", completion: "add1-no-greedy", integral: false },
};

/**
 * The Equal Shares completion each on-chain winner rule names (greedy rules have none).
 * @example `budgetCompletionOf[budgetWinnerRules.equalSharesAssen] // "add1-no-greedy"`
 */
export const budgetCompletionOf: Readonly<Record<number, EqualSharesCompletion | undefined>> = Object.fromEntries(
  Object.entries(budgetRuleOf).map(([code, rule]) => [code, rule.method === "equalShares" ? rule.completion : undefined]),
);

/** @example `const { winners, outcomes, rule } = computeBudgetResult(log, budgetWinnerRules.equalSharesAdd1);` */
export interface BudgetResult {
  /** Bitmap of the winning ballot indexes, as {@link postEqualSharesResult} and `winnersOf` hold it. */
  winners: bigint;
  /** Each envelope's outcome (winner ids are project ids as decimal strings), by envelope index. */
  outcomes: BudgetOutcome[];
  /** The rule the result was computed with, conventions included (what the round recorded). */
  rule: BudgetRule;
}

/**
 * Computes a round's winners from its ballot log, envelope by envelope, with the round's winner rule — greedy (what
 * `tally` does on chain: use it to check a greedy result) or the Method of Equal Shares with the rule's completion and
 * share convention, with exact rational arithmetic. `winnerRule` is the round's on-chain rule (its code, read from
 * `round()` or `RoundTallied`), or a {@link BudgetRule} spelled out.
 *
 * @throws {RangeError} When `winnerRule` is a code ParticipatoryBudget does not define.
 * @example
 * ```ts
 * const log = await getBudgetBallotLog(city, { roundId });
 * const { winners } = computeBudgetResult(log, budgetWinnerRules.equalSharesAdd1);
 * await postEqualSharesResult(city, { roundId, winners, logHead: log.head, wait: true });
 * ```
 */
export function computeBudgetResult(log: GetBudgetBallotLogReturnType, winnerRule: number | BudgetRule): BudgetResult {
  const rule = typeof winnerRule === "number" ? budgetRuleOf[winnerRule] : winnerRule;
  if (!rule) throw new RangeError(`winner rule ${String(winnerRule)} is not one of ParticipatoryBudget's`);
  const outcomes = log.elections.map((election) => runBudgetRule(election, rule));
  const indexOf = new Map(log.projects.map((p) => [String(p.projectId), p.ballotIndex]));
  let winners = 0n;
  for (const outcome of outcomes) for (const id of outcome.winners) winners |= 1n << BigInt(indexOf.get(id)!);
  return { winners, outcomes, rule };
}
