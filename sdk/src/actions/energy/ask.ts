import type { Address } from "viem";
import { energyMarketAbi } from "../../abis/energyMarket";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { energyAddress } from "../internal/energy";

/** @example `const p: AskParameters = { slot: 1_995_000, meter: "0x…", wh: 1_500n, minPrice: 80_000 };` */
export interface AskParameters extends WriteParameters {
  /** The 900-second slot (`floor(unix time / 900)`). */
  slot: number;
  /** An active production meter of the caller. */
  meter: Address;
  /** Energy offered, in Wh (at least the market's smallest order). */
  wh: bigint;
  /** Lowest price accepted per kWh, in CityCoin base units. */
  minPrice: number;
}

/** @example `const hash: AskReturnType = await ask(city, parameters);` */
export type AskReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as AskErrorType; } // e.g. EnergyMarketGateClosed, EnergyMarketNotProsumer` */
export type AskErrorType = WriteErrorType;

/**
 * Offers energy in a slot before its gate closes. Locks a collateral of `ceil(wh × gridPrice / 1000)` (the slot's
 * grid price) from the caller's market balance, pulling any shortfall from its wallet (approve the market first).
 *
 * @example
 * ```ts
 * await ask(city, { slot, meter, wh: 1_500n, minPrice: 80_000, wait: true });
 * ```
 */
export async function ask(context: CityContext, parameters: AskParameters): Promise<AskReturnType> {
  const address = energyAddress(context, "ask");
  return write(context, "ask", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: energyMarketAbi,
      functionName: "ask",
      args: [parameters.slot, parameters.meter, Number(parameters.wh), parameters.minPrice],
      account,
    }),
  );
}
