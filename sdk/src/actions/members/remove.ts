import type { Address, Hex } from "viem";
import { cityRegistryAbi } from "../../abis/cityRegistry";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";

/** @example `const p: RemoveParameters = { member: "0x…", reasonHash: keccak256(toHex("moved away")) };` */
export interface RemoveParameters extends WriteParameters {
  /** The member (active or suspended) to remove. */
  member: Address;
  /** Hash of the decision's file. */
  reasonHash: Hex;
}

/** @example `const hash: RemoveReturnType = await remove(city, params);` */
export type RemoveReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as RemoveErrorType; } // e.g. CityRegistryMigrationPending` */
export type RemoveErrorType = WriteErrorType;

/**
 * Ends a membership (REGISTRAR role) and frees its credential hash, so the person may register again later.
 *
 * @example
 * ```ts
 * await remove(city, { member: "0x…", reasonHash: keccak256(toHex("left the city")) });
 * ```
 */
export async function remove(context: CityContext, parameters: RemoveParameters): Promise<RemoveReturnType> {
  return write(context, "remove", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address: context.addresses.cityRegistry,
      abi: cityRegistryAbi,
      functionName: "remove",
      args: [parameters.member, parameters.reasonHash],
      account,
    }),
  );
}
