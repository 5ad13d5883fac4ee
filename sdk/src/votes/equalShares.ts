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
 * - the add1 completion does not run MES once per currency unit: every budget is an affine function of the share near
 *   the share it was computed at, so one MES run also yields how far the share can grow before any of its decisions
 *   could change (see {@link mesFixedShare}); the raises that stay within that margin give the same outcome and are
 *   skipped. The number of MES runs depends on how often the outcome changes, not on the size of the currency unit.
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
   * from the exact `budget / voters`. The two can select different projects (Zürich 2023 "SN": the last project is
   * 23 with the integral share, 15 with the exact one), so a round records its choice (see {@link BudgetRule}).
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
    run = mesFixedShare(indexed, share, tie, undefined, true);
    const checkExhaustive = completion !== "add1-stop-on-overspend";
    const selectable = indexed.costs.filter((c, p) => c > 0n && indexed.votes[p]! > 0).length;
    // The textbook loop raises the share by one unit while the outcome is not exhaustive and the raised share's outcome
    // fits the budget. Raises that stay within the run's margin give the same outcome, hence the same two tests:
    // jump to the first raise past the margin and only compute that one.
    // Where the outcome changes at nearly every unit (a unit that is large against the share), margins are shorter
    // than a unit and cost time for nothing: after such a run, the next runs skip them, twice as many each time.
    let untracked = 0;
    let skipped = 0;
    for (;;) {
      if (checkExhaustive && exhaustive(indexed, run.winners)) break;
      // More money cannot buy more than every project MES may select: stop instead of raising forever.
      if (run.winners.length === selectable) break;
      const jump = raisesWithin(run.margin, unit);
      if (run.margin !== undefined) untracked = jump > 1n ? 0 : Math.min(2 * untracked + 1, 16);
      const track = skipped >= untracked;
      skipped = track ? 0 : skipped + 1;
      const nextShare = share.add(Rational.of(jump * unit));
      const next = mesFixedShare(indexed, nextShare, tie, budget, track);
      if (next.cost > budget) {
        // The textbook loop stops at the last raise before this one: same winners as `run`, but each voter's share
        // (and so what they paid) is that raise's.
        if (jump > 1n) {
          share = share.add(Rational.of((jump - 1n) * unit));
          run = mesFixedShare(indexed, share, tie);
          steps += Number(jump - 1n);
        }
        break;
      }
      share = nextShare;
      run = next;
      steps += Number(jump);
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
 * One MES computation: the winners in order, their cost, and every voter's final budget `num[classOf[v]] / D`. With
 * `margin`: every share in `[share, share + margin)` gives the same winners (undefined: no bound was found).
 */
interface MesRun {
  winners: number[];
  cost: bigint;
  classOf: Int32Array;
  num: bigint[];
  D: bigint;
  margin?: Rational | undefined;
}

/**
 * How many raises of `unit` reach the first share past `margin` (at least one): the raises before it stay within it.
 * Without a margin, one raise at a time.
 */
function raisesWithin(margin: Rational | undefined, unit: bigint): bigint {
  if (margin === undefined) return 1n;
  const den = margin.denominator * unit;
  const raises = (margin.numerator + den - 1n) / den;
  return raises > 1n ? raises : 1n;
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
 *
 * With `track`, also finds a margin within which a larger share gives the same winners. Near `share`, each budget is
 * an affine function of the share x as long as every decision of the run stays the same: a class holds
 * `(num[k] + slope[k] · (x − share)) / D` (every voter starts at x: slope 1), a winner's payment ρ(x) is affine too,
 * and a class that pays moves to `num − ρ` with slope `slope − ρ'`. Classes are told apart by value *and* slope, and
 * ordered by value then slope (their order just above `share`). The run's decisions are comparisons of such affine
 * functions; each one holds up to where its two sides cross:
 *
 * - a winner's payers: each class of its approvers stays on the same side of ρ(x) (below: it pays all it has);
 * - the winner stays the best: for every other remaining project c, key_c(x) ≥ key_winner(x). The affine extension
 *   of c's key from where it was last computed, with that time's poorest classes, is a lower bound of its key at any
 *   x (ρ ≥ (cost − Σ_T b) / (n − |T|) for every set T of approvers), and keys only grow from round to round, so it is
 *   enough that this bound stays above the winner's key;
 * - a dropped project stays unaffordable: its approvers' total budget stays below its cost.
 *
 * The margin is the nearest crossing, so every share in `[share, share + margin)` keeps all decisions, hence the
 * winners. Ties at `share` itself that a larger share would break give a margin of 0.
 */
function mesFixedShare(indexed: IndexedElection, share: Rational, tie: (a: number, b: number) => number, costLimit?: bigint, track = false): MesRun {
  const { costs, approvers, votes } = indexed;
  const voters = indexed.election.voters.length;
  let D = share.denominator;
  const num: bigint[] = [0n];
  const slope: bigint[] = [0n];
  let order: number[] = [0];
  const classOf = new Int32Array(voters);
  if (voters > 0) {
    // Class 0 (nothing, slope 0) is where voters who paid all they had go; everybody starts at x, slope 1 = D / D.
    // Untracked, every slope stays 0 and costs next to nothing.
    num.push(share.numerator);
    slope.push(track ? D : 0n);
    order = [0, 1];
    classOf.fill(1);
  }
  let rank = ranks(order, num.length);
  const margin = new Margin();

  // A project's key is ρ / cost, the inverse of its effective vote count cost / ρ: the smallest key wins. It starts at
  // 1 / votes (everybody can pay an equal split) and only grows. Keys are kept as bare fractions keyNum / keyDen, with
  // keySlope / keyDen their slope in the share.
  // `candidates` stays sorted by previous key (ties by index); re-sorting an almost sorted array is nearly linear.
  const keyNum: bigint[] = [];
  const keyDen: bigint[] = [];
  const keySlope: bigint[] = [];
  let candidates: number[] = [];
  costs.forEach((cost, p) => {
    keyNum[p] = 1n;
    keyDen[p] = BigInt(Math.max(votes[p]!, 1));
    keySlope[p] = 0n;
    if (cost > 0n && votes[p]! > 0) candidates.push(p);
  });
  const byKey = (a: number, b: number) => compareFractions(keyNum[a]!, keyDen[a]!, keyNum[b]!, keyDen[b]!) || a - b;
  candidates.sort(byKey);

  let counts = new Int32Array(num.length);
  const winners: number[] = [];
  const dropped = new Uint8Array(costs.length);
  let cost = 0n;
  for (;;) {
    let best: number[] = [];
    let bestNum = 0n;
    let bestDen = 0n;
    for (const c of candidates) {
      if (best.length > 0 && compareFractions(keyNum[c]!, keyDen[c]!, bestNum, bestDen) > 0) break;
      if (counts.length < num.length) counts = new Int32Array(num.length * 2);
      const level = waterLevel(costs[c]! * D, approvers[c]!, classOf, num, slope, order, rank, counts);
      if (level.payers === 0n) {
        dropped[c] = 1;
        // What its approvers lack, level.left / D, must stay positive.
        if (track && level.leftSlope < 0n) margin.tighten(level.left, -level.leftSlope);
        continue;
      }
      // ρ = left / (D · payers); key = ρ / cost.
      keyNum[c] = level.left;
      keyDen[c] = D * level.payers * costs[c]!;
      keySlope[c] = level.leftSlope;
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
    if (track) {
      for (const c of candidates) {
        if (c === winner || dropped[c] === 1) continue;
        // key_c(x) − key_winner(x), over keyDen_c · keyDen_winner: ≥ 0 now, must stay so.
        const gap = keyNum[c]! * keyDen[winner]! - keyNum[winner]! * keyDen[c]!;
        const gapSlope = keySlope[c]! * keyDen[winner]! - keySlope[winner]! * keyDen[c]!;
        if (gapSlope < 0n) margin.tighten(gap, -gapSlope);
      }
    }
    dropped[winner] = 1;
    candidates = candidates.filter((c) => dropped[c] === 0);
    candidates.sort(byKey);
    const left = keyNum[winner]!;
    const leftSlope = keySlope[winner]!;
    const payers = (keyDen[winner]! / D) / costs[winner]!;
    if (track) payersMargin(approvers[winner]!, classOf, num, slope, left, leftSlope, payers, margin);
    // ρ = L / (D · s) in lowest terms against the payers' count (and ρ's slope): rescale every class by s, then pay.
    const g = gcd(gcd(left, leftSlope), payers);
    const scale = payers / g;
    if (scale !== 1n) {
      D *= scale;
      for (let k = 0; k < num.length; k++) num[k]! *= scale;
      if (track) for (let k = 0; k < num.length; k++) slope[k]! *= scale;
    }
    order = pay(approvers[winner]!, left / g, leftSlope / g, classOf, num, slope, order, rank);
    rank = ranks(order, num.length);
  }
  return { winners, cost, classOf, num, D, margin: track ? margin.value() : undefined };
}

/** The smallest of the distances `a / b` (a ≥ 0, b > 0) it was given. */
class Margin {
  private num = -1n;
  private den = 1n;
  tighten(a: bigint, b: bigint): void {
    if (this.num < 0n || a * this.den < this.num * b) {
      this.num = a;
      this.den = b;
    }
  }
  value(): Rational | undefined {
    return this.num < 0n ? undefined : Rational.of(this.num, this.den);
  }
}

/**
 * Keeps the margin within which each class of the winner's approvers stays on its side of ρ(x) = (left + leftSlope ·
 * (x − share)) / (D · payers): below it, the class pays all it has; at or above it, it pays ρ.
 */
function payersMargin(approvers: Int32Array, classOf: Int32Array, num: readonly bigint[], slope: readonly bigint[], left: bigint, leftSlope: bigint, payers: bigint, margin: Margin): void {
  const seen = new Uint8Array(num.length);
  for (let i = 0; i < approvers.length; i++) {
    const k = classOf[approvers[i]!]!;
    if (seen[k] === 1) continue;
    seen[k] = 1;
    // (budget − ρ) over D · payers, and its slope.
    const above = num[k]! * payers - left;
    const aboveSlope = slope[k]! * payers - leftSlope;
    if (above < 0n) {
      if (aboveSlope > 0n) margin.tighten(-above, aboveSlope);
    } else if (aboveSlope < 0n) {
      margin.tighten(above, -aboveSlope);
    }
  }
}

function ranks(order: readonly number[], size: number): Int32Array {
  const rank = new Int32Array(size);
  order.forEach((k, i) => (rank[k] = i));
  return rank;
}

/**
 * The water level at which the approvers pay `costD / D`, each paying min(budget, ρ): what is left for the approvers
 * who pay ρ in full (`left`, over D), how many they are (ρ = left / (D · payers)) and the slope of `left` in the share.
 * `payers` is 0 when the approvers cannot pay (then `left` is what they lack, over D). Walks the approvers' budget
 * classes from the poorest: a whole class that cannot pay the equal split of what is left pays its budget and drops
 * out of the split.
 */
function waterLevel(costD: bigint, approvers: Int32Array, classOf: Int32Array, num: readonly bigint[], slope: readonly bigint[], order: readonly number[], rank: Int32Array, counts: Int32Array): { left: bigint; leftSlope: bigint; payers: bigint } {
  const ranked: number[] = [];
  for (let i = 0; i < approvers.length; i++) {
    const k = classOf[approvers[i]!]!;
    if (counts[k]++ === 0) ranked.push(rank[k]!);
  }
  // The approvers' classes from the poorest: a typed array sorts numbers without a comparator call per pair.
  const touched = Int32Array.from(ranked).sort().map((r) => order[r]!);
  let left = costD;
  let leftSlope = 0n;
  let payers = BigInt(approvers.length);
  for (const k of touched) {
    const budget = num[k]!;
    // Can this class pay the equal split? budget / D ≥ left / (D · payers) ⇔ budget · payers ≥ left.
    if (budget * payers >= left) break;
    const count = BigInt(counts[k]!);
    left -= count * budget;
    if (slope[k] !== 0n) leftSlope -= count * slope[k]!;
    payers -= count;
  }
  for (const k of touched) counts[k] = 0;
  return { left, leftSlope, payers };
}

/**
 * The winner's approvers pay min(budget, ρ), with ρ = `rho` / D and slope `rhoSlope` / D. A class at or above ρ moves
 * to its budget minus ρ (an existing class when one holds that budget and slope), a class below ρ moves to class 0;
 * returns the new order (by budget, then slope).
 */
function pay(approvers: Int32Array, rho: bigint, rhoSlope: bigint, classOf: Int32Array, num: bigint[], slope: bigint[], order: readonly number[], rank: Int32Array): number[] {
  const moved = new Int32Array(num.length).fill(-1);
  const paying: number[] = [];
  for (let i = 0; i < approvers.length; i++) {
    const k = classOf[approvers[i]!]!;
    if (moved[k] === -1) {
      moved[k] = 0;
      paying.push(k);
    }
  }
  // The paying classes at or above ρ, in order: their new budgets and slopes keep that order.
  const above = paying.filter((k) => num[k]! >= rho).sort((a, b) => rank[a]! - rank[b]!);
  const merged: number[] = [];
  let i = 0;
  const before = (j: number, value: bigint, valueSlope: bigint) => num[j]! < value || (num[j] === value && slope[j]! < valueSlope);
  for (const k of above) {
    const value = num[k]! - rho;
    const valueSlope = slope[k]! - rhoSlope;
    while (i < order.length && before(order[i]!, value, valueSlope)) merged.push(order[i++]!);
    if (i < order.length && num[order[i]!] === value && slope[order[i]!] === valueSlope) {
      moved[k] = order[i]!;
    } else {
      moved[k] = num.length;
      merged.push(num.length);
      num.push(value);
      slope.push(valueSlope);
    }
  }
  while (i < order.length) merged.push(order[i++]!);
  for (let j = 0; j < approvers.length; j++) {
    const v = approvers[j]!;
    classOf[v] = moved[classOf[v]!]!;
  }
  return merged;
}
