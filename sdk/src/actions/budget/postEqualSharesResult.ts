import { participatoryBudgetAbi } from "../../abis/participatoryBudget";
import type { Hex } from "viem";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { budgetAddress } from "../internal/budget";

/** @example `const p: PostEqualSharesResultParameters = { roundId, winners, logHead };` */
export interface PostEqualSharesResultParameters extends WriteParameters {
  /** Round id (an Equal Shares winner rule). */
  roundId: bigint;
  /** Bitmap of the winning ballot indexes. */
  winners: bigint;
  /** Head of the ballot log the result was computed from ({@link getBudgetBallotLog}). */
  logHead: Hex;
}

/** @example `const hash: PostEqualSharesResultReturnType = await postEqualSharesResult(city, params);` */
export type PostEqualSharesResultReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as PostEqualSharesResultErrorType; } // e.g. ParticipatoryBudgetLogHeadMismatch, ParticipatoryBudgetOverEnvelope, ParticipatoryBudgetWrongWinnerRule` */
export type PostEqualSharesResultErrorType = WriteErrorType;

/**
 * Posts an Equal Shares result computed off chain (ORCHESTRATOR), with the head of the ballot log it was computed
 * from; the contract checks the head is the round's and that the winners fit their envelopes. See {@link
 * computeBudgetResult}.
 *
 * @example
 * ```ts
 * const result = computeBudgetResult(log, round); await postEqualSharesResult(city, { roundId: 1n, winners: result.winners, logHead: log.head, wait: true });
 * ```
 */
export async function postEqualSharesResult(context: CityContext, parameters: PostEqualSharesResultParameters): Promise<PostEqualSharesResultReturnType> {
  const address = budgetAddress(context, "postEqualSharesResult");
  return write(context, "postEqualSharesResult", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: participatoryBudgetAbi,
      functionName: "postResult",
      args: [parameters.roundId, parameters.winners, parameters.logHead],
      account,
    }),
  );
}
