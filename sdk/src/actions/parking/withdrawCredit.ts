import type { Address } from "viem";
import { parkingExchangeAbi } from "../../abis/parkingExchange";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";
import { parkingAddress } from "../internal/parking";

/** @example `const p: WithdrawCreditParameters = { to: "0x…" };` */
export interface WithdrawCreditParameters extends WriteParameters {
  /** Where the credit goes: the caller's own address, or any address CityCoin accepts (an active member). */
  to: Address;
}

/** @example `const hash: WithdrawCreditReturnType = await withdrawCredit(city, { to });` */
export type WithdrawCreditReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as WithdrawCreditErrorType; } // e.g. ParkingExchangeNoCredit, ParkingExchangeCreditFrozen` */
export type WithdrawCreditErrorType = WriteErrorType;

/**
 * Takes the caller's whole parking credit (settlement shares CityCoin could not pay directly, say while the member
 * was suspended) to `to`. Frozen while the caller's membership is suspended.
 *
 * @example
 * ```ts
 * await withdrawCredit(city, { to: account, wait: true });
 * ```
 */
export async function withdrawCredit(context: CityContext, parameters: WithdrawCreditParameters): Promise<WithdrawCreditReturnType> {
  const address = parkingAddress(context, "withdrawCredit");
  return write(context, "withdrawCredit", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address,
      abi: parkingExchangeAbi,
      functionName: "withdraw",
      args: [parameters.to],
      account,
    }),
  );
}
