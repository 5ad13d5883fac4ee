/**
 * The energy projection reduced from the real EnergyMarket's and MeterRegistry's logs: parameters, a baseline and a
 * peak flag, asks and bids (one from a deposit, one cancelled, one evicted from a full book), clearing, readings
 * recorded on their own and through settle, a settlement with an under-delivering seller and a consumer below its
 * baseline, a claim, and a key recovery that moves a balance. Balances, statuses and money are compared with the contract; the district balance with
 * the readings; the queries and the API routes are checked on the same state.
 */
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { getAddress } from "viem";
import type { DecodedEntry, RawLog } from "../../ledger-node/src/types";
import { ProjectionEngine } from "../../ledger-node/src/projections";
import { createQueries, energyProjection } from "../../ledger-node/src/domains";
import { buildApp } from "../../ledger-node/src/api/app";
import { UpdateBus } from "../../ledger-node/src/updates";
import type { NodeContext } from "../../ledger-node/src/context";
import { Wallet } from "ethers";
import { recoverKey } from "../fixtures";
import { SLOT, energyFixture, meterKey, orderIdOf, signReading } from "../energy/helpers";
import { expectDeterministic, problemChecker, projectCity } from "./projection-helpers";

async function energyScenario() {
  const f = await energyFixture();
  const m = f.market;
  const send = async (tx: Promise<{ wait(): Promise<unknown> }>) => {
    await (await tx).wait();
  };
  await send(f.meters.connect(f.meterOperator).setBaseline(f.annMeter, 400));
  await send(f.meters.connect(f.meterOperator).flagPeakSlot(f.slot));
  await send(m.connect(f.sol).ask(f.slot, f.solMeter, 300, 100_000));
  await send(m.connect(f.ray).ask(f.slot, f.rayMeter, 200, 120_000));
  await send(m.connect(f.ann).bid(f.slot, f.annMeter, 300, 200_000));
  await send(m.connect(f.ben).deposit(1_000_000));
  await send(m.connect(f.ben).bid(f.slot, f.benMeter, 200, 150_000));
  await send(m.connect(f.ben).bid(f.slot, f.benMeter, 50, 20_000));
  await send(m.connect(f.ben).cancel(orderIdOf(f.slot, 5)));
  await time.increaseTo(f.closesAt);
  await send(m.connect(f.outsider).clear(f.slot));
  // a later slot's full book: sol's ask evicts ben's bid (bids hold more than half)
  const later = f.slot + 8;
  await send(m.connect(f.council).setMaxOrdersPerSlot(2));
  await send(m.connect(f.ann).bid(later, f.annMeter, 10, 100_000));
  await send(m.connect(f.ben).bid(later, f.benMeter, 10, 100_000));
  await send(m.connect(f.sol).ask(later, f.solMeter, 10, 50_000));
  await time.increaseTo((f.slot + 1) * SLOT);
  // the sellers' readings are recorded on their own; the consumers' through settle
  await send(f.meters.connect(f.sol).recordReadings([
    await signReading(f, meterKey(f, f.solMeter), { slot: f.slot, producedWh: 120 }),
    await signReading(f, meterKey(f, f.rayMeter), { slot: f.slot, producedWh: 250, consumedWh: 100 }),
  ]));
  await send(m.connect(f.outsider).settle(f.slot, [
    await signReading(f, meterKey(f, f.benMeter), { slot: f.slot, consumedWh: 200 }),
    await signReading(f, meterKey(f, f.annMeter), { slot: f.slot, consumedWh: 250 }),
  ]));
  await send(m.connect(f.ann).claimRefund());
  // ben's key is recovered: its market balance (the evicted bid's refund and its settlement) moves to the new key
  const benNew = Wallet.createRandom().address;
  await send(recoverKey(f, f.ben.address, benNew));
  return { ...f, benNew, later };
}
type Ctx = Awaited<ReturnType<typeof energyScenario>>;

describe("energy projection (reduced from EnergyMarket's logs)", () => {
  let f: Ctx;
  let logs: RawLog[];
  let entries: DecodedEntry[];
  let engine: ProjectionEngine;

  before(async () => {
    f = await loadFixture(energyScenario);
    ({ logs, entries, engine } = await projectCity(f));
  });

  it("sees every EnergyMarket and MeterRegistry event kind of the scenario", () => {
    const names = new Set(entries.filter((e) => e.event.contract === "EnergyMarket").map((e) => e.event.name));
    for (const n of [
      "GateClosureSet", "MaxOrdersPerSlotSet", "MaxOrdersPerTraderSet", "MinOrderWhSet", "GridPriceSet", "SettlementWindowSet",
      "MinOrderValueSet", "Deposited", "OrderPlaced", "OrderCancelled", "OrderEvicted", "SlotCleared", "OrderCleared",
      "AskSettled", "BidSettled", "SlotSettled", "RefundClaimed", "BalanceMigrated",
    ]) expect(names, n).to.include(n);
    const meterNames = new Set(entries.filter((e) => e.event.contract === "MeterRegistry").map((e) => e.event.name));
    for (const n of ["BaselineSet", "PeakSlotFlagged", "ReadingAccepted", "DemandReduced", "MetersMigrated"]) expect(meterNames, n).to.include(n);
  });

  it("matches the contract: market balances, what it holds, order statuses, the slot and the parameters", async () => {
    const s = engine.state(energyProjection);
    expect(s.held).to.equal(await f.coin.balanceOf(f.market));
    let balances = 0n;
    for (const who of [f.sol.address, f.ray.address, f.ann.address, f.ben.address, f.benNew]) {
      const member = s.members.get(who.toLowerCase())!;
      expect(member.balance, who).to.equal(await f.market.balanceOf(who));
      balances += member.balance;
    }
    expect(s.members.get(f.benNew.toLowerCase())!.balance > 0n).to.equal(true);
    // the later slot's two open orders still lock their amounts
    const locked = [...s.orders.values()].filter((o) => o.status === "open").reduce((sum, o) => sum + o.locked, 0n);
    expect(balances + locked).to.equal(s.held);
    const codes = { open: 1n, cancelled: 2n, cleared: 3n, settled: 4n, evicted: 5n };
    for (const o of s.orders.values()) {
      const c = await f.market.order(o.id);
      expect(c.status, `order ${o.id}`).to.equal(codes[o.status]);
      expect(c.trader.toLowerCase()).to.equal(o.trader);
      expect(c.wh).to.equal(o.wh);
      expect(c.price).to.equal(o.price);
    }
    const r = await f.market.slotResult(f.slot);
    const slot = s.slots.get(f.slot)!;
    expect([slot.cleared, slot.settled, slot.peak, slot.price, slot.volume, slot.orderCount]).to.deep.equal([
      r.cleared, r.settled, await f.meters.isPeakSlot(f.slot), r.price, r.volume, Number(r.orderCount),
    ]);
    const p = await f.market.params();
    expect(s.params).to.deep.equal({
      gateClosure: Number(p.gateClosure),
      maxOrdersPerSlot: Number(p.maxOrdersPerSlot),
      maxOrdersPerTrader: Number(p.maxOrdersPerTrader),
      minOrderWh: Number(p.minOrderWh),
      gridPrice: p.gridPrice,
      settlementWindow: Number(p.settlementWindow),
      minOrderValue: p.minOrderValue,
    });
    expect(await f.meters.demandReductionOf(f.ann.address)).to.equal(s.members.get(f.ann.address.toLowerCase())!.demandReductionWh);
  });

  it("records each trade's fill, delivery and money, and each district's balance", () => {
    const s = engine.state(energyProjection);
    const sol = s.orders.get(orderIdOf(f.slot, 1).toString())!;
    expect([sol.filledWh, sol.deliveredWh, sol.revenue, sol.imbalance]).to.deep.equal([300n, 120n, 16_200n, 45_000n]);
    const ann = s.orders.get(orderIdOf(f.slot, 3).toString())!;
    expect([ann.filledWh, ann.deliveredWh, ann.cost, ann.compensation]).to.deep.equal([300n, 192n, 25_920n, 27_000n]);
    expect(s.orders.get(orderIdOf(f.slot, 5).toString())!.status).to.equal("cancelled");
    const evicted = s.orders.get(orderIdOf(f.later, 7).toString())!;
    expect([evicted.status, evicted.credit, evicted.trader]).to.deep.equal(["evicted", 1_000n, f.ben.address.toLowerCase()]);
    // district 2: sol 120 + ray 250 produced, ray 100 consumed; district 1: ann 250 + ben 200 consumed
    expect(s.districts.get(2)).to.deep.equal({ district: 2, slots: 1, producedWh: 370n, consumedWh: 100n, localWh: 100n, gridImportWh: 0n, gridExportWh: 270n });
    expect(s.districts.get(1)).to.deep.equal({ district: 1, slots: 1, producedWh: 0n, consumedWh: 450n, localWh: 0n, gridImportWh: 450n, gridExportWh: 0n });
    const annMember = s.members.get(f.ann.address.toLowerCase())!;
    expect(annMember.reductions).to.deep.equal([{ slot: f.slot, meter: f.annMeter.toLowerCase(), baselineWh: 400n, consumedWh: 250n, reducedWh: 150n }]);
    expect(annMember.claimed > 0n && annMember.balance === 0n).to.equal(true);
  });

  it("is deterministic: the same hash from two engines, from the fast decoder, and through encode/decode", () => {
    const decoded = expectDeterministic(f, energyProjection, { logs, entries, engine });
    expect(decoded.held).to.equal(engine.state(energyProjection).held);
  });

  it("serves MeterRegistry's meters, their readings and demand response, as the contract holds them", async () => {
    const ctx = { updates: new UpdateBus(), chainId: 31337 } as unknown as NodeContext;
    const app = await buildApp(ctx, { queries: createQueries(engine), docs: false });
    const problem = problemChecker(app);
    try {
      const list = await app.inject({ url: "/v1/energy/meters?limit=1000" });
      expect(list.statusCode, list.body).to.equal(200);
      expect(list.headers["x-projection-seq"]).to.equal(String(engine.seq));
      const meters = list.json().items as { meter: string; member: string; kind: string; district: number; status: string }[];
      expect(meters.map((m) => m.meter)).to.include.members([f.solMeter, f.rayMeter, f.annMeter, f.benMeter].map((a) => getAddress(a)));
      for (const m of meters) {
        const onChain = await f.meters.meterOf(m.meter);
        expect(m.member, m.meter).to.equal(getAddress(onChain.member));
        expect(m.district, m.meter).to.equal(Number(onChain.district));
        expect(m.status, m.meter).to.equal(["none", "active", "replaced", "revoked"][Number(onChain.status)]);
        expect(m.kind, m.meter).to.equal(["none", "production", "consumption", "both"][Number(onChain.kind)]);
      }
      const ann = (await app.inject({ url: `/v1/energy/meters/${f.annMeter.toLowerCase()}` })).json();
      expect(ann).to.deep.include({ meter: getAddress(f.annMeter), baselineWh: "400", readings: 1, demandReductionWh: "150", replaces: null });
      const readings = (await app.inject({ url: `/v1/energy/meters/${f.annMeter}/readings` })).json();
      expect(readings).to.deep.include({ total: 1, offset: 0, limit: 50 });
      expect(readings.items[0]).to.deep.include({ slot: f.slot, start: f.slot * SLOT, consumedWh: "250", producedWh: "0" });
      const reductions = (await app.inject({ url: `/v1/energy/meters/${f.annMeter}/reductions` })).json();
      expect(reductions.items).to.deep.equal([{ slot: f.slot, start: f.slot * SLOT, baselineWh: "400", consumedWh: "250", reducedWh: "150" }]);
      const ofSol = (await app.inject({ url: `/v1/energy/meters?member=${f.sol.address}` })).json();
      expect(ofSol.items.every((m: { member: string }) => m.member === getAddress(f.sol.address))).to.equal(true);
      await problem(`/v1/energy/meters/${f.outsider.address}`, 404, "not-found");
      await problem(`/v1/energy/meters/${f.outsider.address}/readings`, 404, "not-found");
      await problem("/v1/energy/meters/0x12/reductions", 400, "invalid-parameter");
      await problem("/v1/energy/meters?status=lost", 400, "invalid-parameter");
      await problem("/v1/energy/meters?limit=0", 400, "out-of-range");
    } finally {
      await app.close();
    }
  });

  it("serves the energy routes over the real queries, with problems for bad input and 404s", async () => {
    const ctx = { updates: new UpdateBus(), chainId: 31337 } as unknown as NodeContext;
    const app = await buildApp(ctx, { queries: createQueries(engine), docs: false });
    const problem = problemChecker(app);
    try {
      const slot = await app.inject({ url: `/v1/energy/slots/${f.slot}` });
      expect(slot.statusCode, slot.body).to.equal(200);
      expect(slot.headers["x-projection-seq"]).to.equal(String(engine.seq));
      const body = slot.json();
      expect(body).to.deep.include({ slot: f.slot, start: f.slot * SLOT, cleared: true, settled: true, peak: true, price: "135000", volume: "500", deliveredWh: "320" });
      expect(body.orders.map((o: { status: string }) => o.status)).to.deep.equal(["settled", "settled", "settled", "settled", "cancelled"]);
      expect(body.orders[0]).to.deep.include({ side: "ask", trader: getAddress(f.sol.address), filledWh: "300", deliveredWh: "120", revenue: "16200" });
      expect(body.readings).to.have.length(4);
      const ann = (await app.inject({ url: `/v1/energy/members/${f.ann.address.toLowerCase()}` })).json();
      expect(ann).to.deep.include({ address: getAddress(f.ann.address), balance: "0", demandReductionWh: "150" });
      const annSettled = ann.orders.find((o: { slot: number }) => o.slot === f.slot);
      expect(annSettled).to.deep.include({ side: "bid", deliveredWh: "192", cost: "25920", compensation: "27000" });
      const district = (await app.inject({ url: "/v1/energy/districts/2" })).json();
      expect(district).to.deep.equal({ district: 2, slots: 1, producedWh: "370", consumedWh: "100", localWh: "100", gridImportWh: "0", gridExportWh: "270" });
      // The lists an explorer opens first: every slot (latest first, each as its own route serves it), every district.
      const slots = (await app.inject({ url: "/v1/energy/slots" })).json();
      const numbers = slots.items.map((s: { slot: number }) => s.slot);
      expect(numbers).to.include(f.slot);
      expect(numbers).to.deep.equal([...numbers].sort((a: number, b: number) => b - a));
      expect(slots.total).to.equal(numbers.length);
      expect(slots.items.find((s: { slot: number }) => s.slot === f.slot)).to.deep.equal(body);
      const oldest = (await app.inject({ url: "/v1/energy/slots?order=asc&limit=1" })).json();
      expect(oldest.items.map((s: { slot: number }) => s.slot)).to.deep.equal([numbers[numbers.length - 1]]);
      const districts = (await app.inject({ url: "/v1/energy/districts" })).json();
      expect(districts.total).to.equal(districts.items.length);
      expect(districts.items.find((d: { district: number }) => d.district === 2)).to.deep.equal(district);
      expect(districts.items.map((d: { district: number }) => d.district)).to.deep.equal(
        [...districts.items.map((d: { district: number }) => d.district)].sort((a: number, b: number) => a - b),
      );
      await problem("/v1/energy/slots?limit=0", 400, "out-of-range");

      await problem(`/v1/energy/slots/${f.slot + 100}`, 404, "not-found");
      await problem("/v1/energy/slots/abc", 400, "invalid-parameter");
      await problem("/v1/energy/slots/-1", 400, "invalid-parameter");
      await problem("/v1/energy/members/0x1234", 400, "invalid-parameter");
      await problem(`/v1/energy/members/${f.outsider.address}`, 404, "not-found");
      await problem("/v1/energy/districts/9", 404, "not-found");
      await problem("/v1/energy/districts/x", 400, "invalid-parameter");
    } finally {
      await app.close();
    }
    const bare = await buildApp({ updates: new UpdateBus(), chainId: 31337 } as unknown as NodeContext, { docs: false });
    try {
      expect((await bare.inject({ url: `/v1/energy/slots/${f.slot}` })).statusCode).to.equal(503);
    } finally {
      await bare.close();
    }
  });
});
