import type { Account, Address, Hash, PublicClient, WalletClient } from "viem";
import { decodeCityError } from "../../errors/contract";
import { AccountRequiredError, TransactionRevertedError, WalletClientRequiredError } from "../../errors/client";
import type { CityContext, ReadParameters, WriteParameters } from "../../types";
import { relayWrite } from "../../relay/relay";

/**
 * The block selector of a read, as viem's `readContract` takes it.
 * @example `publicClient.readContract({ ...call, ...blockOf(parameters) })`
 * @internal
 */
export function blockOf(parameters: ReadParameters): { blockNumber: bigint } | { blockTag: NonNullable<ReadParameters["blockTag"]> } | Record<string, never> {
  if (parameters.blockNumber !== undefined) return { blockNumber: parameters.blockNumber };
  if (parameters.blockTag !== undefined) return { blockTag: parameters.blockTag };
  return {};
}

/**
 * Runs a contract read, turning a revert with a city custom error into a `CityContractError`.
 * @example `return read(() => context.publicClient.readContract({ address, abi, functionName, args }));`
 * @internal
 */
export async function read<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw decodeCityError(err) ?? err;
  }
}

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

/**
 * Simulates a write (so a revert surfaces, decoded, before anything is sent), sends it, and optionally waits for
 * the receipt.
 * @example
 * ```ts
 * return write(context, "transfer", parameters, (publicClient, account) =>
 *   publicClient.simulateContract({ address, abi: cityCoinAbi, functionName: "transfer", args: [to, amount], account }),
 * );
 * ```
 * @internal
 */
export async function write(
  context: CityContext,
  action: string,
  parameters: WriteParameters,
  simulate: (publicClient: PublicClient, account: Account | Address) => Promise<{ request: unknown }>,
): Promise<Hash> {
  const { walletClient, account } = signerOf(context, action, parameters.account);
  if (parameters.gasless) {
    // Simulated as the member first (a revert surfaces here, decoded), then signed and relayed: no gas, no ETH.
    let request: Parameters<typeof relayWrite>[3];
    try {
      ({ request } = (await simulate(context.publicClient, account)) as { request: Parameters<typeof relayWrite>[3] });
    } catch (err) {
      throw decodeCityError(err) ?? err;
    }
    return relayWrite(context, action, account, request, parameters.wait ?? false);
  }
  let hash: Hash;
  try {
    const { request } = await simulate(context.publicClient, account);
    hash = await walletClient.writeContract({
      ...(request as Parameters<WalletClient["writeContract"]>[0]),
      chain: walletClient.chain ?? null,
    });
  } catch (err) {
    throw decodeCityError(err) ?? err;
  }
  if (parameters.wait) {
    const receipt = await context.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status === "reverted") throw new TransactionRevertedError(action, hash);
  }
  return hash;
}
