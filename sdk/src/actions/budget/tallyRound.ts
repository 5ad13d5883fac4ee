import { participatoryBudgetAbi } from "../../abis/participatoryBudget";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { budgetAddress } from "../internal/budget";

/** @example `const p: TallyRoundParameters = { roundId };` */
export interface TallyRoundParameters extends WriteParameters {
  /** Round id (greedy winner rule). */
  roundId: bigint;
}

/** @example `const hash: TallyRoundReturnType = await tallyRound(city, params);` */
export type TallyRoundReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as TallyRoundErrorType; } // e.g. ParticipatoryBudgetWrongPhase, ParticipatoryBudgetWrongWinnerRule` */
export type TallyRoundErrorType = WriteErrorType;

/**
 * Computes a greedy round's result on chain once its vote has closed; anyone may call it. Per envelope: by votes,
 * then lower cost, then lower project id, skipping what no longer fits and projects with no vote (the SDK's {@link
 * greedy} with its default tie-breaking).
 *
 * @example
 * ```ts
 * await tallyRound(city, { roundId: 1n, wait: true });
 * ```
 */
export async function tallyRound(context: CityContext, parameters: TallyRoundParameters): Promise<TallyRoundReturnType> {
  const address = budgetAddress(context, "tallyRound");
  return write(context, "tallyRound", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: participatoryBudgetAbi,
      functionName: "tally",
      args: [parameters.roundId],
      account,
    }),
  );
}
