import type { Address } from "viem";
import { cityRegistryAbi } from "../../abis/cityRegistry";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";

/** @example `const p: ReinstateParameters = { member: "0x…" };` */
export interface ReinstateParameters extends WriteParameters {
  /** The suspended member. */
  member: Address;
}

/** @example `const hash: ReinstateReturnType = await reinstate(city, { member });` */
export type ReinstateReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as ReinstateErrorType; } // e.g. CityRegistryNotSuspended` */
export type ReinstateErrorType = WriteErrorType;

/**
 * Reinstates a suspended member (REGISTRAR role).
 *
 * @example
 * ```ts
 * await reinstate(city, { member: "0x…", wait: true });
 * ```
 */
export async function reinstate(context: CityContext, parameters: ReinstateParameters): Promise<ReinstateReturnType> {
  return write(context, "reinstate", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address: context.addresses.cityRegistry,
      abi: cityRegistryAbi,
      functionName: "reinstate",
      args: [parameters.member],
      account,
    }),
  );
}
