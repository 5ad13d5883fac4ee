import { zeroHash, type Hex } from "viem";
import { parkingExchangeAbi } from "../../abis/parkingExchange";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { ALL_WEEK } from "../../utils/parking";
import { write } from "../internal/call";
import { parkingAddress } from "../internal/parking";

/**
 * What an owner sets when listing or editing a spot. Amounts in CityCoin base units.
 *
 * @example
 * ```ts
 * const terms: ParkingSpotTerms = { district: 3, geohash: "0x7370757a7362636400000000", hourlyRate: parseCity("2"), presetId: 1 };
 * ```
 */
export interface ParkingSpotTerms {
  /** The city district the spot is in. */
  district: number;
  /** Geohash of the spot, ASCII, right-padded with zero bytes to 12 bytes (`0x` + 24 hex digits). */
  geohash: Hex;
  /** Hash of the spot's description kept off chain (default zero). */
  descriptionHash?: Hex | undefined;
  /** Price of an hour, base units (positive, below 2^32). */
  hourlyRate: bigint;
  /** Most any 24 hours of a booking cost, base units; 0 (default) for no cap. */
  dailyCap?: bigint | undefined;
  /** Cancellation preset (1 flexible, 2 moderate, 3 strict as deployed). */
  presetId: number;
  /** Whether the driver checks in and out (default false); only then may the spot take a deposit. */
  checkIn?: boolean | undefined;
  /** Overstay deposit held in escrow, base units (default 0; check-in spots only). */
  deposit?: bigint | undefined;
  /** Bit i = hour i of the week from Monday 00:00 UTC (default: every hour). */
  weeklyAvailability?: bigint | undefined;
}

/**
 * The terms as the contract's `SpotTerms` tuple takes them.
 * @example `args: [spotTermsArgs(terms)]`
 * @internal
 */
export function spotTermsArgs(terms: ParkingSpotTerms) {
  return {
    district: terms.district,
    geohash: terms.geohash,
    descriptionHash: terms.descriptionHash ?? zeroHash,
    hourlyRate: Number(terms.hourlyRate),
    dailyCap: Number(terms.dailyCap ?? 0n),
    presetId: terms.presetId,
    checkIn: terms.checkIn ?? false,
    deposit: Number(terms.deposit ?? 0n),
    weeklyAvailability: terms.weeklyAvailability ?? ALL_WEEK,
  };
}

/** @example `const p: ListParameters = { terms: { district: 3, geohash, hourlyRate: parseCity("2"), presetId: 1 } };` */
export interface ListParameters extends WriteParameters {
  terms: ParkingSpotTerms;
}

/** @example `const hash: ListReturnType = await list(city, { terms });` */
export type ListReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as ListErrorType; } // e.g. ParkingExchangeNotParkingOwner, ParkingExchangeZeroRate` */
export type ListErrorType = WriteErrorType;

/**
 * Lists a parking spot. The wallet's account must be an active member with the PARKING_OWNER flag. The new spot's id
 * is {@link getSpotCount} once mined.
 *
 * @example
 * ```ts
 * await list(city, {
 *   terms: { district: 3, geohash: "0x7370757a7362636400000000", hourlyRate: parseCity("2"), presetId: 1 },
 *   wait: true,
 * });
 * const spotId = await getSpotCount(city);
 * ```
 */
export async function list(context: CityContext, parameters: ListParameters): Promise<ListReturnType> {
  const address = parkingAddress(context, "list");
  return write(context, "list", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: parkingExchangeAbi,
      functionName: "list",
      args: [spotTermsArgs(parameters.terms)],
      account,
    }),
  );
}
