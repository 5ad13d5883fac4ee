import { basicIncomeAbi } from "../../abis/basicIncome";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";

/** @example `const p: FundParameters = { programId: 1n, amount: parseCity("10000") };` */
export interface FundParameters extends WriteParameters {
  programId: bigint;
  /** Base units pulled from the sending account, which must have approved BasicIncome for them. */
  amount: bigint;
}

/** @example `const hash: FundReturnType = await fund(city, params);` */
export type FundReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as FundErrorType; } // e.g. ERC20InsufficientAllowance` */
export type FundErrorType = WriteErrorType;

/**
 * Adds CityCoin to a program's budget, pulled from the sending account (anyone may fund; the city treasury does).
 * Approve BasicIncome first.
 *
 * @example
 * ```ts
 * await approve(city, { spender: city.addresses.basicIncome, amount: parseCity("10000"), wait: true });
 * await fund(city, { programId: 1n, amount: parseCity("10000"), wait: true });
 * ```
 */
export async function fund(context: CityContext, parameters: FundParameters): Promise<FundReturnType> {
  return write(context, "fund", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address: context.addresses.basicIncome,
      abi: basicIncomeAbi,
      functionName: "fund",
      args: [parameters.programId, parameters.amount],
      account,
    }),
  );
}
