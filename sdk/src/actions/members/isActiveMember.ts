import type { Address } from "viem";
import { cityRegistryAbi } from "../../abis/cityRegistry";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";

/** @example `const p: IsActiveMemberParameters = { address: "0x…" };` */
export interface IsActiveMemberParameters extends ReadParameters {
  /** The account asked about. */
  address: Address;
}

/** @example `const active: IsActiveMemberReturnType = await isActiveMember(city, { address });` */
export type IsActiveMemberReturnType = boolean;

/** @example `catch (e) { const err = e as IsActiveMemberErrorType; }` */
export type IsActiveMemberErrorType = ReadErrorType;

/**
 * Whether `address` is an active member now (registered, not suspended nor removed).
 *
 * @example
 * ```ts
 * if (await isActiveMember(city, { address: "0x…" })) showWallet();
 * ```
 */
export async function isActiveMember(
  context: CityContext,
  parameters: IsActiveMemberParameters,
): Promise<IsActiveMemberReturnType> {
  return read(() =>
    context.publicClient.readContract({
      address: context.addresses.cityRegistry,
      abi: cityRegistryAbi,
      functionName: "isActiveMember",
      args: [parameters.address],
      ...blockOf(parameters),
    }),
  );
}
