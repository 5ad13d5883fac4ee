import type { CityContext } from "../../types";
import { verifyBulletin, type DataUseBulletin } from "../../datause/bulletin";
import { formatPeriod } from "../../datause/records";
import { ledgerGet } from "../internal/ledger";
import type { LedgerRequestError } from "../internal/ledger";

/** @example `const p: GetBulletinParameters = { period: 202611, verifierKey: nodeKey };` */
export interface GetBulletinParameters {
  /** The month, YYYYMM. */
  period: number;
  /** The node's checkpoint verifier key you trust: when given, the bulletin's signature is verified (verifyBulletin). */
  verifierKey?: string | undefined;
}

/** @example `const { bulletin, note }: GetBulletinReturnType = await getBulletin(city, { period: 202611 });` */
export interface GetBulletinReturnType {
  bulletin: DataUseBulletin;
  /** The node's signed note over it (a checkpoint of the log at the bulletin's size, with its SHA-256). */
  note: string;
  /** The key the node says signed it (trust your own copy of it, not this one). */
  verifierKey: string;
}

/** @example `catch (e) { const err = e as GetBulletinErrorType; }` */
export type GetBulletinErrorType = LedgerRequestError;

/**
 * The data-use bulletin of a month from the ledger node, its signature verified when `verifierKey` is given.
 *
 * @example
 * ```ts
 * const { bulletin } = await getBulletin(city, { period: 202611, verifierKey: nodeKey });
 * for (const p of bulletin.purposes) console.log(p.purposeId, p.accesses, p.violations);
 * ```
 */
export async function getBulletin(context: CityContext, parameters: GetBulletinParameters): Promise<GetBulletinReturnType> {
  const answer = await ledgerGet<GetBulletinReturnType>(context, "getBulletin", `/v1/datause/bulletins/${formatPeriod(parameters.period)}`);
  if (parameters.verifierKey !== undefined) verifyBulletin(answer.bulletin, answer.note, parameters.verifierKey);
  return answer;
}
