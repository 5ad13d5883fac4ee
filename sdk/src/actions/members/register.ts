import type { Address, Hex } from "viem";
import { cityRegistryAbi } from "../../abis/cityRegistry";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";

/**
 * @example
 * ```ts
 * const p: RegisterParameters = { member: "0x…", college: 1, district: 3, flags: 1n, credentialHash: keccak256(toHex(saltedFile)) };
 * ```
 */
export interface RegisterParameters extends WriteParameters {
  /** The new member's address. */
  member: Address;
  /** College id (must be enabled). */
  college: number;
  /** District number. */
  district: number;
  /** Role flags, a bit field (`1n << bit`: 0 resident, 1 merchant, 2 prosumer, 3 parking owner, 4 association). */
  flags: bigint;
  /** Salted hash of the registrar's file on this person: unique across members, never personal data. */
  credentialHash: Hex;
}

/** @example `const hash: RegisterReturnType = await register(city, params);` */
export type RegisterReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as RegisterErrorType; } // e.g. CityRegistryCredentialInUse` */
export type RegisterErrorType = WriteErrorType;

/**
 * Registers an active member (REGISTRAR role). The member gets one vote and may hold CityCoin.
 *
 * @example
 * ```ts
 * const hash = await register(city, {
 *   member: "0x…",
 *   college: 1,
 *   district: 3,
 *   flags: memberFlags.RESIDENT,
 *   credentialHash: keccak256(toHex(`${salt}:${fileNumber}`)),
 * });
 * ```
 */
export async function register(context: CityContext, parameters: RegisterParameters): Promise<RegisterReturnType> {
  const { member, college, district, flags, credentialHash } = parameters;
  return write(context, "register", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address: context.addresses.cityRegistry,
      abi: cityRegistryAbi,
      functionName: "register",
      args: [member, college, district, flags, credentialHash],
      account,
    }),
  );
}
