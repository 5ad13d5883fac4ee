import type { Hex } from "viem";
import { participatoryBudgetAbi } from "../../abis/participatoryBudget";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { budgetAddress } from "../internal/budget";

/** @example `const p: ResolveChallengeParameters = { roundId, upheld: true, reasonHash };` */
export interface ResolveChallengeParameters extends WriteParameters {
  /** Round id (its result challenged). */
  roundId: bigint;
  /** True keeps the posted result (it may then be funded); false withdraws it (the round is back to its tally). */
  upheld: boolean;
  /** Hash of the recount's report. */
  reasonHash: Hex;
}

/** @example `const hash: ResolveChallengeReturnType = await resolveChallenge(city, { roundId, upheld, reasonHash });` */
export type ResolveChallengeReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as ResolveChallengeErrorType; } // e.g. ParticipatoryBudgetNotChallenged` */
export type ResolveChallengeErrorType = WriteErrorType;

/**
 * Settles a challenged result (COUNCIL): upheld, the result may be funded at once; rejected, the result is withdrawn,
 * its projects return to the ballot and the orchestrator posts the result again.
 *
 * @example
 * ```ts
 * await resolveChallenge(council, { roundId, upheld: false, reasonHash: keccak256(toHex(report)), wait: true });
 * ```
 */
export async function resolveChallenge(context: CityContext, parameters: ResolveChallengeParameters): Promise<ResolveChallengeReturnType> {
  const address = budgetAddress(context, "resolveChallenge");
  return write(context, "resolveChallenge", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: participatoryBudgetAbi,
      functionName: "resolveChallenge",
      args: [parameters.roundId, parameters.upheld, parameters.reasonHash],
      account,
    }),
  );
}
