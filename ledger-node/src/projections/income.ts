/**
 * Basic-income read model, from BasicIncome's events alone: programs (parameters, funded, spent, withdrawn), their
 * opened periods (amount, eligible, claimed, settlement) and every claim, by member.
 *
 * Mirrors BasicIncome's bookkeeping: `funded` grows with `ProgramFunded`, `spent` with `PeriodSettled.paid`,
 * `ProgramWithdrawn` sets `funded = spent` (its settlement is emitted just before), `openPeriods` is the last opened
 * period + 1, `ProgramEnded` sets the new period count. `ClaimsFollowed` (a key recovery) records the key a membership
 * had before, so the claims of a membership are those of its key and of every key it had before.
 */
import type { ProjectedEntry } from "../types";
import type { Projection } from "./projection";
import { asArray, asObject, mapToObject, toBig } from "./canonical";
import { addr, big, num } from "./fields";

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
  programList: ProgramRecord[];
  claims: ClaimRecord[];
  /** Indices into `claims` by account (derived). */
  claimsByAccount: Map<string, number[]>;
  /** Key recoveries: the key a membership had before it moved to this one (new key → old key). */
  predecessors: Map<string, string>;
}

const INCOME = "BasicIncome";

function program(state: IncomeState, entry: ProjectedEntry): ProgramRecord | undefined {
  return state.programs.get(big(entry, "programId").toString());
}

function reduce(state: IncomeState, entry: ProjectedEntry): IncomeState {
  if (entry.event.contract !== INCOME) return state;
  switch (entry.event.name) {
    case "ProgramCreated": {
      const id = big(entry, "programId");
      const p: ProgramRecord = {
        id,
        collegeMask: num(entry, "collegeMask"),
        flagBit: num(entry, "flagBit"),
        start: num(entry, "start"),
        periodLength: num(entry, "periodLength"),
        periodCount: num(entry, "periodCount"),
        amountPerPeriod: big(entry, "amountPerPeriod"),
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
      state.programList.push(p);
      break;
    }
    case "ProgramFunded": {
      const p = program(state, entry);
      if (p) p.funded += big(entry, "amount");
      break;
    }
    case "ProgramAmountSet": {
      const p = program(state, entry);
      if (p) p.amountPerPeriod = big(entry, "amountPerPeriod");
      break;
    }
    case "ProgramEnded": {
      const p = program(state, entry);
      if (p) {
        p.periodCount = num(entry, "periodCount");
        p.ended = true;
      }
      break;
    }
    case "ProgramWithdrawn": {
      const p = program(state, entry);
      if (p) {
        p.withdrawn += big(entry, "amount");
        p.funded = p.spent;
      }
      break;
    }
    case "PeriodOpened": {
      const p = program(state, entry);
      if (p) {
        const period = num(entry, "period");
        p.periods.set(period, {
          period,
          amount: big(entry, "amount"),
          eligible: num(entry, "eligible"),
          claimed: 0,
          snapshot: num(entry, "snapshot"),
          settled: false,
          openedSeq: entry.seq,
        });
        p.openPeriods = period + 1;
      }
      break;
    }
    case "PeriodSettled": {
      const p = program(state, entry);
      const pd = p?.periods.get(num(entry, "period"));
      if (p && pd) {
        const paid = big(entry, "paid");
        pd.settled = true;
        pd.paid = paid;
        p.spent += paid;
      }
      break;
    }
    case "IncomeClaimed": {
      const p = program(state, entry);
      if (!p) break;
      const period = num(entry, "period");
      const account = addr(entry, "account");
      const amount = big(entry, "amount");
      const pd = p.periods.get(period);
      if (pd) pd.claimed += 1;
      p.claims += 1;
      p.claimedTotal += amount;
      const index = state.claims.length;
      state.claims.push(new ClaimRecord(p.id, period, account, amount, entry.seq, entry.log.transactionHash));
      let mine = state.claimsByAccount.get(account);
      if (!mine) {
        mine = [];
        state.claimsByAccount.set(account, mine);
      }
      mine.push(index);
      break;
    }
    case "ClaimsFollowed":
      state.predecessors.set(addr(entry, "to"), addr(entry, "from"));
      break;
  }
  return state;
}

// ─── Canonical encoding ──────────────────────────────────────────────────────────────────────────────────────────

function encode(state: IncomeState): unknown {
  return {
    programs: mapToObject(state.programs, (p) => {
      const periods: Record<string, unknown> = {};
      for (const [k, pd] of p.periods) {
        periods[String(k)] = {
          amount: pd.amount,
          eligible: pd.eligible,
          claimed: pd.claimed,
          snapshot: pd.snapshot,
          settled: pd.settled,
          paid: pd.paid,
          openedSeq: pd.openedSeq,
        };
      }
      return {
        collegeMask: p.collegeMask,
        flagBit: p.flagBit,
        start: p.start,
        periodLength: p.periodLength,
        periodCount: p.periodCount,
        amountPerPeriod: p.amountPerPeriod,
        funded: p.funded,
        spent: p.spent,
        openPeriods: p.openPeriods,
        claimedTotal: p.claimedTotal,
        claims: p.claims,
        withdrawn: p.withdrawn,
        ended: p.ended,
        createdSeq: p.createdSeq,
        periods,
      };
    }),
    /** Tuples: [programId, period, account, amount, seq, txHash]. */
    claims: state.claims.map((c) => [c.programId, c.period, c.account, c.amount, c.seq, c.txHash]),
    predecessors: mapToObject(state.predecessors, (from) => from),
  };
}

function decode(json: unknown): IncomeState {
  const o = asObject(json, "income");
  const state = initial();
  for (const [id, raw] of Object.entries(asObject(o.programs, "programs"))) {
    const p = asObject(raw, `program ${id}`);
    const rec: ProgramRecord = {
      id: BigInt(id),
      collegeMask: p.collegeMask as number,
      flagBit: p.flagBit as number,
      start: p.start as number,
      periodLength: p.periodLength as number,
      periodCount: p.periodCount as number,
      amountPerPeriod: toBig(p.amountPerPeriod, "amountPerPeriod"),
      funded: toBig(p.funded, "funded"),
      spent: toBig(p.spent, "spent"),
      openPeriods: p.openPeriods as number,
      claimedTotal: toBig(p.claimedTotal, "claimedTotal"),
      claims: p.claims as number,
      withdrawn: toBig(p.withdrawn, "withdrawn"),
      ended: p.ended as boolean,
      createdSeq: p.createdSeq as number,
      periods: new Map(),
    };
    const periods = Object.entries(asObject(p.periods, "periods")).sort((a, b) => Number(a[0]) - Number(b[0]));
    for (const [k, rawPd] of periods) {
      const pd = asObject(rawPd, `period ${k}`);
      const prd: PeriodRecord = {
        period: Number(k),
        amount: toBig(pd.amount, "amount"),
        eligible: pd.eligible as number,
        claimed: pd.claimed as number,
        snapshot: pd.snapshot as number,
        settled: pd.settled as boolean,
        openedSeq: pd.openedSeq as number,
      };
      if (pd.paid !== undefined) prd.paid = toBig(pd.paid, "paid");
      rec.periods.set(prd.period, prd);
    }
    state.programs.set(id, rec);
  }
  state.programList = [...state.programs.values()].sort((a, b) => a.createdSeq - b.createdSeq);
  for (const raw of asArray(o.claims, "claims")) {
    const [programId, period, account, amount, seq, txHash] = asArray(raw, "claim") as [string, number, string, string, number, string];
    const index = state.claims.length;
    state.claims.push(new ClaimRecord(toBig(programId, "programId"), period, account, toBig(amount, "amount"), seq, txHash));
    let mine = state.claimsByAccount.get(account);
    if (!mine) {
      mine = [];
      state.claimsByAccount.set(account, mine);
    }
    mine.push(index);
  }
  for (const [to, from] of Object.entries(asObject(o.predecessors ?? {}, "predecessors"))) state.predecessors.set(to, from as string);
  return state;
}

function initial(): IncomeState {
  return { programs: new Map(), programList: [], claims: [], claimsByAccount: new Map(), predecessors: new Map() };
}

/** The basic-income projection (BasicIncome). */
export const incomeProjection: Projection<IncomeState> = { name: "income", initial, reduce, encode, decode };

/**
 * The keys of the membership `account` holds, newest first: `account`, then each key it had before (key recoveries).
 * A recovery that cycles back to a key already listed stops the walk.
 */
export function keysOf(state: IncomeState, account: string): string[] {
  const keys = [account];
  for (let k = state.predecessors.get(account); k !== undefined && !keys.includes(k); k = state.predecessors.get(k)) keys.push(k);
  return keys;
}
