/**
 * A participatory-budget rule as a round records it — which rule, and every choice that changes its outcome — and
 * one function that runs it, so the chain, the `.pb` export, `computeBudgetResult`, the audit and the app all dispatch
 * through the same table.
 */
import type { BudgetElection } from "./election";
import { equalShares, equalSharesCompletions, type EqualSharesCompletion } from "./equalShares";
import { greedy, type BudgetOutcome } from "./greedy";

/**
 * A winner rule with its conventions:
 *
 * - `{ method: "greedy", skip }` — {@link greedy}: by decreasing votes, each project that fits; with `skip: false` the
 *   selection stops at the first project that does not fit (pabulib's `greedy-no-skip`).
 * - `{ method: "equalShares", completion, integral }` — {@link equalShares} with that completion, the add1 raises
 *   starting from each voter's share rounded down to a whole currency unit (`integral: true`, equalshares.net's tool)
 *   or from the exact share `budget / voters` (`integral: false`). Both are legitimate and they can select different
 *   projects (Zürich 2023 "SN": 180 voters, 60,000 CHF, a share of 333 CHF or 333⅓ CHF; the last project selected is
 *   23 with the integral share, 15 with the exact one), so a round must say which one it uses.
 *
 * @example `const rule: BudgetRule = { method: "equalShares", completion: "add1", integral: true };`
 */
export type BudgetRule =
  | { method: "greedy"; skip: boolean }
  | { method: "equalShares"; completion: EqualSharesCompletion; integral: boolean };

/**
 * Runs a rule on an election: {@link greedy} or {@link equalShares} with the rule's options.
 *
 * @throws {InvalidElectionError} When the election is malformed.
 * @throws {TypeError} When the rule is not a {@link BudgetRule}.
 * @example `runBudgetRule(election, { method: "greedy", skip: false }).winners`
 */
export function runBudgetRule(election: BudgetElection, rule: BudgetRule): BudgetOutcome {
  if (rule.method === "greedy") return greedy(election, { skip: rule.skip });
  if (rule.method === "equalShares") return equalShares(election, { completion: rule.completion, integral: rule.integral });
  throw new TypeError(`Unknown budget rule ${JSON.stringify(rule)}; use method "greedy" or "equalShares".`);
}

/**
 * A rule in words, for reports and audit messages.
 * @example `budgetRuleName({ method: "equalShares", completion: "add1", integral: false }) // "Equal Shares (add1, exact share)"`
 */
export function budgetRuleName(rule: BudgetRule): string {
  if (rule.method === "greedy") return rule.skip ? "greedy" : "greedy without skipping";
  return `Equal Shares (${rule.completion}, ${rule.integral ? "integral" : "exact"} share)`;
}

/** @internal */
export function isCompletion(value: string): value is EqualSharesCompletion {
  return (equalSharesCompletions as readonly string[]).includes(value);
}
