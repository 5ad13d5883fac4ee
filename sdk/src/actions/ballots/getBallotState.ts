import { cityBallotsAbi } from "../../abis/cityBallots";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { ballotsAddress } from "../internal/ballots";
import { ballotStates, type BallotState } from "./params";

/** @example `const p: GetBallotStateParameters = { ballotId };` */
export interface GetBallotStateParameters extends ReadParameters {
  /** Ballot id (from 1). */
  ballotId: bigint;
}

/** @example `const value: GetBallotStateReturnType = await getBallotState(city, { ballotId });` */
export type GetBallotStateReturnType = BallotState;

/** @example `catch (e) { const err = e as GetBallotStateErrorType; }` */
export type GetBallotStateErrorType = ReadErrorType;

/**
 * Where a ballot stands: none, pending, open, revealing (sealed, after close), closed (awaiting finalization), finalized.
 *
 * @example
 * ```ts
 * if ((await getBallotState(city, { ballotId })) === "closed") await finalizeBallot(city, { ballotId });
 * ```
 */
export async function getBallotState(context: CityContext, parameters: GetBallotStateParameters): Promise<GetBallotStateReturnType> {
  const address = ballotsAddress(context, "getBallotState");
  const raw = await read(() =>
    context.publicClient.readContract({
      address,
      abi: cityBallotsAbi,
      functionName: "stateOf",
      args: [parameters.ballotId],
      ...blockOf(parameters),
    }),
  );
  return ballotStates[raw] ?? "none";
}
