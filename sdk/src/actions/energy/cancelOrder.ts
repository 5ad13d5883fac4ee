import { energyMarketAbi } from "../../abis/energyMarket";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { energyAddress } from "../internal/energy";

/** @example `const p: CancelOrderParameters = { orderId };` */
export interface CancelOrderParameters extends WriteParameters {
  /** The order id, `slot << 32 | sequence` (see {@link energyOrderIdOf}). */
  orderId: bigint;
}

/** @example `const hash: CancelOrderReturnType = await cancelOrder(city, { orderId });` */
export type CancelOrderReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as CancelOrderErrorType; } // e.g. EnergyMarketGateClosed, EnergyMarketNotTrader` */
export type CancelOrderErrorType = WriteErrorType;

/**
 * Cancels one of the caller's open energy orders before its slot's gate closes; what it locked goes back to the
 * caller's market balance (see {@link claimRefund}).
 *
 * @example
 * ```ts
 * await cancelOrder(city, { orderId, wait: true });
 * ```
 */
export async function cancelOrder(context: CityContext, parameters: CancelOrderParameters): Promise<CancelOrderReturnType> {
  const address = energyAddress(context, "cancelOrder");
  return write(context, "cancelOrder", parameters, (publicClient, account) =>
    publicClient.simulateContract({ address, abi: energyMarketAbi, functionName: "cancel", args: [parameters.orderId], account }),
  );
}
