import { parkingExchangeAbi } from "../../abis/parkingExchange";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { parkingAddress } from "../internal/parking";

/** @example `const p: UnblockDaysParameters = { spotId: 1n, days: [20_650, 20_651] };` */
export interface UnblockDaysParameters extends WriteParameters {
  spotId: bigint;
  /** Unix day indexes (`floor(seconds / 86400)`, see dayIndexOf). */
  days: readonly number[];
}

/** @example `const hash: UnblockDaysReturnType = await unblockDays(city, { spotId, days });` */
export type UnblockDaysReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as UnblockDaysErrorType; } // e.g. ParkingExchangeNotSpotOwner` */
export type UnblockDaysErrorType = WriteErrorType;

/**
 * Opens days blocked with {@link blockDays} again (its owner only).
 *
 * @example
 * ```ts
 * await unblockDays(city, { spotId: 1n, days: [dayIndexOf(Date.UTC(2026, 6, 14) / 1000)], wait: true });
 * ```
 */
export async function unblockDays(context: CityContext, parameters: UnblockDaysParameters): Promise<UnblockDaysReturnType> {
  const address = parkingAddress(context, "unblockDays");
  return write(context, "unblockDays", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: parkingExchangeAbi,
      functionName: "unblockDays",
      args: [parameters.spotId, [...parameters.days]],
      account,
    }),
  );
}
