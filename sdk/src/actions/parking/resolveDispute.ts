import { zeroHash, type Hex } from "viem";
import { parkingExchangeAbi } from "../../abis/parkingExchange";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { parkingAddress } from "../internal/parking";

/** @example `const p: ResolveDisputeParameters = { bookingId, toDriver: parseCity("3"), reasonHash };` */
export interface ResolveDisputeParameters extends WriteParameters {
  bookingId: bigint;
  /** The driver's share of the escrow (price and deposit), base units; the rest goes to the owner less the city fee. */
  toDriver: bigint;
  /** Hash of the arbiter's written decision (default zero). */
  reasonHash?: Hex | undefined;
}

/** @example `const hash: ResolveDisputeReturnType = await resolveDispute(city, { bookingId, toDriver });` */
export type ResolveDisputeReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as ResolveDisputeErrorType; } // e.g. AccessManagedUnauthorized, ParkingExchangeSplitExceedsEscrow` */
export type ResolveDisputeErrorType = WriteErrorType;

/**
 * Settles a disputed booking (ARBITER role): `toDriver` of the escrow to the driver, the rest to the owner less the
 * city fee.
 *
 * @example
 * ```ts
 * await resolveDispute(arbiterCity, { bookingId, toDriver: parseCity("2"), reasonHash: keccak256(toHex(decision)), wait: true });
 * ```
 */
export async function resolveDispute(context: CityContext, parameters: ResolveDisputeParameters): Promise<ResolveDisputeReturnType> {
  const address = parkingAddress(context, "resolveDispute");
  return write(context, "resolveDispute", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: parkingExchangeAbi,
      functionName: "resolveDispute",
      args: [parameters.bookingId, parameters.toDriver, parameters.reasonHash ?? zeroHash],
      account,
    }),
  );
}
