import type { Address, Hash } from "viem";
import { CityError } from "./base";

/**
 * A write action was called on a city client created without a `walletClient`.
 *
 * @example
 * ```ts
 * const city = createCityClient({ publicClient, walletClient, deployment }); // pass a walletClient to write
 * ```
 */
export class WalletClientRequiredError extends CityError {
  constructor(action: string) {
    super(`${action} sends a transaction, but the city client has no walletClient.`, {
      metaMessages: ["- Pass a viem walletClient to createCityClient({ publicClient, walletClient, deployment })."],
      name: "WalletClientRequiredError",
    });
  }
}

/**
 * A write or signing action has no account to act from.
 *
 * @example
 * ```ts
 * await city.currency.transfer({ to, amount, account: "0x…" }); // or createWalletClient({ account, … })
 * ```
 */
export class AccountRequiredError extends CityError {
  constructor(action: string) {
    super(`${action} needs an account, and neither the call nor the walletClient names one.`, {
      metaMessages: ["- Pass `account` to the action, or create the walletClient with an `account`."],
      name: "AccountRequiredError",
    });
  }
}

/**
 * A client is connected to another chain than the deployment's.
 *
 * @example
 * ```ts
 * // deployments/31337.json needs clients on chain 31337 (e.g. viem's `hardhat` chain)
 * ```
 */
export class ChainMismatchError extends CityError {
  readonly expected: number;
  readonly actual: number;

  constructor(client: "publicClient" | "walletClient", expected: number, actual: number) {
    super(`The ${client} is on chain ${actual}, but the deployment is on chain ${expected}.`, {
      metaMessages: [`- Connect the ${client} to chain ${expected}, or load the deployment of chain ${actual}.`],
      name: "ChainMismatchError",
    });
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * A transaction was mined but reverted (seen when waiting for its receipt).
 *
 * @example
 * ```ts
 * try { await city.income.claim({ programId: 1n, wait: true }); } catch (err) { if (err instanceof TransactionRevertedError) console.log(err.hash); }
 * ```
 */
export class TransactionRevertedError extends CityError {
  readonly hash: Hash;

  constructor(action: string, hash: Hash) {
    super(`${action} was mined but reverted (transaction ${hash}).`, {
      metaMessages: ["- The chain's state changed between the simulation and the transaction; read it again and retry."],
      name: "TransactionRevertedError",
    });
    this.hash = hash;
  }
}

/**
 * A signed permit does not fit the transfer it is meant to authorise.
 *
 * @example
 * ```ts
 * await city.currency.transferFrom({ from: permit.owner, to, amount, permit }); // owner and spender must match
 * ```
 */
export class PermitMismatchError extends CityError {
  constructor(field: "owner" | "spender" | "value", expected: Address | bigint, actual: Address | bigint) {
    super(`The permit's ${field} is ${actual}, but the transfer needs ${expected}.`, {
      metaMessages: ["- Sign a permit whose owner is `from`, whose spender is the sending account, and whose value covers the amount."],
      name: "PermitMismatchError",
    });
  }
}
