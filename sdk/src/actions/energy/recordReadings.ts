import { meterRegistryAbi } from "../../abis/meterRegistry";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { meterRegistryAddress } from "../internal/energy";
import type { MeterReading } from "./signReading";

/** @example `const p: RecordReadingsParameters = { readings: [reading] };` */
export interface RecordReadingsParameters extends WriteParameters {
  /** Meter-signed readings of ended slots (see {@link signReading}), in any order. */
  readings: readonly MeterReading[];
}

/** @example `const hash: RecordReadingsReturnType = await recordReadings(city, { readings });` */
export type RecordReadingsReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as RecordReadingsErrorType; } // e.g. MeterRegistryInvalidSignature, MeterRegistrySlotNotOver` */
export type RecordReadingsErrorType = WriteErrorType;

/**
 * Records meters' signed readings in MeterRegistry (anyone may; members gaslessly through the relayer): once on record
 * a reading counts for the slot's settlement whoever settles, and records demand response in peak slots. A reading of a
 * meter and slot already on record is skipped.
 *
 * @example
 * ```ts
 * const reading = await meter.energy.signReading({ slot, producedWh: 1_200n, consumedWh: 0n });
 * await recordReadings(city, { readings: [reading], wait: true });
 * ```
 */
export async function recordReadings(context: CityContext, parameters: RecordReadingsParameters): Promise<RecordReadingsReturnType> {
  const address = meterRegistryAddress(context, "recordReadings");
  return write(context, "recordReadings", parameters, (publicClient, account) =>
    publicClient.simulateContract({ address, abi: meterRegistryAbi, functionName: "recordReadings", args: [parameters.readings], account }),
  );
}
