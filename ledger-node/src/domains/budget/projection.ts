/**
 * Participatory-budget read model, from ParticipatoryBudget's events alone: rounds (winner rule, envelopes, ballots
 * cast, the recorded result, its challenge and the council's resolution, funding), projects (proposer, envelope,
 * cost, status as the contract's `ProjectStatus`, escrow and released), tranches held for members who were not active
 * when released, and key recoveries.
 *
 * Mirrors ParticipatoryBudget's bookkeeping: `ProjectFunded` puts the cost in escrow, `TrancheReleased` moves a
 * tranche out of it (paid, or held: `TrancheHeld` adds it to the recipient's held total), `HeldWithdrawn` and
 * `HeldForfeited` empty an account's held total, `ProposerMigrated` moves it to the new key and sends later tranches
 * there; `ProjectClosed` empties the escrow. A rejected challenge (`ChallengeResolved`, not upheld) withdraws the
 * result: the round has no result, its winners return to `Feasible`. So Σ escrow + Σ held is the contract's coin
 * balance (what the audit's `budget.escrow` checks).
 */
import type { ProjectedEntry } from "../../types";
import { defineProjection } from "../../projections/projection";

/** `IParticipatoryBudget.ProjectStatus` values. */
export const BudgetProjectStatus = { None: 0, Submitted: 1, Feasible: 2, Infeasible: 3, Selected: 4, Funded: 5, Closed: 6 } as const;

export interface BudgetProjectRecord {
  roundId: bigint;
  projectId: number;
  /** The key that submitted it (tranches go to its current key: see `successors`). Lower-case. */
  proposer: string;
  envelope: number;
  cost: bigint;
  status: number;
  supportCount: number;
  /** Index on the ballot once reviewed feasible, else -1. */
  ballotIndex: number;
  escrow: bigint;
  released: bigint;
  /** Σ tranches held (recipient not an active member). */
  held: bigint;
  /** What closing returned to the treasury. */
  returned: bigint;
  submittedSeq: number;
}

export interface BudgetChallengeRecord {
  challenger: string;
  /** The result challenged, and the challenger's winners. */
  posted: bigint;
  winners: bigint;
  seq: number;
  /** The council's resolution, once made. */
  upheld?: boolean;
  reasonHash?: string;
  by?: string;
  resolvedSeq?: number;
}

export interface BudgetRoundRecord {
  id: bigint;
  winnerRule: number;
  /** Envelope amounts by index (0 = city-wide) and their districts. */
  envelopes: { district: number; amount: bigint }[];
  ballots: number;
  logHead: string;
  /** The recorded result (absent before, or after a rejected challenge). */
  result?: { winners: bigint; logHead: string; by: string; seq: number };
  /** Challenges, oldest first (one per recorded result). */
  challenges: BudgetChallengeRecord[];
  funded?: { treasury: string; total: bigint; seq: number };
  createdSeq: number;
  /** Ballot index → project id (from the reviews). */
  byIndex: Map<number, number>;
}

export interface BudgetState {
  rounds: Map<string, BudgetRoundRecord>;
  /** Projects by "roundId/projectId". */
  projects: Map<string, BudgetProjectRecord>;
  /** Tranches held for an account (lower-case), zeros dropped. */
  held: Map<string, bigint>;
  /** Key recoveries: old key → new key. */
  successors: Map<string, string>;
}

const ZERO_HEAD = `0x${"0".repeat(64)}`;

function initial(): BudgetState {
  return { rounds: new Map(), projects: new Map(), held: new Map(), successors: new Map() };
}

const projectKey = (roundId: bigint, projectId: number) => `${roundId}/${projectId}`;

function setHeld(state: BudgetState, account: string, amount: bigint): void {
  if (amount === 0n) state.held.delete(account);
  else state.held.set(account, amount);
}

/** The key the membership that was `account` holds now (following key recoveries; a cycle stops the walk). */
export function currentKeyOf(state: BudgetState, account: string): string {
  const seen = new Set([account]);
  for (let next = state.successors.get(account); next !== undefined && !seen.has(next); next = state.successors.get(next)) {
    account = next;
    seen.add(next);
  }
  return account;
}

function reduce(state: BudgetState, entry: ProjectedEntry): BudgetState {
  const e = entry.event;
  if (e.contract !== "ParticipatoryBudget") return state;
  const a = e.args;
  const round = "roundId" in a ? state.rounds.get(a.roundId.toString()) : undefined;
  const project = "roundId" in a && "projectId" in a ? state.projects.get(projectKey(a.roundId, a.projectId)) : undefined;
  switch (e.name) {
    case "RoundCreated": {
      const id = e.args.roundId;
      state.rounds.set(id.toString(), { id, winnerRule: e.args.winnerRule, envelopes: [], ballots: 0, logHead: ZERO_HEAD, challenges: [], createdSeq: entry.seq, byIndex: new Map() });
      break;
    }
    case "EnvelopeCreated":
      if (round) round.envelopes[e.args.envelope] = { district: e.args.district, amount: e.args.amount };
      break;
    case "ProjectSubmitted": {
      const { roundId, projectId, envelope, cost } = e.args;
      state.projects.set(projectKey(roundId, projectId), {
        roundId,
        projectId,
        proposer: e.args.proposer.toLowerCase(),
        envelope,
        cost,
        status: BudgetProjectStatus.Submitted,
        supportCount: 0,
        ballotIndex: -1,
        escrow: 0n,
        released: 0n,
        held: 0n,
        returned: 0n,
        submittedSeq: entry.seq,
      });
      break;
    }
    case "ProjectSupported":
      if (project) project.supportCount = e.args.supportCount;
      break;
    case "ProjectReviewed": {
      if (!project) break;
      project.status = e.args.feasible ? BudgetProjectStatus.Feasible : BudgetProjectStatus.Infeasible;
      if (e.args.feasible) {
        project.ballotIndex = e.args.ballotIndex;
        round?.byIndex.set(project.ballotIndex, project.projectId);
      }
      break;
    }
    case "ProjectCostRevised":
      if (project) project.cost = e.args.newCost;
      break;
    case "BallotCast":
      if (round) {
        round.ballots += 1;
        round.logHead = e.args.logHead.toLowerCase();
      }
      break;
    case "ProjectSelected":
      if (project) project.status = BudgetProjectStatus.Selected;
      break;
    case "RoundTallied":
      if (round) round.result = { winners: e.args.winners, logHead: e.args.logHead.toLowerCase(), by: e.args.by.toLowerCase(), seq: entry.seq };
      break;
    case "ResultChallenged":
      if (round) round.challenges.push({ challenger: e.args.challenger.toLowerCase(), posted: e.args.posted, winners: e.args.winners, seq: entry.seq });
      break;
    case "ChallengeResolved": {
      if (!round) break;
      const c = round.challenges[round.challenges.length - 1];
      const upheld = e.args.upheld;
      if (c) Object.assign(c, { upheld, reasonHash: e.args.reasonHash.toLowerCase(), by: e.args.by.toLowerCase(), resolvedSeq: entry.seq });
      if (!upheld && round.result) {
        // The result is withdrawn: its winners return to the ballot (Feasible), the round to its tally.
        for (let rest = round.result.winners, index = 0; rest !== 0n; rest >>= 1n, index++) {
          if ((rest & 1n) === 0n) continue;
          const projectId = round.byIndex.get(index);
          const p = projectId === undefined ? undefined : state.projects.get(projectKey(round.id, projectId));
          if (p) p.status = BudgetProjectStatus.Feasible;
        }
        delete round.result;
      }
      break;
    }
    case "ProjectFunded":
      if (project) {
        project.status = BudgetProjectStatus.Funded;
        project.escrow = e.args.amount;
      }
      break;
    case "RoundFunded":
      if (round) round.funded = { treasury: e.args.treasury.toLowerCase(), total: e.args.total, seq: entry.seq };
      break;
    case "TrancheReleased":
      if (project) {
        project.escrow -= e.args.amount;
        project.released = e.args.released;
      }
      break;
    case "TrancheHeld":
      if (project) project.held += e.args.amount;
      setHeld(state, e.args.recipient.toLowerCase(), e.args.held);
      break;
    case "HeldWithdrawn":
    case "HeldForfeited":
      setHeld(state, e.args.account.toLowerCase(), 0n);
      break;
    case "ProposerMigrated": {
      const from = e.args.from.toLowerCase();
      const to = e.args.to.toLowerCase();
      state.successors.set(from, to);
      setHeld(state, to, (state.held.get(to) ?? 0n) + e.args.amount);
      setHeld(state, from, 0n);
      break;
    }
    case "ProjectClosed":
      if (project) {
        project.status = BudgetProjectStatus.Closed;
        project.returned = e.args.returned;
        project.escrow = 0n;
      }
      break;
  }
  return state;
}

/** The participatory-budget projection (ParticipatoryBudget). */
export const budgetProjection = defineProjection<BudgetState>({ name: "budget", initial, reduce });
