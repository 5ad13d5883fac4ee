/**
 * Basic-income read model, from BasicIncome's events alone: programs (parameters, funded, spent, withdrawn), their
 * opened periods (amount, eligible, claimed, settlement) and every claim, by member.
 *
 * Mirrors BasicIncome's bookkeeping: `funded` grows with `ProgramFunded`, `spent` with `PeriodSettled.paid`,
 * `ProgramWithdrawn` sets `funded = spent` (its settlement is emitted just before), `openPeriods` is the last opened
 * period + 1, `ProgramEnded` sets the new period count. `ClaimsFollowed` (a key recovery) records the key a membership
 * had before, so the claims of a membership are those of its key and of every key it had before.
 */
import type { ProjectedEntry } from "../../types";
import { defineProjection } from "../../projections/projection";

export interface PeriodRecord {
  period: number;
  amount: bigint;
  eligible: number;
  claimed: number;
  snapshot: number;
  settled: boolean;
  paid?: bigint;
  openedSeq: number;
}

export interface ProgramRecord {
  id: bigint;
  collegeMask: number;
  flagBit: number;
  start: number;
  periodLength: number;
  periodCount: number;
  amountPerPeriod: bigint;
  funded: bigint;
  spent: bigint;
  openPeriods: number;
  claimedTotal: bigint;
  claims: number;
  withdrawn: bigint;
  ended: boolean;
  createdSeq: number;
  /** Opened periods by index (periods nobody opened are absent). */
  periods: Map<number, PeriodRecord>;
}

/** One claim. Addresses lower-case. */
export class ClaimRecord {
  constructor(
    public readonly programId: bigint,
    public readonly period: number,
    public readonly account: string,
    public readonly amount: bigint,
    public readonly seq: number,
    public readonly txHash: string,
  ) {}
}

export interface IncomeState {
  /** Programs by decimal id. */
  programs: Map<string, ProgramRecord>;
  /** Programs in creation order (derived). */
  _programList: ProgramRecord[];
  claims: ClaimRecord[];
  /** Indices into `claims` by account (derived). */
  _claimsByAccount: Map<string, number[]>;
  /** Key recoveries: the key a membership had before it moved to this one (new key → old key). */
  predecessors: Map<string, string>;
}

function indexClaim(state: IncomeState, claim: ClaimRecord, index: number): void {
  let mine = state._claimsByAccount.get(claim.account);
  if (!mine) {
    mine = [];
    state._claimsByAccount.set(claim.account, mine);
  }
  mine.push(index);
}

function reduce(state: IncomeState, entry: ProjectedEntry): IncomeState {
  const e = entry.event;
  if (e.contract !== "BasicIncome") return state;
  if (e.name === "ClaimsFollowed") {
    state.predecessors.set(e.args.to.toLowerCase(), e.args.from.toLowerCase());
    return state;
  }
  if (e.name === "ProgramCreated") {
    const { programId: id, collegeMask, flagBit, start, periodLength, periodCount, amountPerPeriod } = e.args;
    const p: ProgramRecord = {
      id,
      collegeMask,
      flagBit,
      start,
      periodLength,
      periodCount,
      amountPerPeriod,
      funded: 0n,
      spent: 0n,
      openPeriods: 0,
      claimedTotal: 0n,
      claims: 0,
      withdrawn: 0n,
      ended: false,
      createdSeq: entry.seq,
      periods: new Map(),
    };
    state.programs.set(id.toString(), p);
    state._programList.push(p);
    return state;
  }
  const p = "programId" in e.args ? state.programs.get(e.args.programId.toString()) : undefined;
  if (!p) return state;
  switch (e.name) {
    case "ProgramFunded":
      p.funded += e.args.amount;
      break;
    case "ProgramAmountSet":
      p.amountPerPeriod = e.args.amountPerPeriod;
      break;
    case "ProgramEnded":
      p.periodCount = e.args.periodCount;
      p.ended = true;
      break;
    case "ProgramWithdrawn":
      p.withdrawn += e.args.amount;
      p.funded = p.spent;
      break;
    case "PeriodOpened": {
      const { period, amount, eligible, snapshot } = e.args;
      p.periods.set(period, { period, amount, eligible, claimed: 0, snapshot, settled: false, openedSeq: entry.seq });
      p.openPeriods = period + 1;
      break;
    }
    case "PeriodSettled": {
      const pd = p.periods.get(e.args.period);
      if (pd) {
        pd.settled = true;
        pd.paid = e.args.paid;
        p.spent += e.args.paid;
      }
      break;
    }
    case "IncomeClaimed": {
      const { period, amount } = e.args;
      const pd = p.periods.get(period);
      if (pd) pd.claimed += 1;
      p.claims += 1;
      p.claimedTotal += amount;
      const claim = new ClaimRecord(p.id, period, e.args.account.toLowerCase(), amount, entry.seq, entry.log.transactionHash);
      state.claims.push(claim);
      indexClaim(state, claim, state.claims.length - 1);
      break;
    }
  }
  return state;
}

function initial(): IncomeState {
  return { programs: new Map(), _programList: [], claims: [], _claimsByAccount: new Map(), predecessors: new Map() };
}

/** The basic-income projection (BasicIncome). */
export const incomeProjection = defineProjection<IncomeState>({
  name: "income",
  initial,
  reduce,
  rebuild(state) {
    state._programList = [...state.programs.values()].sort((a, b) => a.createdSeq - b.createdSeq);
    state.claims.forEach((claim, i) => indexClaim(state, claim, i));
  },
});

/**
 * The keys of the membership `account` holds, newest first: `account`, then each key it had before (key recoveries).
 * A recovery that cycles back to a key already listed stops the walk.
 */
export function keysOf(state: IncomeState, account: string): string[] {
  const keys = [account];
  for (let k = state.predecessors.get(account); k !== undefined && !keys.includes(k); k = state.predecessors.get(k)) keys.push(k);
  return keys;
}
