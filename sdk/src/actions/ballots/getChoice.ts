import { cityBallotsAbi } from "../../abis/cityBallots";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { ballotsAddress } from "../internal/ballots";
import type { Address } from "viem";

/** @example `const p: GetChoiceParameters = { ballotId, voter };` */
export interface GetChoiceParameters extends ReadParameters {
  /** Ballot id (from 1). */
  ballotId: bigint;
  /** The voter. */
  voter: Address;
}

/** @example `const value: GetChoiceReturnType = await getChoice(city, { ballotId, voter });` */
export type GetChoiceReturnType = { voted: boolean; choice: bigint };

/** @example `catch (e) { const err = e as GetChoiceErrorType; }` */
export type GetChoiceErrorType = ReadErrorType;

/**
 * A voter's last open-mode choice (or whether they signed a petition).
 *
 * @example
 * ```ts
 * const { voted, choice } = await getChoice(city, { ballotId, voter });
 * ```
 */
export async function getChoice(context: CityContext, parameters: GetChoiceParameters): Promise<GetChoiceReturnType> {
  const address = ballotsAddress(context, "getChoice");
  const raw = await read(() =>
    context.publicClient.readContract({
      address,
      abi: cityBallotsAbi,
      functionName: "choiceOf",
      args: [parameters.ballotId, parameters.voter],
      ...blockOf(parameters),
    }),
  );
  return { voted: raw[0], choice: raw[1] };
}
