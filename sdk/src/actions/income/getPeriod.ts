import type { ContractFunctionReturnType } from "viem";
import { basicIncomeAbi } from "../../abis/basicIncome";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";

/** @example `const p: GetPeriodParameters = { programId: 1n, period: 0 };` */
export interface GetPeriodParameters extends ReadParameters {
  programId: bigint;
  /** Period index, from 0. */
  period: number;
}

/**
 * A period of a program: the amount it pays each eligible member (fixed when it opens), how many were eligible and
 * claimed, and whether it is opened and settled.
 *
 * @example
 * ```ts
 * const { amount, eligible, claimed, opened }: GetPeriodReturnType = await getPeriod(city, { programId, period });
 * ```
 */
export type GetPeriodReturnType = ContractFunctionReturnType<typeof basicIncomeAbi, "view", "periodOf">;

/** @example `catch (e) { const err = e as GetPeriodErrorType; }` */
export type GetPeriodErrorType = ReadErrorType;

/**
 * Reads one period of an income program (all zero until the period opens, at its first claim).
 *
 * @example
 * ```ts
 * const period = await getPeriod(city, { programId: 1n, period: 0 });
 * console.log(`${period.claimed}/${period.eligible} claimed ${formatCity(period.amount)} CITY`);
 * ```
 */
export async function getPeriod(context: CityContext, parameters: GetPeriodParameters): Promise<GetPeriodReturnType> {
  return read(() =>
    context.publicClient.readContract({
      address: context.addresses.basicIncome,
      abi: basicIncomeAbi,
      functionName: "periodOf",
      args: [parameters.programId, parameters.period],
      ...blockOf(parameters),
    }),
  );
}
