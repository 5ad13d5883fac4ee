import type { Hex } from "viem";
import type { CityContext } from "../../types";
import { accessRecordsRoot, type AccessRecord } from "../../datause/records";
import { ledgerPost } from "../internal/ledger";
import type { LedgerRequestError } from "../internal/ledger";

/** @example `const p: SubmitAccessRecordsParameters = { processorId: 1n, period: 202611, records };` */
export interface SubmitAccessRecordsParameters {
  processorId: bigint;
  /** YYYYMM. */
  period: number;
  /** In the order their tree was built (the published root commits to it). */
  records: readonly AccessRecord[];
}

/** @example `const { stored }: SubmitAccessRecordsReturnType = await submitAccessRecords(city, parameters);` */
export interface SubmitAccessRecordsReturnType {
  root: Hex;
  recordCount: number;
  /** False when the node already had them. */
  stored: boolean;
}

/** @example `catch (e) { const err = e as SubmitAccessRecordsErrorType; if (err.type === "records-mismatch") … }` */
export type SubmitAccessRecordsErrorType = LedgerRequestError;

/**
 * Submits a batch's access records to the ledger node, which keeps them if they hash to the batch's published root
 * (anyone may submit: the root is the check). Throws `LedgerRequestError` of type `records-mismatch` otherwise.
 *
 * @example
 * ```ts
 * await publishBatch(processorId, 202611, accessRecordsRoot(records), records.length, saltHashOf(salt));
 * await submitAccessRecords(city, { processorId, period: 202611, records });
 * ```
 */
export async function submitAccessRecords(context: CityContext, parameters: SubmitAccessRecordsParameters): Promise<SubmitAccessRecordsReturnType> {
  accessRecordsRoot(parameters.records); // refuses a malformed record before it travels
  const records = parameters.records.map((r) => ({ ...r, purposeId: r.purposeId.toString() }));
  return ledgerPost(context, "submitAccessRecords", `/v1/datause/batches/${parameters.processorId}/${parameters.period}/records`, { records });
}
