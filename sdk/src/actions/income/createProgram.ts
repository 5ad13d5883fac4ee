import { basicIncomeAbi } from "../../abis/basicIncome";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";

/**
 * @example
 * ```ts
 * const p: CreateProgramParameters = {
 *   collegeMask: 1 << 1, start: now + 3600, periodLength: 30 * 86400, periodCount: 12, amountPerPeriod: parseCity("100"),
 * };
 * ```
 */
export interface CreateProgramParameters extends WriteParameters {
  /** Eligible colleges, bit i = college i (e.g. `1 << 1` for CITIZENS). */
  collegeMask: number;
  /** 0 for no flag requirement, else 1 + the bit of the required member flag (default 0). */
  flagBit?: number | undefined;
  /** First period's start, unix seconds, not in the past. */
  start: number;
  /** Seconds per period, at least one hour. */
  periodLength: number;
  /** Number of periods, at least one. */
  periodCount: number;
  /** Allowance per member per period, in base units. */
  amountPerPeriod: bigint;
}

/** @example `const hash: CreateProgramReturnType = await createProgram(city, params);` */
export type CreateProgramReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as CreateProgramErrorType; } // e.g. BasicIncomeInvalidSchedule` */
export type CreateProgramErrorType = WriteErrorType;

/**
 * Creates an income program (COUNCIL role). Its id is {@link getProgramCount} once mined; fund it with
 * {@link fund} before its first period opens.
 *
 * @example
 * ```ts
 * await createProgram(city, {
 *   collegeMask: 1 << 1,
 *   start: Math.floor(Date.now() / 1000) + 86400,
 *   periodLength: 30 * 86400,
 *   periodCount: 12,
 *   amountPerPeriod: parseCity("100"),
 *   wait: true,
 * });
 * const programId = await getProgramCount(city);
 * ```
 */
export async function createProgram(
  context: CityContext,
  parameters: CreateProgramParameters,
): Promise<CreateProgramReturnType> {
  const { collegeMask, flagBit = 0, start, periodLength, periodCount, amountPerPeriod } = parameters;
  return write(context, "createProgram", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address: context.addresses.basicIncome,
      abi: basicIncomeAbi,
      functionName: "createProgram",
      args: [collegeMask, flagBit, start, periodLength, periodCount, amountPerPeriod],
      account,
    }),
  );
}
