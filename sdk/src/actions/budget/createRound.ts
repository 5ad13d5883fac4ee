import { participatoryBudgetAbi } from "../../abis/participatoryBudget";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { budgetAddress } from "../internal/budget";
import type { BudgetRoundParams } from "./types";

/** @example `const p: CreateRoundParameters = { params };` */
export interface CreateRoundParameters extends WriteParameters {
  /** The round: snapshot, deadlines, support threshold, ballot and winner rules, envelopes. */
  params: BudgetRoundParams;
}

/** @example `const hash: CreateRoundReturnType = await createRound(city, params);` */
export type CreateRoundReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as CreateRoundErrorType; } // e.g. ParticipatoryBudgetInvalidSchedule, ParticipatoryBudgetInvalidBallotRule, AccessManagedUnauthorized` */
export type CreateRoundErrorType = WriteErrorType;

/**
 * Opens a participatory budget round (ORCHESTRATOR): envelopes (city-wide, then one per district listed), deadlines
 * of the proposals, support, review and vote phases, the ballot rule (knapsack, or approval of at most k per
 * envelope), an optional minimum share of an envelope a ballot must spend, the electorate's colleges and snapshot,
 * and the winner rule. The new round's id is {@link getBudgetRoundCount}.
 *
 * @example
 * ```ts
 * await createRound(city, { params: { ...schedule, ballotRule: budgetBallotRules.knapsack, winnerRule: budgetWinnerRules.greedy, cityAmount: parseCity("100000"), districts: [1, 2], districtAmounts: [parseCity("50000"), parseCity("30000")], ...rest }, wait: true });
 * ```
 */
export async function createRound(context: CityContext, parameters: CreateRoundParameters): Promise<CreateRoundReturnType> {
  const address = budgetAddress(context, "createRound");
  return write(context, "createRound", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: participatoryBudgetAbi,
      functionName: "createRound",
      args: [parameters.params],
      account,
    }),
  );
}
