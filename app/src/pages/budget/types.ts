/** The participatory-budget routes' JSON (ledger-node/src/domains/budget/routes.ts): amounts in base units as strings. */
import type { Address, Hex } from "viem";

export type ProjectStatus = "none" | "submitted" | "feasible" | "infeasible" | "selected" | "funded" | "closed";

export interface ProjectJson {
  roundId: string;
  projectId: number;
  proposer: Address;
  recipient: Address;
  envelope: number;
  cost: string;
  status: ProjectStatus;
  supportCount: number;
  ballotIndex: number | null;
  escrow: string;
  released: string;
  held: string;
  returned: string;
  submittedSeq: number;
}

export interface RoundJson {
  id: string;
  winnerRule: number;
  envelopes: { envelope: number; district: number; amount: string }[];
  ballots: number;
  logHead: Hex;
  /** `winners`: bitmap of ballot indexes, as a decimal string. */
  result: { winners: string; logHead: Hex; by: Address; seq: number } | null;
  challenged: boolean;
  challenges: {
    challenger: Address;
    posted: string;
    winners: string;
    seq: number;
    resolution: { upheld: boolean; reasonHash: Hex; by: Address; seq: number } | null;
  }[];
  funded: { treasury: Address; total: string; seq: number } | null;
  escrow: string;
  projects: ProjectJson[];
  createdSeq: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}
