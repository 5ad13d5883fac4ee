import { participatoryBudgetAbi } from "../../abis/participatoryBudget";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { budgetAddress } from "../internal/budget";

/** @example `const p: GetBudgetRoundCountParameters = {};` */
export type GetBudgetRoundCountParameters = ReadParameters;

/** @example `const roundId: GetBudgetRoundCountReturnType = await getBudgetRoundCount(city);` */
export type GetBudgetRoundCountReturnType = bigint;

/** @example `catch (e) { const err = e as GetBudgetRoundCountErrorType; }` */
export type GetBudgetRoundCountErrorType = ReadErrorType;

/**
 * The number of budget rounds created: ids run from 1 to it, so after {@link createRound} it is the new round's id.
 *
 * @example
 * ```ts
 * const roundId = await getBudgetRoundCount(city);
 * ```
 */
export async function getBudgetRoundCount(
  context: CityContext,
  parameters: GetBudgetRoundCountParameters = {},
): Promise<GetBudgetRoundCountReturnType> {
  const address = budgetAddress(context, "getBudgetRoundCount");
  return read(() =>
    context.publicClient.readContract({ address, abi: participatoryBudgetAbi, functionName: "roundCount", ...blockOf(parameters) }),
  );
}
