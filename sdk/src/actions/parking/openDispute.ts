import { parkingExchangeAbi } from "../../abis/parkingExchange";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { parkingAddress } from "../internal/parking";

/** @example `const p: OpenDisputeParameters = { bookingId: 1n };` */
export interface OpenDisputeParameters extends WriteParameters {
  /** Booking id. */
  bookingId: bigint;
}

/** @example `const hash: OpenDisputeReturnType = await openDispute(city, { bookingId });` */
export type OpenDisputeReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as OpenDisputeErrorType; } // e.g. ParkingExchangeDisputeClosed, ParkingExchangeNotParty` */
export type OpenDisputeErrorType = WriteErrorType;

/**
 * The driver or the owner disputes a booking, from its start until its end plus the dispute window; an ARBITER then
 * settles it with {@link resolveDispute}.
 *
 * @example
 * ```ts
 * await openDispute(city, { bookingId, wait: true });
 * ```
 */
export async function openDispute(context: CityContext, parameters: OpenDisputeParameters): Promise<OpenDisputeReturnType> {
  const address = parkingAddress(context, "openDispute");
  return write(context, "openDispute", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: parkingExchangeAbi,
      functionName: "openDispute",
      args: [parameters.bookingId],
      account,
    }),
  );
}
