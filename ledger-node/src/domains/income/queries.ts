/**
 * Typed reads of the basic-income projection (conventions: projections/reads.ts).
 */
import type { Address, Hex } from "viem";
import type { DomainRead } from "../domain";
import { normalizeAddress, pageWindow, type Page, type PageRequest } from "../../projections/reads";
import { keysOf, type ClaimRecord, type IncomeState, type ProgramRecord } from "./projection";

export interface IncomePeriodView {
  period: number;
  amount: bigint;
  eligible: number;
  claimed: number;
  /** Eligibility snapshot (unix seconds). */
  snapshot: number;
  settled: boolean;
  /** What the period paid, once settled. */
  paid?: bigint;
  openedSeq: number;
}

/** A program as the API serves it: the record's fields, its periods as a list. */
export interface IncomeProgramView extends Omit<ProgramRecord, "periods"> {
  periods: IncomePeriodView[];
}

export interface IncomeClaimView {
  programId: bigint;
  period: number;
  account: Address;
  amount: bigint;
  seq: number;
  txHash: Hex;
}

export interface IncomeQueries {
  program(id: bigint): IncomeProgramView | undefined;
  programs(): IncomeProgramView[];
  /** Claims of `address` across every program, and of every key its membership had before (key recoveries). */
  claims(address: string, page?: PageRequest): Page<IncomeClaimView>;
}

export function incomeQueries({ state, cs }: DomainRead<IncomeState>): IncomeQueries {
  const programView = (p: ProgramRecord): IncomeProgramView => ({
    id: p.id,
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
    periods: [...p.periods.values()].sort((a, b) => a.period - b.period).map((pd) => {
      const view: IncomePeriodView = {
        period: pd.period,
        amount: pd.amount,
        eligible: pd.eligible,
        claimed: pd.claimed,
        snapshot: pd.snapshot,
        settled: pd.settled,
        openedSeq: pd.openedSeq,
      };
      if (pd.paid !== undefined) view.paid = pd.paid;
      return view;
    }),
  });

  const claimView = (c: ClaimRecord): IncomeClaimView => ({
    programId: c.programId,
    period: c.period,
    account: cs(c.account),
    amount: c.amount,
    seq: c.seq,
    txHash: c.txHash as Hex,
  });

  return {
    program(id) {
      const p = state().programs.get(id.toString());
      return p && programView(p);
    },
    programs() {
      return state()._programList.map(programView);
    },
    claims(address, page) {
      const a = normalizeAddress(address);
      const s = state();
      const mine = a === undefined ? [] : keysOf(s, a).flatMap((k) => s._claimsByAccount.get(k) ?? []);
      mine.sort((x, y) => x - y);
      const w = pageWindow(mine.length, page);
      return { items: w.indices.map((i) => claimView(s.claims[mine[i]])), total: mine.length, offset: w.offset, limit: w.limit };
    },
  };
}
