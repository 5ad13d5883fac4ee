import type { ContractFunctionReturnType } from "viem";
import { dataUseRegistryAbi } from "../../abis/dataUseRegistry";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { moduleAddress } from "../internal/module";

/** The GDPR art. 6(1) legal bases, by the contract's enum index (`legalBasis`). */
export const legalBases = ["consent", "contract", "legal-obligation", "vital-interest", "public-task", "legitimate-interest"] as const;

/** The data categories, by bit (`categories`); `votes` is never declared: the contract refuses it. */
export const dataCategories = { identity: 1, location: 2, energy: 4, payments: 8, mobility: 16, votes: 32 } as const;

/** @example `const p: GetPurposeParameters = { purposeId: 1n };` */
export interface GetPurposeParameters extends ReadParameters {
  purposeId: bigint;
}

/**
 * A purpose's current terms (description hash, legal basis, categories, retention in seconds, recipients' hashes),
 * its processor, version, consent epoch and whether it is active.
 * @example `const { processorId, legalBasis, categories }: GetPurposeReturnType = await getPurpose(city, { purposeId });`
 */
export type GetPurposeReturnType = ContractFunctionReturnType<typeof dataUseRegistryAbi, "view", "purposeOf">;

/** @example `catch (e) { const err = e as GetPurposeErrorType; } // e.g. DataUseRegistryUnknownPurpose` */
export type GetPurposeErrorType = ReadErrorType;

/**
 * Reads a purpose of data use (DataUseRegistry.purposeOf).
 *
 * @example
 * ```ts
 * const purpose = await getPurpose(city, { purposeId: 1n });
 * console.log(legalBases[purpose.legalBasis], (purpose.categories & dataCategories.location) !== 0);
 * ```
 */
export async function getPurpose(context: CityContext, parameters: GetPurposeParameters): Promise<GetPurposeReturnType> {
  const address = moduleAddress(context, "DataUseRegistry", "getPurpose");
  return read(() =>
    context.publicClient.readContract({ address, abi: dataUseRegistryAbi, functionName: "purposeOf", args: [parameters.purposeId], ...blockOf(parameters) }),
  );
}
