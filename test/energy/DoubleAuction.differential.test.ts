import { expect } from "chai";
import hre from "hardhat";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { clearSlot, type ClearingOrder } from "../../sdk/src/energy/clearing";
import { linkedLibraries } from "../../scripts/lib/deploy";
import type { DoubleAuctionHarness } from "../../typechain-types";

/** The harness's slot: its order ids are `SLOT << 32 | seq`. */
const SLOT = 1n;

interface RandomOrder {
  isAsk: boolean;
  wh: number;
  price: number;
}

/**
 * Books up to a full market book (128 orders) with many ties: prices from a few levels or anywhere, sizes small,
 * round or large. Sequence numbers are a random permutation, so id tie-breaks do not follow the order of the book.
 */
const orderArb: fc.Arbitrary<RandomOrder> = fc.record({
  isAsk: fc.boolean(),
  wh: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.constantFrom(100, 200, 300), fc.integer({ min: 1, max: 2 ** 40 - 1 })),
  price: fc.oneof(fc.integer({ min: 1, max: 6 }).map((p) => p * 24_999), fc.integer({ min: 1, max: 2 ** 32 - 1 })),
});
const bookArb = fc
  .array(orderArb, { minLength: 0, maxLength: 40 })
  .chain((orders) => fc.tuple(fc.constant(orders), fc.shuffledSubarray([...Array(orders.length * 3 + 1).keys()].map((k) => k + 1), { minLength: orders.length, maxLength: orders.length })));

async function harnessFixture(): Promise<DoubleAuctionHarness> {
  const [signer] = await hre.ethers.getSigners();
  const factory = await hre.ethers.getContractFactory("DoubleAuctionHarness", { signer, libraries: await linkedLibraries(hre, signer!, "EnergyMarket") });
  const harness = await factory.deploy();
  await harness.waitForDeployment();
  return harness as unknown as DoubleAuctionHarness;
}

async function checkBook(harness: DoubleAuctionHarness, book: RandomOrder[], seqs: number[]): Promise<void> {
  await (await harness.setBook(seqs, book.map((o) => o.isAsk), book.map((o) => o.wh), book.map((o) => o.price))).wait();
  const orders: ClearingOrder[] = book.map((o, i) => ({ orderId: (SLOT << 32n) | BigInt(seqs[i]!), side: o.isAsk ? "ask" : "bid", wh: BigInt(o.wh), price: BigInt(o.price) }));
  const expected = clearSlot(orders);
  const [asks, bids, price, volume] = await harness.auction();

  expect(price, "price").to.equal(expected.price);
  expect(volume, "volume").to.equal(expected.volume);
  expect(asks.length + bids.length).to.equal(orders.length);
  // Merit order: asks by price ascending, bids descending, ties by id ascending.
  const merit = (side: typeof asks, descending: boolean) =>
    side.every((e, k) => k === 0 || (e.price !== side[k - 1]!.price ? (descending ? e.price < side[k - 1]!.price : e.price > side[k - 1]!.price) : e.orderId > side[k - 1]!.orderId));
  expect(merit(asks, false), "asks in merit order").to.equal(true);
  expect(merit(bids, true), "bids in merit order").to.equal(true);
  const byId = new Map(orders.map((o) => [o.orderId, o]));
  for (const [side, entries] of [["ask", asks], ["bid", bids]] as const) {
    for (const e of entries) {
      const o = byId.get(e.orderId)!;
      expect(o.side, `side of ${e.orderId}`).to.equal(side);
      expect(e.wh).to.equal(o.wh);
      expect(e.price).to.equal(o.price);
      // `fill` is also Array.prototype.fill on an ethers Result: read it by position.
      expect(e[3], `fill of ${e.orderId}`).to.equal(expected.fills.get(e.orderId));
    }
  }
}

describe("DoubleAuction (linked library) vs the SDK's clearSlot (differential)", function () {
  this.timeout(600_000);

  it("agrees on merit order, price, volume and every fill for 300 random books", async function () {
    const harness = await loadFixture(harnessFixture);
    await fc.assert(
      fc.asyncProperty(bookArb, async ([book, seqs]) => checkBook(harness, book, seqs)),
      { numRuns: 300 },
    );
  });

  it("agrees on hand-picked books: empty, one side, no overlap, both marginal levels, exact match", async function () {
    const harness = await loadFixture(harnessFixture);
    const books: RandomOrder[][] = [
      [],
      [{ isAsk: true, wh: 10, price: 50_000 }],
      [
        { isAsk: true, wh: 10, price: 60_000 },
        { isAsk: false, wh: 10, price: 50_000 },
      ],
      [
        { isAsk: true, wh: 100, price: 50_000 },
        { isAsk: true, wh: 100, price: 50_000 },
        { isAsk: false, wh: 50, price: 50_000 },
        { isAsk: false, wh: 101, price: 50_000 },
      ],
      [
        { isAsk: true, wh: 7, price: 10_000 },
        { isAsk: true, wh: 7, price: 10_000 },
        { isAsk: true, wh: 7, price: 10_000 },
        { isAsk: false, wh: 10, price: 90_000 },
      ],
      [
        { isAsk: true, wh: 300, price: 100_000 },
        { isAsk: false, wh: 300, price: 200_001 },
      ],
    ];
    for (const book of books) await checkBook(harness, book, book.map((_, i) => book.length - i));
  });
});
