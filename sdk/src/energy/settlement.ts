/**
 * The settlement rule of EnergyMarket (contracts/energy/EnergyMarket.sol, "Settlement rule"), in TypeScript: given a
 * cleared slot's orders and fills, its clearing and grid prices and each seller's metered production, what every
 * order delivered, paid and got back. Pure, bigints only; the contract's tests compare it with the chain on random
 * books and readings, and anyone can recompute a settlement from the ledger's events with it.
 */
import type { ClearingOrder } from "./clearing";

const WH_PER_KWH = 1000n;

/** A cleared order: a {@link ClearingOrder} with its trader (any case) and its fill from {@link clearSlot}. */
export interface SettlementOrder extends ClearingOrder {
  trader: string;
  fill: bigint;
}

/**
 * What {@link settleSlot} takes: a cleared slot's orders with their fills, its prices and the sellers' metered production.
 * @example `const input: SettlementInput = { orders, price: 120_000n, gridPrice: 200_000n, production: new Map([[seller, 1_500n]]) };`
 */
export interface SettlementInput {
  orders: readonly SettlementOrder[];
  /** The clearing price per kWh. */
  price: bigint;
  /** The slot's grid price per kWh (of its first order). */
  gridPrice: bigint;
  /**
   * Each seller's production in the slot (Σ `producedWh` of its production meters' readings), by lower-case address;
   * a seller absent from the map had no reading (after the window: no delivery).
   */
  production: ReadonlyMap<string, bigint>;
}

/**
 * What an ask delivered and got: revenue at the clearing price, the imbalance it paid at the grid price, its credit.
 * @example `const { deliveredWh, credit }: AskSettlement = result.asks.get(orderId)!;`
 */
export interface AskSettlement {
  deliveredWh: bigint;
  revenue: bigint;
  imbalance: bigint;
  /** revenue + collateral − imbalance, credited to the trader's market balance. */
  credit: bigint;
}

/**
 * What a bid received and paid: delivered energy at the clearing price, compensation for what sellers fell short, its credit.
 * @example `const { cost, compensation }: BidSettlement = result.bids.get(orderId)!;`
 */
export interface BidSettlement {
  deliveredWh: bigint;
  cost: bigint;
  compensation: bigint;
  /** escrow − cost + compensation, credited to the trader's market balance. */
  credit: bigint;
}

/**
 * A slot's settlement: every ask's and bid's outcome by order id, and the slot's totals.
 * @example `const { payments, imbalance }: SettlementResult = settleSlot(input);`
 */
export interface SettlementResult {
  asks: Map<bigint, AskSettlement>;
  bids: Map<bigint, BidSettlement>;
  deliveredWh: bigint;
  payments: bigint;
  imbalance: bigint;
}

const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;
const byId = (a: ClearingOrder, b: ClearingOrder) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0);

/**
 * Splits `total` over `weights` pro-rata: floors first, then the units left over one each, in list order, to the
 * entries whose share had a remainder. The parts sum to `total` (all zero when the weights sum to zero).
 *
 * @example
 * ```ts
 * apportion(10n, [1n, 1n, 1n]); // [4n, 3n, 3n]
 * ```
 */
export function apportion(total: bigint, weights: readonly bigint[]): bigint[] {
  const sum = weights.reduce((s, w) => s + w, 0n);
  if (sum === 0n) return weights.map(() => 0n);
  const parts = weights.map((w) => (total * w) / sum);
  let given = parts.reduce((s, p) => s + p, 0n);
  for (let i = 0; given < total; i++) {
    if ((total * weights[i]!) % sum !== 0n) {
      parts[i]! += 1n;
      given += 1n;
    }
  }
  return parts;
}

/**
 * Settles a cleared slot by EnergyMarket's rule: each seller's production covers its asks in merit order; an ask is
 * paid `floor(delivered × P / 1000)` and pays `ceil(shortfall × G / 1000)` from its collateral `ceil(wh × G / 1000)`;
 * the delivered energy, the payments and the imbalance payments are apportioned over the bids in merit order (by
 * fill, by delivery and by shortfall), and each bid's escrow `ceil(wh × maxPrice / 1000)` is refunded beyond its
 * cost.
 *
 * @example
 * ```ts
 * const { price, fills } = clearSlot(orders);
 * const result = settleSlot({
 *   orders: orders.map((o) => ({ ...o, fill: fills.get(o.orderId)! })),
 *   price,
 *   gridPrice: 250_000n,
 *   production: new Map([["0xsol…", 1_200n]]),
 * });
 * ```
 */
export function settleSlot(input: SettlementInput): SettlementResult {
  const { price, gridPrice } = input;
  const asks = input.orders.filter((o) => o.side === "ask").sort((a, b) => (a.price !== b.price ? (a.price < b.price ? -1 : 1) : byId(a, b)));
  const bids = input.orders.filter((o) => o.side === "bid").sort((a, b) => (a.price !== b.price ? (a.price > b.price ? -1 : 1) : byId(a, b)));
  const left = new Map([...input.production].map(([k, v]) => [k.toLowerCase(), v]));

  const result: SettlementResult = { asks: new Map(), bids: new Map(), deliveredWh: 0n, payments: 0n, imbalance: 0n };
  for (const a of asks) {
    const trader = a.trader.toLowerCase();
    const available = left.get(trader) ?? 0n;
    const deliveredWh = a.fill < available ? a.fill : available;
    if (left.has(trader)) left.set(trader, available - deliveredWh);
    const revenue = (deliveredWh * price) / WH_PER_KWH;
    const imbalance = ceilDiv((a.fill - deliveredWh) * gridPrice, WH_PER_KWH);
    const collateral = ceilDiv(a.wh * gridPrice, WH_PER_KWH);
    result.asks.set(a.orderId, { deliveredWh, revenue, imbalance, credit: revenue + collateral - imbalance });
    result.deliveredWh += deliveredWh;
    result.payments += revenue;
    result.imbalance += imbalance;
  }
  const deliveries = apportion(result.deliveredWh, bids.map((b) => b.fill));
  const costs = apportion(result.payments, deliveries);
  const compensations = apportion(result.imbalance, bids.map((b, i) => b.fill - deliveries[i]!));
  bids.forEach((b, i) => {
    const escrow = ceilDiv(b.wh * b.price, WH_PER_KWH);
    result.bids.set(b.orderId, {
      deliveredWh: deliveries[i]!,
      cost: costs[i]!,
      compensation: compensations[i]!,
      credit: escrow - costs[i]! + compensations[i]!,
    });
  });
  return result;
}
