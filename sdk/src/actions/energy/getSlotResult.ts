import type { ContractFunctionReturnType } from "viem";
import { energyMarketAbi } from "../../abis/energyMarket";
import type { CityContext, ReadErrorType, ReadParameters } from "../../types";
import { blockOf, read } from "../internal/call";
import { energyAddress } from "../internal/energy";

/** @example `const p: GetSlotResultParameters = { slot };` */
export interface GetSlotResultParameters extends ReadParameters {
  slot: number;
}

/**
 * A slot's state: cleared, settled, clearing price per kWh, volume in Wh, order count, grid price (peak slots are
 * flagged in MeterRegistry).
 *
 * @example
 * ```ts
 * const { cleared, price, volume }: GetSlotResultReturnType = await getSlotResult(city, { slot });
 * ```
 */
export type GetSlotResultReturnType = ContractFunctionReturnType<typeof energyMarketAbi, "view", "slotResult">;

/** @example `catch (e) { const err = e as GetSlotResultErrorType; }` */
export type GetSlotResultErrorType = ReadErrorType;

/**
 * Reads a slot's result from EnergyMarket.
 *
 * @example
 * ```ts
 * const result = await getSlotResult(city, { slot });
 * ```
 */
export async function getSlotResult(context: CityContext, parameters: GetSlotResultParameters): Promise<GetSlotResultReturnType> {
  const address = energyAddress(context, "getSlotResult");
  return read(() =>
    context.publicClient.readContract({ address, abi: energyMarketAbi, functionName: "slotResult", args: [parameters.slot], ...blockOf(parameters) }),
  );
}
