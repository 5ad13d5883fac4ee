import { participatoryBudgetAbi } from "../../abis/participatoryBudget";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { budgetAddress } from "../internal/budget";
import type { BudgetProjectRecord } from "./types";

/** @example `const p: GetBudgetProjectParameters = { roundId: 1n, projectId: 3 };` */
export interface GetBudgetProjectParameters extends ReadParameters {
  roundId: bigint;
  projectId: number;
}

/** @example `const { status, escrow, released } = await getBudgetProject(city, { roundId: 1n, projectId: 3 });` */
export type GetBudgetProjectReturnType = BudgetProjectRecord;

/** @example `catch (e) { const err = e as GetBudgetProjectErrorType; }` */
export type GetBudgetProjectErrorType = ReadErrorType;

/**
 * A project: proposer, envelope, status, ballot index, supports, cost, escrow left and released so far.
 *
 * @example
 * ```ts
 * const project = await getBudgetProject(city, { roundId: 1n, projectId: 3 });
 * ```
 */
export async function getBudgetProject(context: CityContext, parameters: GetBudgetProjectParameters): Promise<GetBudgetProjectReturnType> {
  const address = budgetAddress(context, "getBudgetProject");
  return read(() =>
    context.publicClient.readContract({
      address,
      abi: participatoryBudgetAbi,
      functionName: "project",
      args: [parameters.roundId, parameters.projectId],
      ...blockOf(parameters),
    }),
  );
}
