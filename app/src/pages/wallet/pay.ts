/**
 * What a payment form accepts, checked before anything is signed: amounts as a person writes them (never through a
 * float: the text becomes base units directly), and EIP-681 payment requests for this city's currency on this chain.
 */
import { getAddress, isAddress, type Address } from "viem";
import { CITY_DECIMALS } from "@cityledger/sdk";

/** Above this a payment is refused as absurd for a person-to-person currency (base units: 1,000,000 €). */
export const MAX_PAYMENT = 1_000_000n * 10n ** BigInt(CITY_DECIMALS);

export type AmountProblem = "badAmount" | "tooManyDecimals" | "zeroAmount" | "absurdAmount";

/** "12,50", "12.5", "0.000001" → base units; a thousands separator, a sign, an exponent or spaces inside are refused. */
export function parseEuroAmount(text: string): { units: bigint } | { problem: AmountProblem } {
  const match = /^(\d+)(?:[.,](\d+))?$/.exec(text.trim());
  if (!match) return { problem: "badAmount" };
  const [, whole, fraction = ""] = match;
  if (fraction.length > CITY_DECIMALS) return { problem: "tooManyDecimals" };
  const units = BigInt(whole!) * 10n ** BigInt(CITY_DECIMALS) + BigInt(fraction.padEnd(CITY_DECIMALS, "0"));
  if (units === 0n) return { problem: "zeroAmount" };
  if (units > MAX_PAYMENT) return { problem: "absurdAmount" };
  return { units };
}

export type LinkProblem = { key: "linkInvalid" } | { key: "linkOtherChain"; chainId: number } | { key: "linkOtherToken" };

/**
 * An EIP-681 ERC-20 transfer request, `ethereum:<token>@<chainId>/transfer?address=<to>&uint256=<units>`, for this
 * city's currency (`coin`) on its chain (`chainId`): the recipient and the amount in base units.
 */
export function parsePaymentRequest(link: string, coin: Address, chainId: number): { to: Address; units: bigint } | { problem: LinkProblem } {
  const match = /^ethereum:(?:pay-)?(0x[0-9a-fA-F]{40})(?:@(\d+))?\/transfer\?(.*)$/.exec(link.trim());
  if (!match) return { problem: { key: "linkInvalid" } };
  const [, token, chain, query] = match;
  // EIP-681: no chain id means mainnet (1).
  const linkChain = chain === undefined ? 1 : Number(chain);
  if (linkChain !== chainId) return { problem: { key: "linkOtherChain", chainId: linkChain } };
  if (token!.toLowerCase() !== coin.toLowerCase()) return { problem: { key: "linkOtherToken" } };
  const params = new URLSearchParams(query);
  const to = params.get("address");
  const amount = params.get("uint256");
  if (!to || !isAddress(to, { strict: false }) || !amount || !/^\d+$/.test(amount)) return { problem: { key: "linkInvalid" } };
  return { to: getAddress(to), units: BigInt(amount) };
}

/** The EIP-681 request a merchant shows for `units` to `to`. */
export function paymentRequest(coin: Address, chainId: number, to: Address, units: bigint): string {
  return `ethereum:${coin}@${chainId}/transfer?address=${to}&uint256=${units}`;
}

/** The wallet's pay page with `request` filled in: what a merchant's link opens (`origin` is the app's). */
export function payLink(origin: string, request: string): string {
  return `${origin}/wallet/pay?request=${encodeURIComponent(request)}`;
}

/** What a person pasted: the EIP-681 request itself, or a wallet link carrying one (`…/wallet/pay?request=…`). */
export function requestFromPasted(text: string): string {
  const trimmed = text.trim();
  if (!/^https?:\/\//i.test(trimmed)) return trimmed;
  try {
    return new URL(trimmed).searchParams.get("request") ?? trimmed;
  } catch {
    return trimmed;
  }
}
