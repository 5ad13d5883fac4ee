import { zeroHash, type Hex } from "viem";
import { parkingExchangeAbi } from "../../abis/parkingExchange";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { parkingAddress } from "../internal/parking";

/** @example `const p: RateParameters = { bookingId, score: 5 };` */
export interface RateParameters extends WriteParameters {
  bookingId: bigint;
  /** 1 to 5. */
  score: number;
  /** Hash of a comment kept off chain (default zero). */
  commentHash?: Hex | undefined;
}

/** @example `const hash: RateReturnType = await rate(city, { bookingId, score: 4 });` */
export type RateReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as RateErrorType; } // e.g. ParkingExchangeNotCompleted, ParkingExchangeAlreadyRated` */
export type RateErrorType = WriteErrorType;

/**
 * Rates the other side of a booking that has ended (not cancelled), once per side: the driver rates the spot and its
 * owner, the owner rates the driver.
 *
 * @example
 * ```ts
 * await rate(city, { bookingId, score: 5, commentHash: keccak256(toHex("clean and easy to reach")), wait: true });
 * ```
 */
export async function rate(context: CityContext, parameters: RateParameters): Promise<RateReturnType> {
  const address = parkingAddress(context, "rate");
  return write(context, "rate", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: parkingExchangeAbi,
      functionName: "rate",
      args: [parameters.bookingId, parameters.score, parameters.commentHash ?? zeroHash],
      account,
    }),
  );
}
