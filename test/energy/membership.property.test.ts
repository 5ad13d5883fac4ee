/**
 * Issue 13, item 2 for EnergyMarket, as a property: over random sequences of orders, cancellations, suspensions,
 * reinstatements, removals and key recoveries at any point, then readings and a settlement before or after the
 * window, the market always holds exactly Σ market balances + Σ locked of open and cleared-unsettled orders; at the
 * end every order is settled, cancelled or evicted, every active member's balance pays out, and what is left is
 * exactly the balances held for members who are not active.
 */
import { expect } from "chai";
import fc from "fast-check";
import hre from "hardhat";
import { Wallet, id, type Signer } from "ethers";
import { loadFixture, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import { MIGRATION_DELAY } from "../fixtures";
import { OrderStatus, SLOT, expectConserved, looseEnergyFixture, meterKey, orderIdOf, signReading } from "./helpers";

const RUNS = 15;
/** ICityRegistry.MemberStatus. */
const Status = { None: 0n, Active: 1n, Suspended: 2n, Removed: 3n } as const;
// Members by index: 0 sol, 1 ray (prosumers), 2 ann, 3 ben (consumers; ray's meter measures both).

type Step =
  | { kind: "order"; who: number; ask: boolean; wh: number; price: number }
  | { kind: "cancel"; pick: number }
  | { kind: "suspend" | "reinstate" | "remove" | "recover"; who: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("order" as const), who: fc.nat(3), ask: fc.boolean(), wh: fc.integer({ min: 10, max: 800 }), price: fc.integer({ min: 10_000, max: 400_000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat(50) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom("suspend" as const, "reinstate" as const, "remove" as const, "recover" as const), who: fc.nat(3) }) },
);
const scenarioArb = fc.record({
  before: fc.array(stepArb, { minLength: 4, maxLength: 18 }),
  /** Membership changes between clearing and settlement. */
  after: fc.array(fc.record({ kind: fc.constantFrom("suspend" as const, "reinstate" as const, "remove" as const, "recover" as const), who: fc.nat(3) }), { maxLength: 3 }),
  /** Which of sol's, ray's, ann's and ben's meters record a reading, and how much sol and ray produced. */
  read: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean()),
  produced: fc.tuple(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 0, max: 2_000 })),
  afterWindow: fc.boolean(),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;
const order = (who: number, ask: boolean, price: number): Step => ({ kind: "order", who, ask, wh: 200, price });
const exercising = (afterWindow: boolean): Scenario => ({
  before: [
    order(0, true, 10_000), // sol asks
    order(1, true, 10_000), // ray asks
    order(0, false, 300_000), // ann bids
    order(1, false, 300_000), // ben bids
    order(2, false, 300_000), // ray bids
    order(0, false, 200_000), // ann bids: the book (6) is full
    order(1, false, 350_000), // ben's better bid evicts ann's worst
    { kind: "recover", who: 2 }, // ann's open bid moves to her new key
    { kind: "suspend", who: 3 }, // ben's refund of the price difference is held
  ],
  after: [],
  read: [true, true, true, true],
  produced: [400, 400],
  afterWindow,
});
const EXERCISING_EXAMPLES: [Scenario][] = [[exercising(false)], [exercising(true)]];

/** The fixture with the slot 1,500 slots ahead (15 days): key recoveries (3 days each) fit before its gate closes. */
async function farSlotFixture() {
  const f = await looseEnergyFixture();
  await (await f.market.connect(f.council).setMaxOrdersPerSlot(6)).wait();
  await (await f.market.connect(f.council).setMaxOrdersPerTrader(3)).wait();
  const slot = Math.floor((await time.latest()) / SLOT) + 1_500;
  return { ...f, slot, closesAt: slot * SLOT - 300 };
}

describe("EnergyMarket: money under membership changes (property)", function () {
  this.timeout(900_000);

  it("Σ owed = the market's CityCoin at every step; every order ends settled, cancelled or evicted; inactive members' money is held", async function () {
    /** What the runs exercised, so that the property cannot pass by refusing everything. */
    const seen = { orders: 0, evicted: 0, recovered: 0, ordersMoved: 0, held: 0, settledBefore: 0 };
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (sc) => {
        const f = await loadFixture(farSlotFixture);
        const signers: Signer[] = [f.sol, f.ray, f.ann, f.ben];
        const meterOf = [f.solMeter, f.rayMeter, f.annMeter, f.benMeter];
        const keys: string[] = signers.map((_, i) => [f.sol, f.ray, f.ann, f.ben][i]!.address);
        const accounts = [...keys];
        /** Every key ever used, with its signer and the member it belongs to. */
        const signerOf = new Map<string, Signer>(keys.map((k, i) => [k, signers[i]!]));
        const memberOf = new Map<string, number>(keys.map((k, i) => [k, i]));
        const ids: bigint[] = [];
        const check = () => expectConserved(f, ids, accounts);
        const attempt = async (tx: () => Promise<{ wait(): Promise<unknown> }>) => {
          try {
            await (await tx()).wait();
            return true;
          } catch {
            return false; // refusals (inactive member, full book, …) are part of the sequence
          }
        };
        const statusOf = async (i: number) => (await f.registry.memberOf(keys[i]!)).status;
        const membership = async (kind: Step["kind"], i: number) => {
          const reg = f.registry.connect(f.registrar);
          if (kind === "suspend") await attempt(() => reg.suspend(keys[i]!, id("s")));
          if (kind === "reinstate") await attempt(() => reg.reinstate(keys[i]!));
          if (kind === "remove") await attempt(() => reg.remove(keys[i]!, id("r")));
          if (kind === "recover" && (await statusOf(i)) !== Status.Removed) {
            const fresh = Wallet.createRandom().connect(hre.ethers.provider);
            await setBalance(fresh.address, 10n ** 20n);
            if (!(await attempt(() => reg.startMigration(keys[i]!, fresh.address)))) return;
            await (await f.registry.connect(f.orchestrator).approveMigration(keys[i]!)).wait();
            await time.increase(MIGRATION_DELAY);
            await (await f.registry.completeMigration(keys[i]!)).wait();
            await (await f.coin.connect(fresh).approve(f.market, 10n ** 30n)).wait();
            signers[i] = fresh;
            keys[i] = fresh.address;
            accounts.push(fresh.address);
            signerOf.set(fresh.address, fresh);
            memberOf.set(fresh.address, i);
            seen.recovered += 1;
          }
        };

        for (const step of sc.before) {
          if (step.kind === "order") {
            // only prosumers ask; ray's meter measures both, so ray may bid too
            const i = step.ask ? step.who % 2 : [2, 3, 1][step.who % 3]!;
            const m = f.market.connect(signers[i]!);
            const placed = await attempt(() =>
              step.ask ? m.ask(f.slot, meterOf[i]!, step.wh, step.price) : m.bid(f.slot, meterOf[i]!, step.wh, step.price),
            );
            if (placed) ids.push(orderIdOf(f.slot, await f.market.orderCount()));
          } else if (step.kind === "cancel") {
            if (ids.length === 0) continue;
            const orderId = ids[step.pick % ids.length]!;
            // the member's current key cancels (after a recovery, the new key cancels the old key's orders)
            const holder = signers[memberOf.get((await f.market.order(orderId)).trader)!]!;
            await attempt(() => f.market.connect(holder).cancel(orderId));
          } else {
            await membership(step.kind, step.who);
          }
          await check();
        }

        await time.increaseTo(f.closesAt);
        await (await f.market.clear(f.slot)).wait();
        await check();
        for (const step of sc.after) {
          await membership(step.kind, step.who);
          await check();
        }
        const endsAt = (f.slot + 1) * SLOT;
        if ((await time.latest()) < endsAt) await time.increaseTo(endsAt);
        const readings = [];
        for (const [i, read] of sc.read.entries()) {
          if (!read) continue;
          const produced = i < 2 ? sc.produced[i]! : 0;
          readings.push(await signReading(f, meterKey(f, meterOf[i]!), { slot: f.slot, producedWh: produced, consumedWh: i < 2 ? 0 : 100 }));
        }
        if (readings.length) await (await f.meters.recordReadings(readings)).wait();
        if (sc.afterWindow && (await time.latest()) < endsAt + 3_600) await time.increaseTo(endsAt + 3_600);
        // before the window, a seller with a fill and no reading on record delays settlement to the window's end
        if (await attempt(() => f.market.settle(f.slot, []))) seen.settledBefore += 1;
        else {
          await time.increaseTo(Math.max(endsAt + 3_600, await time.latest()));
          await (await f.market.settle(f.slot, [])).wait();
        }
        await check();

        // every order ended settled, cancelled or evicted
        seen.orders += ids.length;
        for (const orderId of ids) {
          const o = await f.market.order(orderId);
          if (o.status === BigInt(OrderStatus.Evicted)) seen.evicted += 1;
          if (!keys.includes(o.trader) && o.status === BigInt(OrderStatus.Settled)) seen.ordersMoved += 1;
          expect([OrderStatus.Settled, OrderStatus.Cancelled, OrderStatus.Evicted]).to.include(Number((await f.market.order(orderId)).status));
        }
        // active members are paid out; what stays is exactly the balances held for the others
        let held = 0n;
        for (const account of new Set(accounts)) {
          const balance = await f.market.balanceOf(account);
          if (balance === 0n) continue;
          const who = f.market.connect(signerOf.get(account)!);
          if (await f.registry.isActiveMember(account)) {
            await (await who.claimRefund()).wait();
          } else {
            await expect(who.claimRefund()).to.be.revertedWithCustomError(f.market, "EnergyMarketFundsHeld").withArgs(account, balance);
            held += balance;
            seen.held += 1;
          }
        }
        expect(await f.coin.balanceOf(f.market)).to.equal(held);
        for (const account of new Set(accounts)) if (await f.registry.isActiveMember(account)) expect(await f.market.balanceOf(account)).to.equal(0);
      }),
      // Random runs may miss a path (15 runs, a book of 6): these two always exercise an eviction, a recovery whose old
      // key's order settles, a held balance, and a settlement before and after the window.
      { numRuns: RUNS, examples: EXERCISING_EXAMPLES },
    );
    for (const [what, count] of Object.entries(seen)) expect(count, `runs exercised ${what}`).to.be.greaterThan(0);
  });
});
