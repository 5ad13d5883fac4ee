import type { Address } from "viem";
import { energyMarketAbi } from "../../abis/energyMarket";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { energyAddress } from "../internal/energy";

/** @example `const p: BidParameters = { slot: 1_995_000, meter: "0x…", wh: 1_500n, maxPrice: 120_000 };` */
export interface BidParameters extends WriteParameters {
  /** The 900-second slot (`floor(unix time / 900)`). */
  slot: number;
  /** An active consumption meter of the caller. */
  meter: Address;
  /** Energy wanted, in Wh (at least the market's smallest order). */
  wh: bigint;
  /** Highest price paid per kWh, in CityCoin base units. */
  maxPrice: number;
}

/** @example `const hash: BidReturnType = await bid(city, parameters);` */
export type BidReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as BidErrorType; } // e.g. EnergyMarketGateClosed, EnergyMarketNotConsumptionMeter` */
export type BidErrorType = WriteErrorType;

/**
 * Bids for energy in a slot before its gate closes. Locks the escrow `ceil(wh × maxPrice / 1000)` from the caller's
 * market balance, pulling any shortfall from its wallet (approve the market first); settlement refunds what the
 * delivered energy did not cost.
 *
 * @example
 * ```ts
 * await bid(city, { slot, meter, wh: 1_500n, maxPrice: 120_000, wait: true });
 * ```
 */
export async function bid(context: CityContext, parameters: BidParameters): Promise<BidReturnType> {
  const address = energyAddress(context, "bid");
  return write(context, "bid", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: energyMarketAbi,
      functionName: "bid",
      args: [parameters.slot, parameters.meter, Number(parameters.wh), parameters.maxPrice],
      account,
    }),
  );
}
