import type { Address } from "viem";
import { cityCoinAbi } from "../../abis/cityCoin";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";

/** @example `const p: TransferParameters = { to: "0x…", amount: parseCity("12.5") };` */
export interface TransferParameters extends WriteParameters {
  /** Recipient: an active member or a city account (unless the currency is open). */
  to: Address;
  /** Base units (use {@link parseCity}). */
  amount: bigint;
}

/** @example `const hash: TransferReturnType = await transfer(city, { to, amount });` */
export type TransferReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as TransferErrorType; } // e.g. CityCoinTransferNotAllowed` */
export type TransferErrorType = WriteErrorType;

/**
 * Sends CityCoin from the wallet's account to `to`.
 *
 * @example
 * ```ts
 * const hash = await transfer(city, { to: "0x…", amount: parseCity("12.5") });
 * ```
 */
export async function transfer(context: CityContext, parameters: TransferParameters): Promise<TransferReturnType> {
  return write(context, "transfer", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address: context.addresses.cityCoin,
      abi: cityCoinAbi,
      functionName: "transfer",
      args: [parameters.to, parameters.amount],
      account,
    }),
  );
}
