import type { ContractFunctionReturnType } from "viem";
import { parkingExchangeAbi } from "../../abis/parkingExchange";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { parkingAddress } from "../internal/parking";

/** @example `const p: GetSpotParameters = { spotId: 1n };` */
export interface GetSpotParameters extends ReadParameters {
  /** Spot id (from 1). */
  spotId: bigint;
}

/**
 * A spot: owner (zero if unknown), terms (rate, daily cap, deposit in base units; preset; check-in; weekly
 * availability; district, geohash, description hash) and state (paused, delisted).
 *
 * @example
 * ```ts
 * const { owner, hourlyRate, paused, delisted }: GetSpotReturnType = await getSpot(city, { spotId });
 * ```
 */
export type GetSpotReturnType = ContractFunctionReturnType<typeof parkingExchangeAbi, "view", "spot">;

/** @example `catch (e) { const err = e as GetSpotErrorType; }` */
export type GetSpotErrorType = ReadErrorType;

/**
 * Reads a parking spot of ParkingExchange.
 *
 * @example
 * ```ts
 * const spot = await getSpot(city, { spotId: 1n });
 * console.log(`${formatCity(BigInt(spot.hourlyRate))} CITY an hour in district ${spot.district}`);
 * ```
 */
export async function getSpot(context: CityContext, parameters: GetSpotParameters): Promise<GetSpotReturnType> {
  const address = parkingAddress(context, "getSpot");
  return read(() =>
    context.publicClient.readContract({
      address,
      abi: parkingExchangeAbi,
      functionName: "spot",
      args: [parameters.spotId],
      ...blockOf(parameters),
    }),
  );
}
