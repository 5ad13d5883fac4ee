import { expect } from "chai";
import fc from "fast-check";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionReceipt } from "ethers";
import { settleSlot, type SettlementOrder } from "../../sdk/src/energy/settlement";
import { SLOT, expectConserved, looseEnergyFixture, meterKey, orderIdOf, signReading, sortReadings, type EnergyCtx } from "./helpers";

const RUNS = 150;

interface RandomOrder {
  side: "ask" | "bid";
  wh: number;
  price: number;
}
const orderArb: fc.Arbitrary<RandomOrder> = fc.record({
  side: fc.constantFrom("ask" as const, "bid" as const),
  wh: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 3_000 })),
  price: fc.oneof(fc.integer({ min: 1, max: 4 }).map((p) => p * 50_000), fc.integer({ min: 1, max: 400_000 })),
});
const scenarioArb = fc.record({
  book: fc.array(orderArb, { minLength: 0, maxLength: 10 }),
  // Each producer's reading as a share of what it sold (0 to 150 %), or missing (null).
  solShare: fc.option(fc.integer({ min: 0, max: 150 })),
  rayShare: fc.option(fc.integer({ min: 0, max: 150 })),
  gridPrice: fc.integer({ min: 1, max: 1_000_000 }),
  cancelEvery: fc.integer({ min: 0, max: 4 }),
});

function events(f: EnergyCtx, receipt: ContractTransactionReceipt | null, name: string) {
  return receipt!.logs.map((log) => f.market.interface.parseLog(log)).filter((e) => e?.name === name).map((e) => e!.args);
}

/** Σ CityCoin of every trader and the market: no step may create or destroy money. */
async function total(f: EnergyCtx): Promise<bigint> {
  let sum = await f.coin.balanceOf(f.market);
  for (const who of [f.sol, f.ray, f.ann, f.ben]) sum += await f.coin.balanceOf(who);
  return sum;
}

describe("EnergyMarket settlement: properties and the SDK's reference on random books and readings", function () {
  this.timeout(900_000);

  it("conserves money at every step, pays no seller beyond its signed reading, and agrees with the SDK's settleSlot", async function () {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (sc) => {
        const f = await loadFixture(looseEnergyFixture);
        const accounts = [f.sol.address, f.ray.address, f.ann.address, f.ben.address];
        const start = await total(f);
        const check = async (ids: bigint[]) => {
          expect(await total(f)).to.equal(start);
          await expectConserved(f, ids, accounts);
        };
        await (await f.market.connect(f.council).setGridPrice(sc.gridPrice)).wait();
        const ids: bigint[] = [];
        let asks = 0;
        let bids = 0;
        for (const [i, o] of sc.book.entries()) {
          if (o.side === "ask") {
            const [who, meter] = asks++ % 2 === 0 ? [f.sol, f.solMeter] : [f.ray, f.rayMeter];
            await (await f.market.connect(who).ask(f.slot, meter, o.wh, o.price)).wait();
          } else {
            const [who, meter] = ([[f.ann, f.annMeter], [f.ben, f.benMeter], [f.ray, f.rayMeter]] as const)[bids++ % 3];
            await (await f.market.connect(who).bid(f.slot, meter, o.wh, o.price)).wait();
          }
          const orderId = orderIdOf(f.slot, await f.market.orderCount());
          ids.push(orderId);
          if (sc.cancelEvery && i % sc.cancelEvery === sc.cancelEvery - 1) {
            const o2 = await f.market.order(orderId);
            const trader = [f.sol, f.ray, f.ann, f.ben].find((s) => s.address === o2.trader)!;
            await (await f.market.connect(trader).cancel(orderId)).wait();
          }
          await check(ids);
        }
        await time.increaseTo(f.closesAt);
        const cleared = await (await f.market.clear(f.slot)).wait();
        await check(ids);
        const sold = new Map<string, bigint>();
        const clearedOrders: SettlementOrder[] = [];
        for (const e of events(f, cleared, "OrderCleared")) {
          if (e.side === 0n) sold.set(e.trader, (sold.get(e.trader) ?? 0n) + e.filledWh);
          const o = await f.market.order(e.orderId);
          clearedOrders.push({ orderId: e.orderId, side: e.side === 0n ? "ask" : "bid", trader: e.trader, wh: o.wh, price: o.price, fill: e.filledWh });
        }
        // Readings: missing ones wait for the window's end.
        const produced = new Map<string, bigint>();
        const readings = [];
        for (const [who, meter, share] of [
          [f.sol, f.solMeter, sc.solShare],
          [f.ray, f.rayMeter, sc.rayShare],
        ] as const) {
          if (share === null) continue;
          const wh = ((sold.get(who.address) ?? 0n) * BigInt(share)) / 100n;
          produced.set(who.address, wh);
          readings.push(await signReading(f, meterKey(f, meter), { slot: f.slot, producedWh: wh }));
        }
        const endsAt = (f.slot + 1) * SLOT;
        await time.increaseTo(readings.length === 2 ? endsAt : endsAt + 3_600);
        const settled = await (await f.market.settle(f.slot, await sortReadings(f, readings))).wait();
        await check(ids);

        const { price, gridPrice } = await f.market.slotResult(f.slot);
        // The SDK's reference of the settlement rule gives every order's delivery and money.
        const production = new Map([...produced].map(([k, v]) => [k.toLowerCase(), v]));
        const expected = settleSlot({ orders: clearedOrders, price, gridPrice, production });
        for (const e of events(f, settled, "AskSettled")) {
          const x = expected.asks.get(e.orderId)!;
          expect([e.deliveredWh, e.revenue, e.imbalance, e.credit], `ask ${e.orderId}`).to.deep.equal([x.deliveredWh, x.revenue, x.imbalance, x.credit]);
        }
        for (const e of events(f, settled, "BidSettled")) {
          const x = expected.bids.get(e.orderId)!;
          expect([e.deliveredWh, e.cost, e.compensation, e.credit], `bid ${e.orderId}`).to.deep.equal([x.deliveredWh, x.cost, x.compensation, x.credit]);
        }
        expect(events(f, settled, "AskSettled").length + events(f, settled, "BidSettled").length).to.equal(clearedOrders.length);
        const deliveredBy = new Map<string, bigint>();
        let revenue = 0n;
        let imbalance = 0n;
        for (const e of events(f, settled, "AskSettled")) {
          deliveredBy.set(e.trader, (deliveredBy.get(e.trader) ?? 0n) + e.deliveredWh);
          expect(e.revenue).to.equal((e.deliveredWh * price) / 1000n);
          revenue += e.revenue;
          imbalance += e.imbalance;
        }
        for (const [trader, wh] of deliveredBy) {
          expect(wh <= (produced.get(trader) ?? 0n), `${trader} paid for ${wh} Wh, signed ${produced.get(trader) ?? 0n}`).to.equal(true);
        }
        let cost = 0n;
        let compensation = 0n;
        for (const e of events(f, settled, "BidSettled")) {
          cost += e.cost;
          compensation += e.compensation;
        }
        expect(cost, "buyers pay exactly what sellers receive").to.equal(revenue);
        expect(compensation, "buyers receive exactly the sellers' imbalance").to.equal(imbalance);
        // Everyone can take their money out; the market ends empty.
        for (const who of [f.sol, f.ray, f.ann, f.ben]) {
          if ((await f.market.balanceOf(who.address)) > 0n) await (await f.market.connect(who).claimRefund()).wait();
        }
        expect(await f.coin.balanceOf(f.market)).to.equal(0);
        expect(await total(f)).to.equal(start);
      }),
      { numRuns: RUNS },
    );
  });
});
