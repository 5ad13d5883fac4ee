import { cityBallotsAbi } from "../../abis/cityBallots";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { ballotsAddress } from "../internal/ballots";

/** @example `const p: GetBallotCountParameters = {  };` */
export type GetBallotCountParameters = ReadParameters;

/** @example `const value: GetBallotCountReturnType = await getBallotCount(city);` */
export type GetBallotCountReturnType = bigint;

/** @example `catch (e) { const err = e as GetBallotCountErrorType; }` */
export type GetBallotCountErrorType = ReadErrorType;

/**
 * The number of ballots created (referendums, consultations, petitions and the referendums petitions opened); ids
 * run from 1 to this count, so after {@link createBallot} it is the new ballot's id.
 *
 * @example
 * ```ts
 * const ballotId = await getBallotCount(city);
 * ```
 */
export async function getBallotCount(context: CityContext, parameters: GetBallotCountParameters = {}): Promise<GetBallotCountReturnType> {
  const address = ballotsAddress(context, "getBallotCount");
  return read(() =>
    context.publicClient.readContract({
      address,
      abi: cityBallotsAbi,
      functionName: "ballotCount",
      ...blockOf(parameters),
    }),
  );
}
