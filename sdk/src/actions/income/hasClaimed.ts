import type { Address } from "viem";
import { basicIncomeAbi } from "../../abis/basicIncome";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";

/** @example `const p: HasClaimedParameters = { programId: 1n, period: 0, address: "0x…" };` */
export interface HasClaimedParameters extends ReadParameters {
  programId: bigint;
  /** Period index, from 0. */
  period: number;
  /** The member asked about. */
  address: Address;
}

/** @example `const done: HasClaimedReturnType = await hasClaimed(city, params);` */
export type HasClaimedReturnType = boolean;

/** @example `catch (e) { const err = e as HasClaimedErrorType; }` */
export type HasClaimedErrorType = ReadErrorType;

/**
 * Whether `address` has claimed `period` of a program.
 *
 * @example
 * ```ts
 * const period = await getCurrentPeriod(city, { programId: 1n });
 * if (!(await hasClaimed(city, { programId: 1n, period, address: me }))) await claim(city, { programId: 1n });
 * ```
 */
export async function hasClaimed(context: CityContext, parameters: HasClaimedParameters): Promise<HasClaimedReturnType> {
  return read(() =>
    context.publicClient.readContract({
      address: context.addresses.basicIncome,
      abi: basicIncomeAbi,
      functionName: "hasClaimed",
      args: [parameters.programId, parameters.period, parameters.address],
      ...blockOf(parameters),
    }),
  );
}
