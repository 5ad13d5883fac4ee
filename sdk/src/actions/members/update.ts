import type { Address, Hex } from "viem";
import { cityRegistryAbi } from "../../abis/cityRegistry";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";

/** @example `const p: UpdateParameters = { member: "0x…", college: 1, district: 4, flags: 3n, credentialHash };` */
export interface UpdateParameters extends WriteParameters {
  /** The member (active or suspended). */
  member: Address;
  /** New college id (must be enabled). */
  college: number;
  /** New district. */
  district: number;
  /** New role flags. */
  flags: bigint;
  /** The credential hash (unchanged, or a new one no one else holds). */
  credentialHash: Hex;
}

/** @example `const hash: UpdateReturnType = await update(city, params);` */
export type UpdateReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as UpdateErrorType; } // e.g. CityRegistryNotAMember` */
export type UpdateErrorType = WriteErrorType;

/**
 * Changes a member's college, district, flags or credential hash (REGISTRAR role); the status is unchanged.
 *
 * @example
 * ```ts
 * const member = await getMember(city, { address });
 * await update(city, { member: address, ...member, district: 4, flags: member.flags | memberFlags.MERCHANT });
 * ```
 */
export async function update(context: CityContext, parameters: UpdateParameters): Promise<UpdateReturnType> {
  const { member, college, district, flags, credentialHash } = parameters;
  return write(context, "update", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address: context.addresses.cityRegistry,
      abi: cityRegistryAbi,
      functionName: "update",
      args: [member, college, district, flags, credentialHash],
      account,
    }),
  );
}
