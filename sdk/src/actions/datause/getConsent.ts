import type { Address } from "viem";
import { dataUseRegistryAbi } from "../../abis/dataUseRegistry";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { moduleAddress } from "../internal/module";

/** @example `const p: GetConsentParameters = { purposeId: 1n, member: "0x…" };` */
export interface GetConsentParameters extends ReadParameters {
  purposeId: bigint;
  member: Address;
}

/**
 * Whether the member's consent counts now, and the block from which that holds (its grant's or withdrawal's, or the
 * material change's that lapsed it).
 * @example `const { granted, since }: GetConsentReturnType = await getConsent(city, { purposeId, member });`
 */
export interface GetConsentReturnType {
  granted: boolean;
  since: bigint;
}

/** @example `catch (e) { const err = e as GetConsentErrorType; } // e.g. DataUseRegistryUnknownPurpose` */
export type GetConsentErrorType = ReadErrorType;

/**
 * Reads a member's consent to a purpose (DataUseRegistry.consentOf).
 *
 * @example
 * ```ts
 * const { granted } = await getConsent(city, { purposeId: 2n, member: "0x…" });
 * ```
 */
export async function getConsent(context: CityContext, parameters: GetConsentParameters): Promise<GetConsentReturnType> {
  const address = moduleAddress(context, "DataUseRegistry", "getConsent");
  const [granted, since] = await read(() =>
    context.publicClient.readContract({
      address,
      abi: dataUseRegistryAbi,
      functionName: "consentOf",
      args: [parameters.purposeId, parameters.member],
      ...blockOf(parameters),
    }),
  );
  return { granted, since: BigInt(since) };
}
