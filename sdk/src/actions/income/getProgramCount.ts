import { basicIncomeAbi } from "../../abis/basicIncome";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";

/** @example `const p: GetProgramCountParameters = {};` */
export type GetProgramCountParameters = ReadParameters;

/** @example `const count: GetProgramCountReturnType = await getProgramCount(city);` */
export type GetProgramCountReturnType = bigint;

/** @example `catch (e) { const err = e as GetProgramCountErrorType; }` */
export type GetProgramCountErrorType = ReadErrorType;

/**
 * The number of income programs created; ids run from 1 to this count, so after {@link createProgram} it is the
 * new program's id.
 *
 * @example
 * ```ts
 * await createProgram(city, { ...schedule, wait: true });
 * const programId = await getProgramCount(city);
 * ```
 */
export async function getProgramCount(
  context: CityContext,
  parameters: GetProgramCountParameters = {},
): Promise<GetProgramCountReturnType> {
  return read(() =>
    context.publicClient.readContract({
      address: context.addresses.basicIncome,
      abi: basicIncomeAbi,
      functionName: "programCount",
      ...blockOf(parameters),
    }),
  );
}
