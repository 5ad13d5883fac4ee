import { parkingExchangeAbi } from "../../abis/parkingExchange";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { parkingAddress } from "../internal/parking";

/** @example `const p: CheckInParameters = { bookingId: 1n };` */
export interface CheckInParameters extends WriteParameters {
  /** Booking id. */
  bookingId: bigint;
}

/** @example `const hash: CheckInReturnType = await checkIn(city, { bookingId });` */
export type CheckInReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as CheckInErrorType; } // e.g. ParkingExchangeCheckInClosed, ParkingExchangeCheckInNotRequired` */
export type CheckInErrorType = WriteErrorType;

/**
 * The driver checks in, between the booking's start and end (check-in spots only).
 *
 * @example
 * ```ts
 * await checkIn(city, { bookingId, wait: true });
 * ```
 */
export async function checkIn(context: CityContext, parameters: CheckInParameters): Promise<CheckInReturnType> {
  const address = parkingAddress(context, "checkIn");
  return write(context, "checkIn", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: parkingExchangeAbi,
      functionName: "checkIn",
      args: [parameters.bookingId],
      account,
    }),
  );
}
