import { parkingExchangeAbi } from "../../abis/parkingExchange";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { parkingAddress } from "../internal/parking";

/** @example `const p: ResumeParameters = { spotId: 1n };` */
export interface ResumeParameters extends WriteParameters {
  /** Spot id. */
  spotId: bigint;
}

/** @example `const hash: ResumeReturnType = await resume(city, { spotId });` */
export type ResumeReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as ResumeErrorType; } // e.g. ParkingExchangeSpotNotPaused` */
export type ResumeErrorType = WriteErrorType;

/**
 * Takes bookings of a paused spot again (its owner only).
 *
 * @example
 * ```ts
 * await resume(city, { spotId: 1n, wait: true });
 * ```
 */
export async function resume(context: CityContext, parameters: ResumeParameters): Promise<ResumeReturnType> {
  const address = parkingAddress(context, "resume");
  return write(context, "resume", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: parkingExchangeAbi,
      functionName: "resume",
      args: [parameters.spotId],
      account,
    }),
  );
}
