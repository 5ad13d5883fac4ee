import { participatoryBudgetAbi } from "../../abis/participatoryBudget";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { budgetAddress } from "../internal/budget";

/** @example `const p: FundRoundParameters = { roundId };` */
export interface FundRoundParameters extends WriteParameters {
  /** Round id (result in). */
  roundId: bigint;
}

/** @example `const hash: FundRoundReturnType = await fundRound(city, params);` */
export type FundRoundReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as FundRoundErrorType; } // e.g. ParticipatoryBudgetAlreadyFunded, ERC20InsufficientAllowance` */
export type FundRoundErrorType = WriteErrorType;

/**
 * Moves the winners' costs from the city treasury (which approved ParticipatoryBudget) into per-project escrow
 * (ORCHESTRATOR).
 *
 * @example
 * ```ts
 * await fundRound(city, { roundId: 1n, wait: true });
 * ```
 */
export async function fundRound(context: CityContext, parameters: FundRoundParameters): Promise<FundRoundReturnType> {
  const address = budgetAddress(context, "fundRound");
  return write(context, "fundRound", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: participatoryBudgetAbi,
      functionName: "fund",
      args: [parameters.roundId],
      account,
    }),
  );
}
