import { parkingExchangeAbi } from "../../abis/parkingExchange";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { parkingAddress } from "../internal/parking";
import { quote } from "./quote";

/** @example `const p: BookParameters = { spotId: 1n, start, end: start + 2 * 3600 };` */
export interface BookParameters extends WriteParameters {
  spotId: bigint;
  /** Unix seconds, a whole hour, not before the current hour. */
  start: number;
  /** Unix seconds, a whole hour after `start`. */
  end: number;
  /** Most the booking may cost (price + deposit), base units (default: the current {@link quote}). */
  maxCost?: bigint | undefined;
}

/** @example `const hash: BookReturnType = await book(city, { spotId, start, end });` */
export type BookReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as BookErrorType; } // e.g. ParkingExchangeOverlap, ParkingExchangeCostAboveLimit` */
export type BookErrorType = WriteErrorType;

/**
 * Books `[start, end)` of a spot for the wallet's account (an active member), pulling price and deposit into escrow
 * from its CityCoin allowance for ParkingExchange (approve it first, or use {@link bookWithPermit}). The booking's
 * id is `bookingIdOf(spotId, start)`.
 *
 * @example
 * ```ts
 * const { total } = await quote(city, { spotId, start, end });
 * await city.currency.approve({ spender: city.addresses.parkingExchange!, amount: total, wait: true });
 * await book(city, { spotId, start, end, maxCost: total, wait: true });
 * const booking = await getBooking(city, { bookingId: bookingIdOf(spotId, start) });
 * ```
 */
export async function book(context: CityContext, parameters: BookParameters): Promise<BookReturnType> {
  const address = parkingAddress(context, "book");
  const { spotId, start, end } = parameters;
  const maxCost = parameters.maxCost ?? (await quote(context, { spotId, start, end })).total;
  return write(context, "book", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: parkingExchangeAbi,
      functionName: "book",
      args: [spotId, start, end, maxCost],
      account,
    }),
  );
}
