import { isAddressEqual, type Address } from "viem";
import { cityCoinAbi } from "../../abis/cityCoin";
import { PermitMismatchError } from "../../errors/client";
import type { CityContext, WriteErrorType, WriteParameters, WriteReturnType } from "../../types";
import { addressOf, signerOf, write } from "../internal/call";
import { getAllowance } from "./getAllowance";
import { permit as submitPermit } from "./permit";
import type { SignedPermit } from "./signPermit";

/** @example `const p: TransferFromParameters = { from: owner, to: shop, amount: parseCity("5"), permit: signed };` */
export interface TransferFromParameters extends WriteParameters {
  /** Whose coins move. */
  from: Address;
  /** Recipient. */
  to: Address;
  /** Base units. */
  amount: bigint;
  /**
   * A permit signed by `from` for the sending account: submitted first (and awaited) unless the allowance already
   * covers `amount`.
   */
  permit?: SignedPermit | undefined;
}

/** @example `const hash: TransferFromReturnType = await transferFrom(city, params);` */
export type TransferFromReturnType = WriteReturnType;

/** @example `catch (e) { const err = e as TransferFromErrorType; } // e.g. ERC20InsufficientAllowance` */
export type TransferFromErrorType = WriteErrorType | PermitMismatchError;

/**
 * Moves `amount` from `from` to `to` with the sending account's allowance, optionally setting that allowance from a
 * signed permit first. Returns the hash of the `transferFrom` transaction.
 *
 * @example
 * ```ts
 * const signed = await signPermit(memberCity, { spender: shop, value: parseCity("5") });
 * await transferFrom(shopCity, { from: signed.owner, to: shop, amount: parseCity("5"), permit: signed });
 * ```
 */
export async function transferFrom(
  context: CityContext,
  parameters: TransferFromParameters,
): Promise<TransferFromReturnType> {
  const { from, to, amount, permit } = parameters;
  if (permit) {
    const spender = addressOf(signerOf(context, "transferFrom", parameters.account).account);
    if (!isAddressEqual(permit.owner, from)) throw new PermitMismatchError("owner", from, permit.owner);
    if (!isAddressEqual(permit.spender, spender)) throw new PermitMismatchError("spender", spender, permit.spender);
    if (permit.value < amount) throw new PermitMismatchError("value", amount, permit.value);
    const allowance = await getAllowance(context, { owner: from, spender });
    if (allowance < amount) await submitPermit(context, { permit, account: parameters.account, wait: true });
  }
  return write(context, "transferFrom", parameters, (publicClient, account) =>
    publicClient.simulateContract({
      address: context.addresses.cityCoin,
      abi: cityCoinAbi,
      functionName: "transferFrom",
      args: [from, to, amount],
      account,
    }),
  );
}
