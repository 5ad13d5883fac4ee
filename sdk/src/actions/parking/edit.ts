import { parkingExchangeAbi } from "../../abis/parkingExchange";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { parkingAddress } from "../internal/parking";
import { spotTermsArgs, type ParkingSpotTerms } from "./list";

/** @example `const p: EditParameters = { spotId: 1n, terms: { ...terms, hourlyRate: parseCity("3") } };` */
export interface EditParameters extends WriteParameters {
  spotId: bigint;
  /** The whole new terms (read the current ones with {@link getSpot}). */
  terms: ParkingSpotTerms;
}

/** @example `const hash: EditReturnType = await edit(city, { spotId, terms });` */
export type EditReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as EditErrorType; } // e.g. ParkingExchangeNotSpotOwner, ParkingExchangePresetDisabled` */
export type EditErrorType = WriteErrorType;

/**
 * Changes a spot's terms (its owner only); bookings already made keep theirs.
 *
 * @example
 * ```ts
 * await edit(city, { spotId: 1n, terms: { ...terms, hourlyRate: parseCity("3") }, wait: true });
 * ```
 */
export async function edit(context: CityContext, parameters: EditParameters): Promise<EditReturnType> {
  const address = parkingAddress(context, "edit");
  return write(context, "edit", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: parkingExchangeAbi,
      functionName: "edit",
      args: [parameters.spotId, spotTermsArgs(parameters.terms)],
      account,
    }),
  );
}
