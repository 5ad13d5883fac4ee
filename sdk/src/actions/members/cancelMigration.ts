import type { Address } from "viem";
import { cityRegistryAbi } from "../../abis/cityRegistry";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";

/** @example `const p: CancelMigrationParameters = { from: oldKey };` */
export interface CancelMigrationParameters extends WriteParameters {
  /** The member whose pending migration is cancelled. */
  from: Address;
}

/** @example `const hash: CancelMigrationReturnType = await cancelMigration(city, { from });` */
export type CancelMigrationReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as CancelMigrationErrorType; } // e.g. CityRegistryUnauthorizedCancel` */
export type CancelMigrationErrorType = WriteErrorType;

/**
 * Cancels a pending migration. Sent by the member's old key itself (a stolen-key attempt it did not ask for) or by
 * the orchestrator. With `gasless: true` the ledger node relays it for the member's own migration even while the
 * member is suspended, so a member without ETH can always stop a migration of itself.
 *
 * @example
 * ```ts
 * // the member, who still has its key, stops a migration it did not ask for:
 * await cancelMigration(city, { from: myAddress });
 * ```
 */
export async function cancelMigration(
  context: CityContext,
  parameters: CancelMigrationParameters,
): Promise<CancelMigrationReturnType> {
  return write(context, "cancelMigration", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address: context.addresses.cityRegistry,
      abi: cityRegistryAbi,
      functionName: "cancelMigration",
      args: [parameters.from],
      account,
    }),
  );
}
