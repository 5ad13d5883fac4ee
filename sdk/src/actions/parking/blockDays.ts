import { parkingExchangeAbi } from "../../abis/parkingExchange";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { parkingAddress } from "../internal/parking";

/** @example `const p: BlockDaysParameters = { spotId: 1n, days: [20_650, 20_651] };` */
export interface BlockDaysParameters extends WriteParameters {
  spotId: bigint;
  /** Unix day indexes (`floor(seconds / 86400)`, see dayIndexOf). */
  days: readonly number[];
}

/** @example `const hash: BlockDaysReturnType = await blockDays(city, { spotId, days });` */
export type BlockDaysReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as BlockDaysErrorType; } // e.g. ParkingExchangeNotSpotOwner, ParkingExchangeSpotDelisted` */
export type BlockDaysErrorType = WriteErrorType;

/**
 * Blocks whole days of a spot for new bookings (its owner only); bookings already made stand.
 *
 * @example
 * ```ts
 * await blockDays(city, { spotId: 1n, days: [dayIndexOf(Date.UTC(2026, 6, 14) / 1000)], wait: true });
 * ```
 */
export async function blockDays(context: CityContext, parameters: BlockDaysParameters): Promise<BlockDaysReturnType> {
  const address = parkingAddress(context, "blockDays");
  return write(context, "blockDays", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: parkingExchangeAbi,
      functionName: "blockDays",
      args: [parameters.spotId, [...parameters.days]],
      account,
    }),
  );
}
