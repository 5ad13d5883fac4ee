/**
 * The JSON the node answers with (ledger-node/src/api/schemas.ts), as the app reads it: integers above 2^53 and
 * amounts are decimal strings, hashes lowercase hex, addresses checksummed.
 */
import type { Address, Hex } from "viem";

export interface LogJson {
  chainId: number;
  blockNumber: string;
  blockHash: Hex;
  transactionHash: Hex;
  logIndex: number;
  address: Address;
  topics: Hex[];
  data: Hex;
}

export interface EventJson {
  contract: string;
  name: string;
  args: Record<string, unknown>;
}

export interface EntryJson {
  seq: number;
  leafHash: Hex;
  leafInput: Hex;
  log: LogJson;
  event: EventJson | null;
}

export interface EntriesPage {
  from: number;
  size: number;
  entries: EntryJson[];
  next: number | null;
}

export interface CheckpointJson {
  origin: string;
  size: number;
  root: Hex;
  rootBase64: string;
  note: string;
  verifierKey: string;
}

export interface InclusionProofJson {
  seq: number;
  treeSize: number;
  leafHash: Hex;
  proof: Hex[];
  root: Hex;
  checkpoint: string | null;
}

export interface ConsistencyProofJson {
  from: number;
  to: number;
  proof: Hex[];
  fromRoot: Hex;
  toRoot: Hex;
  fromCheckpoint: string | null;
  toCheckpoint: string | null;
}

export interface DeploymentNodeJson {
  origin: string;
  verifierKey: string;
  witnesses: { address: Address }[];
  anchor: { contract: "LedgerAnchor"; address: Address; threshold: number; blockNumber: string } | null;
  rpcUrl?: string;
  /** The local dev city only: demo members 0…n-1 have public keys (the wallet offers them, labelled as such). */
  demoMembers?: number;
}
