/**
 * Typed reads of the participatory-budget projection (conventions: projections/reads.ts): rounds with their result,
 * challenges and funding, their projects with escrow and tranches, and what is held for a member.
 */
import type { Address, Hex } from "viem";
import type { DomainRead } from "../domain";
import { paged, type Page, type PageRequest } from "../../projections/reads";
import { currentKeyOf, type BudgetProjectRecord, type BudgetRoundRecord, type BudgetState } from "./projection";

export const BUDGET_PROJECT_STATUSES = ["none", "submitted", "feasible", "infeasible", "selected", "funded", "closed"] as const;
/** A project's status, as `IParticipatoryBudget.ProjectStatus` names it. */
export type BudgetProjectStatusName = (typeof BUDGET_PROJECT_STATUSES)[number];

export interface BudgetProjectView {
  roundId: bigint;
  projectId: number;
  proposer: Address;
  /** Where its tranches go now: the proposer's key after key recoveries. */
  recipient: Address;
  envelope: number;
  cost: bigint;
  status: BudgetProjectStatusName;
  supportCount: number;
  /** Index on the ballot, or null if never on it. */
  ballotIndex: number | null;
  escrow: bigint;
  released: bigint;
  /** Σ tranches of this project held for the proposer (not an active member when released). */
  held: bigint;
  /** What closing returned to the treasury. */
  returned: bigint;
  submittedSeq: number;
}

export interface BudgetChallengeView {
  challenger: Address;
  posted: bigint;
  winners: bigint;
  seq: number;
  /** null while the council has not resolved it. */
  resolution: { upheld: boolean; reasonHash: Hex; by: Address; seq: number } | null;
}

export interface BudgetRoundView {
  id: bigint;
  winnerRule: number;
  envelopes: { envelope: number; district: number; amount: bigint }[];
  ballots: number;
  logHead: Hex;
  /** The recorded result, or null (none yet, or withdrawn after a challenge). */
  result: { winners: bigint; logHead: Hex; by: Address; seq: number } | null;
  /** A challenge awaits the council: the round cannot be funded. */
  challenged: boolean;
  challenges: BudgetChallengeView[];
  funded: { treasury: Address; total: bigint; seq: number } | null;
  /** Σ escrow of its projects now. */
  escrow: bigint;
  projects: BudgetProjectView[];
  createdSeq: number;
}

export interface BudgetHeldView {
  account: Address;
  /** Tranches held for the account (withdrawn once it is an active member). */
  held: bigint;
  /** The key the account's membership holds now (itself unless recovered). */
  currentKey: Address;
}

export type BudgetQueries = ReturnType<typeof budgetQueries>;

export function budgetQueries({ state, cs }: DomainRead<BudgetState>) {
  const projectsOf = (roundId: bigint) =>
    [...state().projects.values()].filter((p) => p.roundId === roundId).sort((a, b) => a.projectId - b.projectId);

  const projectView = (p: BudgetProjectRecord): BudgetProjectView => ({
    roundId: p.roundId,
    projectId: p.projectId,
    proposer: cs(p.proposer),
    recipient: cs(currentKeyOf(state(), p.proposer)),
    envelope: p.envelope,
    cost: p.cost,
    status: BUDGET_PROJECT_STATUSES[p.status] ?? "none",
    supportCount: p.supportCount,
    ballotIndex: p.ballotIndex < 0 ? null : p.ballotIndex,
    escrow: p.escrow,
    released: p.released,
    held: p.held,
    returned: p.returned,
    submittedSeq: p.submittedSeq,
  });

  const roundView = (r: BudgetRoundRecord): BudgetRoundView => {
    const projects = projectsOf(r.id);
    const last = r.challenges[r.challenges.length - 1];
    return {
      id: r.id,
      winnerRule: r.winnerRule,
      envelopes: r.envelopes.map((e, envelope) => ({ envelope, district: e.district, amount: e.amount })),
      ballots: r.ballots,
      logHead: r.logHead as Hex,
      result: r.result ? { winners: r.result.winners, logHead: r.result.logHead as Hex, by: cs(r.result.by), seq: r.result.seq } : null,
      challenged: last !== undefined && last.upheld === undefined,
      challenges: r.challenges.map((c) => ({
        challenger: cs(c.challenger),
        posted: c.posted,
        winners: c.winners,
        seq: c.seq,
        resolution: c.upheld === undefined ? null : { upheld: c.upheld, reasonHash: c.reasonHash as Hex, by: cs(c.by!), seq: c.resolvedSeq! },
      })),
      funded: r.funded ? { treasury: cs(r.funded.treasury), total: r.funded.total, seq: r.funded.seq } : null,
      escrow: projects.reduce((s, p) => s + p.escrow, 0n),
      projects: projects.map(projectView),
      createdSeq: r.createdSeq,
    };
  };

  return {
    /** A round with its result, challenges, funding and projects, or undefined. */
    round(id: bigint): BudgetRoundView | undefined {
      const r = state().rounds.get(id.toString());
      return r && roundView(r);
    },
    /** Rounds, newest first by default. */
    rounds(page?: PageRequest): Page<BudgetRoundView> {
      const list = [...state().rounds.values()].sort((a, b) => a.createdSeq - b.createdSeq);
      return paged(list, page, roundView);
    },
    /** A round's projects by id (ascending by default), optionally with one status; undefined if no such round. */
    projects(roundId: bigint, query: PageRequest & { status?: BudgetProjectStatusName } = {}): Page<BudgetProjectView> | undefined {
      if (!state().rounds.has(roundId.toString())) return undefined;
      const code = query.status === undefined ? undefined : BUDGET_PROJECT_STATUSES.indexOf(query.status);
      const list = projectsOf(roundId).filter((p) => code === undefined || p.status === code);
      return paged(list, { ...query, order: query.order ?? "asc" }, projectView);
    },
    /** A project, or undefined. */
    project(roundId: bigint, projectId: number): BudgetProjectView | undefined {
      const p = state().projects.get(`${roundId}/${projectId}`);
      return p && projectView(p);
    },
    /** Tranches held for `address` (zero if none) and the key its membership holds now. */
    held(address: string): BudgetHeldView {
      const a = address.toLowerCase();
      return { account: cs(a), held: state().held.get(a) ?? 0n, currentKey: cs(currentKeyOf(state(), a)) };
    },
  };
}
