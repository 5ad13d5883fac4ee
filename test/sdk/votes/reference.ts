/**
 * A textbook Method of Equal Shares, voter by voter, for differential tests of the SDK's optimized one: no budget
 * classes, no common denominator, no lazy evaluation: every round evaluates every remaining project from scratch.
 * Same tie-breaking input (a comparator of project ids), same completions; and the add1 completion one unit at a
 * time, as equalshares.net describes it (the SDK jumps over the raises that cannot change the outcome).
 */
import { Rational, type BudgetElection, type EqualSharesCompletion } from "../../../sdk/src";

function mes(election: BudgetElection, share: Rational, tie: (a: string, b: string) => number): string[] {
  const budget = new Map(election.voters.map((v) => [v.id, share] as const));
  const approvers = new Map(election.projects.map((p) => [p.id, election.voters.filter((v) => v.approvals.includes(p.id)).map((v) => v.id)] as const));
  const remaining = new Set(election.projects.filter((p) => p.cost > 0n && approvers.get(p.id)!.length > 0).map((p) => p.id));
  const cost = new Map(election.projects.map((p) => [p.id, p.cost] as const));
  const winners: string[] = [];
  for (;;) {
    let best: string[] = [];
    let bestEffective: Rational | undefined;
    const rhoOf = new Map<string, Rational>();
    for (const c of remaining) {
      const supporters = [...approvers.get(c)!].sort((a, b) => budget.get(a)!.compare(budget.get(b)!));
      const total = supporters.reduce((sum, v) => sum.add(budget.get(v)!), Rational.ZERO);
      if (total.compare(Rational.of(cost.get(c)!)) < 0) continue;
      let paid = Rational.ZERO;
      let rho: Rational | undefined;
      for (let j = 0; j < supporters.length; j++) {
        const split = Rational.of(cost.get(c)!).sub(paid).divInt(BigInt(supporters.length - j));
        if (split.compare(budget.get(supporters[j]!)!) <= 0) {
          rho = split;
          break;
        }
        paid = paid.add(budget.get(supporters[j]!)!);
      }
      rhoOf.set(c, rho!);
      const effective = Rational.of(cost.get(c)!).div(rho!);
      const vs = bestEffective ? effective.compare(bestEffective) : 1;
      if (vs > 0) {
        best = [c];
        bestEffective = effective;
      } else if (vs === 0) {
        best.push(c);
      }
    }
    if (best.length === 0) return winners;
    const winner = best.sort(tie)[0]!;
    winners.push(winner);
    remaining.delete(winner);
    for (const v of approvers.get(winner)!) budget.set(v, budget.get(v)!.sub(Rational.min(budget.get(v)!, rhoOf.get(winner)!)));
  }
}

/** Options of {@link referenceEqualShares}. */
export interface ReferenceOptions {
  /** The add1 completion's starting share: rounded down to a whole unit (default) or exact. */
  integral?: boolean;
  /**
   * MES at a given share: the textbook loop above by default. Real elections pass the SDK's own MES (itself checked
   * against the textbook on generated elections) so that tens of thousands of one-unit raises run in seconds.
   */
  mes?: (share: Rational) => string[];
}

/**
 * The reference outcome, the add1 completion as equalshares.net describes it: raise the share by one unit at a time,
 * one MES computation per raise. Returns the winners (MES then the greedy fill), the final share and the raises kept.
 */
export function referenceEqualShares(
  election: BudgetElection,
  completion: EqualSharesCompletion,
  tie: (a: string, b: string) => number,
  greedyTie: (a: string, b: string) => number,
  options: ReferenceOptions = {},
): { winners: string[]; share: Rational; steps: number } {
  const n = BigInt(election.voters.length);
  const unit = election.unit ?? 1n;
  const run = options.mes ?? ((share: Rational) => mes(election, share, tie));
  const cost = new Map(election.projects.map((p) => [p.id, p.cost] as const));
  const costOf = (ids: string[]) => ids.reduce((s, id) => s + cost.get(id)!, 0n);
  const all = costOf(election.projects.map((p) => p.id));
  let share = n === 0n ? Rational.ZERO : Rational.of(election.budget, n);
  let winners: string[];
  let steps = 0;
  if (completion === "none" || all <= election.budget || n === 0n) {
    winners = run(share);
  } else {
    if (options.integral ?? true) share = Rational.of((election.budget / (n * unit)) * unit);
    winners = run(share);
    const selectable = election.projects.filter((p) => p.cost > 0n && election.voters.some((v) => v.approvals.includes(p.id))).length;
    for (;;) {
      const left = election.budget - costOf(winners);
      const exhaustive = election.projects.every((p) => winners.includes(p.id) || p.cost > left);
      if (completion !== "add1-stop-on-overspend" && exhaustive) break;
      if (winners.length === selectable) break;
      const next = run(share.add(Rational.of(unit)));
      if (costOf(next) > election.budget) break;
      share = share.add(Rational.of(unit));
      winners = next;
      steps++;
    }
  }
  if (completion === "add1" || completion === "add1-stop-on-overspend") {
    const votes = new Map(election.projects.map((p) => [p.id, election.voters.filter((v) => v.approvals.includes(p.id)).length] as const));
    const order = election.projects.map((p) => p.id).filter((id) => votes.get(id)! > 0 && !winners.includes(id));
    order.sort((a, b) => votes.get(b)! - votes.get(a)! || greedyTie(a, b));
    let left = election.budget - costOf(winners);
    for (const id of order) {
      if (cost.get(id)! <= left) {
        winners = [...winners, id];
        left -= cost.get(id)!;
      }
    }
  }
  return { winners, share, steps };
}
