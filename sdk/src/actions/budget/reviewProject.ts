import { participatoryBudgetAbi } from "../../abis/participatoryBudget";
import type { Hex } from "viem";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { budgetAddress } from "../internal/budget";

/** @example `const p: ReviewProjectParameters = { roundId, projectId, feasible, reasonHash };` */
export interface ReviewProjectParameters extends WriteParameters {
  /** Round id. */
  roundId: bigint;
  /** Project id. */
  projectId: number;
  /** Whether the project goes on the ballot. */
  feasible: boolean;
  /** Hash of the technical report. */
  reasonHash: Hex;
}

/** @example `const hash: ReviewProjectReturnType = await reviewProject(city, params);` */
export type ReviewProjectReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as ReviewProjectErrorType; } // e.g. ParticipatoryBudgetNotAdvanced, ParticipatoryBudgetAlreadyReviewed, ParticipatoryBudgetBallotFull` */
export type ReviewProjectErrorType = WriteErrorType;

/**
 * Marks a project that reached the support threshold feasible (it takes the next ballot index) or not, once, during
 * the review phase (ORCHESTRATOR).
 *
 * @example
 * ```ts
 * await reviewProject(city, { roundId: 1n, projectId: 3, feasible: true, reasonHash, wait: true });
 * ```
 */
export async function reviewProject(context: CityContext, parameters: ReviewProjectParameters): Promise<ReviewProjectReturnType> {
  const address = budgetAddress(context, "reviewProject");
  return write(context, "reviewProject", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: participatoryBudgetAbi,
      functionName: "review",
      args: [parameters.roundId, parameters.projectId, parameters.feasible, parameters.reasonHash],
      account,
    }),
  );
}
