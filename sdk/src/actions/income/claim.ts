import { basicIncomeAbi } from "../../abis/basicIncome";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";

/** @example `const p: ClaimParameters = { programId: 1n };` */
export interface ClaimParameters extends WriteParameters {
  programId: bigint;
}

/** @example `const hash: ClaimReturnType = await claim(city, { programId });` */
export type ClaimReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as ClaimErrorType; } // e.g. BasicIncomeAlreadyClaimed, BasicIncomeNotEligible` */
export type ClaimErrorType = WriteErrorType;

/**
 * Claims the wallet account's allowance for the current period of a program (once per period).
 *
 * @example
 * ```ts
 * try {
 *   await claim(city, { programId: 1n, wait: true });
 * } catch (err) {
 *   if (isCityContractError(err, "BasicIncomeAlreadyClaimed")) console.log("already claimed this period");
 * }
 * ```
 */
export async function claim(context: CityContext, parameters: ClaimParameters): Promise<ClaimReturnType> {
  return write(context, "claim", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address: context.addresses.basicIncome,
      abi: basicIncomeAbi,
      functionName: "claim",
      args: [parameters.programId],
      account,
    }),
  );
}
