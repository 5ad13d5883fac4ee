import { energyMarketAbi } from "../../abis/energyMarket";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { energyAddress } from "../internal/energy";

/** @example `const p: GetBookParameters = { slot };` */
export interface GetBookParameters extends ReadParameters {
  slot: number;
}

/** Ids of the slot's open orders (its cleared orders once cleared). @example `const ids: GetBookReturnType = [];` */
export type GetBookReturnType = readonly bigint[];

/** @example `catch (e) { const err = e as GetBookErrorType; }` */
export type GetBookErrorType = ReadErrorType;

/**
 * Reads a slot's book: the ids of its orders.
 *
 * @example
 * ```ts
 * for (const orderId of await getBook(city, { slot })) console.log(await getOrder(city, { orderId }));
 * ```
 */
export async function getBook(context: CityContext, parameters: GetBookParameters): Promise<GetBookReturnType> {
  const address = energyAddress(context, "getBook");
  return read(() =>
    context.publicClient.readContract({ address, abi: energyMarketAbi, functionName: "book", args: [parameters.slot], ...blockOf(parameters) }),
  );
}
