import type { CityContext } from "../../types";
import { getCheckpoint, type GetCheckpointParameters, type GetCheckpointReturnType } from "../../actions/ledger/getCheckpoint";
import { getEntries, getEntry, type GetEntriesParameters, type GetEntriesReturnType, type GetEntryParameters, type LedgerEntry } from "../../actions/ledger/getEntry";
import {
  getConsistencyProof,
  getInclusionProof,
  type ConsistencyProof,
  type GetConsistencyProofParameters,
  type GetInclusionProofParameters,
  type InclusionProof,
} from "../../actions/ledger/getProofs";
import { verifyReceipt, type VerifiedReceipt, type VerifyReceiptParameters } from "../../actions/ledger/verifyReceipt";

/**
 * The ledger node's verifiable log, bound to a city client created with `ledgerUrl`: `city.ledger.getCheckpoint()`.
 *
 * @example
 * ```ts
 * const ledger: LedgerActions = city.ledger;
 * const { seq } = await ledger.verifyReceipt({ txHash, logIndex, verifierKey });
 * ```
 */
export interface LedgerActions {
  /** {@link getCheckpoint} */
  getCheckpoint: (parameters?: GetCheckpointParameters) => Promise<GetCheckpointReturnType>;
  /** {@link getEntry} */
  getEntry: (parameters: GetEntryParameters) => Promise<LedgerEntry>;
  /** {@link getEntries} */
  getEntries: (parameters?: GetEntriesParameters) => Promise<GetEntriesReturnType>;
  /** {@link getInclusionProof} */
  getInclusionProof: (parameters: GetInclusionProofParameters) => Promise<InclusionProof>;
  /** {@link getConsistencyProof} */
  getConsistencyProof: (parameters: GetConsistencyProofParameters) => Promise<ConsistencyProof>;
  /** {@link verifyReceipt} */
  verifyReceipt: (parameters: VerifyReceiptParameters) => Promise<VerifiedReceipt>;
}

/**
 * Binds the ledger actions to `context` (which needs `ledgerUrl`).
 * @example `const ledger = ledgerActions({ publicClient, addresses, ledgerUrl: "http://127.0.0.1:8787" });`
 */
export function ledgerActions(context: CityContext): LedgerActions {
  return {
    getCheckpoint: (parameters) => getCheckpoint(context, parameters),
    getEntry: (parameters) => getEntry(context, parameters),
    getEntries: (parameters) => getEntries(context, parameters),
    getInclusionProof: (parameters) => getInclusionProof(context, parameters),
    getConsistencyProof: (parameters) => getConsistencyProof(context, parameters),
    verifyReceipt: (parameters) => verifyReceipt(context, parameters),
  };
}
