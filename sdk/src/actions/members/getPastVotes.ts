import type { Address } from "viem";
import { cityRegistryAbi } from "../../abis/cityRegistry";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";

/** @example `const p: GetPastVotesParameters = { address: "0x…", timepoint: 1_700_000_000n };` */
export interface GetPastVotesParameters extends ReadParameters {
  /** The account asked about. */
  address: Address;
  /** A past unix timestamp (the registry's clock is the block timestamp). */
  timepoint: bigint;
}

/** @example `const votes: GetPastVotesReturnType = await getPastVotes(city, { address, timepoint });` */
export type GetPastVotesReturnType = bigint;

/** @example `catch (e) { const err = e as GetPastVotesErrorType; } // ERC5805FutureLookup for a future timepoint` */
export type GetPastVotesErrorType = ReadErrorType;

/**
 * The votes `address` had at a past `timepoint`: what a ballot or the governor counts at its snapshot.
 *
 * @example
 * ```ts
 * const votes = await getPastVotes(city, { address: "0x…", timepoint: snapshot }); // 1n if active then
 * ```
 */
export async function getPastVotes(
  context: CityContext,
  parameters: GetPastVotesParameters,
): Promise<GetPastVotesReturnType> {
  return read(() =>
    context.publicClient.readContract({
      address: context.addresses.cityRegistry,
      abi: cityRegistryAbi,
      functionName: "getPastVotes",
      args: [parameters.address, parameters.timepoint],
      ...blockOf(parameters),
    }),
  );
}
