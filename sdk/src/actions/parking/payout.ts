import { parkingExchangeAbi } from "../../abis/parkingExchange";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { parkingAddress } from "../internal/parking";

/** @example `const p: PayoutParameters = { bookingId: 1n };` */
export interface PayoutParameters extends WriteParameters {
  /** Booking id. */
  bookingId: bigint;
}

/** @example `const hash: PayoutReturnType = await payout(city, { bookingId });` */
export type PayoutReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as PayoutErrorType; } // e.g. ParkingExchangePayoutNotDue, ParkingExchangeInvalidStatus` */
export type PayoutErrorType = WriteErrorType;

/**
 * Pays a booking out once it has ended and its dispute window has passed: price and overstay charge to the owner
 * less the city fee, the rest of the deposit back to the driver. Anyone may send it.
 *
 * @example
 * ```ts
 * await payout(city, { bookingId, wait: true });
 * ```
 */
export async function payout(context: CityContext, parameters: PayoutParameters): Promise<PayoutReturnType> {
  const address = parkingAddress(context, "payout");
  return write(context, "payout", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: parkingExchangeAbi,
      functionName: "payout",
      args: [parameters.bookingId],
      account,
    }),
  );
}
