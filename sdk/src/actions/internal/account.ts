import type { Account, Address, WalletClient } from "viem";
import { AccountRequiredError, WalletClientRequiredError } from "../../errors/client";
import type { CityContext, WriteParameters } from "../../types";

/**
 * The wallet and the account a write or signing action acts from.
 * @example `const { walletClient, account } = signerOf(context, "signPermit", parameters.account);`
 * @internal
 */
export function signerOf(
  context: CityContext,
  action: string,
  account: WriteParameters["account"],
): { walletClient: WalletClient; account: Account | Address } {
  const { walletClient } = context;
  if (!walletClient) throw new WalletClientRequiredError(action);
  const own = walletClient.account;
  if (account === undefined) {
    if (!own) throw new AccountRequiredError(action);
    return { walletClient, account: own };
  }
  // An address naming the wallet's own (e.g. local) account signs with it.
  if (typeof account === "string" && own && own.address.toLowerCase() === account.toLowerCase()) {
    return { walletClient, account: own };
  }
  return { walletClient, account };
}

/**
 * The address of an account given as an address or an account object.
 * @example `const owner = addressOf(account);`
 * @internal
 */
export function addressOf(account: Account | Address): Address {
  return typeof account === "string" ? account : account.address;
}
