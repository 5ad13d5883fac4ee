import { participatoryBudgetAbi } from "../../abis/participatoryBudget";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { budgetAddress } from "../internal/budget";

/** @example `const p: ChallengeResultParameters = { roundId, winners };` */
export interface ChallengeResultParameters extends WriteParameters {
  /** Round id (its posted Equal Shares result is in its challenge window). */
  roundId: bigint;
  /** The winners (bitmap of ballot indexes) the caller's own recomputation found: {@link computeBudgetResult}. */
  winners: bigint;
}

/** @example `const hash: ChallengeResultReturnType = await challengeResult(city, { roundId, winners });` */
export type ChallengeResultReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as ChallengeResultErrorType; } // e.g. ParticipatoryBudgetNotChallengeable, ParticipatoryBudgetSameResult` */
export type ChallengeResultErrorType = WriteErrorType;

/**
 * Challenges a posted (Equal Shares) result during its challenge window, as an active member: states the winners
 * the member's recomputation from the ballot log found. One challenge per result; the round cannot be funded until
 * the council resolves it ({@link resolveChallenge}). Gasless-capable (`gasless: true`: the city pays the gas).
 *
 * @example
 * ```ts
 * const { winners } = computeBudgetResult(await getBudgetBallotLog(city, { roundId }), rule);
 * if (winners !== (await getBudgetRound(city, { roundId })).winners) await challengeResult(city, { roundId, winners, gasless: true });
 * ```
 */
export async function challengeResult(context: CityContext, parameters: ChallengeResultParameters): Promise<ChallengeResultReturnType> {
  const address = budgetAddress(context, "challengeResult");
  return write(context, "challengeResult", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: participatoryBudgetAbi,
      functionName: "challengeResult",
      args: [parameters.roundId, parameters.winners],
      account,
    }),
  );
}
