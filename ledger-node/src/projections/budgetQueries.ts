/**
 * Typed reads of the participatory-budget projection (see queries.ts for the conventions: bigints for amounts,
 * checksummed addresses): a round with its result, challenges and funding, its projects with escrow and tranches, and
 * what is held for a member.
 */
import type { Address, Hex } from "viem";
import type { ProjectionEngine } from "./engine";
import { budgetProjection, currentKeyOf, type BudgetProjectRecord, type BudgetRoundRecord } from "./budget";

const STATUS_NAMES = ["none", "submitted", "feasible", "infeasible", "selected", "funded", "closed"] as const;
/** A project's status, as `IParticipatoryBudget.ProjectStatus` names it. */
export type BudgetProjectStatusName = (typeof STATUS_NAMES)[number];

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

export function createBudgetQueries(engine: ProjectionEngine, cs: (a: string) => Address) {
  const state = () => engine.state(budgetProjection);

  const projectView = (p: BudgetProjectRecord): BudgetProjectView => ({
    roundId: p.roundId,
    projectId: p.projectId,
    proposer: cs(p.proposer),
    recipient: cs(currentKeyOf(state(), p.proposer)),
    envelope: p.envelope,
    cost: p.cost,
    status: STATUS_NAMES[p.status] ?? "none",
    supportCount: p.supportCount,
    ballotIndex: p.ballotIndex < 0 ? null : p.ballotIndex,
    escrow: p.escrow,
    released: p.released,
    held: p.held,
    returned: p.returned,
    submittedSeq: p.submittedSeq,
  });

  const roundView = (r: BudgetRoundRecord): BudgetRoundView => {
    const projects = [...state().projects.values()].filter((p) => p.roundId === r.id).sort((a, b) => a.projectId - b.projectId);
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
    budgetRound(id: bigint): BudgetRoundView | undefined {
      const r = state().rounds.get(id.toString());
      return r && roundView(r);
    },
    budgetProject(roundId: bigint, projectId: number): BudgetProjectView | undefined {
      const p = state().projects.get(`${roundId}/${projectId}`);
      return p && projectView(p);
    },
    budgetHeld(address: string): BudgetHeldView {
      const a = address.toLowerCase();
      return { account: cs(a), held: state().held.get(a) ?? 0n, currentKey: cs(currentKeyOf(state(), a)) };
    },
  };
}
