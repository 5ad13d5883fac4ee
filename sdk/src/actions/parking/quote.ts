import { parkingExchangeAbi } from "../../abis/parkingExchange";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { parkingAddress } from "../internal/parking";

/** @example `const p: QuoteParameters = { spotId: 1n, start, end: start + 3 * 3600 };` */
export interface QuoteParameters extends ReadParameters {
  spotId: bigint;
  /** Unix seconds, a whole hour. */
  start: number;
  /** Unix seconds, a whole hour after `start`. */
  end: number;
}

/**
 * What booking `[start, end)` costs at the spot's current terms, base units: the price, the deposit (check-in spots)
 * and their sum, what the driver's allowance must cover.
 *
 * @example
 * ```ts
 * const { price, deposit, total }: QuoteReturnType = await quote(city, { spotId, start, end });
 * ```
 */
export interface QuoteReturnType {
  price: bigint;
  deposit: bigint;
  total: bigint;
}

/** @example `catch (e) { const err = e as QuoteErrorType; } // e.g. ParkingExchangeUnknownSpot, ParkingExchangeNotWholeHours` */
export type QuoteErrorType = ReadErrorType;

/**
 * Prices a booking of a spot (each full 24 hours at most the daily cap), without booking it.
 *
 * @example
 * ```ts
 * const { total } = await quote(city, { spotId: 1n, start, end: start + 2 * 3600 });
 * console.log(`${formatCity(total)} CITY`);
 * ```
 */
export async function quote(context: CityContext, parameters: QuoteParameters): Promise<QuoteReturnType> {
  const address = parkingAddress(context, "quote");
  const [price, deposit] = await read(() =>
    context.publicClient.readContract({
      address,
      abi: parkingExchangeAbi,
      functionName: "quote",
      args: [parameters.spotId, parameters.start, parameters.end],
      ...blockOf(parameters),
    }),
  );
  return { price, deposit, total: price + deposit };
}
