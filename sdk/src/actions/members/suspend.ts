import type { Address, Hex } from "viem";
import { cityRegistryAbi } from "../../abis/cityRegistry";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";

/** @example `const p: SuspendParameters = { member: "0x…", reasonHash: keccak256(toHex("case 42")) };` */
export interface SuspendParameters extends WriteParameters {
  /** The active member to suspend. */
  member: Address;
  /** Hash of the decision's file (the reason stays off chain). */
  reasonHash: Hex;
}

/** @example `const hash: SuspendReturnType = await suspend(city, params);` */
export type SuspendReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as SuspendErrorType; } // e.g. CityRegistryNotActive` */
export type SuspendErrorType = WriteErrorType;

/**
 * Suspends an active member (REGISTRAR role): no vote, no transfers, no claims until reinstated.
 *
 * @example
 * ```ts
 * await suspend(city, { member: "0x…", reasonHash: keccak256(toHex("decision 2026-114")) });
 * ```
 */
export async function suspend(context: CityContext, parameters: SuspendParameters): Promise<SuspendReturnType> {
  return write(context, "suspend", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address: context.addresses.cityRegistry,
      abi: cityRegistryAbi,
      functionName: "suspend",
      args: [parameters.member, parameters.reasonHash],
      account,
    }),
  );
}
