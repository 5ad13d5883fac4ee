import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { id } from "ethers";
import { MeterStatus, OrderStatus, SLOT, energyFixture, expectConserved, meterKey, orderIdOf, signReading, sortReadings, type EnergyCtx } from "./helpers";

const GRID = 250_000n;
const ceil = (x: bigint) => (x + 999n) / 1000n;

/**
 * A cleared slot: sol asks 300 Wh at €0.10, ray asks 200 Wh at €0.12; ann bids 300 Wh at €0.20, ben 200 Wh at
 * €0.15. Everything matches: L = 120_000 (last ask), U = 150_000 (last bid), P = 135_000.
 */
async function clearedFixture() {
  const f = await energyFixture();
  const m = f.market;
  await (await m.connect(f.sol).ask(f.slot, f.solMeter, 300, 100_000)).wait();
  await (await m.connect(f.ray).ask(f.slot, f.rayMeter, 200, 120_000)).wait();
  await (await m.connect(f.ann).bid(f.slot, f.annMeter, 300, 200_000)).wait();
  await (await m.connect(f.ben).bid(f.slot, f.benMeter, 200, 150_000)).wait();
  await time.increaseTo(f.closesAt);
  await (await m.clear(f.slot)).wait();
  const ids = { solAsk: orderIdOf(f.slot, 1), rayAsk: orderIdOf(f.slot, 2), annBid: orderIdOf(f.slot, 3), benBid: orderIdOf(f.slot, 4) };
  const endsAt = (f.slot + 1) * SLOT;
  return { ...f, ids, endsAt, price: 135_000n };
}
type Cleared = Awaited<ReturnType<typeof clearedFixture>>;

const traders = (f: EnergyCtx) => [f.sol.address, f.ray.address, f.ann.address, f.ben.address];

async function readings(f: Cleared, produced: { sol?: number; ray?: number }, consumed: { ann?: number; ben?: number } = {}) {
  const list = [];
  if (produced.sol !== undefined) list.push(await signReading(f, meterKey(f, f.solMeter), { slot: f.slot, producedWh: produced.sol }));
  if (produced.ray !== undefined) list.push(await signReading(f, meterKey(f, f.rayMeter), { slot: f.slot, producedWh: produced.ray }));
  if (consumed.ann !== undefined) list.push(await signReading(f, meterKey(f, f.annMeter), { slot: f.slot, consumedWh: consumed.ann }));
  if (consumed.ben !== undefined) list.push(await signReading(f, meterKey(f, f.benMeter), { slot: f.slot, consumedWh: consumed.ben }));
  return sortReadings(f, list);
}

describe("EnergyMarket settlement", function () {
  it("full delivery: sellers paid at the clearing price, buyers refunded the rest of their escrow, collateral released", async function () {
    const f = await loadFixture(clearedFixture);
    await time.increaseTo(f.endsAt);
    const r = await readings(f, { sol: 300, ray: 250 }, { ann: 280, ben: 200 });
    const tx = f.market.connect(f.outsider).settle(f.slot, r);
    // 300 Wh × 135_000 / 1000 = 40_500; 200 Wh → 27_000
    const solCollateral = ceil(300n * GRID);
    const rayCollateral = ceil(200n * GRID);
    await expect(tx).to.emit(f.market, "AskSettled").withArgs(f.ids.solAsk, f.slot, f.sol.address, 300, 40_500, 0, 40_500n + solCollateral);
    await expect(tx).to.emit(f.market, "AskSettled").withArgs(f.ids.rayAsk, f.slot, f.ray.address, 200, 27_000, 0, 27_000n + rayCollateral);
    const annEscrow = ceil(300n * 200_000n);
    const benEscrow = ceil(200n * 150_000n);
    await expect(tx).to.emit(f.market, "BidSettled").withArgs(f.ids.annBid, f.slot, f.ann.address, 300, 40_500, 0, annEscrow - 40_500n);
    await expect(tx).to.emit(f.market, "BidSettled").withArgs(f.ids.benBid, f.slot, f.ben.address, 200, 27_000, 0, benEscrow - 27_000n);
    await expect(tx).to.emit(f.market, "SlotSettled").withArgs(f.slot, 500, 500, 67_500, 0);
    await expect(tx).to.emit(f.meters, "ReadingAccepted").withArgs(f.slot, f.solMeter, f.sol.address, 2, 300, 0);
    await expect(tx).to.emit(f.meters, "ReadingAccepted").withArgs(f.slot, f.annMeter, f.ann.address, 1, 0, 280);
    await expect(tx).to.changeTokenBalances(f.coin, [f.market], [0]);
    await expect(tx).to.not.emit(f.meters, "DemandReduced");
    expect(await f.market.balanceOf(f.sol.address)).to.equal(40_500n + solCollateral);
    expect((await f.market.slotResult(f.slot)).settled).to.equal(true);
    expect((await f.market.order(f.ids.annBid)).status).to.equal(OrderStatus.Settled);
    await expectConserved(f, Object.values(f.ids), traders(f));
    await expect(f.market.settle(f.slot, r)).to.be.revertedWithCustomError(f.market, "EnergyMarketAlreadySettled").withArgs(f.slot);
    // every balance can leave the market
    for (const who of [f.sol, f.ray, f.ann, f.ben]) await (await f.market.connect(who).claimRefund()).wait();
    expect(await f.coin.balanceOf(f.market)).to.equal(0);
  });

  it("under-delivery: a seller is paid only for what its meter signed and pays the shortfall at the grid price to the buyers", async function () {
    const f = await loadFixture(clearedFixture);
    await time.increaseTo(f.endsAt);
    // sol produced 120 of 300 Wh: paid 120 × 0.135 = 16_200; shortfall 180 Wh × €0.25 = 45_000 from its collateral
    const tx = f.market.settle(f.slot, await readings(f, { sol: 120, ray: 200 }));
    const solCollateral = ceil(300n * GRID);
    await expect(tx).to.emit(f.market, "AskSettled").withArgs(f.ids.solAsk, f.slot, f.sol.address, 120, 16_200, 45_000, 16_200n + solCollateral - 45_000n);
    // delivered 320 of 500 shared by fill: ann 192, ben 128; payments 43_200 shared by delivery: 25_920 and 17_280;
    // the imbalance 45_000 by shortfall (108 and 72): 27_000 and 18_000
    const annEscrow = ceil(300n * 200_000n);
    const benEscrow = ceil(200n * 150_000n);
    await expect(tx).to.emit(f.market, "BidSettled").withArgs(f.ids.annBid, f.slot, f.ann.address, 192, 25_920, 27_000, annEscrow - 25_920n + 27_000n);
    await expect(tx).to.emit(f.market, "BidSettled").withArgs(f.ids.benBid, f.slot, f.ben.address, 128, 17_280, 18_000, benEscrow - 17_280n + 18_000n);
    await expect(tx).to.emit(f.market, "SlotSettled").withArgs(f.slot, 500, 320, 43_200, 45_000);
    await expectConserved(f, Object.values(f.ids), traders(f));
  });

  it("a member's production covers its asks in merit order, across its production meters", async function () {
    const f = await loadFixture(energyFixture);
    const extra = f.otherKeys[0];
    await (await f.meters.connect(f.meterOperator).register(extra.address, f.sol.address, 1, 2)).wait();
    await (await f.market.connect(f.sol).ask(f.slot, f.solMeter, 100, 50_000)).wait();
    await (await f.market.connect(f.sol).ask(f.slot, extra.address, 100, 40_000)).wait();
    await (await f.market.connect(f.ann).bid(f.slot, f.annMeter, 200, 60_000)).wait();
    await time.increaseTo(f.closesAt);
    await (await f.market.clear(f.slot)).wait(); // L = 50_000, U = 60_000: P = 55_000
    await time.increaseTo((f.slot + 1) * SLOT);
    const r = await sortReadings(f, [
      await signReading(f, meterKey(f, f.solMeter), { slot: f.slot, producedWh: 90 }),
      await signReading(f, extra, { slot: f.slot, producedWh: 60 }),
    ]);
    const tx = f.market.settle(f.slot, r);
    // 150 Wh in all: the cheaper ask (id 2) first, 100 Wh; the other 50 Wh
    await expect(tx).to.emit(f.market, "AskSettled").withArgs(orderIdOf(f.slot, 2), f.slot, f.sol.address, 100, 5_500, 0, 5_500n + ceil(100n * GRID));
    await expect(tx).to.emit(f.market, "AskSettled").withArgs(orderIdOf(f.slot, 1), f.slot, f.sol.address, 50, 2_750, 12_500, 2_750n + ceil(100n * GRID) - 12_500n);
  });

  it("is refused before clearing, before the slot's end and a second time", async function () {
    const f = await loadFixture(energyFixture);
    await expect(f.market.settle(f.slot, [])).to.be.revertedWithCustomError(f.market, "EnergyMarketNotCleared").withArgs(f.slot);
    await time.increaseTo(f.closesAt);
    await (await f.market.clear(f.slot)).wait();
    const endsAt = (f.slot + 1) * SLOT;
    await expect(f.market.settle(f.slot, [])).to.be.revertedWithCustomError(f.market, "EnergyMarketSlotNotOver").withArgs(f.slot, endsAt);
    await time.increaseTo(endsAt);
    await expect(f.market.settle(f.slot, [])).to.emit(f.market, "SlotSettled").withArgs(f.slot, 0, 0, 0, 0);
    await expect(f.market.settle(f.slot, [])).to.be.revertedWithCustomError(f.market, "EnergyMarketAlreadySettled").withArgs(f.slot);
  });

  it("a seller with a fill and no reading blocks settlement until the window ends, then counts as delivering nothing", async function () {
    const f = await loadFixture(clearedFixture);
    await time.increaseTo(f.endsAt);
    const deadline = f.endsAt + 3_600;
    const r = await readings(f, { ray: 200 });
    await expect(f.market.settle(f.slot, r))
      .to.be.revertedWithCustomError(f.market, "EnergyMarketMissingReading")
      .withArgs(f.slot, f.sol.address, deadline);
    await time.increaseTo(deadline);
    const tx = f.market.settle(f.slot, r);
    await expect(tx).to.emit(f.market, "AskSettled").withArgs(f.ids.solAsk, f.slot, f.sol.address, 0, 0, 75_000, 0);
    await expect(tx).to.emit(f.market, "SlotSettled").withArgs(f.slot, 500, 200, 27_000, 75_000);
    await expectConserved(f, Object.values(f.ids), traders(f));
  });

  it("before the window ends, every active production meter of a seller must have read; a seller with none left delivers nothing", async function () {
    const f = await loadFixture(clearedFixture);
    const extra = f.otherKeys[0];
    await (await f.meters.connect(f.meterOperator).register(extra.address, f.sol.address, 1, 2)).wait();
    await time.increaseTo(f.endsAt);
    // Leaving sol's second meter out would charge sol an imbalance for energy it may have produced: refused.
    await expect(f.market.settle(f.slot, await readings(f, { sol: 300, ray: 200 })))
      .to.be.revertedWithCustomError(f.market, "EnergyMarketMissingReading")
      .withArgs(f.slot, f.sol.address, f.endsAt + 3_600);
    // ray's only production meter is revoked: ray can read no more and counts as delivering nothing, at once.
    await (await f.meters.connect(f.meterOperator).revoke(f.rayMeter, id("tampered"))).wait();
    const r = await sortReadings(f, [
      await signReading(f, meterKey(f, f.solMeter), { slot: f.slot, producedWh: 200 }),
      await signReading(f, extra, { slot: f.slot, producedWh: 100 }),
    ]);
    const tx = f.market.settle(f.slot, r);
    await expect(tx).to.emit(f.market, "AskSettled").withArgs(f.ids.solAsk, f.slot, f.sol.address, 300, 40_500, 0, 40_500n + ceil(300n * GRID));
    await expect(tx).to.emit(f.market, "AskSettled").withArgs(f.ids.rayAsk, f.slot, f.ray.address, 0, 0, 50_000, 0);
    await expectConserved(f, Object.values(f.ids), traders(f));
  });

  it("records only meter-signed readings of an ended slot from active meters, once each, in any order", async function () {
    const f = await loadFixture(clearedFixture);
    const m = f.meters;
    const good = await signReading(f, meterKey(f, f.solMeter), { slot: f.slot, producedWh: 300 });
    const ray = await signReading(f, meterKey(f, f.rayMeter), { slot: f.slot, producedWh: 200 });
    // not before the slot's end
    await expect(m.recordReadings([good])).to.be.revertedWithCustomError(m, "MeterRegistrySlotNotOver").withArgs(f.slot, f.endsAt);
    await time.increaseTo(f.endsAt);
    // unsigned
    await expect(m.recordReadings([{ ...good, signature: "0x" }]))
      .to.be.revertedWithCustomError(m, "MeterRegistryInvalidSignature")
      .withArgs(f.solMeter, "0x0000000000000000000000000000000000000000");
    // signed by another key (ray's meter signs sol's reading)
    const forged = await signReading(f, meterKey(f, f.rayMeter), { slot: f.slot, producedWh: 300, meter: f.solMeter });
    await expect(m.recordReadings([forged])).to.be.revertedWithCustomError(m, "MeterRegistryInvalidSignature").withArgs(f.solMeter, f.rayMeter);
    // a reading altered after signing recovers another address
    await expect(m.recordReadings([{ ...good, producedWh: 301n }])).to.be.revertedWithCustomError(m, "MeterRegistryInvalidSignature");
    // claimed for another slot than the one signed
    await expect(m.recordReadings([{ ...good, slot: f.slot - 1 }])).to.be.revertedWithCustomError(m, "MeterRegistryInvalidSignature");
    // a key never registered as a meter
    const stranger = await signReading(f, f.otherKeys[1], { slot: f.slot, producedWh: 300 });
    await expect(m.recordReadings([stranger]))
      .to.be.revertedWithCustomError(m, "MeterRegistryNotActive")
      .withArgs(f.otherKeys[1].address, MeterStatus.None);
    // the settlement path refuses the same (it records through the registry)
    await expect(f.market.settle(f.slot, [forged])).to.be.revertedWithCustomError(m, "MeterRegistryInvalidSignature");
    // any order; a duplicate is skipped, the first reading stands
    await expect(m.recordReadings([ray, good, good])).to.emit(m, "ReadingAccepted").withArgs(f.slot, f.solMeter, f.sol.address, 2, 300, 0);
    const again = await signReading(f, meterKey(f, f.solMeter), { slot: f.slot, producedWh: 5 });
    await expect(m.recordReadings([again])).to.not.emit(m, "ReadingAccepted");
    expect(await m.recordReadings.staticCall([again, ray])).to.equal(0);
    const stored = await m.readingOf(f.slot, f.solMeter);
    expect([stored.producedWh, stored.consumedWh, stored.recorded]).to.deep.equal([300n, 0n, true]);
    expect(await m.productionOf(f.slot, f.sol.address)).to.deep.equal([300n, 1n]);
    // replaced and revoked meters' keys sign nothing more
    const op = m.connect(f.meterOperator);
    await (await op.replace(f.solMeter, f.otherKeys[0].address)).wait();
    const next = f.slot - 2; // an ended slot with no readings yet
    const late = await signReading(f, meterKey(f, f.solMeter), { slot: next, producedWh: 1 });
    await expect(m.recordReadings([late])).to.be.revertedWithCustomError(m, "MeterRegistryNotActive").withArgs(f.solMeter, MeterStatus.Replaced);
    await (await op.revoke(f.rayMeter, id("tampered"))).wait();
    const rayLate = await signReading(f, meterKey(f, f.rayMeter), { slot: next, producedWh: 1 });
    await expect(m.recordReadings([rayLate])).to.be.revertedWithCustomError(m, "MeterRegistryNotActive").withArgs(f.rayMeter, MeterStatus.Revoked);
    // the readings on record settle the slot, whoever settles and with no readings given
    await expect(f.market.connect(f.outsider).settle(f.slot, []))
      .to.emit(f.market, "AskSettled")
      .withArgs(f.ids.solAsk, f.slot, f.sol.address, 300, 40_500, 0, 40_500n + ceil(300n * GRID));
  });

  it("a CityCoin refusal blocks no settlement: the suspended trader's money waits in its balance", async function () {
    const f = await loadFixture(clearedFixture);
    await (await f.registry.connect(f.registrar).suspend(f.ann.address, id("suspended"))).wait();
    await time.increaseTo(f.endsAt);
    await (await f.market.settle(f.slot, await readings(f, { sol: 300, ray: 200 }))).wait();
    const owed = await f.market.balanceOf(f.ann.address);
    expect(owed).to.equal(ceil(300n * 200_000n) - 40_500n);
    // held for ann while suspended: the market refuses to pay it out rather than have CityCoin refuse
    await expect(f.market.connect(f.ann).claimRefund()).to.be.revertedWithCustomError(f.market, "EnergyMarketFundsHeld").withArgs(f.ann.address, owed);
    await (await f.registry.connect(f.registrar).reinstate(f.ann.address)).wait();
    const claim = f.market.connect(f.ann).claimRefund();
    await expect(claim).to.emit(f.market, "RefundClaimed").withArgs(f.ann.address, owed);
    await expect(claim).to.changeTokenBalances(f.coin, [f.ann, f.market], [owed, -owed]);
    await expectConserved(f, Object.values(f.ids), traders(f));
  });

  it("settles a full book of 128 orders within the block gas limit, money conserved", async function () {
    const f = await loadFixture(energyFixture);
    await (await f.market.connect(f.council).setMaxOrdersPerSlot(128)).wait();
    await (await f.market.connect(f.council).setMaxOrdersPerTrader(64)).wait();
    for (let i = 0; i < 64; i++) {
      await (await f.market.connect(i % 2 ? f.sol : f.ray).ask(f.slot, i % 2 ? f.solMeter : f.rayMeter, 100 + i, 10_000 + ((i * 7919) % 50) * 1_000)).wait();
      await (await f.market.connect(i % 2 ? f.ann : f.ben).bid(f.slot, i % 2 ? f.annMeter : f.benMeter, 90 + i, 20_000 + ((i * 104_729) % 50) * 1_000)).wait();
    }
    await time.increaseTo(f.closesAt);
    await (await f.market.clear(f.slot)).wait();
    await time.increaseTo((f.slot + 1) * SLOT);
    const r = await sortReadings(f, [
      await signReading(f, meterKey(f, f.solMeter), { slot: f.slot, producedWh: 3_000 }),
      await signReading(f, meterKey(f, f.rayMeter), { slot: f.slot, producedWh: 2_000 }),
    ]);
    const receipt = await (await f.market.settle(f.slot, r)).wait();
    expect(receipt!.gasUsed).to.be.lessThan(30_000_000n);
    await expectConserved(f, await f.market.book(f.slot), traders(f));
  });

  describe("demand response", function () {
    it("records consumption below the meter's baseline in a flagged peak slot, as each reading is recorded", async function () {
      const f = await loadFixture(energyFixture);
      const op = f.meters.connect(f.meterOperator);
      await expect(op.setBaseline(f.annMeter, 400)).to.emit(f.meters, "BaselineSet").withArgs(f.annMeter, f.ann.address, 400);
      await (await op.setBaseline(f.benMeter, 100)).wait();
      expect(await f.meters.baselineOf(f.annMeter)).to.equal(400);
      await expect(op.flagPeakSlot(f.slot)).to.emit(f.meters, "PeakSlotFlagged").withArgs(f.slot);
      expect(await f.meters.isPeakSlot(f.slot)).to.equal(true);
      await time.increaseTo(f.closesAt);
      await (await f.market.clear(f.slot)).wait();
      await time.increaseTo((f.slot + 1) * SLOT);
      const r = await sortReadings(f, [
        await signReading(f, meterKey(f, f.annMeter), { slot: f.slot, consumedWh: 250 }),
        await signReading(f, meterKey(f, f.benMeter), { slot: f.slot, consumedWh: 180 }), // above its baseline
      ]);
      const tx = f.market.settle(f.slot, r);
      await expect(tx).to.emit(f.meters, "DemandReduced").withArgs(f.slot, f.ann.address, f.annMeter, 400, 250, 150, 150);
      const receipt = await (await tx).wait();
      const reductions = receipt!.logs.filter((log) => f.meters.interface.parseLog(log)?.name === "DemandReduced");
      expect(reductions.length, "ben consumed above its baseline").to.equal(1);
      expect(await f.meters.demandReductionOf(f.ann.address)).to.equal(150);
      expect(await f.meters.demandReductionOf(f.ben.address)).to.equal(0);
      // totals accumulate over peak slots; a slot not flagged records nothing; no settlement is needed
      const next = f.slot + 1;
      await (await op.flagPeakSlot(next + 1)).wait();
      for (const s of [next, next + 1]) {
        await time.increaseTo((s + 1) * SLOT);
        const reading = await signReading(f, meterKey(f, f.annMeter), { slot: s, consumedWh: 300 });
        await (await f.meters.recordReadings([reading])).wait();
      }
      expect(await f.meters.demandReductionOf(f.ann.address)).to.equal(250);
    });

    it("a peak is flagged only before the slot starts; a baseline only for an active meter", async function () {
      const f = await loadFixture(energyFixture);
      const op = f.meters.connect(f.meterOperator);
      const startsAt = f.slot * SLOT;
      await time.setNextBlockTimestamp(startsAt);
      await expect(op.flagPeakSlot(f.slot)).to.be.revertedWithCustomError(f.meters, "MeterRegistryPeakTooLate").withArgs(f.slot, startsAt);
      await expect(op.setBaseline(f.otherKeys[0].address, 10))
        .to.be.revertedWithCustomError(f.meters, "MeterRegistryNotActive")
        .withArgs(f.otherKeys[0].address, MeterStatus.None);
      await (await f.meters.connect(f.meterOperator).revoke(f.annMeter, id("gone"))).wait();
      await expect(op.setBaseline(f.annMeter, 10))
        .to.be.revertedWithCustomError(f.meters, "MeterRegistryNotActive")
        .withArgs(f.annMeter, MeterStatus.Revoked);
    });
  });
});
