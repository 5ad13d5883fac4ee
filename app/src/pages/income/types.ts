/** The income routes' JSON (ledger-node/src/domains/income/routes.ts). */
import type { Address, Hex } from "viem";

export interface PeriodJson {
  period: number;
  amount: string;
  eligible: number;
  claimed: number;
  snapshot: number;
  settled: boolean;
  paid?: string;
  openedSeq: number;
}

export interface ProgramJson {
  id: string;
  collegeMask: number;
  flagBit: number;
  start: number;
  periodLength: number;
  periodCount: number;
  amountPerPeriod: string;
  funded: string;
  spent: string;
  openPeriods: number;
  claimedTotal: string;
  claims: number;
  withdrawn: string;
  ended: boolean;
  createdSeq: number;
  periods: PeriodJson[];
}

export interface ClaimJson {
  programId: string;
  period: number;
  account: Address;
  amount: string;
  seq: number;
  txHash: Hex;
}

export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}
