import type { ContractFunctionReturnType } from "viem";
import { basicIncomeAbi } from "../../abis/basicIncome";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";

/** @example `const p: GetProgramParameters = { programId: 1n };` */
export interface GetProgramParameters extends ReadParameters {
  /** Program id (from 1). */
  programId: bigint;
}

/**
 * A program's schedule (start, period length and count, unix seconds), eligibility (college mask, flag bit),
 * allowance per period and budget (funded, spent, in base units). A `periodLength` of 0 means no such program.
 *
 * @example
 * ```ts
 * const { start, periodLength, amountPerPeriod, funded, spent }: GetProgramReturnType = await getProgram(city, { programId });
 * ```
 */
export type GetProgramReturnType = ContractFunctionReturnType<typeof basicIncomeAbi, "view", "program">;

/** @example `catch (e) { const err = e as GetProgramErrorType; }` */
export type GetProgramErrorType = ReadErrorType;

/**
 * Reads an income program of BasicIncome.
 *
 * @example
 * ```ts
 * const program = await getProgram(city, { programId: 1n });
 * console.log(`${formatCity(program.amountPerPeriod)} CITY every ${program.periodLength / 86400} days`);
 * ```
 */
export async function getProgram(context: CityContext, parameters: GetProgramParameters): Promise<GetProgramReturnType> {
  return read(() =>
    context.publicClient.readContract({
      address: context.addresses.basicIncome,
      abi: basicIncomeAbi,
      functionName: "program",
      args: [parameters.programId],
      ...blockOf(parameters),
    }),
  );
}
