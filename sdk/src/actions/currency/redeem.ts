import { cityCoinAbi } from "../../abis/cityCoin";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { write } from "../internal/call";

/** @example `const p: RedeemParameters = { amount: parseCity("50") };` */
export interface RedeemParameters extends WriteParameters {
  /** Base units to redeem; the redemption fee goes to the community fund, the rest is burnt for a euro payout. */
  amount: bigint;
}

/** @example `const hash: RedeemReturnType = await redeem(city, { amount });` */
export type RedeemReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as RedeemErrorType; } // e.g. ERC20InsufficientBalance` */
export type RedeemErrorType = WriteErrorType;

/**
 * Redeems CityCoin for euros: burns `amount` less the fee (sent to the community fund); the issuer pays the euros
 * out and settles the redemption.
 *
 * @example
 * ```ts
 * await redeem(city, { amount: parseCity("50"), wait: true });
 * ```
 */
export async function redeem(context: CityContext, parameters: RedeemParameters): Promise<RedeemReturnType> {
  return write(context, "redeem", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address: context.addresses.cityCoin,
      abi: cityCoinAbi,
      functionName: "redeem",
      args: [parameters.amount],
      account,
    }),
  );
}
