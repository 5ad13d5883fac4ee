import type {
  Account,
  Address,
  BlockTag,
  PublicClient,
  ReadContractErrorType,
  SimulateContractErrorType,
  WalletClient,
  WriteContractErrorType,
} from "viem";
import type { CityAddresses } from "./deployment/loadDeployment";
import type { CityContractErrorUnion } from "./errors/contract";
import type { AccountRequiredError, TransactionRevertedError, WalletClientRequiredError } from "./errors/client";

/**
 * What every action takes first: the viem clients and the city's addresses. A {@link CityClient} is one, so an
 * action can be called on its own (tree-shaken) or through the client's modules.
 *
 * @example
 * ```ts
 * const context: CityContext = { publicClient, walletClient, addresses: deployment.addresses };
 * const balance = await getBalance(context, { address: "0x…" });
 * ```
 */
export interface CityContext {
  /** Reads and simulations go through it. */
  publicClient: PublicClient;
  /** Signs and sends; needed by write and signing actions only. */
  walletClient?: WalletClient | undefined;
  addresses: CityAddresses;
  /** The ledger node's base URL (no trailing slash): gasless writes are relayed through it. */
  ledgerUrl?: string | undefined;
}

/**
 * Options every read action accepts: the block to read at (default: `latest`).
 *
 * @example
 * ```ts
 * await getBalance(city, { address, blockTag: "finalized" });
 * ```
 */
export interface ReadParameters {
  /** Read at this block number (takes precedence over `blockTag`). */
  blockNumber?: bigint | undefined;
  /** Read at this block tag, e.g. `"finalized"`. */
  blockTag?: BlockTag | undefined;
}

/**
 * Options every write action accepts.
 *
 * @example
 * ```ts
 * const hash = await transfer(city, { to, amount: parseCity("2"), account: "0x…", wait: true });
 * ```
 */
export interface WriteParameters {
  /** The account that signs and sends (default: the walletClient's account). */
  account?: Account | Address | undefined;
  /**
   * Wait for the receipt before returning, and throw {@link TransactionRevertedError} if it reverted
   * (default `false`: return as soon as the transaction is sent).
   */
  wait?: boolean | undefined;
  /**
   * Relay the call through the ledger node instead of sending it (needs the client's `ledgerUrl`): the account only
   * signs an ERC-2771 request, the city pays the gas, the account needs no ETH. Returns the relayer's transaction
   * hash; with `wait`, once it is mined. Refusals throw {@link RelayError}.
   */
  gasless?: boolean | undefined;
}

/**
 * What every write action returns: the transaction hash.
 *
 * @example
 * ```ts
 * const hash: WriteReturnType = await city.currency.transfer({ to, amount });
 * await publicClient.waitForTransactionReceipt({ hash });
 * ```
 */
export type WriteReturnType = `0x${string}`;

/**
 * What a read action may throw: a decoded city revert, or viem's error for anything else (network, bad data).
 *
 * @example
 * ```ts
 * try { await getCurrentPeriod(city, { programId }); } catch (e) { const err = e as ReadErrorType; }
 * ```
 */
export type ReadErrorType = CityContractErrorUnion | ReadContractErrorType;

/**
 * What a write action may throw: a decoded city revert (from the simulation, before anything is sent), a missing
 * wallet or account, a reverted receipt when waiting, or viem's error for anything else.
 *
 * @example
 * ```ts
 * try { await transfer(city, { to, amount }); } catch (e) { const err = e as WriteErrorType; }
 * ```
 */
export type WriteErrorType =
  | CityContractErrorUnion
  | WalletClientRequiredError
  | AccountRequiredError
  | TransactionRevertedError
  | SimulateContractErrorType
  | WriteContractErrorType;
