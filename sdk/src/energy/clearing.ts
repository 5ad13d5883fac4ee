/**
 * The clearing rule of EnergyMarket (contracts/energy/EnergyMarket.sol), in TypeScript: a uniform-price double auction
 * over one slot's book. Pure, bigints only; the contract's tests compare it with the chain on random books.
 */

/** One order of a slot's book: `price` per kWh in CityCoin base units (the ask's minimum, the bid's maximum). */
export interface ClearingOrder {
  orderId: bigint;
  side: "ask" | "bid";
  wh: bigint;
  price: bigint;
}

/** The outcome: the price per kWh (0n when nothing trades), the volume in Wh and every order's fill, by order id. */
export interface ClearingResult {
  price: bigint;
  volume: bigint;
  fills: Map<bigint, bigint>;
}

const WH_PER_KWH = 1000n;

/**
 * Clears a book by EnergyMarket's rule: merit order (asks by price ascending, bids descending, ties by id), volume by
 * matching in that order while the ask's price is at most the bid's, price `floor((L + U) / 2)` of the interval
 * between the last matched prices and the first unmatched ones, full fills strictly better than the price and
 * pro-rata fills on the level at the price, the leftover Wh one each in id order.
 *
 * @example
 * ```ts
 * const { price, volume, fills } = clearSlot([
 *   { orderId: 1n, side: "ask", wh: 500n, price: 100_000n },
 *   { orderId: 2n, side: "bid", wh: 300n, price: 200_000n },
 * ]);
 * // price 150_000n (€0.15 per kWh), volume 300n, fills 1n → 300n, 2n → 300n
 * ```
 */
export function clearSlot(orders: readonly ClearingOrder[]): ClearingResult {
  const byId = (a: ClearingOrder, b: ClearingOrder) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0);
  const asks = orders.filter((o) => o.side === "ask").sort((a, b) => (a.price !== b.price ? (a.price < b.price ? -1 : 1) : byId(a, b)));
  const bids = orders.filter((o) => o.side === "bid").sort((a, b) => (a.price !== b.price ? (a.price > b.price ? -1 : 1) : byId(a, b)));
  const fills = new Map<bigint, bigint>(orders.map((o) => [o.orderId, 0n]));

  // Volume: walk both merit orders.
  let i = 0;
  let j = 0;
  let remAsk = asks[0]?.wh ?? 0n;
  let remBid = bids[0]?.wh ?? 0n;
  let volume = 0n;
  let lastAsk = 0n;
  let lastBid = 0n;
  while (i < asks.length && j < bids.length && asks[i]!.price <= bids[j]!.price) {
    const traded = remAsk < remBid ? remAsk : remBid;
    volume += traded;
    lastAsk = asks[i]!.price;
    lastBid = bids[j]!.price;
    remAsk -= traded;
    remBid -= traded;
    if (remAsk === 0n && ++i < asks.length) remAsk = asks[i]!.wh;
    if (remBid === 0n && ++j < bids.length) remBid = bids[j]!.wh;
  }
  if (volume === 0n) return { price: 0n, volume: 0n, fills };

  // Price: the middle of [L, U], rounded down.
  const low = j < bids.length && bids[j]!.price > lastAsk ? bids[j]!.price : lastAsk;
  const high = i < asks.length && asks[i]!.price < lastBid ? asks[i]!.price : lastBid;
  const price = (low + high) / 2n;

  allocate(asks, (p) => p < price, price, volume, fills);
  allocate(bids, (p) => p > price, price, volume, fills);
  return { price, volume, fills };
}

/** Fills one side (in merit order): full fills where `better(price)`, pro-rata on the level at `price`. */
function allocate(
  side: readonly ClearingOrder[],
  better: (p: bigint) => boolean,
  price: bigint,
  volume: bigint,
  fills: Map<bigint, bigint>,
): void {
  let rest = volume;
  for (const o of side) if (better(o.price)) {
    fills.set(o.orderId, o.wh);
    rest -= o.wh;
  }
  const level = side.filter((o) => o.price === price).sort((a, b) => (a.orderId < b.orderId ? -1 : 1));
  const total = level.reduce((sum, o) => sum + o.wh, 0n);
  if (rest < 0n || rest > total) throw new Error(`clearing invariant broken: ${rest} Wh for a level of ${total} Wh`);
  let given = 0n;
  for (const o of level) {
    const share = (rest * o.wh) / total;
    fills.set(o.orderId, share);
    given += share;
  }
  for (const o of level) {
    if (given === rest) break;
    fills.set(o.orderId, fills.get(o.orderId)! + 1n);
    given += 1n;
  }
}

/**
 * What a bid's fill costs at the clearing price, `ceil(filledWh * price / 1000)`, and what it paid into escrow,
 * `ceil(wh * maxPrice / 1000)`: the difference is refunded at clearing.
 *
 * @example
 * ```ts
 * bidCost(300n, 150_000n); // 45_000n base units = €0.045
 * ```
 */
export function bidCost(wh: bigint, pricePerKwh: bigint): bigint {
  return (wh * pricePerKwh + WH_PER_KWH - 1n) / WH_PER_KWH;
}

/**
 * What an ask is owed for its fill at the clearing price, `floor(filledWh * price / 1000)`.
 *
 * @example
 * ```ts
 * askRevenue(300n, 150_000n); // 45_000n
 * ```
 */
export function askRevenue(wh: bigint, pricePerKwh: bigint): bigint {
  return (wh * pricePerKwh) / WH_PER_KWH;
}
