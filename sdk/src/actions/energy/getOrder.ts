import type { ContractFunctionReturnType } from "viem";
import { energyMarketAbi } from "../../abis/energyMarket";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { energyAddress } from "../internal/energy";

/** @example `const p: GetOrderParameters = { orderId: energyOrderIdOf(slot, 1n) };` */
export interface GetOrderParameters extends ReadParameters {
  orderId: bigint;
}

/**
 * An energy order: trader, wh, price per kWh, side (0 ask, 1 bid), status (0 none, 1 open, 2 cancelled, 3 cleared,
 * 4 settled).
 *
 * @example
 * ```ts
 * const { trader, wh, price, side, status }: GetOrderReturnType = await getOrder(city, { orderId });
 * ```
 */
export type GetOrderReturnType = ContractFunctionReturnType<typeof energyMarketAbi, "view", "order">;

/** @example `catch (e) { const err = e as GetOrderErrorType; }` */
export type GetOrderErrorType = ReadErrorType;

/**
 * Reads an energy order of EnergyMarket.
 *
 * @example
 * ```ts
 * const order = await getOrder(city, { orderId });
 * ```
 */
export async function getOrder(context: CityContext, parameters: GetOrderParameters): Promise<GetOrderReturnType> {
  const address = energyAddress(context, "getOrder");
  return read(() =>
    context.publicClient.readContract({ address, abi: energyMarketAbi, functionName: "order", args: [parameters.orderId], ...blockOf(parameters) }),
  );
}

/**
 * The id of the `sequence`-th order ever placed, in slot `slot`: `slot << 32 | sequence`.
 * @example `energyOrderIdOf(1_995_000, 1n) // 8568542965760001n`
 */
export function energyOrderIdOf(slot: number, sequence: bigint): bigint {
  return (BigInt(slot) << 32n) | sequence;
}
