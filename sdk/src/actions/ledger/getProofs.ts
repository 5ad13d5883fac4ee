import type { Hex } from "viem";
import type { CityContext } from "../../types";
import { ledgerGet } from "../internal/ledger";

/** @example `const p: GetInclusionProofParameters = { txHash, logIndex: 3 };` */
export type GetInclusionProofParameters = ({ seq: number } | { txHash: Hex; logIndex: number }) & {
  /** Tree size to prove against (default: the node's current size). */
  treeSize?: number | undefined;
};

/** @example `const proof: InclusionProof = await getInclusionProof(city, { seq: 7 });` */
export interface InclusionProof {
  seq: number;
  treeSize: number;
  leafHash: Hex;
  proof: Hex[];
  root: Hex;
  /** The node's signed note for `treeSize`, when it signed one at that size. */
  checkpoint: string | null;
}

/**
 * The RFC 6962 audit path of an entry (by sequence number, or by the transaction and log index that emitted it).
 * Check it with {@link verifyInclusion}, or use {@link verifyReceipt} which also checks the checkpoint and the chain.
 * @example `const { proof, root } = await getInclusionProof(city, { txHash, logIndex });`
 */
export async function getInclusionProof(context: CityContext, parameters: GetInclusionProofParameters): Promise<InclusionProof> {
  const query = new URLSearchParams();
  if ("seq" in parameters) query.set("seq", String(parameters.seq));
  else {
    query.set("txHash", parameters.txHash);
    query.set("logIndex", String(parameters.logIndex));
  }
  if (parameters.treeSize !== undefined) query.set("treeSize", String(parameters.treeSize));
  return ledgerGet<InclusionProof>(context, "getInclusionProof", `/v1/proofs/inclusion?${query}`);
}

/** @example `const p: GetConsistencyProofParameters = { from: 10, to: 20 };` */
export interface GetConsistencyProofParameters {
  from: number;
  /** Default: the node's current size. */
  to?: number | undefined;
}

/** @example `const proof: ConsistencyProof = await getConsistencyProof(city, { from: 10 });` */
export interface ConsistencyProof {
  from: number;
  to: number;
  proof: Hex[];
  fromRoot: Hex;
  toRoot: Hex;
  fromCheckpoint: string | null;
  toCheckpoint: string | null;
}

/**
 * The RFC 6962 proof that the log at size `to` extends the log at size `from`. Check it with {@link verifyConsistency}.
 * @example `const { proof, fromRoot, toRoot } = await getConsistencyProof(city, { from: 10, to: 20 });`
 */
export async function getConsistencyProof(context: CityContext, parameters: GetConsistencyProofParameters): Promise<ConsistencyProof> {
  const query = new URLSearchParams({ from: String(parameters.from) });
  if (parameters.to !== undefined) query.set("to", String(parameters.to));
  return ledgerGet<ConsistencyProof>(context, "getConsistencyProof", `/v1/proofs/consistency?${query}`);
}
