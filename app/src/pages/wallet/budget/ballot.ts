/**
 * A member's participatory-budget ballot as they build it, checked before anything is signed: the envelopes they may
 * vote in (city-wide and their district's), and per envelope what is left — money with a knapsack ballot, a count with
 * an approval of k — as the contract's vote() checks it (ParticipatoryBudgetOverEnvelope, …TooManyApprovals).
 */
import { budgetBallotRules } from "@cityledger/sdk";
import type { ProjectJson, RoundJson } from "../../budget/types";

export interface BallotEnvelope {
  envelope: number;
  /** Base units. */
  amount: bigint;
  /** The envelope's projects on the ballot (feasible, with a ballot index). */
  projects: ProjectJson[];
}

/** The envelopes a member of `district` votes in: the city-wide one and their district's (when the round has one). */
export function ballotEnvelopes(round: RoundJson, district: number): BallotEnvelope[] {
  return round.envelopes
    .filter((e) => e.envelope === 0 || e.district === district)
    .map((e) => ({
      envelope: e.envelope,
      amount: BigInt(e.amount),
      projects: round.projects.filter((p) => p.envelope === e.envelope && p.ballotIndex !== null),
    }));
}

/** What is left in one envelope for a selection (negative: over). */
export type Left = { kind: "money"; left: bigint; amount: bigint } | { kind: "count"; left: number; max: number };

export function leftIn(envelope: BallotEnvelope, selected: ReadonlySet<number>, ballotRule: number, maxApprovals: number): Left {
  const chosen = envelope.projects.filter((p) => selected.has(p.ballotIndex!));
  if (ballotRule === budgetBallotRules.approval) return { kind: "count", left: maxApprovals - chosen.length, max: maxApprovals };
  return { kind: "money", left: envelope.amount - chosen.reduce((s, p) => s + BigInt(p.cost), 0n), amount: envelope.amount };
}

export type BallotProblem = { key: "ballotEmpty" } | { key: "ballotOverBudget"; envelope: number; over: bigint } | { key: "ballotOverK"; envelope: number; max: number };

/** Why this selection cannot be cast (the first problem), or undefined when the contract would take it. */
export function ballotProblem(envelopes: readonly BallotEnvelope[], selected: ReadonlySet<number>, ballotRule: number, maxApprovals: number): BallotProblem | undefined {
  if (selected.size === 0) return { key: "ballotEmpty" };
  for (const e of envelopes) {
    const left = leftIn(e, selected, ballotRule, maxApprovals);
    if (left.kind === "money" && left.left < 0n) return { key: "ballotOverBudget", envelope: e.envelope, over: -left.left };
    if (left.kind === "count" && left.left < 0) return { key: "ballotOverK", envelope: e.envelope, max: left.max };
  }
  return undefined;
}
