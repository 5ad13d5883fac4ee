import { basicIncomeAbi } from "../../abis/basicIncome";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";

/** @example `const p: GetCurrentPeriodParameters = { programId: 1n };` */
export interface GetCurrentPeriodParameters extends ReadParameters {
  programId: bigint;
}

/** @example `const period: GetCurrentPeriodReturnType = await getCurrentPeriod(city, { programId });` */
export type GetCurrentPeriodReturnType = number;

/** @example `catch (e) { const err = e as GetCurrentPeriodErrorType; } // BasicIncomeNotStarted, BasicIncomeEnded` */
export type GetCurrentPeriodErrorType = ReadErrorType;

/**
 * The period of a program running now (from 0). Throws a {@link CityContractError} named `BasicIncomeNotStarted`
 * before the first period and `BasicIncomeEnded` after the last.
 *
 * @example
 * ```ts
 * const period = await getCurrentPeriod(city, { programId: 1n });
 * const claimed = await hasClaimed(city, { programId: 1n, period, address: me });
 * ```
 */
export async function getCurrentPeriod(
  context: CityContext,
  parameters: GetCurrentPeriodParameters,
): Promise<GetCurrentPeriodReturnType> {
  return read(() =>
    context.publicClient.readContract({
      address: context.addresses.basicIncome,
      abi: basicIncomeAbi,
      functionName: "currentPeriod",
      args: [parameters.programId],
      ...blockOf(parameters),
    }),
  );
}
