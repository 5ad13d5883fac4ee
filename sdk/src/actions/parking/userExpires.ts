import { parkingExchangeAbi } from "../../abis/parkingExchange";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { parkingAddress } from "../internal/parking";

/** @example `const p: UserExpiresParameters = { spotId: 1n };` */
export interface UserExpiresParameters extends ReadParameters {
  spotId: bigint;
}

/**
 * Unix seconds, 0n if no booking runs now.
 * @example `const value: UserExpiresReturnType = await userExpires(city, { spotId });`
 */
export type UserExpiresReturnType = bigint;

/** @example `catch (e) { const err = e as UserExpiresErrorType; }` */
export type UserExpiresErrorType = ReadErrorType;

/**
 * ERC-4907: when the booking running now at a spot ends (unix seconds; 0 if none).
 *
 * @example
 * ```ts
 * const until = await userExpires(city, { spotId: 1n }); // 0n when the spot is free now
 * ```
 */
export async function userExpires(context: CityContext, parameters: UserExpiresParameters): Promise<UserExpiresReturnType> {
  const address = parkingAddress(context, "userExpires");
  return read(() =>
    context.publicClient.readContract({
      address,
      abi: parkingExchangeAbi,
      functionName: "userExpires",
      args: [parameters.spotId],
      ...blockOf(parameters),
    }),
  );
}
