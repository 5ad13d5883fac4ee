import { participatoryBudgetAbi } from "../../abis/participatoryBudget";
import type { Hex } from "viem";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { budgetAddress } from "../internal/budget";

/** @example `const p: ReviseProjectCostParameters = { roundId, projectId, cost, reasonHash };` */
export interface ReviseProjectCostParameters extends WriteParameters {
  /** Round id. */
  roundId: bigint;
  /** Project id (feasible). */
  projectId: number;
  /** New cost, at most the envelope. */
  cost: bigint;
  /** Hash of the new estimate. */
  reasonHash: Hex;
}

/** @example `const hash: ReviseProjectCostReturnType = await reviseProjectCost(city, params);` */
export type ReviseProjectCostReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as ReviseProjectCostErrorType; } // e.g. ParticipatoryBudgetNotFeasible, ParticipatoryBudgetInvalidCost` */
export type ReviseProjectCostErrorType = WriteErrorType;

/**
 * Revises a feasible project's cost during the review phase (ORCHESTRATOR); evented with the old and new cost.
 *
 * @example
 * ```ts
 * await reviseProjectCost(city, { roundId: 1n, projectId: 3, cost: parseCity("14000"), reasonHash, wait: true });
 * ```
 */
export async function reviseProjectCost(context: CityContext, parameters: ReviseProjectCostParameters): Promise<ReviseProjectCostReturnType> {
  const address = budgetAddress(context, "reviseProjectCost");
  return write(context, "reviseProjectCost", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: participatoryBudgetAbi,
      functionName: "reviseCost",
      args: [parameters.roundId, parameters.projectId, parameters.cost, parameters.reasonHash],
      account,
    }),
  );
}
