import { parkingExchangeAbi } from "../../abis/parkingExchange";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { parkingAddress } from "../internal/parking";

/** @example `const p: CheckOutParameters = { bookingId: 1n };` */
export interface CheckOutParameters extends WriteParameters {
  /** Booking id. */
  bookingId: bigint;
}

/** @example `const hash: CheckOutReturnType = await checkOut(city, { bookingId });` */
export type CheckOutReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as CheckOutErrorType; } // e.g. ParkingExchangeNotCheckedIn, ParkingExchangeAlreadyCheckedOut` */
export type CheckOutErrorType = WriteErrorType;

/**
 * The driver checks out. Leaving after the end costs the overstay rate per started hour, taken from the deposit (at
 * most all of it) and paid to the owner at payout.
 *
 * @example
 * ```ts
 * await checkOut(city, { bookingId, wait: true });
 * ```
 */
export async function checkOut(context: CityContext, parameters: CheckOutParameters): Promise<CheckOutReturnType> {
  const address = parkingAddress(context, "checkOut");
  return write(context, "checkOut", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: parkingExchangeAbi,
      functionName: "checkOut",
      args: [parameters.bookingId],
      account,
    }),
  );
}
