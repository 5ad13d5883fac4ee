import type { Address, Hash } from "viem";
import type { CityContext, WriteParameters } from "../../types";
import { postRelay, waitForRelay } from "../../relay/relay";
import { requireLedgerUrl } from "../internal/ledger";
import { signPermit } from "./signPermit";

/** @example `const p: RelayPermitParameters = { spender: shop, value: parseCity("5") };` */
export interface RelayPermitParameters extends Pick<WriteParameters, "account" | "wait"> {
  /** Who may spend (e.g. a merchant that will pull the payment with transferFrom). */
  spender: Address;
  /** Allowance, in base units. */
  value: bigint;
  /** Unix seconds after which the permit is void (default: one hour after the latest block). */
  deadline?: bigint | undefined;
}

/** @example `const hash: RelayPermitReturnType = await relayPermit(city, { spender, value });` */
export type RelayPermitReturnType = Hash;

/** @example `catch (e) { const err = e as RelayPermitErrorType; } // RelayError: quota-exceeded, not-a-member…` */
export type RelayPermitErrorType = Error;

/**
 * Signs an ERC-2612 permit with the wallet's account and has the ledger node's relayer submit it: the allowance is
 * set on chain without the member paying gas. A merchant can then pull the payment (`transferFrom`, gasless too).
 *
 * @throws {RelayError} When the relayer refuses it.
 * @example
 * ```ts
 * await relayPermit(memberCity, { spender: shop, value: parseCity("5"), wait: true });
 * await transferFrom(shopCity, { from: member, to: shop, amount: parseCity("5"), gasless: true });
 * ```
 */
export async function relayPermit(context: CityContext, parameters: RelayPermitParameters): Promise<RelayPermitReturnType> {
  const ledgerUrl = requireLedgerUrl(context, "relayPermit");
  const signed = await signPermit(context, parameters);
  const chainId = context.publicClient.chain?.id;
  const permit = {
    owner: signed.owner,
    spender: signed.spender,
    value: signed.value.toString(),
    nonce: signed.nonce.toString(),
    deadline: signed.deadline.toString(),
    signature: signed.signature,
  };
  const record = await postRelay(ledgerUrl, chainId === undefined ? { permit } : { chainId, permit });
  const done = await waitForRelay(ledgerUrl, record.id, { until: parameters.wait ? "final" : "submitted" });
  return done.txHashes[done.txHashes.length - 1];
}
