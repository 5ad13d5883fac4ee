import type { Address, Hex } from "viem";
import { cityCoinAbi } from "../../abis/cityCoin";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";

/** @example `const p: IssueParameters = { to: "0x…", amount: parseCity("100"), depositRef: keccak256(toHex("SEPA-2026-0042")) };` */
export interface IssueParameters extends WriteParameters {
  /** Recipient of the new coins (a member or a city account). */
  to: Address;
  /** Base units, at most the attested reserve minus the supply. */
  amount: bigint;
  /** Reference of the euro deposit (each deposit issues once). */
  depositRef: Hex;
}

/** @example `const hash: IssueReturnType = await issue(city, params);` */
export type IssueReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as IssueErrorType; } // e.g. CityCoinReserveExceeded` */
export type IssueErrorType = WriteErrorType;

/**
 * Issues CityCoin against a euro deposit (ISSUER role), never beyond the attested reserve.
 *
 * @example
 * ```ts
 * await issue(city, { to: "0x…", amount: parseCity("100"), depositRef: keccak256(toHex("SEPA-2026-0042")) });
 * ```
 */
export async function issue(context: CityContext, parameters: IssueParameters): Promise<IssueReturnType> {
  return write(context, "issue", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address: context.addresses.cityCoin,
      abi: cityCoinAbi,
      functionName: "issue",
      args: [parameters.to, parameters.amount, parameters.depositRef],
      account,
    }),
  );
}
