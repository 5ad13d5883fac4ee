/**
 * The Method of Equal Shares (MES) for approval ballots with cost utilities, with the "add1" completion of
 * equalshares.net and the two variants cities have published results with. Exact: every amount is a bigint or a
 * {@link Rational}; no floating point.
 *
 * MES with a per-voter share `s`: every voter starts with `s`. Repeatedly, for each remaining project `c`, find the
 * smallest `ρ` such that the approvers of `c` can pay `cost(c)` when each pays `min(budget, ρ)`; a project whose
 * approvers hold less than its cost together is dropped. The project with the highest *effective vote count*
 * `cost/ρ` (the smallest payment per unit of cost, which is what cost utilities mean) wins, its approvers pay, and
 * the round repeats until no project is affordable.
 *
 * Implementation notes (same outcome as the textbook loop, faster, still exact):
 * - every budget is an integer numerator over one common denominator `D` (the share's, times the payers' counts of
 *   the winners so far): budgets compare, add and subtract as bigints, with no gcd in the hot loops. A winner's
 *   payment `ρ = L / (D·s)` rescales every numerator by `s` (a small integer) once.
 * - voters whose budgets are equal share a *budget class*; classes are kept in increasing order of budget, so a
 *   project's water-filling walks its approvers' classes (counted with integer arithmetic) poorest first, with a few
 *   bigint operations per class and not per voter. Paying `ρ` preserves the order of the classes it touches, so the
 *   order is maintained by one merge per round.
 * - a project's `ρ` can only grow as budgets shrink, so each round evaluates projects in decreasing order of their
 *   previous effective vote count and stops at the first whose previous count is already below the best one found
 *   (equalshares.net's "general trick"); projects tied with the best are still evaluated, so ties are seen and broken
 *   explicitly.
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
 *   the budget (then keep the current one). Finally fill what is left greedily: {@link greedy}'s order and rule
 *   (projects with at least one vote, by decreasing votes, each taken if it still fits). equalshares.net's tool also
 *   lets a project nobody voted for into this fill when it fits; here, as in the on-chain greedy, it never wins.
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
 * (default `"add1"`, see {@link EqualSharesCompletion}). As in equalshares.net's tool, MES itself skips projects of
 * cost 0 (the greedy fill takes them) and projects nobody approves, and when all projects together fit in the budget
 * MES runs once with the budget split equally (no raises) and the greedy fill adds the rest.
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
    payments: paymentsOf(run, share),
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

/**
 * One MES computation: the winners in order, their cost, and every voter's final budget `num[classOf[v]] / D`.
 */
interface MesRun {
  winners: number[];
  cost: bigint;
  classOf: Int32Array;
  num: bigint[];
  D: bigint;
}

/** What each voter paid: the share minus the final budget of its class (one fraction per class, not per voter). */
function paymentsOf(run: MesRun, share: Rational): Rational[] {
  const shareNum = share.numerator * (run.D / share.denominator);
  const perClass = run.num.map((n) => Rational.of(shareNum - n, run.D));
  return Array.from(run.classOf, (k) => perClass[k]!);
}

/** a/b < c/d for positive denominators, as -1, 0 or 1. */
function compareFractions(a: bigint, b: bigint, c: bigint, d: bigint): number {
  const x = a * d;
  const y = c * b;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * MES with every voter starting at `share`. Budget classes: voter v holds `num[classOf[v]] / D`; `order` lists the
 * class ids by increasing budget with no two equal, `rank[k]` is the position of class k in `order`. With
 * `costLimit`, stops as soon as the winners cost more (the caller only needs to know that).
 */
function mesFixedShare(indexed: IndexedElection, share: Rational, tie: (a: number, b: number) => number, costLimit?: bigint): MesRun {
  const { costs, approvers, votes } = indexed;
  const voters = indexed.election.voters.length;
  let D = share.denominator;
  const num: bigint[] = [0n];
  let order: number[] = [0];
  const classOf = new Int32Array(voters);
  if (!share.isZero()) {
    num.push(share.numerator);
    order = [0, 1];
    classOf.fill(1);
  }
  let rank = ranks(order, num.length);

  // A project's key is ρ / cost, the inverse of its effective vote count cost / ρ: the smallest key wins. It starts at
  // 1 / votes (everybody can pay an equal split) and only grows. Keys are kept as bare fractions keyNum / keyDen.
  // `candidates` stays sorted by previous key (ties by index); re-sorting an almost sorted array is nearly linear.
  const keyNum: bigint[] = [];
  const keyDen: bigint[] = [];
  let candidates: number[] = [];
  costs.forEach((cost, p) => {
    keyNum[p] = 1n;
    keyDen[p] = BigInt(Math.max(votes[p]!, 1));
    if (cost > 0n && votes[p]! > 0) candidates.push(p);
  });
  const byKey = (a: number, b: number) => compareFractions(keyNum[a]!, keyDen[a]!, keyNum[b]!, keyDen[b]!) || a - b;
  candidates.sort(byKey);

  let counts = new Int32Array(num.length);
  const winners: number[] = [];
  const left: bigint[] = [];
  const payers: bigint[] = [];
  const dropped = new Uint8Array(costs.length);
  let cost = 0n;
  for (;;) {
    let best: number[] = [];
    let bestNum = 0n;
    let bestDen = 0n;
    for (const c of candidates) {
      if (best.length > 0 && compareFractions(keyNum[c]!, keyDen[c]!, bestNum, bestDen) > 0) break;
      if (counts.length < num.length) counts = new Int32Array(num.length * 2);
      const level = waterLevel(costs[c]! * D, approvers[c]!, classOf, num, rank, counts);
      if (!level) {
        dropped[c] = 1;
        continue;
      }
      // ρ = left / (D · payers); key = ρ / cost.
      left[c] = level.left;
      payers[c] = level.payers;
      keyNum[c] = level.left;
      keyDen[c] = D * level.payers * costs[c]!;
      const vs = best.length === 0 ? -1 : compareFractions(keyNum[c]!, keyDen[c]!, bestNum, bestDen);
      if (vs < 0) {
        bestNum = keyNum[c]!;
        bestDen = keyDen[c]!;
        best = [c];
      } else if (vs === 0) {
        best.push(c);
      }
    }
    if (best.length === 0) break;
    const winner = best.length === 1 ? best[0]! : best.sort(tie)[0]!;
    winners.push(winner);
    cost += costs[winner]!;
    if (costLimit !== undefined && cost > costLimit) break;
    dropped[winner] = 1;
    candidates = candidates.filter((c) => dropped[c] === 0);
    candidates.sort(byKey);
    // ρ = L / (D · s) in lowest terms against the payers' count: rescale every budget by s, then pay L.
    const g = gcd(left[winner]!, payers[winner]!);
    const scale = payers[winner]! / g;
    if (scale !== 1n) {
      D *= scale;
      for (let k = 0; k < num.length; k++) num[k]! *= scale;
    }
    order = pay(approvers[winner]!, left[winner]! / g, classOf, num, order, rank);
    rank = ranks(order, num.length);
  }
  return { winners, cost, classOf, num, D };
}

function ranks(order: readonly number[], size: number): Int32Array {
  const rank = new Int32Array(size);
  order.forEach((k, i) => (rank[k] = i));
  return rank;
}

/**
 * The water level at which the approvers pay `costD / D`, each paying min(budget, ρ): returns what is left for the
 * approvers who pay ρ in full (`left`, over D) and how many they are (ρ = left / (D · payers)), or `undefined` when
 * the approvers cannot pay. Walks the approvers' budget classes from the poorest: a whole class that cannot pay the
 * equal split of what is left pays its budget and drops out of the split.
 */
function waterLevel(costD: bigint, approvers: Int32Array, classOf: Int32Array, num: readonly bigint[], rank: Int32Array, counts: Int32Array): { left: bigint; payers: bigint } | undefined {
  const touched: number[] = [];
  for (let i = 0; i < approvers.length; i++) {
    const k = classOf[approvers[i]!]!;
    if (counts[k]++ === 0) touched.push(k);
  }
  touched.sort((a, b) => rank[a]! - rank[b]!);
  let left = costD;
  let payers = BigInt(approvers.length);
  let level: { left: bigint; payers: bigint } | undefined;
  for (const k of touched) {
    const budget = num[k]!;
    // Can this class pay the equal split? budget / D ≥ left / (D · payers) ⇔ budget · payers ≥ left.
    if (budget * payers >= left) {
      level = { left, payers };
      break;
    }
    const count = BigInt(counts[k]!);
    left -= count * budget;
    payers -= count;
  }
  for (const k of touched) counts[k] = 0;
  return level;
}

/**
 * The winner's approvers pay min(budget, ρ), with ρ = `rho` / D. A class above ρ moves to its budget minus ρ (an
 * existing class when one holds that budget), a class at or below ρ moves to class 0; returns the new order.
 */
function pay(approvers: Int32Array, rho: bigint, classOf: Int32Array, num: bigint[], order: readonly number[], rank: Int32Array): number[] {
  const moved = new Int32Array(num.length).fill(-1);
  const paying: number[] = [];
  for (let i = 0; i < approvers.length; i++) {
    const k = classOf[approvers[i]!]!;
    if (moved[k] === -1) {
      moved[k] = 0;
      paying.push(k);
    }
  }
  // The paying classes above ρ, by increasing budget: their new budgets keep that order.
  const above = paying.filter((k) => num[k]! > rho).sort((a, b) => rank[a]! - rank[b]!);
  const merged: number[] = [];
  let i = 0;
  for (const k of above) {
    const value = num[k]! - rho;
    while (i < order.length && num[order[i]!]! < value) merged.push(order[i++]!);
    if (i < order.length && num[order[i]!]! === value) {
      moved[k] = order[i]!;
    } else {
      moved[k] = num.length;
      merged.push(num.length);
      num.push(value);
    }
  }
  while (i < order.length) merged.push(order[i++]!);
  for (let j = 0; j < approvers.length; j++) {
    const v = approvers[j]!;
    classOf[v] = moved[classOf[v]!]!;
  }
  return merged;
}
