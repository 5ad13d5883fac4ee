/** The ballots routes' JSON (ledger-node/src/domains/ballots/routes.ts): counts and big numbers as decimal strings. */
import type { Address, Hex } from "viem";

export type BallotKind = "referendum" | "consultation" | "petition";

export interface BallotRowJson {
  counts: string[];
  turnout: string;
}

export interface BallotJson {
  id: string;
  kind: BallotKind;
  petitionId: string;
  sealed: boolean;
  binding: boolean;
  approval: boolean;
  optionCount: number;
  maxApprovals: number;
  collegeMask: number;
  flagBit: number;
  thresholdBps: number;
  opensAt: number;
  closesAt: number;
  revealWindow: number;
  districts: number[];
  questionHash: Hex;
  snapshot: number;
  electorate: string;
  needed: string;
  createdSeq: number;
  proposalId: string;
  reached: boolean;
  referendumId: string;
  openedBy: Address | null;
  results: BallotRowJson & {
    counted: string;
    quorumMet: boolean;
    byCollege: (BallotRowJson & { college: number })[];
    byDistrict: (BallotRowJson & { district: number })[];
  };
  final: (BallotRowJson & { counted: string; quorumMet: boolean; seq: number }) | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}

export interface CommitmentJson {
  voter: Address;
  college: number;
  district: number;
  commitment: Hex;
  seq: number;
  revealed: boolean;
}
