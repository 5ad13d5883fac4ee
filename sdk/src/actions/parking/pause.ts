import { parkingExchangeAbi } from "../../abis/parkingExchange";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { parkingAddress } from "../internal/parking";

/** @example `const p: PauseParameters = { spotId: 1n };` */
export interface PauseParameters extends WriteParameters {
  /** Spot id. */
  spotId: bigint;
}

/** @example `const hash: PauseReturnType = await pause(city, { spotId });` */
export type PauseReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as PauseErrorType; } // e.g. ParkingExchangeSpotPaused, ParkingExchangeNotSpotOwner` */
export type PauseErrorType = WriteErrorType;

/**
 * Stops new bookings of a spot until {@link resume} (its owner only). Bookings already made stand.
 *
 * @example
 * ```ts
 * await pause(city, { spotId: 1n, wait: true });
 * ```
 */
export async function pause(context: CityContext, parameters: PauseParameters): Promise<PauseReturnType> {
  const address = parkingAddress(context, "pause");
  return write(context, "pause", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: parkingExchangeAbi,
      functionName: "pause",
      args: [parameters.spotId],
      account,
    }),
  );
}
