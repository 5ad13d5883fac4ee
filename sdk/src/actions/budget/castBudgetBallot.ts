import { participatoryBudgetAbi } from "../../abis/participatoryBudget";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { budgetAddress } from "../internal/budget";

/** @example `const p: CastBudgetBallotParameters = { roundId, selection };` */
export interface CastBudgetBallotParameters extends WriteParameters {
  /** Round id. */
  roundId: bigint;
  /** Bitmap of ballot indexes (see {@link budgetSelection}). */
  selection: bigint;
}

/** @example `const hash: CastBudgetBallotReturnType = await castBudgetBallot(city, params);` */
export type CastBudgetBallotReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as CastBudgetBallotErrorType; } // e.g. ParticipatoryBudgetNotInElectorate, ParticipatoryBudgetOutsideDistrict, ParticipatoryBudgetOverEnvelope, ParticipatoryBudgetWrongPhase` */
export type CastBudgetBallotErrorType = WriteErrorType;

/**
 * Casts the account's ballot in a round, or replaces it: only the last ballot counts. A ballot selects projects of
 * the city-wide envelope and of the member's own district (as the registry had it at the round's snapshot), within
 * the round's ballot rule.
 *
 * @example
 * ```ts
 * await castBudgetBallot(city, { roundId: 1n, selection: budgetSelection([0, 4]), wait: true });
 * ```
 */
export async function castBudgetBallot(context: CityContext, parameters: CastBudgetBallotParameters): Promise<CastBudgetBallotReturnType> {
  const address = budgetAddress(context, "castBudgetBallot");
  return write(context, "castBudgetBallot", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: participatoryBudgetAbi,
      functionName: "vote",
      args: [parameters.roundId, parameters.selection],
      account,
    }),
  );
}
