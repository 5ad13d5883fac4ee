/**
 * The Method of Equal Shares (MES) for approval ballots with cost utilities, with the "add1" completion of
 * equalshares.net and the two variants cities have published results with. Exact: every amount is a bigint or a
 * {@link Rational}; no floating point.
 *
 * MES with a per-voter share `s`: every voter starts with `s`. Repeatedly, for each remaining project `c`, find the
 * smallest `ρ` such that the approvers of `c` can pay `cost(c)` when each pays `min(budget, ρ)`; a project whose
 * approvers hold less than its cost together is dropped. The project with the highest *effective vote count*
 * `cost/ρ` (the smallest payment per unit of cost, which is what cost utilities mean) wins, its approvers pay, and the round repeats until no project is affordable.
 *
 * Implementation notes (same outcome as the textbook loop, faster):
 * - voters whose budgets are equal share a *budget class*; classes are kept in increasing order of budget, so a
 *   project's water-filling walks its approvers' classes (counted with integer arithmetic) poorest first, with one
 *   rational operation per class and not per voter. Paying `ρ` preserves the order of the classes it touches, so the
 *   order is maintained by one merge per round.
 * - a project's `ρ` can only grow as budgets shrink, so each round evaluates projects in decreasing order of their
 *   previous effective vote count and stops at the first whose previous count is already below the best one found (equalshares.net's
 *   "general trick"); projects tied with the best are still evaluated, so ties are seen and broken explicitly.
 */
import { indexElection, tieBreakComparator, type BudgetElection, type IndexedElection, type TieBreaking } from "./election";
import { GREEDY_TIE_BREAKING, greedyFill, outcomeOf, type BudgetOutcome } from "./greedy";
import { Rational, gcd } from "./rational";

/**
 * How the MES outcome is completed, so that the budget is (nearly) spent.
 *
 * - `"add1"` — equalshares.net's recommended completion: start from each voter's share of the budget (rounded down to
 *   a whole currency unit) and raise it by one currency unit at a time, each time recomputing MES; stop when the
 *   outcome is exhaustive (no other project fits in what is left) or when the next raise would give an outcome over
 *   the budget (then keep the current one). Finally fill what is left greedily (projects by decreasing votes that
 *   still fit).
 * - `"add1-no-greedy"` — the same raises and stops, without the final greedy fill (Assen 2024).
 * - `"add1-stop-on-overspend"` — raise until the next raise would give an outcome over the budget, even past an
 *   exhaustive outcome; then the greedy fill (Wieliczka 2023, "Zielony Milion").
 * - `"none"` — MES with the budget split equally, nothing else (no raise, no greedy fill).
 */
export type EqualSharesCompletion = "add1" | "add1-no-greedy" | "add1-stop-on-overspend" | "none";

/** The completions {@link equalShares} knows, for validation and UIs. */
export const equalSharesCompletions: readonly EqualSharesCompletion[] = ["add1", "add1-no-greedy", "add1-stop-on-overspend", "none"];

/**
 * The default MES tie-break, equalshares.net's recommendation: the cheaper project, then the one with more votes.
 * Where equalshares.net then draws lots, {@link equalShares} takes the lower id (pass an explicit order of ids drawn
 * by lot first to follow the site to the letter).
 */
export const EQUAL_SHARES_TIE_BREAKING: TieBreaking = ["minCost", "maxVotes"];

/** Options of {@link equalShares}. @example `{ completion: "add1-no-greedy" }` */
export interface EqualSharesOptions {
  /** Default `"add1"`. */
  completion?: EqualSharesCompletion;
  /** Ties between projects with the same effective vote count; default {@link EQUAL_SHARES_TIE_BREAKING}. */
  tieBreaking?: TieBreaking;
  /** Ties in votes during the greedy fill; default {@link GREEDY_TIE_BREAKING} (as the on-chain greedy). */
  greedyTieBreaking?: TieBreaking;
  /**
   * Whether the add1 completion starts from the share rounded down to a whole currency unit (equalshares.net's
   * tool: `floor(budget / voters)`), so that every step is a whole amount; default `true`. With `false` it starts
   * from the exact `budget / voters`.
   */
  integral?: boolean;
}

/**
 * The outcome of {@link equalShares}.
 * @example `{ winners: ["3", "9", "2"], cost: 38_200n, mesWinners: ["3", "9", "2"], addedByGreedy: [], steps: 4, … }`
 */
export interface EqualSharesResult extends BudgetOutcome {
  /** The winners chosen by MES itself (in selection order): `winners` = `mesWinners` then `addedByGreedy`. */
  mesWinners: string[];
  /** The winners added by the greedy fill, in order. */
  addedByGreedy: string[];
  /** Each voter's starting share in the final MES computation, in base units. */
  endowment: Rational;
  /** How many one-unit raises of the share the add1 completion kept (0 without completion). */
  steps: number;
  /** What each voter paid for the MES winners, in base units, in the order of `election.voters` (≤ `endowment`). */
  payments: Rational[];
}

/**
 * The Method of Equal Shares on an approval election with cost utilities, completed as `options.completion` says
 * (default `"add1"`, see {@link EqualSharesCompletion}). Projects of cost 0 or without any approval are left to the
 * greedy fill, as in equalshares.net's tool; when all projects together fit in the budget, MES runs once with the
 * budget split equally and the greedy fill adds the rest.
 *
 * @throws {InvalidElectionError} When the election is malformed.
 * @example
 * ```ts
 * const result = equalShares({
 *   budget: 300n,
 *   projects: [{ id: "A", cost: 200n }, { id: "B", cost: 100n }, { id: "C", cost: 100n }],
 *   voters: [
 *     { id: "1", approvals: ["A", "B"] }, { id: "2", approvals: ["A", "B"] }, { id: "3", approvals: ["C"] },
 *   ],
 * }, { completion: "none" });
 * result.winners; // ["A", "C"]: voters 1 and 2 pay 100 each for A, voter 3 pays 100 for C
 * ```
 */
export function equalShares(election: BudgetElection, options: EqualSharesOptions = {}): EqualSharesResult {
  const completion = options.completion ?? "add1";
  if (!equalSharesCompletions.includes(completion)) {
    throw new TypeError(`Unknown Equal Shares completion ${JSON.stringify(completion)}; use one of ${equalSharesCompletions.join(", ")}.`);
  }
  const indexed = indexElection(election);
  const tie = tieBreakComparator(indexed, options.tieBreaking ?? EQUAL_SHARES_TIE_BREAKING);
  const n = BigInt(election.voters.length);
  const budget = election.budget;
  const unit = indexed.unit;
  let allCost = 0n;
  for (const c of indexed.costs) allCost += c;

  let share = n === 0n ? Rational.ZERO : Rational.of(budget, n);
  let run: MesRun;
  let steps = 0;
  if (completion === "none" || allCost <= budget || n === 0n) {
    run = mesFixedShare(indexed, share, tie);
  } else {
    if (options.integral ?? true) share = Rational.of((budget / (n * unit)) * unit);
    run = mesFixedShare(indexed, share, tie);
    const checkExhaustive = completion !== "add1-stop-on-overspend";
    const selectable = indexed.costs.filter((c, p) => c > 0n && indexed.votes[p]! > 0).length;
    const step = Rational.of(unit);
    for (;;) {
      if (checkExhaustive && exhaustive(indexed, run.winners)) break;
      // More money cannot buy more than every project MES may select: stop instead of raising forever.
      if (run.winners.length === selectable) break;
      const nextShare = share.add(step);
      const next = mesFixedShare(indexed, nextShare, tie, budget);
      if (next.cost > budget) break;
      share = nextShare;
      run = next;
      steps++;
    }
  }
  const fill = completion === "add1-no-greedy" || completion === "none" ? [] : greedyFill(indexed, run.winners, options.greedyTieBreaking ?? GREEDY_TIE_BREAKING);
  const { winners, cost } = outcomeOf(indexed, [...run.winners, ...fill]);
  return {
    winners,
    cost,
    mesWinners: run.winners.map((p) => indexed.ids[p]!),
    addedByGreedy: fill.map((p) => indexed.ids[p]!),
    endowment: share,
    steps,
    payments: Array.from(run.classOf, (k) => share.sub(run.classValue[k]!)),
  };
}

function costOf(indexed: IndexedElection, winners: readonly number[]): bigint {
  let sum = 0n;
  for (const p of winners) sum += indexed.costs[p]!;
  return sum;
}

function exhaustive(indexed: IndexedElection, winners: readonly number[]): boolean {
  const left = indexed.election.budget - costOf(indexed, winners);
  const taken = new Set(winners);
  return indexed.costs.every((c, p) => taken.has(p) || c > left);
}

/** One MES computation: the winners in order and every voter's final budget (the value of its class). */
interface MesRun {
  winners: number[];
  classOf: Int32Array;
  classValue: Rational[];
  /** Sum of the winners' costs. */
  cost: bigint;
}

/**
 * MES with every voter starting at `share`. Budget classes: `classValue[k]` is a budget, `classOf[v]` voter v's
 * class, `order` the class ids by increasing value with no two equal values, `rank[k]` the position of class k in
 * `order`. With `costLimit`, stops as soon as the winners cost more (the caller only needs to know that).
 */
function mesFixedShare(indexed: IndexedElection, share: Rational, tie: (a: number, b: number) => number, costLimit?: bigint): MesRun {
  const { costs, approvers, votes } = indexed;
  const voters = indexed.election.voters.length;
  const classValue: Rational[] = [Rational.ZERO];
  let order: number[] = [0];
  const classOf = new Int32Array(voters);
  if (!share.isZero()) {
    classValue.push(share);
    order = [0, 1];
    classOf.fill(1);
  }
  let rank = ranks(order, classValue.length);

  // A project's key is ρ / cost, the inverse of its effective vote count cost / ρ: the smallest key wins. It starts at
  // 1 / votes (everybody can pay an equal split) and only grows. `candidates` stays sorted by previous key (ties by
  // index); re-sorting an almost sorted array each round is nearly linear.
  const previousKey: Rational[] = [];
  let candidates: number[] = [];
  costs.forEach((cost, p) => {
    previousKey[p] = Rational.of(1n, BigInt(Math.max(votes[p]!, 1)));
    if (cost > 0n && votes[p]! > 0) candidates.push(p);
  });
  const byKey = (a: number, b: number) => previousKey[a]!.compare(previousKey[b]!) || a - b;
  candidates.sort(byKey);

  let counts = new Int32Array(classValue.length);
  const winners: number[] = [];
  const rhoOf: (Rational | undefined)[] = [];
  const dropped = new Uint8Array(costs.length);
  let cost = 0n;
  for (;;) {
    let best: number[] = [];
    let bestKey: Rational | undefined;
    for (const c of candidates) {
      if (bestKey && previousKey[c]!.compare(bestKey) > 0) break;
      if (counts.length < classValue.length) counts = new Int32Array(classValue.length * 2);
      const rho = waterLevel(costs[c]!, approvers[c]!, classOf, classValue, rank, counts);
      if (!rho) {
        dropped[c] = 1;
        continue;
      }
      const key = rho.divInt(costs[c]!);
      previousKey[c] = key;
      rhoOf[c] = rho;
      const vs = bestKey ? key.compare(bestKey) : -1;
      if (vs < 0) {
        bestKey = key;
        best = [c];
      } else if (vs === 0) {
        best.push(c);
      }
    }
    if (!bestKey) break;
    const winner = best.length === 1 ? best[0]! : best.sort(tie)[0]!;
    winners.push(winner);
    cost += costs[winner]!;
    if (costLimit !== undefined && cost > costLimit) break;
    dropped[winner] = 1;
    candidates = candidates.filter((c) => dropped[c] === 0);
    candidates.sort(byKey);
    order = pay(approvers[winner]!, rhoOf[winner]!, classOf, classValue, order, rank);
    rank = ranks(order, classValue.length);
  }
  return { winners, classOf, classValue, cost };
}

function ranks(order: readonly number[], size: number): Int32Array {
  const rank = new Int32Array(size);
  order.forEach((k, i) => (rank[k] = i));
  return rank;
}

/**
 * The smallest payment ρ at which the approvers pay `cost`, each paying min(budget, ρ), or `undefined` when they
 * cannot. Walks the approvers' budget classes from the poorest: a whole class that cannot pay the equal split of
 * what is left pays its budget and drops out of the split. What is left is kept as a bare fraction `ln / ld` over the
 * least common denominator of the classes walked: one small gcd and a few multiplications per class.
 */
function waterLevel(cost: bigint, approvers: Int32Array, classOf: Int32Array, classValue: readonly Rational[], rank: Int32Array, counts: Int32Array): Rational | undefined {
  const touched: number[] = [];
  for (let i = 0; i < approvers.length; i++) {
    const k = classOf[approvers[i]!]!;
    if (counts[k]++ === 0) touched.push(k);
  }
  touched.sort((a, b) => rank[a]! - rank[b]!);
  let ln = cost;
  let ld = 1n;
  let payers = BigInt(approvers.length);
  let rho: Rational | undefined;
  for (const k of touched) {
    const { numerator: vn, denominator: vd } = classValue[k]!;
    // Can this class pay the equal split left / payers? value ≥ ln / (ld × payers) ⇔ vn × ld × payers ≥ ln × vd.
    if (vn * ld * payers >= ln * vd) {
      rho = Rational.of(ln, ld * payers);
      break;
    }
    // left −= count × value, over the least common denominator of ld and vd.
    const count = BigInt(counts[k]!);
    const g = vd === 1n || ld === 1n ? 1n : gcd(ld, vd);
    const up = vd / g;
    ln = ln * up - count * vn * (ld / g);
    ld *= up;
    payers -= count;
  }
  for (const k of touched) counts[k] = 0;
  return rho;
}

/**
 * The winner's approvers pay min(budget, ρ). A class above ρ moves to its value minus ρ (an existing class when one
 * holds that value), a class at or below ρ moves to class 0; returns the new order of the classes.
 */
function pay(approvers: Int32Array, rho: Rational, classOf: Int32Array, classValue: Rational[], order: readonly number[], rank: Int32Array): number[] {
  const moved = new Int32Array(classValue.length).fill(-1);
  const paying: number[] = [];
  for (let i = 0; i < approvers.length; i++) {
    const k = classOf[approvers[i]!]!;
    if (moved[k] === -1) {
      moved[k] = 0;
      paying.push(k);
    }
  }
  // The paying classes above ρ, by increasing value: their new values keep that order.
  const above = paying.filter((k) => classValue[k]!.compare(rho) > 0).sort((a, b) => rank[a]! - rank[b]!);
  const merged: number[] = [];
  let i = 0;
  for (const k of above) {
    const value = classValue[k]!.sub(rho);
    while (i < order.length && classValue[order[i]!]!.compare(value) < 0) merged.push(order[i++]!);
    if (i < order.length && classValue[order[i]!]!.equals(value)) {
      moved[k] = order[i]!;
    } else {
      moved[k] = classValue.length;
      merged.push(classValue.length);
      classValue.push(value);
    }
  }
  while (i < order.length) merged.push(order[i++]!);
  for (let j = 0; j < approvers.length; j++) {
    const v = approvers[j]!;
    classOf[v] = moved[classOf[v]!]!;
  }
  return merged;
}
