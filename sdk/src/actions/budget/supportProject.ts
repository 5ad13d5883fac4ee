import { participatoryBudgetAbi } from "../../abis/participatoryBudget";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { budgetAddress } from "../internal/budget";

/** @example `const p: SupportProjectParameters = { roundId, projectId };` */
export interface SupportProjectParameters extends WriteParameters {
  /** Round id. */
  roundId: bigint;
  /** Project id (from 1). */
  projectId: number;
}

/** @example `const hash: SupportProjectReturnType = await supportProject(city, params);` */
export type SupportProjectReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as SupportProjectErrorType; } // e.g. ParticipatoryBudgetAlreadySupported, ParticipatoryBudgetWrongPhase` */
export type SupportProjectErrorType = WriteErrorType;

/**
 * Supports a project during the support phase, once per member; projects that reach the round's support threshold
 * go to review.
 *
 * @example
 * ```ts
 * await supportProject(city, { roundId: 1n, projectId: 3, wait: true });
 * ```
 */
export async function supportProject(context: CityContext, parameters: SupportProjectParameters): Promise<SupportProjectReturnType> {
  const address = budgetAddress(context, "supportProject");
  return write(context, "supportProject", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: participatoryBudgetAbi,
      functionName: "support",
      args: [parameters.roundId, parameters.projectId],
      account,
    }),
  );
}
