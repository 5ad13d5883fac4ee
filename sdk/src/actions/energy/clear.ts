import { energyMarketAbi } from "../../abis/energyMarket";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { energyAddress } from "../internal/energy";

/** @example `const p: ClearParameters = { slot };` */
export interface ClearParameters extends WriteParameters {
  /** The slot whose gate has closed. */
  slot: number;
}

/** @example `const hash: ClearReturnType = await clear(city, { slot });` */
export type ClearReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as ClearErrorType; } // e.g. EnergyMarketGateOpen, EnergyMarketAlreadyCleared` */
export type ClearErrorType = WriteErrorType;

/**
 * Clears a slot once its gate has closed (anyone may): the uniform price, the volume and every fill, by the rule
 * {@link clearSlot} implements. No money moves until {@link settle}.
 *
 * @example
 * ```ts
 * await clear(city, { slot, wait: true });
 * const { price, volume } = await getSlotResult(city, { slot });
 * ```
 */
export async function clear(context: CityContext, parameters: ClearParameters): Promise<ClearReturnType> {
  const address = energyAddress(context, "clear");
  return write(context, "clear", parameters, (publicClient, account) =>
    publicClient.simulateContract({ address, abi: energyMarketAbi, functionName: "clear", args: [parameters.slot], account }),
  );
}
