import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { type Interface, id } from "ethers";
import { PERMISSIONS, Roles } from "../../scripts/lib/roles";
import { ENERGY_GATE_CLOSURE, ENERGY_MAX_ORDERS_PER_SLOT, linkedLibraries } from "../../scripts/lib/deploy";
import { signForwardRequest } from "../../scripts/lib/relay";
import { expectOnlyRole, roleHolders } from "../access-control";
import { coins } from "../fixtures";
import { OrderStatus, SLOT, Side, energyFixture, expectConserved, orderIdOf, type EnergyCtx } from "./helpers";

const escrowOf = (wh: bigint, price: bigint) => (wh * price + 999n) / 1000n;
/** The default grid price, at which asks lock their collateral. */
const GRID = 250_000n;

async function ask(f: EnergyCtx, wh: number, price: number, who = f.sol, meter = f.solMeter): Promise<bigint> {
  await (await f.market.connect(who).ask(f.slot, meter, wh, price)).wait();
  return orderIdOf(f.slot, await f.market.orderCount());
}
async function bid(f: EnergyCtx, wh: number, price: number, who = f.ann, meter = f.annMeter): Promise<bigint> {
  await (await f.market.connect(who).bid(f.slot, meter, wh, price)).wait();
  return orderIdOf(f.slot, await f.market.orderCount());
}
const traders = (f: EnergyCtx) => [f.sol.address, f.ray.address, f.ann.address, f.ben.address];

describe("EnergyMarket", function () {
  describe("access control (PERMISSIONS table)", function () {
    const cases = (f: EnergyCtx): Record<string, { args: unknown[]; event: [string, unknown[]] }> => ({
      "setGateClosure(uint32)": { args: [600], event: ["GateClosureSet", [600]] },
      "setMaxOrdersPerSlot(uint16)": { args: [16], event: ["MaxOrdersPerSlotSet", [16]] },
      "setMaxOrdersPerTrader(uint8)": { args: [2], event: ["MaxOrdersPerTraderSet", [2]] },
      "setMinOrderWh(uint32)": { args: [50], event: ["MinOrderWhSet", [50]] },
      "setGridPrice(uint32)": { args: [300_000], event: ["GridPriceSet", [300_000]] },
      "setSettlementWindow(uint32)": { args: [600], event: ["SettlementWindowSet", [600]] },
      "setMinOrderValue(uint32)": { args: [5_000], event: ["MinOrderValueSet", [5_000]] },
    });

    it("has a case for every EnergyMarket entry of the table, and the table is what the authority enforces", async function () {
      const f = await loadFixture(energyFixture);
      expect(Object.keys(cases(f)).sort()).to.deep.equal(Object.keys(PERMISSIONS.EnergyMarket).sort());
      for (const [signature, role] of Object.entries(PERMISSIONS.EnergyMarket)) {
        const selector = (f.market.interface as Interface).getFunction(signature)!.selector;
        expect(await f.authority.getTargetFunctionRole(f.market, selector), signature).to.equal(Roles[role]);
      }
    });

    for (const [signature, role] of Object.entries(PERMISSIONS.EnergyMarket)) {
      it(`${signature}: only ${role} may call it`, async function () {
        const f = await loadFixture(energyFixture);
        const { args, event } = cases(f)[signature];
        await expectOnlyRole(f.market, signature, role, roleHolders(f), args, event);
      });
    }
  });

  describe("deployment and parameters", function () {
    it("deployCity registers the market as a city account and sets its parameters", async function () {
      const f = await loadFixture(energyFixture);
      expect(await f.coin.isCityAccount(f.market)).to.equal(true);
      expect(await f.market.coin()).to.equal(await f.coin.getAddress());
      expect(await f.market.registry()).to.equal(await f.registry.getAddress());
      expect(await f.market.meters()).to.equal(await f.meters.getAddress());
      const p = await f.market.params();
      expect([p.gateClosure, p.maxOrdersPerSlot, p.maxOrdersPerTrader, p.minOrderWh, p.gridPrice, p.settlementWindow, p.orderSeq, p.minOrderValue]).to.deep.equal([
        BigInt(ENERGY_GATE_CLOSURE),
        BigInt(ENERGY_MAX_ORDERS_PER_SLOT),
        4n,
        10n,
        GRID,
        3_600n,
        0n,
        1_000n,
      ]);
      expect(await f.market.SLOT_LENGTH()).to.equal(SLOT);
      expect(await f.market.gateClosureOf(f.slot)).to.equal(f.closesAt);
      expect(await f.market.gateClosureOf(0)).to.equal(0);
      expect(await f.market.escrowOf(1001, 3)).to.equal(4);
      expect(f.record.contracts.EnergyMarket.address).to.equal(await f.market.getAddress());
    });

    it("the constructor emits its parameters and rejects out-of-range ones", async function () {
      const f = await loadFixture(energyFixture);
      const factory = await hre.ethers.getContractFactory("EnergyMarket", { signer: f.admin, libraries: await linkedLibraries(hre, f.admin, "EnergyMarket") });
      const args = [f.authority, f.forwarder, f.coin, f.registry, f.meters] as const;
      const deployed = await factory.deploy(...args, 60, 2);
      const tx = deployed.deploymentTransaction();
      await expect(tx).to.emit(deployed, "GateClosureSet").withArgs(60);
      await expect(tx).to.emit(deployed, "MaxOrdersPerSlotSet").withArgs(2);
      await expect(tx).to.emit(deployed, "MaxOrdersPerTraderSet").withArgs(4);
      await expect(tx).to.emit(deployed, "MinOrderWhSet").withArgs(10);
      await expect(tx).to.emit(deployed, "GridPriceSet").withArgs(GRID);
      await expect(tx).to.emit(deployed, "SettlementWindowSet").withArgs(3_600);
      await expect(factory.deploy(...args, 59, 2))
        .to.be.revertedWithCustomError(factory, "EnergyMarketGateClosureOutOfRange")
        .withArgs(59, 60, 86_400);
      await expect(factory.deploy(...args, 60, 1))
        .to.be.revertedWithCustomError(factory, "EnergyMarketMaxOrdersOutOfRange")
        .withArgs(1, 2, 128);
    });

    it("rejects every parameter out of its range", async function () {
      const f = await loadFixture(energyFixture);
      const m = f.market.connect(f.council);
      await expect(m.setGateClosure(86_401)).to.be.revertedWithCustomError(m, "EnergyMarketGateClosureOutOfRange").withArgs(86_401, 60, 86_400);
      await expect(m.setGateClosure(86_400)).to.emit(m, "GateClosureSet").withArgs(86_400);
      await expect(m.setMaxOrdersPerSlot(129)).to.be.revertedWithCustomError(m, "EnergyMarketMaxOrdersOutOfRange").withArgs(129, 2, 128);
      await expect(m.setMaxOrdersPerSlot(128)).to.emit(m, "MaxOrdersPerSlotSet").withArgs(128);
      await expect(m.setMaxOrdersPerTrader(0)).to.be.revertedWithCustomError(m, "EnergyMarketMaxOrdersPerTraderOutOfRange").withArgs(0);
      await expect(m.setMinOrderWh(0)).to.be.revertedWithCustomError(m, "EnergyMarketMinOrderWhOutOfRange").withArgs(0);
      await expect(m.setGridPrice(0)).to.be.revertedWithCustomError(m, "EnergyMarketGridPriceOutOfRange").withArgs(0);
      await expect(m.setSettlementWindow(299)).to.be.revertedWithCustomError(m, "EnergyMarketSettlementWindowOutOfRange").withArgs(299, 300, 604_800);
      await expect(m.setSettlementWindow(604_801))
        .to.be.revertedWithCustomError(m, "EnergyMarketSettlementWindowOutOfRange")
        .withArgs(604_801, 300, 604_800);
      await expect(m.setSettlementWindow(604_800)).to.emit(m, "SettlementWindowSet").withArgs(604_800);
    });
  });

  describe("orders", function () {
    it("an ask locks its collateral, a bid its escrow, both with every field in their events", async function () {
      const f = await loadFixture(energyFixture);
      const collateral = escrowOf(1_500n, GRID);
      const a = f.market.connect(f.sol).ask(f.slot, f.solMeter, 1_500, 80_000);
      await expect(a).to.emit(f.market, "OrderPlaced").withArgs(orderIdOf(f.slot, 1), f.slot, f.sol.address, Side.Ask, f.solMeter, 1_500, 80_000, collateral);
      await expect(a).to.emit(f.market, "Deposited").withArgs(f.sol.address, collateral, collateral);
      await expect(a).to.changeTokenBalances(f.coin, [f.sol, f.market], [-collateral, collateral]);
      const escrow = escrowOf(1_001n, 120_001n);
      const tx = f.market.connect(f.ann).bid(f.slot, f.annMeter, 1_001, 120_001);
      await expect(tx).to.emit(f.market, "OrderPlaced").withArgs(orderIdOf(f.slot, 2), f.slot, f.ann.address, Side.Bid, f.annMeter, 1_001, 120_001, escrow);
      await expect(tx).to.changeTokenBalances(f.coin, [f.ann, f.market], [-escrow, escrow]);
      const o = await f.market.order(orderIdOf(f.slot, 2));
      expect([o.trader, o.wh, o.price, o.side, o.status]).to.deep.equal([f.ann.address, 1_001n, 120_001n, BigInt(Side.Bid), BigInt(OrderStatus.Open)]);
      expect(await f.market.book(f.slot)).to.deep.equal([orderIdOf(f.slot, 1), orderIdOf(f.slot, 2)]);
      expect((await f.market.slotResult(f.slot)).gridPrice).to.equal(GRID);
      expect(await f.market.openOrdersOf(f.ann.address, f.slot)).to.equal(1);
      // a meter measuring both may ask and bid
      await ask(f, 10, 1, f.ray, f.rayMeter);
      await bid(f, 10, 100_000, f.ray, f.rayMeter);
      await expectConserved(f, await f.market.book(f.slot), traders(f));
      expect((await f.market.order(12345)).status).to.equal(OrderStatus.None);
    });

    it("an order locks from the trader's market balance first and pulls only what it lacks", async function () {
      const f = await loadFixture(energyFixture);
      await expect(f.market.connect(f.ann).deposit(0)).to.be.revertedWithCustomError(f.market, "EnergyMarketZeroAmount");
      const dep = f.market.connect(f.ann).deposit(3_000);
      await expect(dep).to.emit(f.market, "Deposited").withArgs(f.ann.address, 3_000, 3_000);
      await expect(dep).to.changeTokenBalances(f.coin, [f.ann, f.market], [-3_000, 3_000]);
      // escrow 2_000 from the balance: no transfer
      const b1 = f.market.connect(f.ann).bid(f.slot, f.annMeter, 100, 20_000);
      await expect(b1).to.changeTokenBalances(f.coin, [f.ann, f.market], [0, 0]);
      await expect(b1).to.not.emit(f.market, "Deposited");
      expect(await f.market.balanceOf(f.ann.address)).to.equal(1_000);
      // escrow 5_000: 1_000 from the balance, 4_000 pulled
      const b2 = f.market.connect(f.ann).bid(f.slot, f.annMeter, 100, 50_000);
      await expect(b2).to.emit(f.market, "Deposited").withArgs(f.ann.address, 4_000, 5_000);
      await expect(b2).to.changeTokenBalances(f.coin, [f.ann, f.market], [-4_000, 4_000]);
      expect(await f.market.balanceOf(f.ann.address)).to.equal(0);
      await expectConserved(f, await f.market.book(f.slot), traders(f));
    });

    it("a member may bid through the city's forwarder (ERC-2771)", async function () {
      const f = await loadFixture(energyFixture);
      const data = f.market.interface.encodeFunctionData("bid", [f.slot, f.benMeter, 100, 50_000]);
      const request = await signForwardRequest(f.forwarder, f.ben, { to: await f.market.getAddress(), data });
      await expect(f.forwarder.connect(f.relayer).execute(request))
        .to.emit(f.market, "OrderPlaced")
        .withArgs(orderIdOf(f.slot, 1), f.slot, f.ben.address, Side.Bid, f.benMeter, 100, 50_000, 5_000);
    });

    it("an ask needs an active member with the PROSUMER flag and an active production meter of theirs", async function () {
      const f = await loadFixture(energyFixture);
      const m = f.market;
      await expect(m.connect(f.outsider).ask(f.slot, f.solMeter, 10, 1))
        .to.be.revertedWithCustomError(m, "EnergyMarketNotAMember")
        .withArgs(f.outsider.address);
      await expect(m.connect(f.ann).ask(f.slot, f.annMeter, 10, 1))
        .to.be.revertedWithCustomError(m, "EnergyMarketNotProsumer")
        .withArgs(f.ann.address);
      // someone else's meter
      await expect(m.connect(f.ray).ask(f.slot, f.solMeter, 10, 1))
        .to.be.revertedWithCustomError(m, "EnergyMarketNotProductionMeter")
        .withArgs(f.solMeter, f.ray.address);
      // a consumption-only meter of a prosumer
      await (await f.meters.connect(f.meterOperator).register(f.otherKeys[0].address, f.sol.address, 2, 2)).wait();
      await expect(m.connect(f.sol).ask(f.slot, f.otherKeys[0].address, 10, 1))
        .to.be.revertedWithCustomError(m, "EnergyMarketNotProductionMeter")
        .withArgs(f.otherKeys[0].address, f.sol.address);
      // a revoked meter
      await (await f.meters.connect(f.meterOperator).revoke(f.solMeter, id("broken"))).wait();
      await expect(m.connect(f.sol).ask(f.slot, f.solMeter, 10, 1))
        .to.be.revertedWithCustomError(m, "EnergyMarketNotProductionMeter")
        .withArgs(f.solMeter, f.sol.address);
      await expect(m.connect(f.ray).ask(f.slot, f.rayMeter, 0, 1)).to.be.revertedWithCustomError(m, "EnergyMarketOrderTooSmall").withArgs(0, 10);
      // a suspended member
      await (await f.registry.connect(f.registrar).suspend(f.ray.address, id("suspended"))).wait();
      await expect(m.connect(f.ray).ask(f.slot, f.rayMeter, 10, 1))
        .to.be.revertedWithCustomError(m, "EnergyMarketNotAMember")
        .withArgs(f.ray.address);
    });

    it("a bid needs an active member, an active consumption meter of theirs, a size, a price and the escrow", async function () {
      const f = await loadFixture(energyFixture);
      const m = f.market;
      await expect(m.connect(f.outsider).bid(f.slot, f.annMeter, 10, 1))
        .to.be.revertedWithCustomError(m, "EnergyMarketNotAMember")
        .withArgs(f.outsider.address);
      await expect(m.connect(f.ben).bid(f.slot, f.annMeter, 10, 1))
        .to.be.revertedWithCustomError(m, "EnergyMarketNotConsumptionMeter")
        .withArgs(f.annMeter, f.ben.address);
      await expect(m.connect(f.sol).bid(f.slot, f.solMeter, 10, 1))
        .to.be.revertedWithCustomError(m, "EnergyMarketNotConsumptionMeter")
        .withArgs(f.solMeter, f.sol.address);
      await expect(m.connect(f.ann).bid(f.slot, f.annMeter, 10, 0)).to.be.revertedWithCustomError(m, "EnergyMarketZeroPrice");
      await expect(m.connect(f.ann).bid(f.slot, f.annMeter, 9, 1)).to.be.revertedWithCustomError(m, "EnergyMarketOrderTooSmall").withArgs(9, 10);
      // more than the bidder holds (€1,000): 10 MWh at €0.10
      await expect(m.connect(f.ann).bid(f.slot, f.annMeter, 10_001_000, 100_000))
        .to.be.revertedWithCustomError(f.coin, "ERC20InsufficientBalance")
        .withArgs(f.ann.address, coins(1_000), escrowOf(10_001_000n, 100_000n));
      await (await f.coin.connect(f.ben).approve(f.market, 0)).wait();
      await expect(m.connect(f.ben).bid(f.slot, f.benMeter, 1_000, 1_000))
        .to.be.revertedWithCustomError(f.coin, "ERC20InsufficientAllowance")
        .withArgs(await f.market.getAddress(), 0, 1_000);
    });

    it("no order at or after gate closure (slot start − gateClosure), and a slot that has started is closed", async function () {
      const f = await loadFixture(energyFixture);
      await time.setNextBlockTimestamp(f.closesAt - 1);
      await ask(f, 10, 10);
      await time.setNextBlockTimestamp(f.closesAt);
      await expect(f.market.connect(f.sol).ask(f.slot, f.solMeter, 10, 10))
        .to.be.revertedWithCustomError(f.market, "EnergyMarketGateClosed")
        .withArgs(f.slot, f.closesAt);
      await expect(f.market.connect(f.ann).bid(f.slot, f.annMeter, 10, 10))
        .to.be.revertedWithCustomError(f.market, "EnergyMarketGateClosed")
        .withArgs(f.slot, f.closesAt);
      const past = f.slot - 5;
      await expect(f.market.connect(f.ann).bid(past, f.annMeter, 10, 10))
        .to.be.revertedWithCustomError(f.market, "EnergyMarketGateClosed")
        .withArgs(past, past * SLOT - ENERGY_GATE_CLOSURE);
    });

    it("a slot's book holds at most maxOrdersPerSlot open orders; no worse-priced order gets in; a cancellation frees a place", async function () {
      const f = await loadFixture(energyFixture);
      await (await f.market.connect(f.council).setMaxOrdersPerSlot(4)).wait();
      await ask(f, 10, 10);
      const b = await bid(f, 10, 100_000);
      await ask(f, 10, 10, f.ray, f.rayMeter);
      await bid(f, 10, 100_000, f.ben, f.benMeter);
      // each side holds half the book: an order no better than its side's worst does not get in
      await expect(f.market.connect(f.ben).bid(f.slot, f.benMeter, 10, 100_000))
        .to.be.revertedWithCustomError(f.market, "EnergyMarketBookFull")
        .withArgs(f.slot, 4);
      await expect(f.market.connect(f.sol).ask(f.slot, f.solMeter, 10, 10))
        .to.be.revertedWithCustomError(f.market, "EnergyMarketBookFull")
        .withArgs(f.slot, 4);
      // another slot has its own book
      await (await f.market.connect(f.ben).bid(f.slot + 1, f.benMeter, 10, 100_000)).wait();
      await (await f.market.connect(f.ann).cancel(b)).wait();
      await bid(f, 10, 100_000, f.ben, f.benMeter);
      expect((await f.market.book(f.slot)).length).to.equal(4);
    });
  });

  describe("abuse limits", function () {
    it("a trader holds at most maxOrdersPerTrader open orders per slot; other slots and traders are unaffected", async function () {
      const f = await loadFixture(energyFixture);
      await (await f.market.connect(f.council).setMaxOrdersPerTrader(2)).wait();
      const a1 = await ask(f, 10, 10);
      await ask(f, 10, 10);
      await expect(f.market.connect(f.sol).ask(f.slot, f.solMeter, 10, 10))
        .to.be.revertedWithCustomError(f.market, "EnergyMarketTraderOrdersFull")
        .withArgs(f.slot, f.sol.address, 2);
      expect(await f.market.openOrdersOf(f.sol.address, f.slot)).to.equal(2);
      // the next slot (same counter word) and the slot 32 later (another word) have their own counts
      await (await f.market.connect(f.sol).ask(f.slot + 1, f.solMeter, 10, 10)).wait();
      await (await f.market.connect(f.sol).ask(f.slot + 32, f.solMeter, 10, 10)).wait();
      expect(await f.market.openOrdersOf(f.sol.address, f.slot + 1)).to.equal(1);
      expect(await f.market.openOrdersOf(f.sol.address, f.slot + 32)).to.equal(1);
      await ask(f, 10, 10, f.ray, f.rayMeter);
      await ask(f, 10, 10, f.ray, f.rayMeter);
      // bids count as orders too (ray's meter measures both)
      await expect(f.market.connect(f.ray).bid(f.slot, f.rayMeter, 10, 100_000))
        .to.be.revertedWithCustomError(f.market, "EnergyMarketTraderOrdersFull")
        .withArgs(f.slot, f.ray.address, 2);
      // a cancellation frees a place
      await (await f.market.connect(f.sol).cancel(a1)).wait();
      expect(await f.market.openOrdersOf(f.sol.address, f.slot)).to.equal(1);
      await ask(f, 10, 10);
    });

    it("an order below minOrderWh is refused", async function () {
      const f = await loadFixture(energyFixture);
      await (await f.market.connect(f.council).setMinOrderWh(100)).wait();
      await expect(f.market.connect(f.sol).ask(f.slot, f.solMeter, 99, 10))
        .to.be.revertedWithCustomError(f.market, "EnergyMarketOrderTooSmall")
        .withArgs(99, 100);
      await ask(f, 100, 10);
    });

    it("a slot keeps the grid price of its first order for every collateral, even when the council changes it", async function () {
      const f = await loadFixture(energyFixture);
      await ask(f, 1_000, 10);
      await (await f.market.connect(f.council).setGridPrice(500_000)).wait();
      await expect(f.market.connect(f.ray).ask(f.slot, f.rayMeter, 1_000, 10))
        .to.emit(f.market, "OrderPlaced")
        .withArgs(orderIdOf(f.slot, 2), f.slot, f.ray.address, Side.Ask, f.rayMeter, 1_000, 10, 250_000);
      // a new slot takes the new price
      await expect(f.market.connect(f.ray).ask(f.slot + 1, f.rayMeter, 1_000, 10))
        .to.emit(f.market, "OrderPlaced")
        .withArgs(orderIdOf(f.slot + 1, 3), f.slot + 1, f.ray.address, Side.Ask, f.rayMeter, 1_000, 10, 500_000);
      expect((await f.market.slotResult(f.slot + 1)).gridPrice).to.equal(500_000);
    });
  });

  describe("cancel", function () {
    it("credits what the order locked to the trader's balance, removes it from the book and keeps the others", async function () {
      const f = await loadFixture(energyFixture);
      const a1 = await ask(f, 100, 10_000);
      const b1 = await bid(f, 333, 70_001);
      const a2 = await ask(f, 200, 20_000, f.ray, f.rayMeter);
      const b2 = await bid(f, 50, 60_000, f.ben, f.benMeter);
      const escrow = escrowOf(333n, 70_001n);
      const tx = f.market.connect(f.ann).cancel(b1);
      await expect(tx).to.emit(f.market, "OrderCancelled").withArgs(b1, f.slot, f.ann.address, escrow);
      await expect(tx).to.changeTokenBalances(f.coin, [f.ann, f.market], [0, 0]);
      expect(await f.market.balanceOf(f.ann.address)).to.equal(escrow);
      expect((await f.market.order(b1)).status).to.equal(OrderStatus.Cancelled);
      expect(await f.market.book(f.slot)).to.deep.equal([a1, b2, a2]);
      await expect(f.market.connect(f.sol).cancel(a1))
        .to.emit(f.market, "OrderCancelled")
        .withArgs(a1, f.slot, f.sol.address, escrowOf(100n, GRID));
      expect(await f.market.book(f.slot)).to.deep.equal([a2, b2]);
      await expectConserved(f, [a1, b1, a2, b2], traders(f));
      // the last order of the book, then the balance is paid out
      await (await f.market.connect(f.ben).cancel(b2)).wait();
      await (await f.market.connect(f.ray).cancel(a2)).wait();
      expect(await f.market.book(f.slot)).to.deep.equal([]);
      const claim = f.market.connect(f.ann).claimRefund();
      await expect(claim).to.emit(f.market, "RefundClaimed").withArgs(f.ann.address, escrow);
      await expect(claim).to.changeTokenBalances(f.coin, [f.ann, f.market], [escrow, -escrow]);
      for (const who of [f.sol, f.ray, f.ben]) await (await f.market.connect(who).claimRefund()).wait();
      expect(await f.coin.balanceOf(f.market)).to.equal(0);
    });

    it("reverts for an unknown order, another trader, an order not open and after gate closure", async function () {
      const f = await loadFixture(energyFixture);
      const m = f.market;
      const unknown = orderIdOf(f.slot, 1);
      await expect(m.connect(f.ann).cancel(unknown)).to.be.revertedWithCustomError(m, "EnergyMarketUnknownOrder").withArgs(unknown);
      const b = await bid(f, 100, 50_000);
      await expect(m.connect(f.ben).cancel(b)).to.be.revertedWithCustomError(m, "EnergyMarketNotTrader").withArgs(b, f.ben.address);
      const a = await ask(f, 100, 50_000);
      await (await m.connect(f.sol).cancel(a)).wait();
      await expect(m.connect(f.sol).cancel(a))
        .to.be.revertedWithCustomError(m, "EnergyMarketOrderNotOpen")
        .withArgs(a, OrderStatus.Cancelled);
      await time.increaseTo(f.closesAt);
      await expect(m.connect(f.ann).cancel(b)).to.be.revertedWithCustomError(m, "EnergyMarketGateClosed").withArgs(f.slot, f.closesAt);
      await (await m.clear(f.slot)).wait();
      await expect(m.connect(f.ann).cancel(b))
        .to.be.revertedWithCustomError(m, "EnergyMarketOrderNotOpen")
        .withArgs(b, OrderStatus.Cleared);
      await expect(m.connect(f.ann).claimRefund()).to.be.revertedWithCustomError(m, "EnergyMarketNothingToClaim").withArgs(f.ann.address);
    });
  });

  describe("clear", function () {
    it("is refused before gate closure and a second time", async function () {
      const f = await loadFixture(energyFixture);
      await expect(f.market.clear(f.slot)).to.be.revertedWithCustomError(f.market, "EnergyMarketGateOpen").withArgs(f.slot, f.closesAt);
      await time.increaseTo(f.closesAt);
      await expect(f.market.connect(f.outsider).clear(f.slot)).to.emit(f.market, "SlotCleared").withArgs(f.slot, 0, 0, 0);
      await expect(f.market.clear(f.slot)).to.be.revertedWithCustomError(f.market, "EnergyMarketAlreadyCleared").withArgs(f.slot);
    });

    it("a lowered gate closure reopens no cleared slot", async function () {
      const f = await loadFixture(energyFixture);
      await time.increaseTo(f.closesAt);
      await (await f.market.clear(f.slot)).wait();
      await (await f.market.connect(f.council).setGateClosure(60)).wait();
      await expect(f.market.connect(f.sol).ask(f.slot, f.solMeter, 10, 10))
        .to.be.revertedWithCustomError(f.market, "EnergyMarketAlreadyCleared")
        .withArgs(f.slot);
    });

    it("clears at the midpoint when both sides run out together; no money moves", async function () {
      const f = await loadFixture(energyFixture);
      const a1 = await ask(f, 300, 100_000); // €0.10 per kWh
      const b1 = await bid(f, 300, 200_001);
      const b2 = await bid(f, 100, 90_000, f.ben, f.benMeter); // below the price: no fill
      // L = 100_000, U = 200_001: P = 150_000
      await time.increaseTo(f.closesAt);
      const tx = f.market.clear(f.slot);
      await expect(tx).to.emit(f.market, "SlotCleared").withArgs(f.slot, 150_000, 300, 3);
      await expect(tx).to.emit(f.market, "OrderCleared").withArgs(a1, f.slot, f.sol.address, Side.Ask, 300);
      await expect(tx).to.emit(f.market, "OrderCleared").withArgs(b1, f.slot, f.ann.address, Side.Bid, 300);
      await expect(tx).to.emit(f.market, "OrderCleared").withArgs(b2, f.slot, f.ben.address, Side.Bid, 0);
      await expect(tx).to.changeTokenBalances(f.coin, [f.ann, f.ben, f.market], [0, 0, 0]);
      const r = await f.market.slotResult(f.slot);
      expect([r.cleared, r.settled, r.price, r.volume, r.orderCount]).to.deep.equal([true, false, 150_000n, 300n, 3n]);
      expect((await f.market.order(b2)).status).to.equal(OrderStatus.Cleared);
      await expectConserved(f, [a1, b1, b2], traders(f));
    });

    it("shares the marginal level pro-rata, the leftover Wh by order id", async function () {
      const f = await loadFixture(energyFixture);
      // Three asks of 70 Wh at €0.01 and one bid of 100 Wh at €0.09: the bid runs out inside the third ask's level,
      // so P = €0.01 and the level of 210 Wh shares 100 Wh: floor(100·70/210) = 33 each, the 1 Wh left to the lowest id.
      const a1 = await ask(f, 70, 10_000);
      const a2 = await ask(f, 70, 10_000, f.ray, f.rayMeter);
      const a3 = await ask(f, 70, 10_000);
      const b1 = await bid(f, 100, 90_000);
      await time.increaseTo(f.closesAt);
      const tx = f.market.clear(f.slot);
      await expect(tx).to.emit(f.market, "OrderCleared").withArgs(a1, f.slot, f.sol.address, Side.Ask, 34);
      await expect(tx).to.emit(f.market, "OrderCleared").withArgs(a2, f.slot, f.ray.address, Side.Ask, 33);
      await expect(tx).to.emit(f.market, "OrderCleared").withArgs(a3, f.slot, f.sol.address, Side.Ask, 33);
      await expect(tx).to.emit(f.market, "OrderCleared").withArgs(b1, f.slot, f.ann.address, Side.Bid, 100);
      expect((await f.market.slotResult(f.slot)).price).to.equal(10_000);
    });

    it("clears a book whose best ask is above the best bid with no trade", async function () {
      const f = await loadFixture(energyFixture);
      await ask(f, 100, 60_000);
      const b = await bid(f, 100, 50_000);
      await time.increaseTo(f.closesAt);
      const tx = f.market.clear(f.slot);
      await expect(tx).to.emit(f.market, "SlotCleared").withArgs(f.slot, 0, 0, 2);
      await expect(tx).to.emit(f.market, "OrderCleared").withArgs(b, f.slot, f.ann.address, Side.Bid, 0);
    });

    it("clears a full book of 128 orders within the block gas limit", async function () {
      const f = await loadFixture(energyFixture);
      await (await f.market.connect(f.council).setMaxOrdersPerSlot(128)).wait();
      await (await f.market.connect(f.council).setMaxOrdersPerTrader(32)).wait();
      for (let i = 0; i < 64; i++) {
        await ask(f, 100 + i, 10_000 + ((i * 7919) % 50) * 1_000, i % 2 ? f.sol : f.ray, i % 2 ? f.solMeter : f.rayMeter);
        await bid(f, 90 + i, 20_000 + ((i * 104_729) % 50) * 1_000, i % 2 ? f.ann : f.ben, i % 2 ? f.annMeter : f.benMeter);
      }
      await time.increaseTo(f.closesAt);
      const receipt = await (await f.market.clear(f.slot)).wait();
      expect(receipt!.gasUsed).to.be.lessThan(30_000_000n);
      expect((await f.market.slotResult(f.slot)).orderCount).to.equal(128);
    });
  });
});
