/**
 * The actions' helpers in one import: reads (`read`, `blockOf`), the signer of a write (`signerOf`, `addressOf`) and
 * `write`, whose gasless path goes through the relay. `read` and `account` do not import the relay, so the relay can
 * use them without an import cycle (call → relay → read/account).
 */
import type { Account, Address, Hash, PublicClient, WalletClient } from "viem";
import { decodeCityError } from "../../errors/contract";
import { TransactionRevertedError } from "../../errors/client";
import type { CityContext, WriteParameters } from "../../types";
import { relayWrite } from "../../relay/relay";
import { signerOf } from "./account";

export { blockOf, read } from "./read";
export { addressOf, signerOf } from "./account";

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
