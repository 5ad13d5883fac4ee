import type { Address } from "viem";
import { cityRegistryAbi } from "../../abis/cityRegistry";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";

/** @example `const p: ApproveMigrationParameters = { from: oldKey };` */
export interface ApproveMigrationParameters extends WriteParameters {
  /** The member whose pending migration is approved. */
  from: Address;
}

/** @example `const hash: ApproveMigrationReturnType = await approveMigration(city, { from });` */
export type ApproveMigrationReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as ApproveMigrationErrorType; } // e.g. CityRegistryUnauthorizedApproval` */
export type ApproveMigrationErrorType = WriteErrorType;

/**
 * Approves a pending migration, the second party a registrar's migration needs before it can complete: sent by the
 * member's old key (consent) or by the orchestrator (not the registrar who started it).
 *
 * @example
 * ```ts
 * await approveMigration(orchestratorCity, { from: lostKey, wait: true });
 * // after the delay, anyone: await completeMigration(city, { from: lostKey });
 * ```
 */
export async function approveMigration(
  context: CityContext,
  parameters: ApproveMigrationParameters,
): Promise<ApproveMigrationReturnType> {
  return write(context, "approveMigration", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address: context.addresses.cityRegistry,
      abi: cityRegistryAbi,
      functionName: "approveMigration",
      args: [parameters.from],
      account,
    }),
  );
}
