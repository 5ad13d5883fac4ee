import { zeroAddress, type Address } from "viem";
import { cityRegistryAbi } from "../../abis/cityRegistry";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";

/** @example `const p: GetMigrationParameters = { from: "0x…" };` */
export interface GetMigrationParameters extends ReadParameters {
  /** The member whose (lost) key is being replaced. */
  from: Address;
}

/**
 * The pending key-recovery migration of `from`: the new address, when it can complete (unix seconds), whether a
 * second party approved it and which registrar started it; `null` when none is pending.
 *
 * @example
 * ```ts
 * const pending: GetMigrationReturnType = await getMigration(city, { from });
 * ```
 */
export type GetMigrationReturnType = { to: Address; readyAt: number; approved: boolean; startedBy: Address } | null;

/** @example `catch (e) { const err = e as GetMigrationErrorType; }` */
export type GetMigrationErrorType = ReadErrorType;

/**
 * Reads the pending migration of a membership to a new key.
 *
 * @example
 * ```ts
 * const pending = await getMigration(city, { from: lostKey });
 * if (pending) console.log(`moves to ${pending.to} after ${new Date(pending.readyAt * 1000).toISOString()}`);
 * ```
 */
export async function getMigration(
  context: CityContext,
  parameters: GetMigrationParameters,
): Promise<GetMigrationReturnType> {
  const migration = await read(() =>
    context.publicClient.readContract({
      address: context.addresses.cityRegistry,
      abi: cityRegistryAbi,
      functionName: "migrationOf",
      args: [parameters.from],
      ...blockOf(parameters),
    }),
  );
  return migration.to === zeroAddress
    ? null
    : { to: migration.to, readyAt: migration.readyAt, approved: migration.approved, startedBy: migration.startedBy };
}
