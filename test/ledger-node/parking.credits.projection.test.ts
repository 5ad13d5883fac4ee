/**
 * The parking projection follows what issue 13 added to ParkingExchange, from the real contract's logs: settlement
 * shares CityCoin refused are credits (`PaymentCredited`, `CreditWithdrawn`), a key recovery re-points a party's
 * spots, bookings, credit and marks (`PartyMigrated`), and a spot's blocked days stay bounded (past days dropped, the
 * contract refusing days beyond its horizon). Every figure is compared with the contract's views.
 */
import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { MaxUint256, id } from "ethers";
import { EventDecoder } from "../../ledger-node/src/log/decode";
import type { ProjectedEntry } from "../../ledger-node/src/types";
import { ProjectionEngine, parkingProjection } from "../../ledger-node/src/projections";
import { MIGRATION_DELAY } from "../fixtures";
import { DAY, HOUR, idOf, listSpot, parkingFixture } from "../parking/helpers";
import { cityLogs } from "./projections.scenario.test";

async function scenario() {
  const f = await parkingFixture();
  const p = f.parking;
  const fresh = f.rest[0];
  const at = (h: number) => f.week + h * HOUR;
  const spot1 = await listSpot(f);
  const spot2 = await listSpot(f, {}, f.owner2);
  const today = Math.floor((await time.latest()) / DAY);
  await (await p.connect(f.owner).blockDays(spot1, [today + 1, today + 2, today + 300])).wait();
  // alice books spot 1 twice; bob books spot 2.
  await (await p.connect(f.alice).book(spot1, at(10), at(12), MaxUint256)).wait();
  await (await p.connect(f.alice).book(spot1, at(20), at(21), MaxUint256)).wait();
  await (await p.connect(f.bob).book(spot2, at(10), at(11), MaxUint256)).wait();
  // alice suspended: the owner's cancellation credits her refund.
  await (await f.registry.connect(f.registrar).suspend(f.alice.address, id("audit"))).wait();
  await (await p.connect(f.owner).cancel(idOf(spot1, at(20)))).wait();
  await (await f.registry.connect(f.registrar).reinstate(f.alice.address)).wait();
  // The owner of spot 1 recovers to a fresh key; alice takes her credit.
  await (await f.registry.connect(f.registrar).startMigration(f.owner.address, fresh.address)).wait();
  await time.increase(MIGRATION_DELAY);
  await (await f.registry.completeMigration(f.owner.address)).wait();
  await (await p.connect(f.alice).withdraw(f.alice.address)).wait();
  // owner2 suspended: its payout is credited.
  await (await f.registry.connect(f.registrar).suspend(f.owner2.address, id("audit"))).wait();
  await time.increaseTo(at(12) + 48 * HOUR);
  await (await p.payout(idOf(spot1, at(10)))).wait();
  await (await p.payout(idOf(spot2, at(10)))).wait();
  // Ten days later the new key blocks another day: the days now past are dropped from the read model.
  await time.increase(10 * DAY);
  const later = Math.floor((await time.latest()) / DAY);
  await (await p.connect(fresh).blockDays(spot1, [later + 1])).wait();
  return { ...f, fresh, spot1, spot2, today, later };
}

describe("parking projection: credits, key recovery and bounded blocked days", () => {
  let f: Awaited<ReturnType<typeof scenario>>;
  let engine: ProjectionEngine;
  let entries: ProjectedEntry[];

  before(async () => {
    f = await loadFixture(scenario);
    const logs = await cityLogs(f);
    const decoder = new EventDecoder(f.record);
    const stamps = new Map<bigint, number>();
    entries = [];
    for (const [seq, log] of logs.entries()) {
      if (!stamps.has(log.blockNumber)) stamps.set(log.blockNumber, (await hre.ethers.provider.getBlock(log.blockNumber))!.timestamp);
      const event = decoder.decode(log);
      if (event) entries.push({ seq, log, event, timestamp: stamps.get(log.blockNumber)! });
    }
    engine = new ProjectionEngine();
    engine.apply(entries);
  });

  it("sees PaymentCredited, CreditWithdrawn and PartyMigrated", () => {
    const names = new Set(entries.filter((e) => e.event.contract === "ParkingExchange").map((e) => e.event.name));
    for (const n of ["PaymentCredited", "CreditWithdrawn", "PartyMigrated"]) expect(names, n).to.include(n);
  });

  it("credits match creditOf, and escrow + Σ credits is the exchange's balance", async () => {
    const s = engine.state(parkingProjection);
    for (const who of [f.alice, f.owner, f.fresh, f.owner2, f.bob]) {
      expect(s.credits.get(who.address.toLowerCase()) ?? 0n, who.address).to.equal(await f.parking.creditOf(who));
    }
    expect(s.credits.get(f.owner2.address.toLowerCase())).to.be.greaterThan(0n);
    expect(s.escrow + s.creditTotal).to.equal(await f.coin.balanceOf(f.parking));
  });

  it("re-points the recovered owner's spots, bookings and marks to the new key, as holderOf does", async () => {
    const s = engine.state(parkingProjection);
    const fresh = f.fresh.address.toLowerCase();
    expect(s.spots.get(f.spot1.toString())!.owner).to.equal(fresh);
    expect((await f.parking.spot(f.spot1)).owner.toLowerCase()).to.equal(fresh);
    for (const b of s.bookings.filter((b) => b.spotId === f.spot1)) expect(b.owner).to.equal(fresh);
    expect(s.bookingsByMember.has(f.owner.address.toLowerCase())).to.equal(false);
    expect(s.bookingsByMember.get(fresh)).to.have.length(2);
    expect(s.ownerCancellations.get(fresh)).to.equal(1);
    expect(await f.parking.ownerCancellations(f.fresh)).to.equal(1n);
  });

  it("keeps only the blocked days from the latest event's day on", async () => {
    const s = engine.state(parkingProjection);
    const days = [...s.spots.get(f.spot1.toString())!.blockedDays].sort((a, b) => a - b);
    expect(days).to.deep.equal([f.later + 1, f.today + 300]); // today + 1 and today + 2 are past: dropped
    for (const d of days) expect(await f.parking.isDayBlocked(f.spot1, d)).to.equal(true);
  });

  it("encodes and decodes the credits (the same state hash after a round trip)", () => {
    const s = engine.state(parkingProjection);
    const back = parkingProjection.decode(JSON.parse(JSON.stringify(parkingProjection.encode(s), (_k, v) => (typeof v === "bigint" ? v.toString() : v))));
    expect(back.creditTotal).to.equal(s.creditTotal);
    expect([...back.credits]).to.deep.equal([...s.credits]);
  });
});
