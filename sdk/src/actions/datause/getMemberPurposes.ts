import { getAddress, type Address } from "viem";
import type { CityContext } from "../../types";
import { ledgerGet, type LedgerRequestError } from "../internal/ledger";
import type { legalBases } from "./getPurpose";

/** @example `const p: GetMemberPurposesParameters = { member: "0x…" };` */
export interface GetMemberPurposesParameters {
  member: Address;
}

/** A purpose with the member's consent to it now. */
export interface MemberPurpose {
  purposeId: string;
  processorId: string;
  active: boolean;
  processorActive: boolean;
  contactUri: string;
  legalBasis: (typeof legalBases)[number];
  categories: number;
  /** Seconds. */
  retention: number;
  version: number;
  consentBased: boolean;
  /** Null when the member never granted it; `lapsed` when a material change of the purpose ended it. */
  consent: { granted: boolean; lapsed: boolean; since: string; version: number } | null;
}

/** @example `const purposes: GetMemberPurposesReturnType = await getMemberPurposes(city, { member });` */
export type GetMemberPurposesReturnType = MemberPurpose[];

/** @example `catch (e) { const err = e as GetMemberPurposesErrorType; }` */
export type GetMemberPurposesErrorType = LedgerRequestError;

/**
 * Every purpose of data use, with its processor, basis and categories, and the member's consent state, from the
 * ledger node's projection.
 *
 * @example
 * ```ts
 * const toAsk = (await getMemberPurposes(city, { member })).filter((p) => p.consentBased && !p.consent?.granted);
 * ```
 */
export async function getMemberPurposes(context: CityContext, parameters: GetMemberPurposesParameters): Promise<GetMemberPurposesReturnType> {
  const { items } = await ledgerGet<{ items: MemberPurpose[] }>(context, "getMemberPurposes", `/v1/datause/members/${getAddress(parameters.member)}/purposes`);
  return items;
}
