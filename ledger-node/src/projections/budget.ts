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
import type { ProjectedEntry } from "../types";
import type { Projection } from "./projection";
import { asArray, asObject, mapToObject, toBig } from "./canonical";
import { addr, big, bool, hex, num } from "./fields";

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
  /** Ballot index → project id (derived from the reviews). */
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

const CONTRACT = "ParticipatoryBudget";
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
  if (entry.event.contract !== CONTRACT) return state;
  const round = () => state.rounds.get(big(entry, "roundId").toString());
  const project = () => state.projects.get(projectKey(big(entry, "roundId"), num(entry, "projectId")));
  switch (entry.event.name) {
    case "RoundCreated": {
      const id = big(entry, "roundId");
      state.rounds.set(id.toString(), { id, winnerRule: num(entry, "winnerRule"), envelopes: [], ballots: 0, logHead: ZERO_HEAD, challenges: [], createdSeq: entry.seq, byIndex: new Map() });
      break;
    }
    case "EnvelopeCreated": {
      const r = round();
      if (r) r.envelopes[num(entry, "envelope")] = { district: num(entry, "district"), amount: big(entry, "amount") };
      break;
    }
    case "ProjectSubmitted": {
      const roundId = big(entry, "roundId");
      const projectId = num(entry, "projectId");
      state.projects.set(projectKey(roundId, projectId), {
        roundId,
        projectId,
        proposer: addr(entry, "proposer"),
        envelope: num(entry, "envelope"),
        cost: big(entry, "cost"),
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
    case "ProjectSupported": {
      const p = project();
      if (p) p.supportCount = num(entry, "supportCount");
      break;
    }
    case "ProjectReviewed": {
      const p = project();
      if (!p) break;
      const feasible = bool(entry, "feasible");
      p.status = feasible ? BudgetProjectStatus.Feasible : BudgetProjectStatus.Infeasible;
      if (feasible) {
        p.ballotIndex = num(entry, "ballotIndex");
        round()?.byIndex.set(p.ballotIndex, p.projectId);
      }
      break;
    }
    case "ProjectCostRevised": {
      const p = project();
      if (p) p.cost = big(entry, "newCost");
      break;
    }
    case "BallotCast": {
      const r = round();
      if (r) {
        r.ballots += 1;
        r.logHead = hex(entry, "logHead");
      }
      break;
    }
    case "ProjectSelected": {
      const p = project();
      if (p) p.status = BudgetProjectStatus.Selected;
      break;
    }
    case "RoundTallied": {
      const r = round();
      if (r) r.result = { winners: big(entry, "winners"), logHead: hex(entry, "logHead"), by: addr(entry, "by"), seq: entry.seq };
      break;
    }
    case "ResultChallenged": {
      const r = round();
      if (r) r.challenges.push({ challenger: addr(entry, "challenger"), posted: big(entry, "posted"), winners: big(entry, "winners"), seq: entry.seq });
      break;
    }
    case "ChallengeResolved": {
      const r = round();
      if (!r) break;
      const c = r.challenges[r.challenges.length - 1];
      const upheld = bool(entry, "upheld");
      if (c) Object.assign(c, { upheld, reasonHash: hex(entry, "reasonHash"), by: addr(entry, "by"), resolvedSeq: entry.seq });
      if (!upheld && r.result) {
        // The result is withdrawn: its winners return to the ballot (Feasible), the round to its tally.
        for (let rest = r.result.winners, index = 0; rest !== 0n; rest >>= 1n, index++) {
          if ((rest & 1n) === 0n) continue;
          const projectId = r.byIndex.get(index);
          const p = projectId === undefined ? undefined : state.projects.get(projectKey(r.id, projectId));
          if (p) p.status = BudgetProjectStatus.Feasible;
        }
        delete r.result;
      }
      break;
    }
    case "ProjectFunded": {
      const p = project();
      if (p) {
        p.status = BudgetProjectStatus.Funded;
        p.escrow = big(entry, "amount");
      }
      break;
    }
    case "RoundFunded": {
      const r = round();
      if (r) r.funded = { treasury: addr(entry, "treasury"), total: big(entry, "total"), seq: entry.seq };
      break;
    }
    case "TrancheReleased": {
      const p = project();
      if (p) {
        p.escrow -= big(entry, "amount");
        p.released = big(entry, "released");
      }
      break;
    }
    case "TrancheHeld": {
      const p = project();
      if (p) p.held += big(entry, "amount");
      setHeld(state, addr(entry, "recipient"), big(entry, "held"));
      break;
    }
    case "HeldWithdrawn":
    case "HeldForfeited":
      setHeld(state, addr(entry, "account"), 0n);
      break;
    case "ProposerMigrated": {
      const from = addr(entry, "from");
      const to = addr(entry, "to");
      state.successors.set(from, to);
      setHeld(state, to, (state.held.get(to) ?? 0n) + big(entry, "amount"));
      setHeld(state, from, 0n);
      break;
    }
    case "ProjectClosed": {
      const p = project();
      if (p) {
        p.status = BudgetProjectStatus.Closed;
        p.returned = big(entry, "returned");
        p.escrow = 0n;
      }
      break;
    }
  }
  return state;
}

// ─── Canonical encoding ──────────────────────────────────────────────────────────────────────────────────────────

function encode(state: BudgetState): unknown {
  return {
    rounds: mapToObject(state.rounds, (r) => ({
      winnerRule: r.winnerRule,
      envelopes: r.envelopes.map((e) => [e.district, e.amount]),
      ballots: r.ballots,
      logHead: r.logHead,
      result: r.result ? { ...r.result } : null,
      challenges: r.challenges.map((c) => ({ ...c })),
      funded: r.funded ? { ...r.funded } : null,
      createdSeq: r.createdSeq,
    })),
    projects: mapToObject(state.projects, (p) => ({
      proposer: p.proposer,
      envelope: p.envelope,
      cost: p.cost,
      status: p.status,
      supportCount: p.supportCount,
      ballotIndex: p.ballotIndex,
      escrow: p.escrow,
      released: p.released,
      held: p.held,
      returned: p.returned,
      submittedSeq: p.submittedSeq,
    })),
    held: mapToObject(state.held, (v) => v),
    successors: mapToObject(state.successors, (v) => v),
  };
}

function decode(json: unknown): BudgetState {
  const o = asObject(json, "budget");
  const state = initial();
  for (const [id, raw] of Object.entries(asObject(o.rounds, "rounds"))) {
    const r = asObject(raw, `round ${id}`);
    const result = r.result === null ? undefined : asObject(r.result, "result");
    const funded = r.funded === null ? undefined : asObject(r.funded, "funded");
    const record: BudgetRoundRecord = {
      id: BigInt(id),
      winnerRule: r.winnerRule as number,
      envelopes: asArray(r.envelopes, "envelopes").map((e) => {
        const [district, amount] = asArray(e, "envelope") as [number, string];
        return { district, amount: toBig(amount, "amount") };
      }),
      ballots: r.ballots as number,
      logHead: r.logHead as string,
      challenges: asArray(r.challenges, "challenges").map((raw) => {
        const c = asObject(raw, "challenge");
        const rec: BudgetChallengeRecord = { challenger: c.challenger as string, posted: toBig(c.posted, "posted"), winners: toBig(c.winners, "winners"), seq: c.seq as number };
        if (c.upheld !== undefined) Object.assign(rec, { upheld: c.upheld as boolean, reasonHash: c.reasonHash as string, by: c.by as string, resolvedSeq: c.resolvedSeq as number });
        return rec;
      }),
      createdSeq: r.createdSeq as number,
      byIndex: new Map(),
    };
    if (result) record.result = { winners: toBig(result.winners, "winners"), logHead: result.logHead as string, by: result.by as string, seq: result.seq as number };
    if (funded) record.funded = { treasury: funded.treasury as string, total: toBig(funded.total, "total"), seq: funded.seq as number };
    state.rounds.set(id, record);
  }
  for (const [key, raw] of Object.entries(asObject(o.projects, "projects"))) {
    const p = asObject(raw, `project ${key}`);
    const [roundId, projectId] = key.split("/");
    const rec: BudgetProjectRecord = {
      roundId: BigInt(roundId!),
      projectId: Number(projectId),
      proposer: p.proposer as string,
      envelope: p.envelope as number,
      cost: toBig(p.cost, "cost"),
      status: p.status as number,
      supportCount: p.supportCount as number,
      ballotIndex: p.ballotIndex as number,
      escrow: toBig(p.escrow, "escrow"),
      released: toBig(p.released, "released"),
      held: toBig(p.held, "held"),
      returned: toBig(p.returned, "returned"),
      submittedSeq: p.submittedSeq as number,
    };
    state.projects.set(key, rec);
    if (rec.ballotIndex >= 0) state.rounds.get(String(rec.roundId))?.byIndex.set(rec.ballotIndex, rec.projectId);
  }
  for (const [account, amount] of Object.entries(asObject(o.held, "held"))) state.held.set(account, toBig(amount, "held"));
  for (const [from, to] of Object.entries(asObject(o.successors, "successors"))) state.successors.set(from, to as string);
  return state;
}

/** The participatory-budget projection (ParticipatoryBudget). */
export const budgetProjection: Projection<BudgetState> = { name: "budget", initial, reduce, encode, decode };
