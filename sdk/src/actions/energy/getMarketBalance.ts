import type { Address } from "viem";
import { energyMarketAbi } from "../../abis/energyMarket";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { energyAddress } from "../internal/energy";

/** @example `const p: GetMarketBalanceParameters = { address: "0x…" };` */
export interface GetMarketBalanceParameters extends ReadParameters {
  address: Address;
}

/** Base units free in the account's market balance. @example `const owed: GetMarketBalanceReturnType = 0n;` */
export type GetMarketBalanceReturnType = bigint;

/** @example `catch (e) { const err = e as GetMarketBalanceErrorType; }` */
export type GetMarketBalanceErrorType = ReadErrorType;

/**
 * Reads an account's market balance in EnergyMarket: what {@link claimRefund} would pay it.
 *
 * @example
 * ```ts
 * const owed = await getMarketBalance(city, { address });
 * ```
 */
export async function getMarketBalance(context: CityContext, parameters: GetMarketBalanceParameters): Promise<GetMarketBalanceReturnType> {
  const address = energyAddress(context, "getMarketBalance");
  return read(() =>
    context.publicClient.readContract({ address, abi: energyMarketAbi, functionName: "balanceOf", args: [parameters.address], ...blockOf(parameters) }),
  );
}
