import { expect } from "chai";
import fc from "fast-check";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { clearSlot, type ClearingOrder } from "../../sdk/src/energy/clearing";
import { OrderStatus, expectConserved, looseEnergyFixture, orderIdOf, type EnergyCtx } from "./helpers";

/** Runs per `it`; four of them make 1,000 random books per test run. */
const RUNS = 250;

interface RandomOrder {
  side: "ask" | "bid";
  wh: number;
  price: number;
}

/**
 * Small books with many ties: prices from a few levels (so marginal levels hold several orders) or anywhere in a
 * wide range, sizes small or large.
 */
const orderArb: fc.Arbitrary<RandomOrder> = fc.record({
  side: fc.constantFrom("ask" as const, "bid" as const),
  // Round sizes make both sides run out together, where the price falls strictly inside [L, U].
  wh: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.constantFrom(100, 200, 300), fc.integer({ min: 1, max: 5_000 })),
  price: fc.oneof(
    fc.integer({ min: 1, max: 6 }).map((p) => p * 24_999),
    fc.integer({ min: 1, max: 400_000 }),
  ),
});
const bookArb = fc.array(orderArb, { minLength: 0, maxLength: 10 });

/** Places `book` in the fixture's slot (asks alternately by sol and ray, bids by ann, ben and ray). */
async function place(f: EnergyCtx, book: RandomOrder[]): Promise<ClearingOrder[]> {
  const placed: ClearingOrder[] = [];
  let asks = 0;
  let bids = 0;
  for (const o of book) {
    if (o.side === "ask") {
      const [who, meter] = asks++ % 2 === 0 ? [f.sol, f.solMeter] : [f.ray, f.rayMeter];
      await (await f.market.connect(who).ask(f.slot, meter, o.wh, o.price)).wait();
    } else {
      const [who, meter] = [
        [f.ann, f.annMeter],
        [f.ben, f.benMeter],
        [f.ray, f.rayMeter],
      ][bids++ % 3] as [typeof f.ann, string];
      await (await f.market.connect(who).bid(f.slot, meter, o.wh, o.price)).wait();
    }
    placed.push({ orderId: orderIdOf(f.slot, await f.market.orderCount()), side: o.side, wh: BigInt(o.wh), price: BigInt(o.price) });
  }
  return placed;
}

async function checkBook(book: RandomOrder[]): Promise<void> {
  const f = await loadFixture(looseEnergyFixture);
  const orders = await place(f, book);
  const expected = clearSlot(orders);
  await time.increaseTo(f.closesAt);
  const receipt = await (await f.market.clear(f.slot)).wait();
  const cleared = new Map<bigint, bigint>();
  for (const log of receipt!.logs) {
    const parsed = f.market.interface.parseLog(log);
    if (parsed?.name === "OrderCleared") cleared.set(parsed.args.orderId, parsed.args.filledWh);
  }

  const result = await f.market.slotResult(f.slot);
  expect(result.cleared).to.equal(true);
  expect(result.price, "price").to.equal(expected.price);
  expect(result.volume, "volume").to.equal(expected.volume);
  expect(result.orderCount).to.equal(BigInt(orders.length));
  let askFilled = 0n;
  let bidFilled = 0n;
  for (const o of orders) {
    const onChain = await f.market.order(o.orderId);
    const fill = expected.fills.get(o.orderId)!;
    expect(onChain.status).to.equal(OrderStatus.Cleared);
    expect(cleared.get(o.orderId), `fill of order ${o.orderId}`).to.equal(fill);
    // The rule's own guarantees, checked on the reference too.
    expect(fill <= o.wh).to.equal(true);
    if (fill > 0n) expect(o.side === "ask" ? o.price <= expected.price : o.price >= expected.price).to.equal(true);
    if (o.side === "ask") askFilled += fill;
    else bidFilled += fill;
  }
  expect(askFilled).to.equal(expected.volume);
  expect(bidFilled).to.equal(expected.volume);
  expect(cleared.size).to.equal(orders.length);
  // Clearing moves no money: the market still holds every escrow and collateral.
  await expectConserved(f, await f.market.book(f.slot), [f.sol.address, f.ray.address, f.ann.address, f.ben.address]);
}

describe("EnergyMarket clearing: contract vs the SDK's reference (differential)", function () {
  this.timeout(600_000);

  for (let seedRun = 0; seedRun < 4; seedRun++) {
    it(`agrees on price, volume and every fill for ${RUNS} random books (batch ${seedRun + 1} of 4)`, async function () {
      await fc.assert(fc.asyncProperty(bookArb, checkBook), { numRuns: RUNS });
    });
  }

  it("agrees on hand-picked books: no overlap, both marginal levels, one side empty, exact match", async function () {
    const books: RandomOrder[][] = [
      [],
      [{ side: "ask", wh: 10, price: 50_000 }],
      [
        { side: "ask", wh: 10, price: 60_000 },
        { side: "bid", wh: 10, price: 50_000 },
      ],
      [
        { side: "ask", wh: 100, price: 50_000 },
        { side: "ask", wh: 100, price: 50_000 },
        { side: "bid", wh: 50, price: 50_000 },
        { side: "bid", wh: 101, price: 50_000 },
      ],
      [
        { side: "ask", wh: 7, price: 10_000 },
        { side: "ask", wh: 7, price: 10_000 },
        { side: "ask", wh: 7, price: 10_000 },
        { side: "bid", wh: 10, price: 90_000 },
      ],
      [
        { side: "ask", wh: 300, price: 100_000 },
        { side: "bid", wh: 300, price: 200_001 },
      ],
    ];
    for (const book of books) await checkBook(book);
  });
});
