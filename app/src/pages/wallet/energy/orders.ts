/**
 * EnergyMarket's order arithmetic, as the contract computes it (contracts/energy/EnergyMarket.sol `_lockedOf`), and
 * quantities as a person writes them: kWh with up to three decimals become whole Wh, never through a float.
 */
import type { Format, Translate } from "../../../i18n";

/** A sentence said after a write, worded at render time (so it follows a change of language). */
export type Say = (t: Translate, f: Format) => string;

/** Order.wh is a uint40. */
export const MAX_ORDER_WH = 2n ** 40n - 1n;
/** Order.price is a uint32 (base units per kWh). */
export const MAX_PRICE = 2n ** 32n - 1n;

export type QuantityProblem = "badQuantity" | "quantityTooManyDecimals" | "quantityZero" | "quantityTooLarge";

/** "1,5" or "1.5" kWh → 1500 Wh; a sign, an exponent or more than three decimals (below a Wh) are refused. */
export function parseKwh(text: string): { wh: bigint } | { problem: QuantityProblem } {
  const match = /^(\d+)(?:[.,](\d+))?$/.exec(text.trim());
  if (!match) return { problem: "badQuantity" };
  const [, whole, fraction = ""] = match;
  if (fraction.length > 3) return { problem: "quantityTooManyDecimals" };
  const wh = BigInt(whole!) * 1000n + BigInt(fraction.padEnd(3, "0"));
  if (wh === 0n) return { problem: "quantityZero" };
  if (wh > MAX_ORDER_WH) return { problem: "quantityTooLarge" };
  return { wh };
}

/** What an order locks: a bid `ceil(wh × maxPrice / 1000)` in escrow, an ask `ceil(wh × gridPrice / 1000)` as collateral. */
export function lockedOf(side: "ask" | "bid", wh: bigint, price: bigint, gridPrice: bigint): bigint {
  const perKwh = side === "bid" ? price : gridPrice;
  return (wh * perKwh + 999n) / 1000n;
}
