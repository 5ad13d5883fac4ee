import { indexElection, tieBreakComparator, type BudgetElection, type IndexedElection, type TieBreaking } from "./election";

/**
 * The default tie-break of {@link greedy}, the one the Ballots contract implements on chain: among projects with as
 * many votes, the cheaper first, then the lower id.
 */
export const GREEDY_TIE_BREAKING: TieBreaking = ["minCost", "minId"];

/** Options of {@link greedy}. @example `{ tieBreaking: ["maxCost"], skip: false }` */
export interface GreedyOptions {
  /** How projects with as many votes are ordered; default {@link GREEDY_TIE_BREAKING}. */
  tieBreaking?: TieBreaking;
  /**
   * Whether a project that no longer fits is skipped so that later, cheaper ones may still be selected (default
   * `true`, pabulib's `greedy`). With `false` the selection stops at the first project that does not fit (pabulib's
   * `greedy-no-skip`, e.g. Gdynia's district budgets).
   */
  skip?: boolean;
}

/**
 * The outcome of a budget rule: winners in the order the rule selected them, and their total cost.
 * @example `{ winners: ["3", "9"], cost: 28_200n }`
 */
export interface BudgetOutcome {
  /** Selected project ids, in selection order. */
  winners: string[];
  /** Sum of the winners' costs, ≤ the budget. */
  cost: bigint;
}

/**
 * The greedy rule ("standard method" of most cities): projects in decreasing order of votes, each selected when its
 * cost fits in what is left of the budget, skipped otherwise (later, cheaper projects may still fit). Ties in votes
 * are broken by `tieBreaking` ({@link GREEDY_TIE_BREAKING}: lower cost, then lower id). Projects nobody approves are
 * never selected. With `skip: false` the selection stops at the first project that does not fit instead.
 *
 * @throws {InvalidElectionError} When the election is malformed.
 * @example
 * ```ts
 * greedy({
 *   budget: 100n,
 *   projects: [{ id: "1", cost: 60n }, { id: "2", cost: 50n }, { id: "3", cost: 40n }],
 *   voters: [{ id: "a", approvals: ["1", "2"] }, { id: "b", approvals: ["1", "3"] }, { id: "c", approvals: ["2"] }],
 * }); // { winners: ["2", "3"], cost: 90n }: 1 and 2 tie on 2 votes, 2 is cheaper; then 1 no longer fits, 3 does
 * // With { skip: false }: { winners: ["2"], cost: 50n }: the selection stops at 1
 * ```
 */
export function greedy(election: BudgetElection, options: GreedyOptions = {}): BudgetOutcome {
  const indexed = indexElection(election);
  const winners = greedyFill(indexed, [], options.tieBreaking ?? GREEDY_TIE_BREAKING, options.skip ?? true);
  return outcomeOf(indexed, winners);
}

/**
 * Adds projects to `selected` by the greedy rule until nothing more fits (or, without `skip`, until the first that
 * does not fit); returns the projects added, in order.
 * @internal
 */
export function greedyFill(indexed: IndexedElection, selected: readonly number[], tieBreaking: TieBreaking, skip = true): number[] {
  const { costs, votes } = indexed;
  const taken = new Set(selected);
  let left = indexed.election.budget;
  for (const p of selected) left -= costs[p]!;
  const tie = tieBreakComparator(indexed, tieBreaking);
  const order = costs.map((_, p) => p).filter((p) => votes[p]! > 0 && !taken.has(p));
  order.sort((a, b) => votes[b]! - votes[a]! || tie(a, b));
  const added: number[] = [];
  for (const p of order) {
    if (costs[p]! <= left) {
      added.push(p);
      left -= costs[p]!;
    } else if (!skip) {
      break;
    }
  }
  return added;
}

/** @internal */
export function outcomeOf(indexed: IndexedElection, winners: readonly number[]): BudgetOutcome {
  let cost = 0n;
  for (const p of winners) cost += indexed.costs[p]!;
  return { winners: winners.map((p) => indexed.ids[p]!), cost };
}
