import { participatoryBudgetAbi } from "../../abis/participatoryBudget";
import type { Hex } from "viem";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { budgetAddress } from "../internal/budget";

/** @example `const p: CloseBudgetProjectParameters = { roundId, projectId, reasonHash };` */
export interface CloseBudgetProjectParameters extends WriteParameters {
  /** Round id. */
  roundId: bigint;
  /** Funded project id. */
  projectId: number;
  /** Hash of the closing report. */
  reasonHash: Hex;
}

/** @example `const hash: CloseBudgetProjectReturnType = await closeBudgetProject(city, params);` */
export type CloseBudgetProjectReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as CloseBudgetProjectErrorType; } // e.g. ParticipatoryBudgetNotFunded` */
export type CloseBudgetProjectErrorType = WriteErrorType;

/**
 * Closes a funded project (ORCHESTRATOR): what is left in its escrow returns to the treasury.
 *
 * @example
 * ```ts
 * await closeBudgetProject(city, { roundId: 1n, projectId: 3, reasonHash, wait: true });
 * ```
 */
export async function closeBudgetProject(context: CityContext, parameters: CloseBudgetProjectParameters): Promise<CloseBudgetProjectReturnType> {
  const address = budgetAddress(context, "closeBudgetProject");
  return write(context, "closeBudgetProject", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: participatoryBudgetAbi,
      functionName: "closeProject",
      args: [parameters.roundId, parameters.projectId, parameters.reasonHash],
      account,
    }),
  );
}
