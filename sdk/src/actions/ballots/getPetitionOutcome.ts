import { cityBallotsAbi } from "../../abis/cityBallots";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { ballotsAddress } from "../internal/ballots";

/** @example `const p: GetPetitionOutcomeParameters = { petitionId };` */
export interface GetPetitionOutcomeParameters extends ReadParameters {
  /** Petition id. */
  petitionId: bigint;
}

/** @example `const value: GetPetitionOutcomeReturnType = await getPetitionOutcome(city, { petitionId });` */
export type GetPetitionOutcomeReturnType = { reached: boolean; proposalId: bigint };

/** @example `catch (e) { const err = e as GetPetitionOutcomeErrorType; }` */
export type GetPetitionOutcomeErrorType = ReadErrorType;

/**
 * Whether a petition reached its threshold, and the Governor proposal it asks for (0 when it opens a referendum).
 *
 * @example
 * ```ts
 * const { reached, proposalId } = await getPetitionOutcome(city, { petitionId });
 * ```
 */
export async function getPetitionOutcome(context: CityContext, parameters: GetPetitionOutcomeParameters): Promise<GetPetitionOutcomeReturnType> {
  const address = ballotsAddress(context, "getPetitionOutcome");
  const raw = await read(() =>
    context.publicClient.readContract({
      address,
      abi: cityBallotsAbi,
      functionName: "petitionOutcome",
      args: [parameters.petitionId],
      ...blockOf(parameters),
    }),
  );
  return { reached: raw[0], proposalId: raw[1] };
}
