import type { Address } from "viem";
import { cityRegistryAbi } from "../../abis/cityRegistry";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";

/** @example `const p: StartMigrationParameters = { from: lostKey, to: newKey };` */
export interface StartMigrationParameters extends WriteParameters {
  /** The member's lost key. */
  from: Address;
  /** The member's new address (not a member, not reserved). */
  to: Address;
}

/** @example `const hash: StartMigrationReturnType = await startMigration(city, { from, to });` */
export type StartMigrationReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as StartMigrationErrorType; } // e.g. CityRegistryAlreadyMember` */
export type StartMigrationErrorType = WriteErrorType;

/**
 * Starts moving a membership to a new key (REGISTRAR role). It completes after the registry's migration delay,
 * unless the old key or the orchestrator cancels it.
 *
 * @example
 * ```ts
 * await startMigration(city, { from: lostKey, to: newKey });
 * const { readyAt } = (await getMigration(city, { from: lostKey }))!;
 * ```
 */
export async function startMigration(
  context: CityContext,
  parameters: StartMigrationParameters,
): Promise<StartMigrationReturnType> {
  return write(context, "startMigration", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address: context.addresses.cityRegistry,
      abi: cityRegistryAbi,
      functionName: "startMigration",
      args: [parameters.from, parameters.to],
      account,
    }),
  );
}
