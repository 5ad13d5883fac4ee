import { participatoryBudgetAbi } from "../../abis/participatoryBudget";
import type { Hex } from "viem";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { budgetAddress } from "../internal/budget";

/** @example `const p: ReleaseTrancheParameters = { roundId, projectId, amount, evidenceHash };` */
export interface ReleaseTrancheParameters extends WriteParameters {
  /** Round id. */
  roundId: bigint;
  /** Funded project id. */
  projectId: number;
  /** Base units released to the proposer. */
  amount: bigint;
  /** Hash of the milestone's evidence. */
  evidenceHash: Hex;
}

/** @example `const hash: ReleaseTrancheReturnType = await releaseTranche(city, params);` */
export type ReleaseTrancheReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as ReleaseTrancheErrorType; } // e.g. ParticipatoryBudgetExceedsEscrow, ParticipatoryBudgetNotFunded` */
export type ReleaseTrancheErrorType = WriteErrorType;

/**
 * Releases part of a funded project's escrow to its proposer on a milestone attestation (ORCHESTRATOR).
 *
 * @example
 * ```ts
 * await releaseTranche(city, { roundId: 1n, projectId: 3, amount: parseCity("5000"), evidenceHash, wait: true });
 * ```
 */
export async function releaseTranche(context: CityContext, parameters: ReleaseTrancheParameters): Promise<ReleaseTrancheReturnType> {
  const address = budgetAddress(context, "releaseTranche");
  return write(context, "releaseTranche", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: participatoryBudgetAbi,
      functionName: "release",
      args: [parameters.roundId, parameters.projectId, parameters.amount, parameters.evidenceHash],
      account,
    }),
  );
}
