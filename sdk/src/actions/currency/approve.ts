import type { Address } from "viem";
import { cityCoinAbi } from "../../abis/cityCoin";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";

/** @example `const p: ApproveParameters = { spender: city.addresses.basicIncome, amount: parseCity("1000") };` */
export interface ApproveParameters extends WriteParameters {
  /** Who may spend. */
  spender: Address;
  /** The allowance, in base units (replaces the previous one). */
  amount: bigint;
}

/** @example `const hash: ApproveReturnType = await approve(city, { spender, amount });` */
export type ApproveReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as ApproveErrorType; }` */
export type ApproveErrorType = WriteErrorType;

/**
 * Allows `spender` to move up to `amount` of the wallet account's CityCoin (e.g. BasicIncome before {@link fund}).
 * Without gas, members sign a {@link signPermit} instead.
 *
 * @example
 * ```ts
 * await approve(city, { spender: city.addresses.basicIncome, amount: parseCity("1000"), wait: true });
 * ```
 */
export async function approve(context: CityContext, parameters: ApproveParameters): Promise<ApproveReturnType> {
  return write(context, "approve", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address: context.addresses.cityCoin,
      abi: cityCoinAbi,
      functionName: "approve",
      args: [parameters.spender, parameters.amount],
      account,
    }),
  );
}
