import { parkingExchangeAbi } from "../../abis/parkingExchange";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { parkingAddress } from "../internal/parking";

/** @example `const p: GetSpotCountParameters = { blockTag: "latest" };` */
export type GetSpotCountParameters = ReadParameters;

/** @example `const count: GetSpotCountReturnType = await getSpotCount(city);` */
export type GetSpotCountReturnType = bigint;

/** @example `catch (e) { const err = e as GetSpotCountErrorType; }` */
export type GetSpotCountErrorType = ReadErrorType;

/**
 * Number of spots ever listed: ids run from 1 to it, so after {@link list} it is the new spot's id.
 *
 * @example
 * ```ts
 * await list(city, { terms, wait: true });
 * const spotId = await getSpotCount(city);
 * ```
 */
export async function getSpotCount(context: CityContext, parameters: GetSpotCountParameters = {}): Promise<GetSpotCountReturnType> {
  const address = parkingAddress(context, "getSpotCount");
  return read(() =>
    context.publicClient.readContract({ address, abi: parkingExchangeAbi, functionName: "spotCount", ...blockOf(parameters) }),
  );
}
