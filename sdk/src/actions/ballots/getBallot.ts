import { cityBallotsAbi } from "../../abis/cityBallots";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { ballotsAddress } from "../internal/ballots";
import type { ContractFunctionReturnType } from "viem";

type Raw = ContractFunctionReturnType<typeof cityBallotsAbi, "view", "ballot">;
/** `ICityBallots.BallotConfig`. */
export type BallotConfig = Raw[0];
/** `ICityBallots.BallotTally`. */
export type BallotTally = Raw[1];

/** @example `const p: GetBallotParameters = { ballotId };` */
export interface GetBallotParameters extends ReadParameters {
  /** Ballot id (from 1). */
  ballotId: bigint;
}

/** @example `const value: GetBallotReturnType = await getBallot(city, { ballotId });` */
export type GetBallotReturnType = { config: BallotConfig; tally: BallotTally };

/** @example `catch (e) { const err = e as GetBallotErrorType; }` */
export type GetBallotErrorType = ReadErrorType;

/**
 * A ballot's configuration (snapshot, schedule, electorate, options, mode bits: 1 sealed, 2 binding, 4 approval,
 * 8 districts) and tally state (electorate count, petition threshold and signatures, reveals, finalized, reached).
 *
 * @example
 * ```ts
 * const { config, tally } = await getBallot(city, { ballotId });
 * ```
 */
export async function getBallot(context: CityContext, parameters: GetBallotParameters): Promise<GetBallotReturnType> {
  const address = ballotsAddress(context, "getBallot");
  const raw = await read(() =>
    context.publicClient.readContract({
      address,
      abi: cityBallotsAbi,
      functionName: "ballot",
      args: [parameters.ballotId],
      ...blockOf(parameters),
    }),
  );
  return { config: raw[0], tally: raw[1] };
}
