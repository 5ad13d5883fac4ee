import { meterRegistryAbi } from "../../abis/meterRegistry";
import { energyMarketAbi } from "../../abis/energyMarket";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { read, write } from "../internal/call";
import { energyAddress, meterRegistryAddress } from "../internal/energy";
import type { MeterReading } from "./signReading";

/** @example `const p: SettleParameters = { slot, readings };` */
export interface SettleParameters extends WriteParameters {
  /** The cleared slot, once it has ended. */
  slot: number;
  /**
   * Signed readings to record before settling (see {@link signReading}), in any order; may be empty: the readings
   * already on record (see {@link recordReadings}) count whoever settles.
   */
  readings?: readonly MeterReading[];
}

/** @example `const hash: SettleReturnType = await settle(city, { slot, readings });` */
export type SettleReturnType = WriteReturnType;

/**
 * @example `catch (e) { const err = e as SettleErrorType; } // e.g. EnergyMarketMissingReading, MeterRegistryInvalidSignature`
 */
export type SettleErrorType = WriteErrorType;

/**
 * Settles a cleared slot in one transaction (anyone may, once) against the readings MeterRegistry has on record, after
 * recording `readings`: sellers are paid for what their meters signed at the clearing price, short deliveries pay the
 * grid price to the buyers, escrow and collateral go back to the traders' market balances. Until the settlement window
 * has passed, every seller with a fill needs its readings on record; after it, a missing one counts as no delivery.
 *
 * @example
 * ```ts
 * await settle(city, { slot, readings: [solReading, annReading], wait: true });
 * ```
 */
export async function settle(context: CityContext, parameters: SettleParameters): Promise<SettleReturnType> {
  const address = energyAddress(context, "settle");
  const readings = await sortReadings(context, parameters.readings ?? []);
  return write(context, "settle", parameters, (publicClient, account) =>
    publicClient.simulateContract({ address, abi: energyMarketAbi, functionName: "settle", args: [parameters.slot, readings], account }),
  );
}

/**
 * Readings by member (read from MeterRegistry), then by meter, both as numbers: a stable order for display and
 * comparison (the contracts accept any order).
 * @example `const sorted = await sortReadings(city, readings);`
 */
export async function sortReadings(context: CityContext, readings: readonly MeterReading[]): Promise<MeterReading[]> {
  const registry = meterRegistryAddress(context, "settle");
  const keyed = await Promise.all(
    readings.map(async (reading) => {
      const meter = await read(() =>
        context.publicClient.readContract({ address: registry, abi: meterRegistryAbi, functionName: "meterOf", args: [reading.meter] }),
      );
      return { reading, member: BigInt(meter.member), meter: BigInt(reading.meter) };
    }),
  );
  keyed.sort((a, b) => (a.member !== b.member ? (a.member < b.member ? -1 : 1) : a.meter < b.meter ? -1 : a.meter > b.meter ? 1 : 0));
  return keyed.map((k) => k.reading);
}
