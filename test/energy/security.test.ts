/**
 * Issue 13, energy: the attacks reproduced on the old contracts, now refused or bounded.
 * - item 3: a settler could leave readings out (after the window `settle(slot, [])` took the honest sellers' revenue
 *   and collateral; before it one withheld reading blocked everyone); readings are now recorded on their own in
 *   MeterRegistry and count whoever settles;
 * - item 3: 16 members × 4 dust bids filled a slot's book; orders now lock a minimum and a full book evicts its worst;
 * - item 7: the first settler chose which consumption readings counted for demand response; now none does;
 * - item 2: a membership change never blocks another's money, a suspended or removed member's balance is held, and a
 *   key recovery moves balances, orders and meters to the new key.
 */
import { expect } from "chai";
import hre from "hardhat";
import { Wallet, id } from "ethers";
import { loadFixture, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import { recoverKey, coins, issue, register } from "../fixtures";
import { signForwardRequest } from "../../scripts/lib/relay";
import { Kind, OrderStatus, SLOT, energyFixture, expectConserved, meterKey, orderIdOf, signReading, type EnergyCtx } from "./helpers";

const GRID = 250_000n;
const ceil = (x: bigint) => (x + 999n) / 1000n;

/** A fresh funded signer (the network's 20 accounts are all taken by the fixtures). */
async function wallet() {
  const w = Wallet.createRandom().connect(hre.ethers.provider);
  await setBalance(w.address, 10n ** 20n);
  return w;
}

/** sol asks 400 Wh at €0.40, ray asks 100 Wh at €0.40; ann bids 500 Wh at €0.42 (P = 410_000). */
async function twoSellers() {
  const f = await energyFixture();
  await (await f.market.connect(f.sol).ask(f.slot, f.solMeter, 400, 400_000)).wait();
  await (await f.market.connect(f.ray).ask(f.slot, f.rayMeter, 100, 400_000)).wait();
  await (await f.market.connect(f.ann).bid(f.slot, f.annMeter, 500, 420_000)).wait();
  await time.increaseTo(f.closesAt);
  await (await f.market.clear(f.slot)).wait();
  const endsAt = (f.slot + 1) * SLOT;
  return { ...f, endsAt, deadline: endsAt + 3_600, solAsk: orderIdOf(f.slot, 1), rayAsk: orderIdOf(f.slot, 2), annBid: orderIdOf(f.slot, 3) };
}

const traders = (f: EnergyCtx) => [f.sol.address, f.ray.address, f.ann.address, f.ben.address];

describe("EnergyMarket security (issue 13)", function () {
  describe("settlement against the readings on record", function () {
    it("after the window, settle(slot, []) pays the honest seller its recorded delivery; only the withholder pays", async function () {
      const f = await loadFixture(twoSellers);
      await time.increaseTo(f.endsAt);
      // sol's meter reading is recorded on its own during the reading phase; ray withholds its own
      await (await f.meters.connect(f.sol).recordReadings([await signReading(f, meterKey(f, f.solMeter), { slot: f.slot, producedWh: 400 })])).wait();
      // ray's withholding delays settlement until the window ends, no longer
      await expect(f.market.connect(f.ann).settle(f.slot, []))
        .to.be.revertedWithCustomError(f.market, "EnergyMarketMissingReading")
        .withArgs(f.slot, f.ray.address, f.deadline);
      await time.increaseTo(f.deadline);
      // the buyer settles with no readings: sol's reading on record counts (the old contract paid sol 0 and took its collateral)
      const tx = f.market.connect(f.ann).settle(f.slot, []);
      await expect(tx).to.emit(f.market, "AskSettled").withArgs(f.solAsk, f.slot, f.sol.address, 400, 164_000, 0, 164_000n + ceil(400n * GRID));
      await expect(tx).to.emit(f.market, "AskSettled").withArgs(f.rayAsk, f.slot, f.ray.address, 0, 0, 25_000, 0);
      await expectConserved(f, [f.solAsk, f.rayAsk, f.annBid], traders(f));
    });

    it("a member records its meter's reading gaslessly, through the city's forwarder", async function () {
      const f = await loadFixture(twoSellers);
      await time.increaseTo(f.endsAt);
      const reading = await signReading(f, meterKey(f, f.solMeter), { slot: f.slot, producedWh: 400 });
      const data = f.meters.interface.encodeFunctionData("recordReadings", [[reading]]);
      const request = await signForwardRequest(f.forwarder, f.sol, { to: await f.meters.getAddress(), data });
      await expect(f.forwarder.connect(f.relayer).execute(request))
        .to.emit(f.meters, "ReadingAccepted")
        .withArgs(f.slot, f.solMeter, f.sol.address, 2, 400, 0);
    });

    it("once every seller's reading is on record, anyone settles before the window ends", async function () {
      const f = await loadFixture(twoSellers);
      await time.increaseTo(f.endsAt);
      await (await f.meters.connect(f.outsider).recordReadings([
        await signReading(f, meterKey(f, f.rayMeter), { slot: f.slot, producedWh: 100 }),
        await signReading(f, meterKey(f, f.solMeter), { slot: f.slot, producedWh: 400 }),
      ])).wait();
      const tx = f.market.connect(f.outsider).settle(f.slot, []);
      await expect(tx).to.emit(f.market, "SlotSettled").withArgs(f.slot, 500, 500, 205_000, 0);
    });

    it("a front-running settlement cannot erase demand-response credits: they are recorded with the reading", async function () {
      const f = await loadFixture(energyFixture);
      await (await f.meters.connect(f.meterOperator).setBaseline(f.annMeter, 400)).wait();
      await (await f.meters.connect(f.meterOperator).flagPeakSlot(f.slot)).wait();
      await time.increaseTo(f.closesAt);
      await (await f.market.clear(f.slot)).wait();
      await time.increaseTo((f.slot + 1) * SLOT);
      // a settler goes first with no readings at all
      await (await f.market.connect(f.outsider).settle(f.slot, [])).wait();
      // ann's reading still records its reduction, settled slot or not
      const reading = await signReading(f, meterKey(f, f.annMeter), { slot: f.slot, consumedWh: 100 });
      await expect(f.meters.connect(f.ann).recordReadings([reading]))
        .to.emit(f.meters, "DemandReduced")
        .withArgs(f.slot, f.ann.address, f.annMeter, 400, 100, 300, 300);
      expect(await f.meters.demandReductionOf(f.ann.address)).to.equal(300);
    });
  });

  describe("a book that dust cannot fill", function () {
    /** 16 members with a consumption meter each, funded and approving the market. */
    async function sixteenMembers(f: EnergyCtx) {
      const out = [];
      for (let i = 0; i < 16; i++) {
        const who = await wallet();
        const meter = Wallet.createRandom();
        await register(f, who);
        await (await f.meters.connect(f.meterOperator).register(meter.address, who.address, Kind.Consumption, 1)).wait();
        await issue(f, who, coins(1));
        await (await f.coin.connect(who).approve(f.market, 10n ** 18n)).wait();
        out.push({ who, meter: meter.address });
      }
      return out;
    }

    it("refuses orders locking less than minOrderValue (the reproduced 10 Wh at 1 per kWh)", async function () {
      const f = await loadFixture(energyFixture);
      await expect(f.market.connect(f.ann).bid(f.slot, f.annMeter, 10, 1))
        .to.be.revertedWithCustomError(f.market, "EnergyMarketOrderValueTooSmall")
        .withArgs(1, 1_000);
      await expect(f.market.connect(f.council).setMinOrderValue(0))
        .to.be.revertedWithCustomError(f.market, "EnergyMarketMinOrderValueOutOfRange")
        .withArgs(0);
    });

    it("16 members x 4 cheapest bids fill the book; an honest ask and a better bid still get in, each evicting the worst bid", async function () {
      const f = await loadFixture(energyFixture);
      const attackers = await sixteenMembers(f);
      // the cheapest bid the minimum allows: 10 Wh at €0.10/kWh locks 1_000
      for (const { who, meter } of attackers) for (let k = 0; k < 4; k++) await (await f.market.connect(who).bid(f.slot, meter, 10, 100_000)).wait();
      expect((await f.market.book(f.slot)).length).to.equal(64);
      const last = orderIdOf(f.slot, 64);
      const lastTrader = attackers[15].who.address;
      // an ask: asks hold less than half the book, so the bids' worst (lowest price, latest id) makes room
      const ask = f.market.connect(f.sol).ask(f.slot, f.solMeter, 400, 100_000);
      await expect(ask).to.emit(f.market, "OrderEvicted").withArgs(last, f.slot, lastTrader, 1_000);
      expect((await f.market.order(last)).status).to.equal(OrderStatus.Evicted);
      expect(await f.market.balanceOf(lastTrader)).to.equal(1_000);
      expect(await f.market.openOrdersOf(lastTrader, f.slot)).to.equal(3);
      // a bid no better than the worst bid is refused; a better one evicts it
      await expect(f.market.connect(f.ann).bid(f.slot, f.annMeter, 400, 100_000))
        .to.be.revertedWithCustomError(f.market, "EnergyMarketBookFull")
        .withArgs(f.slot, 64);
      await expect(f.market.connect(f.ann).bid(f.slot, f.annMeter, 400, 300_000))
        .to.emit(f.market, "OrderEvicted")
        .withArgs(orderIdOf(f.slot, 63), f.slot, lastTrader, 1_000);
      const book = await f.market.book(f.slot);
      expect(book.length).to.equal(64);
      // the evicted traders' money is theirs to claim; the market still holds exactly what it owes
      await expectConserved(f, [...book, last, orderIdOf(f.slot, 63)], [...traders(f), ...attackers.map((a) => a.who.address)]);
      await expect(f.market.connect(attackers[15].who).claimRefund()).to.emit(f.market, "RefundClaimed").withArgs(lastTrader, 2_000);
    });

    it("an ask evicts the worst ask when asks hold half the book and it beats it", async function () {
      const f = await loadFixture(energyFixture);
      await (await f.market.connect(f.council).setMaxOrdersPerSlot(2)).wait();
      await (await f.market.connect(f.ray).ask(f.slot, f.rayMeter, 10, 50_000)).wait();
      await (await f.market.connect(f.ann).bid(f.slot, f.annMeter, 10, 100_000)).wait();
      await expect(f.market.connect(f.sol).ask(f.slot, f.solMeter, 10, 50_000)).to.be.revertedWithCustomError(f.market, "EnergyMarketBookFull");
      await expect(f.market.connect(f.sol).ask(f.slot, f.solMeter, 10, 49_999))
        .to.emit(f.market, "OrderEvicted")
        .withArgs(orderIdOf(f.slot, 1), f.slot, f.ray.address, ceil(10n * GRID));
    });
  });

  it("order ids cannot collide: slot and sequence each have 32 bits, and an id with other bits names no order", async function () {
    const f = await loadFixture(energyFixture);
    await (await f.market.connect(f.ann).bid(f.slot, f.annMeter, 100, 100_000)).wait();
    const real = orderIdOf(f.slot, 1);
    expect((await f.market.order(real)).status).to.equal(OrderStatus.Open);
    for (const alias of [real | (1n << 64n), real | (1n << 255n)]) {
      expect((await f.market.order(alias)).status).to.equal(OrderStatus.None);
      await expect(f.market.connect(f.ann).cancel(alias)).to.be.revertedWithCustomError(f.market, "EnergyMarketUnknownOrder").withArgs(alias);
    }
  });

  describe("membership changes", function () {
    it("a suspended or removed member's balance is held and announced; nobody else's money waits for it", async function () {
      const f = await loadFixture(twoSellers);
      await time.increaseTo(f.deadline);
      const r = [
        await signReading(f, meterKey(f, f.solMeter), { slot: f.slot, producedWh: 400 }),
        await signReading(f, meterKey(f, f.rayMeter), { slot: f.slot, producedWh: 100 }),
      ];
      await (await f.market.settle(f.slot, r)).wait();
      const owed = await f.market.balanceOf(f.sol.address);
      await expect(f.registry.connect(f.registrar).suspend(f.sol.address, id("audit")))
        .to.emit(f.market, "BalanceHeld")
        .withArgs(f.sol.address, owed);
      await expect(f.market.connect(f.sol).claimRefund()).to.be.revertedWithCustomError(f.market, "EnergyMarketFundsHeld").withArgs(f.sol.address, owed);
      // the buyer and the other seller are paid regardless
      await (await f.market.connect(f.ann).claimRefund()).wait();
      await (await f.market.connect(f.ray).claimRefund()).wait();
      await (await f.registry.connect(f.registrar).remove(f.sol.address, id("moved away"))).wait();
      expect(await f.market.balanceOf(f.sol.address)).to.equal(owed);
      expect(await f.coin.balanceOf(f.market)).to.equal(owed);
    });

    it("a key recovery moves the market balance, the orders, the meters and the demand-response total to the new key", async function () {
      const f = await loadFixture(twoSellers);
      const fresh = await wallet();
      const far = f.slot + 400; // still open after the migration delay
      await (await f.market.connect(f.ann).bid(far, f.annMeter, 100, 100_000)).wait();
      const farBid = orderIdOf(far, 4);
      await (await f.market.connect(f.ann).deposit(5_000)).wait();
      await (await f.meters.connect(f.meterOperator).setBaseline(f.annMeter, 400)).wait();
      await (await f.meters.connect(f.meterOperator).flagPeakSlot(f.slot + 2)).wait();
      await time.increaseTo((f.slot + 3) * SLOT);
      await (await f.meters.recordReadings([await signReading(f, meterKey(f, f.annMeter), { slot: f.slot + 2, consumedWh: 100 })])).wait();
      const done = recoverKey(f, f.ann.address, fresh.address);
      await expect(done).to.emit(f.market, "BalanceMigrated").withArgs(f.ann.address, fresh.address, 5_000);
      await expect(done).to.emit(f.meters, "MetersMigrated").withArgs(f.ann.address, fresh.address, 1, 300);
      expect(await f.market.balanceOf(fresh.address)).to.equal(5_000);
      expect(await f.market.balanceOf(f.ann.address)).to.equal(0);
      expect(await f.meters.demandReductionOf(fresh.address)).to.equal(300);
      expect(await f.meters.metersOf(fresh.address)).to.deep.equal([f.annMeter]);
      expect(await f.meters.isActiveConsumer(f.annMeter, fresh.address)).to.equal(true);
      // the old key's unsettled bid settles for the new key
      const settle = f.market.settle(f.slot, [
        await signReading(f, meterKey(f, f.solMeter), { slot: f.slot, producedWh: 400 }),
        await signReading(f, meterKey(f, f.rayMeter), { slot: f.slot, producedWh: 100 }),
      ]);
      const escrow = ceil(500n * 420_000n);
      await expect(settle).to.emit(f.market, "BidSettled").withArgs(f.annBid, f.slot, fresh.address, 500, 205_000, 0, escrow - 205_000n);
      // the old key's open order cancels for the new key only
      await expect(f.market.connect(f.ann).cancel(farBid)).to.be.revertedWithCustomError(f.market, "EnergyMarketNotTrader").withArgs(farBid, f.ann.address);
      await expect(f.market.connect(fresh).cancel(farBid)).to.emit(f.market, "OrderCancelled").withArgs(farBid, far, fresh.address, 10_000);
      // the new key trades with the member's meter and claims everything
      await (await f.market.connect(fresh).bid(far, f.annMeter, 100, 100_000)).wait();
      const owed = await f.market.balanceOf(fresh.address);
      await expect(f.market.connect(fresh).claimRefund()).to.changeTokenBalances(f.coin, [fresh], [owed]);
      await expectConserved(f, [f.solAsk, f.rayAsk, f.annBid, farBid, orderIdOf(far, 5)], [...traders(f), fresh.address]);
    });
  });
});
