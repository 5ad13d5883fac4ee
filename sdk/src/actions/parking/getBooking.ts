import type { Address } from "viem";
import { parkingExchangeAbi } from "../../abis/parkingExchange";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { parseBookingId } from "../../utils/parking";
import { blockOf, read } from "../internal/call";
import { HOUR, parkingAddress } from "../internal/parking";

/**
 * `IParkingExchange.BookingStatus` by code.
 * @example `bookingStatuses[booking.status] // "booked"`
 */
export const bookingStatuses = ["none", "booked", "disputed", "cancelled", "paidOut", "resolved"] as const;

/** @example `const s: BookingStatus = "paidOut";` */
export type BookingStatus = (typeof bookingStatuses)[number];

/** @example `const p: GetBookingParameters = { bookingId: bookingIdOf(1n, start) };` */
export interface GetBookingParameters extends ReadParameters {
  bookingId: bigint;
}

/**
 * A booking (driver zero and status "none" if unknown): its spot and interval (unix seconds), terms fixed when it was
 * made (price, deposit, overstay rate in base units; preset; check-in), status, check-in record and ratings. A
 * cancelled booking's check-in record and deposit read zero.
 *
 * @example
 * ```ts
 * const { driver, start, end, price, status }: GetBookingReturnType = await getBooking(city, { bookingId });
 * ```
 */
export interface GetBookingReturnType {
  bookingId: bigint;
  spotId: bigint;
  start: number;
  end: number;
  driver: Address;
  hoursBooked: number;
  price: bigint;
  presetId: number;
  status: BookingStatus;
  checkIn: boolean;
  deposit: bigint;
  /** Overstay rate per started hour, base units. */
  hourlyRate: bigint;
  /** Unix seconds, 0 if not checked in. */
  checkedInAt: number;
  /** Unix seconds, 0 if not checked out. */
  checkedOutAt: number;
  overstayCharge: bigint;
  driverRated: boolean;
  ownerRated: boolean;
}

/** @example `catch (e) { const err = e as GetBookingErrorType; }` */
export type GetBookingErrorType = ReadErrorType;

/**
 * Reads a booking of ParkingExchange.
 *
 * @example
 * ```ts
 * const booking = await getBooking(city, { bookingId: bookingIdOf(spotId, start) });
 * if (booking.status === "booked") await city.parking.cancel({ bookingId: booking.bookingId });
 * ```
 */
export async function getBooking(context: CityContext, parameters: GetBookingParameters): Promise<GetBookingReturnType> {
  const address = parkingAddress(context, "getBooking");
  const [b, x] = await read(() =>
    context.publicClient.readContract({
      address,
      abi: parkingExchangeAbi,
      functionName: "booking",
      args: [parameters.bookingId],
      ...blockOf(parameters),
    }),
  );
  const { spotId, start } = parseBookingId(parameters.bookingId);
  return {
    bookingId: parameters.bookingId,
    spotId,
    start,
    end: start + b.hoursBooked * HOUR,
    driver: b.driver,
    hoursBooked: b.hoursBooked,
    price: BigInt(b.price),
    presetId: b.presetId,
    status: bookingStatuses[b.status] ?? "none",
    checkIn: b.checkIn,
    deposit: BigInt(x.deposit),
    hourlyRate: BigInt(x.hourlyRate),
    checkedInAt: x.checkedInAt,
    checkedOutAt: x.checkedOutAt,
    overstayCharge: BigInt(x.overstayCharge),
    driverRated: x.driverRated,
    ownerRated: x.ownerRated,
  };
}
