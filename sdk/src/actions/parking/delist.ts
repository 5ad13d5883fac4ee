import { parkingExchangeAbi } from "../../abis/parkingExchange";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { parkingAddress } from "../internal/parking";

/** @example `const p: DelistParameters = { spotId: 1n };` */
export interface DelistParameters extends WriteParameters {
  /** Spot id. */
  spotId: bigint;
}

/** @example `const hash: DelistReturnType = await delist(city, { spotId });` */
export type DelistReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as DelistErrorType; } // e.g. ParkingExchangeSpotDelisted, ParkingExchangeNotSpotOwner` */
export type DelistErrorType = WriteErrorType;

/**
 * Withdraws a spot for good (its owner only). Its confirmed bookings stand and settle as usual.
 *
 * @example
 * ```ts
 * await delist(city, { spotId: 1n, wait: true });
 * ```
 */
export async function delist(context: CityContext, parameters: DelistParameters): Promise<DelistReturnType> {
  const address = parkingAddress(context, "delist");
  return write(context, "delist", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: parkingExchangeAbi,
      functionName: "delist",
      args: [parameters.spotId],
      account,
    }),
  );
}
