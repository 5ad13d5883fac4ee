import type { Address } from "viem";
import { cityRegistryAbi } from "../../abis/cityRegistry";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";

/** @example `const p: GetVotesParameters = { address: "0x…" };` */
export interface GetVotesParameters extends ReadParameters {
  /** The account asked about. */
  address: Address;
}

/** @example `const votes: GetVotesReturnType = await getVotes(city, { address }); // 0n or 1n` */
export type GetVotesReturnType = bigint;

/** @example `catch (e) { const err = e as GetVotesErrorType; }` */
export type GetVotesErrorType = ReadErrorType;

/**
 * The votes of `address` now: one member, one vote (`1n` while active, else `0n`); never delegated.
 *
 * @example
 * ```ts
 * const votes = await getVotes(city, { address: "0x…" }); // 1n
 * ```
 */
export async function getVotes(context: CityContext, parameters: GetVotesParameters): Promise<GetVotesReturnType> {
  return read(() =>
    context.publicClient.readContract({
      address: context.addresses.cityRegistry,
      abi: cityRegistryAbi,
      functionName: "getVotes",
      args: [parameters.address],
      ...blockOf(parameters),
    }),
  );
}
