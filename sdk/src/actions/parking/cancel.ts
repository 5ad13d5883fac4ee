import { parkingExchangeAbi } from "../../abis/parkingExchange";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { parkingAddress } from "../internal/parking";

/** @example `const p: CancelParameters = { bookingId: 1n };` */
export interface CancelParameters extends WriteParameters {
  /** Booking id (see {@link bookingIdOf}). */
  bookingId: bigint;
}

/** @example `const hash: CancelReturnType = await cancel(city, { bookingId });` */
export type CancelReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as CancelErrorType; } // e.g. ParkingExchangeAlreadyStarted, ParkingExchangeNotParty, ParkingExchangeInvalidStatus` */
export type CancelErrorType = WriteErrorType;

/**
 * Cancels a booking. By the driver, before the start: the price is refunded per the booking's cancellation preset
 * and the deposit in full. By the owner, before the end and the driver's check-in: everything is refunded, and the
 * cancellation is marked on the owner's record.
 *
 * @example
 * ```ts
 * await cancel(city, { bookingId, wait: true });
 * ```
 */
export async function cancel(context: CityContext, parameters: CancelParameters): Promise<CancelReturnType> {
  const address = parkingAddress(context, "cancel");
  return write(context, "cancel", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: parkingExchangeAbi,
      functionName: "cancel",
      args: [parameters.bookingId],
      account,
    }),
  );
}
