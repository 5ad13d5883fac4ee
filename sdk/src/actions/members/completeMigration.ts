import type { Address } from "viem";
import { cityRegistryAbi } from "../../abis/cityRegistry";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";

/** @example `const p: CompleteMigrationParameters = { from: oldKey };` */
export interface CompleteMigrationParameters extends WriteParameters {
  /** The member whose migration is due. */
  from: Address;
}

/** @example `const hash: CompleteMigrationReturnType = await completeMigration(city, { from });` */
export type CompleteMigrationReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as CompleteMigrationErrorType; } // e.g. CityRegistryMigrationNotReady` */
export type CompleteMigrationErrorType = WriteErrorType;

/**
 * Completes a migration whose delay has passed (anyone may send it): the membership, its vote and its CityCoin
 * balance move to the new address.
 *
 * @example
 * ```ts
 * await completeMigration(city, { from: lostKey, wait: true });
 * await isActiveMember(city, { address: newKey }); // true
 * ```
 */
export async function completeMigration(
  context: CityContext,
  parameters: CompleteMigrationParameters,
): Promise<CompleteMigrationReturnType> {
  return write(context, "completeMigration", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address: context.addresses.cityRegistry,
      abi: cityRegistryAbi,
      functionName: "completeMigration",
      args: [parameters.from],
      account,
    }),
  );
}
