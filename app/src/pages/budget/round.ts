import type { MessageKey, Translate } from "../../i18n";
import { districtName } from "../governance/labels";
import type { ProjectStatus, RoundJson } from "./types";

/** ParticipatoryBudget's winner rules by value (the SDK's budgetWinnerRules). */
export const RULE_KEYS: readonly MessageKey[] = [
  "budget.ruleGreedy",
  "budget.ruleMesAdd1",
  "budget.ruleMesWieliczka",
  "budget.ruleMesAssen",
  "budget.ruleGreedyNoSkip",
  "budget.ruleMesAdd1Exact",
  "budget.ruleMesWieliczkaExact",
  "budget.ruleMesAssenExact",
];

export const ruleName = (t: Translate, rule: number): string => t(RULE_KEYS[rule] ?? "budget.ruleUnknown", { rule });

/** ParticipatoryBudget's phases, by the SDK's names (budgetPhases). */
export const PHASE_KEYS: Record<"none" | "proposals" | "support" | "review" | "vote" | "tally" | "funding", MessageKey> = {
  none: "budget.phaseNone",
  proposals: "budget.phaseProposals",
  support: "budget.phaseSupport",
  review: "budget.phaseReview",
  vote: "budget.phaseVote",
  tally: "budget.phaseTally",
  funding: "budget.phaseFunding",
};

export const STATUS_KEYS: Record<ProjectStatus, MessageKey> = {
  none: "budget.statusNone",
  submitted: "budget.statusSubmitted",
  feasible: "budget.statusFeasible",
  infeasible: "budget.statusInfeasible",
  selected: "budget.statusSelected",
  funded: "budget.statusFunded",
  closed: "budget.statusClosed",
};

/** Envelope 0 is city-wide; the others belong to a district. */
export function envelopeName(t: Translate, round: RoundJson, envelope: number): string {
  const e = round.envelopes[envelope];
  return envelope === 0 || !e ? t("budget.cityWide") : districtName(t, e.district);
}

/** The round's state as the node's record tells it (the chain's phase is read with the recomputation). */
export function recordedState(round: RoundJson): MessageKey {
  if (round.funded) return "budget.stateFunded";
  if (round.challenged) return "budget.stateChallenged";
  if (round.result) return "budget.stateTallied";
  if (round.ballots > 0) return "budget.stateVoting";
  return "budget.statePreparing";
}

/** Σ of the envelopes, base units. */
export const totalOf = (round: RoundJson): bigint => round.envelopes.reduce((s, e) => s + BigInt(e.amount), 0n);

/** The project ids the recorded result selects (bitmap of ballot indexes → project ids). */
export function recordedWinners(round: RoundJson): Set<number> {
  const out = new Set<number>();
  if (!round.result) return out;
  const winners = BigInt(round.result.winners);
  for (const p of round.projects) if (p.ballotIndex !== null && (winners >> BigInt(p.ballotIndex)) & 1n) out.add(p.projectId);
  return out;
}
