/** The governance routes' JSON (ledger-node/src/domains/governance/routes.ts). */
import type { Address, Hex } from "viem";

export type GovernanceStatus = "created" | "canceled" | "queued" | "executed" | "vetoed";

export interface CollegeVotesJson {
  college: number;
  weightBps: number;
  quorumBps: number;
  forVotes: string;
  againstVotes: string;
  abstainVotes: string;
}

export interface ProposalJson {
  id: string;
  proposer: Address;
  targets: Address[];
  values: string[];
  calldatas: Hex[];
  description: string;
  voteStart: number;
  voteEnd: number;
  charterVersion: number;
  constitutional: boolean;
  status: GovernanceStatus;
  cosigners: Address[];
  petitionId: string | null;
  canceledBy: Address | null;
  cancelReason: string | null;
  operationId: Hex | null;
  eta: number | null;
  /** 1e18 = 100 %. */
  scoreWad: string;
  thresholdBps: number;
  colleges: CollegeVotesJson[];
  veto: { college: number; signatures: number; needed: number; signers: Address[] };
  createdSeq: number;
}

export interface CharterJson {
  version: number;
  colleges: { college: number; weightBps: number; quorumBps: number }[];
  approvalThresholdBps: number;
  superMajorityBps: number;
  cosignShareBps: number;
  vetoCollege: number;
  vetoThresholdBps: number;
  seq: number;
}

export interface ListJson<T> {
  items: T[];
  total: number;
}

export interface Page<T> extends ListJson<T> {
  offset: number;
  limit: number;
}
