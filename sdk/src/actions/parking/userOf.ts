import type { Address } from "viem";
import { parkingExchangeAbi } from "../../abis/parkingExchange";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { parkingAddress } from "../internal/parking";

/** @example `const p: UserOfParameters = { spotId: 1n };` */
export interface UserOfParameters extends ReadParameters {
  spotId: bigint;
}

/**
 * The driver parking now, or the zero address.
 * @example `const value: UserOfReturnType = await userOf(city, { spotId });`
 */
export type UserOfReturnType = Address;

/** @example `catch (e) { const err = e as UserOfErrorType; }` */
export type UserOfErrorType = ReadErrorType;

/**
 * ERC-4907: the driver of the booking running now at a spot (the zero address if none).
 *
 * @example
 * ```ts
 * const driver = await userOf(city, { spotId: 1n }); // zeroAddress when the spot is free now
 * ```
 */
export async function userOf(context: CityContext, parameters: UserOfParameters): Promise<UserOfReturnType> {
  const address = parkingAddress(context, "userOf");
  return read(() =>
    context.publicClient.readContract({
      address,
      abi: parkingExchangeAbi,
      functionName: "userOf",
      args: [parameters.spotId],
      ...blockOf(parameters),
    }),
  );
}
