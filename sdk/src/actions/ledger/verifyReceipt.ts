import { bytesToHex, hexToBytes, type Hex } from "viem";
import { CityError } from "../../errors/base";
import { leafFromLog } from "../../ledger/leaf";
import { verifyInclusion } from "../../merkle/verify";
import type { CityContext } from "../../types";
import { getCheckpoint } from "./getCheckpoint";
import { getInclusionProof } from "./getProofs";

/** @example `const p: VerifyReceiptParameters = { txHash, logIndex: 2, verifierKey };` */
export interface VerifyReceiptParameters {
  /** The transaction that emitted the event (e.g. a payment). */
  txHash: Hex;
  /** The event's log index in its block (as in the transaction receipt). */
  logIndex: number;
  /** The ledger node's published verifier key: the checkpoint must be signed by it. */
  verifierKey: string;
}

/** @example `const receipt: VerifiedReceipt = await verifyReceipt(city, params);` */
export interface VerifiedReceipt {
  /** The entry's position in the log. */
  seq: number;
  /** The signed checkpoint it was proven against. */
  treeSize: number;
  root: Hex;
  note: string;
  leafHash: Hex;
}

/**
 * A receipt that does not verify: the log is not where the node says, the node's entry differs from the chain's log,
 * the proof does not lead to the signed root, or the event is not in a signed checkpoint yet.
 * @example `catch (err) { if (err instanceof ReceiptVerificationError) console.error(err.shortMessage); }`
 */
export class ReceiptVerificationError extends CityError {
  constructor(reason: string, hint: string) {
    super(`The receipt does not verify: ${reason}`, { metaMessages: [`- ${hint}`], name: "ReceiptVerificationError" });
  }
}

/**
 * Proves that an event the chain emitted is in the city's public log: reads the log from the chain itself (the
 * transaction receipt), computes its RFC 6962 leaf, and checks the node's audit path for it against the node's
 * latest checkpoint, whose Ed25519 signature is checked against `verifierKey`. Trusts neither the node's copy of the
 * event nor its root: only the chain and the published key.
 *
 * @throws {ReceiptVerificationError} With the reason when any step fails.
 * @example
 * ```ts
 * const hash = await city.currency.transfer({ to: shop, amount: parseCity("3"), wait: true });
 * const { logs } = await publicClient.getTransactionReceipt({ hash });
 * const proof = await verifyReceipt(city, { txHash: hash, logIndex: logs[0].logIndex, verifierKey });
 * ```
 */
export async function verifyReceipt(context: CityContext, parameters: VerifyReceiptParameters): Promise<VerifiedReceipt> {
  const { publicClient } = context;
  const receipt = await publicClient.getTransactionReceipt({ hash: parameters.txHash });
  const log = receipt.logs.find((l) => l.logIndex === parameters.logIndex);
  if (!log) {
    throw new ReceiptVerificationError(`transaction ${parameters.txHash} has no log with index ${parameters.logIndex}`, "Take the logIndex from the transaction's receipt.");
  }
  const chainId = publicClient.chain?.id ?? (await publicClient.getChainId());
  const leaf = leafFromLog({
    chainId,
    blockNumber: log.blockNumber,
    blockHash: log.blockHash,
    transactionHash: log.transactionHash,
    logIndex: log.logIndex,
    address: log.address,
    topics: log.topics,
    data: log.data,
  });
  const checkpoint = await getCheckpoint(context, { verifierKey: parameters.verifierKey });
  const proof = await getInclusionProof(context, { txHash: parameters.txHash, logIndex: parameters.logIndex }).catch(() => undefined);
  if (!proof) {
    throw new ReceiptVerificationError("the ledger node has no entry for this log", "The node may not have followed this block yet (finality): try again in a few seconds.");
  }
  if (proof.seq >= checkpoint.size) {
    throw new ReceiptVerificationError(`entry ${proof.seq} is not yet in the latest signed checkpoint (size ${checkpoint.size})`, "Try again after the node's next checkpoint.");
  }
  const atCheckpoint = proof.treeSize === checkpoint.size ? proof : await getInclusionProof(context, { seq: proof.seq, treeSize: checkpoint.size });
  if (atCheckpoint.leafHash.toLowerCase() !== bytesToHex(leaf)) {
    throw new ReceiptVerificationError(`the node's entry ${proof.seq} is not the chain's log (leaf ${atCheckpoint.leafHash}, chain ${bytesToHex(leaf)})`, "Report the node: it serves an altered entry.");
  }
  if (atCheckpoint.root.toLowerCase() !== checkpoint.root) {
    throw new ReceiptVerificationError(`the proof's root is not the signed checkpoint's root at size ${checkpoint.size}`, "Report the node: its proof and its checkpoint disagree.");
  }
  try {
    verifyInclusion(leaf, atCheckpoint.seq, checkpoint.size, atCheckpoint.proof.map((h) => hexToBytes(h)), hexToBytes(checkpoint.root));
  } catch (error) {
    throw new ReceiptVerificationError(`the audit path does not lead to the signed root (${(error as Error).message})`, "Report the node: its proof is wrong.");
  }
  return { seq: atCheckpoint.seq, treeSize: checkpoint.size, root: checkpoint.root, note: checkpoint.note, leafHash: bytesToHex(leaf) };
}
