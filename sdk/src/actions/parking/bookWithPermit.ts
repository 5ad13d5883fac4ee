import { parseSignature } from "viem";
import { parkingExchangeAbi } from "../../abis/parkingExchange";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { signPermit } from "../currency/signPermit";
import { write } from "../internal/call";
import { parkingAddress } from "../internal/parking";
import { quote } from "./quote";

/** @example `const p: BookWithPermitParameters = { spotId: 1n, start, end: start + 2 * 3600 };` */
export interface BookWithPermitParameters extends WriteParameters {
  spotId: bigint;
  /** Unix seconds, a whole hour, not before the current hour. */
  start: number;
  /** Unix seconds, a whole hour after `start`. */
  end: number;
  /** Most the booking may cost, base units, and the permit's value (default: the current {@link quote}). */
  maxCost?: bigint | undefined;
  /** The permit's deadline, unix seconds (default: one hour after the latest block). */
  deadline?: bigint | undefined;
}

/** @example `const hash: BookWithPermitReturnType = await bookWithPermit(city, { spotId, start, end });` */
export type BookWithPermitReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as BookWithPermitErrorType; } // e.g. ParkingExchangeOverlap, ERC20InsufficientAllowance` */
export type BookWithPermitErrorType = WriteErrorType;

/**
 * Books `[start, end)` of a spot in one transaction and without a prior approval: signs an ERC-2612 permit of
 * `maxCost` for ParkingExchange with the wallet's account ({@link signPermit}) and sends it with the booking.
 *
 * @example
 * ```ts
 * await bookWithPermit(city, { spotId: 1n, start, end: start + 2 * 3600, wait: true });
 * ```
 */
export async function bookWithPermit(context: CityContext, parameters: BookWithPermitParameters): Promise<BookWithPermitReturnType> {
  const address = parkingAddress(context, "bookWithPermit");
  const { spotId, start, end } = parameters;
  const maxCost = parameters.maxCost ?? (await quote(context, { spotId, start, end })).total;
  const signed = await signPermit(context, {
    spender: address,
    value: maxCost,
    deadline: parameters.deadline,
    account: parameters.account,
  });
  const { r, s, v, yParity } = parseSignature(signed.signature);
  return write(context, "bookWithPermit", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: parkingExchangeAbi,
      functionName: "bookWithPermit",
      args: [spotId, start, end, maxCost, signed.deadline, v !== undefined ? Number(v) : yParity + 27, r, s],
      account,
    }),
  );
}
