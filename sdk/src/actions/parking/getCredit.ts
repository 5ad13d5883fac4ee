import type { Address } from "viem";
import { parkingExchangeAbi } from "../../abis/parkingExchange";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { parkingAddress } from "../internal/parking";

/** @example `const p: GetCreditParameters = { account: "0x…" };` */
export interface GetCreditParameters extends ReadParameters {
  account: Address;
}

/**
 * Base units held in the exchange for the account (see {@link withdrawCredit}).
 * @example `const value: GetCreditReturnType = await getCredit(city, { account });`
 */
export type GetCreditReturnType = bigint;

/** @example `catch (e) { const err = e as GetCreditErrorType; }` */
export type GetCreditErrorType = ReadErrorType;

/**
 * What the parking exchange holds for an account: settlement shares CityCoin refused to deliver (the account was
 * suspended or removed when its booking settled).
 *
 * @example
 * ```ts
 * const credit = await getCredit(city, { account }); // 0n in the usual case
 * ```
 */
export async function getCredit(context: CityContext, parameters: GetCreditParameters): Promise<GetCreditReturnType> {
  const address = parkingAddress(context, "getCredit");
  return read(() =>
    context.publicClient.readContract({
      address,
      abi: parkingExchangeAbi,
      functionName: "creditOf",
      args: [parameters.account],
      ...blockOf(parameters),
    }),
  );
}
