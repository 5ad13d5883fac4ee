/**
 * The parking projection reduced from the real ParkingExchange's logs: a scenario with listing, edits, pause and
 * resume, blocked days, bookings (allowance), check-in/out with an overstay, cancellations by the driver at each tier
 * and by the owner, a dispute resolved by an arbiter, payouts with the city fee, ratings and a delisting. Every spot and
 * booking field, the escrow and the owners' marks are compared with the contract's views; the queries and the API
 * routes are checked on the same state.
 */
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { MaxUint256, id } from "ethers";
import { getAddress } from "viem";
import { CityEventDecoder } from "@cityledger/sdk/ledger";
import type { DecodedEntry, RawLog } from "../../ledger-node/src/types";
import { ProjectionEngine, canonicalJson } from "../../ledger-node/src/projections";
import { BookingStatusCode, createQueries, parkingProjection } from "../../ledger-node/src/domains";
import { Flags, Roles } from "../../scripts/lib/roles";
import { cityFixture, coins, issue, now, register } from "../fixtures";
import { cityLogs } from "./projections.scenario.test";
import { buildApp } from "../../ledger-node/src/api/app";
import { PROBLEM_BASE } from "../../ledger-node/src/api/problems";
import { UpdateBus } from "../../ledger-node/src/updates";
import type { NodeContext } from "../../ledger-node/src/context";

const HOUR = 3600;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const ALL = (1n << 168n) - 1n;

function terms(o: Record<string, unknown> = {}) {
  return {
    district: 3,
    geohash: "0x7370757a7362636400000000",
    descriptionHash: id("covered spot"),
    hourlyRate: coins(2),
    dailyCap: 0,
    presetId: 1,
    checkIn: false,
    deposit: 0,
    weeklyAvailability: ALL,
    ...o,
  };
}

const idOf = (spotId: bigint, start: number) => (spotId << 32n) | BigInt(start / HOUR);

async function parkingScenario() {
  const f = await cityFixture();
  const [owner, owner2, alice, bob, carol, arbiter] = f.people;
  const p = f.parking;
  const send = async (tx: Promise<{ wait(): Promise<unknown> }>) => {
    await (await tx).wait();
  };
  await register(f, owner, { flags: Flags.RESIDENT | Flags.PARKING_OWNER, district: 3 });
  await register(f, owner2, { flags: Flags.PARKING_OWNER, district: 5 });
  for (const who of [alice, bob, carol]) {
    await register(f, who);
    await issue(f, who, coins(1_000));
    await send(f.coin.connect(who).approve(await p.getAddress(), MaxUint256));
  }
  await send(f.authority.connect(f.admin).grantRole(Roles.ARBITER, arbiter.address, 0));

  // Monday 00:00 UTC two to three weeks ahead.
  const t0 = await now();
  const week = Math.floor((t0 + 3 * DAY) / WEEK) * WEEK - 3 * DAY + 2 * WEEK;

  // Spots: 1 plain (district 3), 2 check-in with a deposit (district 3), 3 weekdays 8-18 only (owner2, district 5).
  await send(p.connect(owner).list(terms()));
  await send(p.connect(owner).list(terms({ checkIn: true, deposit: coins(10), presetId: 2, dailyCap: coins(30) })));
  let workdays = 0n;
  for (let d = 0; d < 5; d++) for (let h = 8; h < 18; h++) workdays |= 1n << BigInt(d * 24 + h);
  await send(p.connect(owner2).list(terms({ district: 5, weeklyAvailability: workdays, presetId: 3 })));
  await send(p.connect(owner).list(terms({ district: 7 })));
  await send(p.connect(owner).edit(1n, terms({ hourlyRate: coins(3), descriptionHash: id("covered spot, lit") })));
  await send(p.connect(owner).pause(1n));
  await send(p.connect(owner).resume(1n));
  const wed = week / DAY + 2;
  await send(p.connect(owner).blockDays(1n, [wed, wed + 1]));
  await send(p.connect(owner).unblockDays(1n, [wed + 1]));
  await send(p.connect(owner).delist(4n));

  // Bookings.
  const b1 = week + 10 * HOUR; // spot 1, alice, Monday 10-13: paid out, rated both ways
  await send(p.connect(alice).book(1n, b1, b1 + 3 * HOUR, MaxUint256));
  const b2 = week + DAY + 9 * HOUR; // spot 2, bob, Tuesday 9-11: check-in, overstay 90 min, paid out
  await send(p.connect(bob).book(2n, b2, b2 + 2 * HOUR, MaxUint256));
  const b3 = week + 8 * HOUR; // spot 3, carol, Monday 8-12: disputed, resolved
  await send(p.connect(carol).book(3n, b3, b3 + 4 * HOUR, MaxUint256));
  const b4 = week + 4 * DAY + 8 * HOUR; // spot 2, alice: cancelled by the driver (moderate: > 48 h → full)
  await send(p.connect(alice).book(2n, b4, b4 + 2 * HOUR, MaxUint256));
  await send(p.connect(alice).cancel(idOf(2n, b4)));
  await send(p.connect(alice).book(2n, b4, b4 + 5 * HOUR, MaxUint256)); // the id is reused
  const b5 = week + 3 * DAY + 8 * HOUR; // spot 3, bob: cancelled by the owner (marked)
  await send(p.connect(bob).book(3n, b5, b5 + 2 * HOUR, MaxUint256));
  await send(p.connect(owner2).cancel(idOf(3n, b5)));
  const b6 = week + 5 * DAY; // spot 1, carol, Saturday 00:00 to Sunday 02:00: stays booked
  await send(p.connect(carol).book(1n, b6, b6 + 26 * HOUR, MaxUint256));

  await time.increaseTo(b3 + HOUR);
  await send(p.connect(carol).openDispute(idOf(3n, b3)));
  await time.increaseTo(b2 + 10);
  await send(p.connect(bob).checkIn(idOf(2n, b2)));
  await time.increaseTo(b2 + 2 * HOUR + 90 * 60);
  await send(p.connect(bob).checkOut(idOf(2n, b2)));
  await send(p.connect(arbiter).resolveDispute(idOf(3n, b3), coins(3), id("half the hours were taken")));
  // Moderate tier 2 (24 h ≤ notice < 48 h: half the price back) on spot 2's reused booking.
  await time.increaseTo(b4 - 30 * HOUR);
  await send(p.connect(alice).cancel(idOf(2n, b4)));
  await time.increaseTo(b2 + 2 * HOUR + 48 * HOUR + 1);
  await send(p.connect(f.outsider).payout(idOf(1n, b1)));
  await send(p.connect(f.outsider).payout(idOf(2n, b2)));
  await send(p.connect(alice).rate(idOf(1n, b1), 5, id("great")));
  await send(p.connect(owner).rate(idOf(1n, b1), 4, id("fine")));
  await send(p.connect(bob).rate(idOf(2n, b2), 2, id("too narrow")));

  return { ...f, owner, owner2, alice, bob, carol, arbiter, week, b1, b2, b3, b4, b5, b6 };
}
type Ctx = Awaited<ReturnType<typeof parkingScenario>>;

describe("parking projection (reduced from ParkingExchange's logs)", () => {
  let f: Ctx;
  let logs: RawLog[];
  let entries: DecodedEntry[];
  let engine: ProjectionEngine;

  before(async () => {
    f = await loadFixture(parkingScenario);
    logs = await cityLogs(f);
    const decoder = new CityEventDecoder(f.record);
    entries = [];
    logs.forEach((log, seq) => {
      const event = decoder.decode(log);
      if (event) entries.push({ seq, log, event, timestamp: 0 });
    });
    engine = new ProjectionEngine();
    engine.apply(entries);
  });

  it("decodes every log and sees every ParkingExchange event kind of the scenario", () => {
    expect(entries.length).to.equal(logs.length);
    const names = new Set(entries.filter((e) => e.event.contract === "ParkingExchange").map((e) => e.event.name));
    for (const n of [
      "CancellationPresetAdded", "CityFeeSet", "DisputeWindowSet", "MaxBookingHoursSet", "SpotListed", "SpotTermsSet",
      "SpotPaused", "SpotResumed", "SpotDelisted", "SpotDaysBlocked", "SpotDaysUnblocked", "BookingCreated", "CheckedIn",
      "CheckedOut", "BookingCancelled", "OwnerCancellationMarked", "DisputeOpened", "DisputeResolved", "BookingPaidOut",
      "BookingRated",
    ]) expect(names, n).to.include(n);
  });

  it("matches ParkingExchange.spot for every spot, and its parameters and presets", async () => {
    const s = engine.state(parkingProjection);
    expect(BigInt(s.spots.size)).to.equal(await f.parking.spotCount());
    for (const spot of s.spots.values()) {
      const c = await f.parking.spot(spot.id);
      expect(c.owner.toLowerCase()).to.equal(spot.owner);
      expect(Number(c.district)).to.equal(spot.district);
      expect(c.geohash).to.equal(spot.geohash);
      expect(c.descriptionHash).to.equal(spot.descriptionHash);
      expect(c.hourlyRate).to.equal(spot.hourlyRate);
      expect(c.dailyCap).to.equal(spot.dailyCap);
      expect(Number(c.presetId)).to.equal(spot.presetId);
      expect(c.checkIn).to.equal(spot.checkIn);
      expect(c.deposit).to.equal(spot.deposit);
      expect(c.weeklyAvailability).to.equal(spot.weeklyAvailability);
      expect(c.paused).to.equal(spot.paused);
      expect(c.delisted).to.equal(spot.delisted);
      for (let d = f.week / DAY; d < f.week / DAY + 7; d++) {
        expect(await f.parking.isDayBlocked(spot.id, d), `spot ${spot.id} day ${d}`).to.equal(spot.blockedDays.has(d));
      }
    }
    expect(s.feeBps).to.equal(Number(await f.parking.cityFeeBps()));
    expect(s.disputeWindow).to.equal(Number(await f.parking.disputeWindow()));
    expect(s.maxBookingHours).to.equal(Number(await f.parking.maxBookingHours()));
    expect(s.presets.size).to.equal(Number(await f.parking.presetCount()));
    for (const pr of s.presets.values()) {
      const c = await f.parking.cancellationPreset(pr.id);
      expect(c.name).to.equal(pr.name);
      expect(c.enabled).to.equal(pr.enabled);
      expect(c.minNotice.slice(0, pr.minNotice.length).map(Number)).to.deep.equal(pr.minNotice);
      expect(c.refundBps.slice(0, pr.refundBps.length).map(Number)).to.deep.equal(pr.refundBps);
    }
  });

  it("matches ParkingExchange.booking for every booking id, the escrow and the owners' marks", async () => {
    const s = engine.state(parkingProjection);
    expect(s.bookings).to.have.length(7); // six ids, one reused
    for (const [key, i] of s._bookingIndex) {
      const b = s.bookings[i];
      const [c, x] = await f.parking.booking(BigInt(key));
      expect(c.driver.toLowerCase(), key).to.equal(b.driver);
      expect(Number(c.hoursBooked)).to.equal((b.end - b.start) / HOUR);
      expect(c.price).to.equal(b.price);
      expect(Number(c.presetId)).to.equal(b.presetId);
      expect(Number(c.status), key).to.equal(b.status);
      expect(c.checkIn).to.equal(b.checkIn);
      const cancelled = b.status === BookingStatusCode.Cancelled;
      expect(x.deposit).to.equal(cancelled ? 0n : b.deposit);
      expect(x.hourlyRate).to.equal(cancelled ? 0n : b.overstayRate);
      expect(Number(x.checkedInAt)).to.equal(b.checkedInAt ?? 0);
      expect(Number(x.checkedOutAt)).to.equal(b.checkedOutAt ?? 0);
      expect(x.overstayCharge).to.equal(b.overstayCharge);
      expect(x.driverRated).to.equal(b.driverRating !== undefined);
      expect(x.ownerRated).to.equal(b.ownerRating !== undefined);
      expect(b.history[0].event).to.equal("BookingCreated");
      for (let k = 1; k < b.history.length; k++) expect(b.history[k].seq).to.be.greaterThan(b.history[k - 1].seq);
    }
    expect(s.escrow).to.equal(await f.coin.balanceOf(await f.parking.getAddress()));
    for (const [owner, n] of s.ownerCancellations) expect(await f.parking.ownerCancellations(owner)).to.equal(BigInt(n));
    expect(s.ownerCancellations.get(f.owner2.address.toLowerCase())).to.equal(1);

    const b2 = s.bookings[s._bookingIndex.get(idOf(2n, f.b2).toString())!];
    expect(b2.overstayCharge).to.equal(coins(2) * 2n); // two started hours at €2, below the €10 deposit
    expect(b2.payout!.refund).to.equal(coins(10) - coins(4));
    expect(b2.payout!.fee).to.equal(((b2.price + coins(4)) * 500n) / 10_000n);
    const reused = s.bookings.filter((b) => b.id === idOf(2n, f.b4));
    expect(reused.map((b) => [b.status, b.end - b.start])).to.deep.equal([
      [BookingStatusCode.Cancelled, 2 * HOUR],
      [BookingStatusCode.Cancelled, 5 * HOUR],
    ]);
    expect(reused[0].cancellation!.refund).to.equal(reused[0].price + coins(10)); // ≥ 48 h: price and deposit back
    expect(reused[1].cancellation!.refund).to.equal(reused[1].price / 2n + coins(10)); // 30 h: half the price
    expect(reused[1].cancellation!.toOwner + reused[1].cancellation!.fee).to.equal(reused[1].price / 2n);
    const b5 = s.bookings[s._bookingIndex.get(idOf(3n, f.b5).toString())!];
    expect(b5.cancellation).to.deep.include({ byOwner: true, refund: b5.price, toOwner: 0n, fee: 0n });
    const b3 = s.bookings[s._bookingIndex.get(idOf(3n, f.b3).toString())!];
    expect(b3.resolution).to.deep.include({ toDriver: coins(3), arbiter: f.arbiter.address.toLowerCase() });
    expect(b3.history.map((h) => h.event)).to.deep.equal(["BookingCreated", "DisputeOpened", "DisputeResolved"]);
  });

  it("keeps district statistics and ratings", () => {
    const s = engine.state(parkingProjection);
    const d3 = s.districts.get(3)!;
    expect(d3.cancellations).to.equal(2);
    expect(d3.bookings).to.equal(3); // b1, b2, b6
    expect(d3.bookedHours).to.equal(3 + 2 + 26);
    const spot1 = s.spots.get("1")!;
    expect([spot1.ratingCount, spot1.ratingSum]).to.deep.equal([1, 5]);
    expect(s.ratings.get(f.alice.address.toLowerCase())).to.deep.equal({ count: 1, sum: 4 });
    let revenue = 0n;
    for (const b of s.bookings) revenue += (b.payout ? b.payout.toOwner + b.payout.fee : 0n) + (b.resolution ? b.resolution.toOwner + b.resolution.fee : 0n) + (b.cancellation ? b.cancellation.toOwner + b.cancellation.fee : 0n);
    expect([...s.districts.values()].reduce((a, d) => a + d.revenue, 0n)).to.equal(revenue);
  });

  it("serves spots, search by window, calendars, bookings and statistics through the queries", () => {
    const q = createQueries(engine);
    expect(q.parking.spot(1n)).to.deep.include({ status: "listed", hourlyRate: coins(3), owner: getAddress(f.owner.address), blockedDays: [f.week / DAY + 2] });
    expect(q.parking.spot(99n)).to.equal(undefined);
    expect(q.parking.spots({ district: 3 }).items.map((s) => s.id)).to.deep.equal([1n, 2n]);
    expect(q.parking.spots({}).total).to.equal(3); // spot 4 is delisted
    // Saturday 00-26h is carol's on spot 1; spot 3 is not offered on Saturdays.
    const sat = f.week + 5 * DAY;
    expect(q.parking.spots({ from: sat, to: sat + 2 * HOUR }).items.map((s) => s.id)).to.deep.equal([2n]);
    // Monday 14-16: spot 3 (8-18 weekdays) is free again, spot 1 and 2 too.
    expect(q.parking.spots({ from: f.week + 14 * HOUR, to: f.week + 16 * HOUR }).items.map((s) => s.id)).to.deep.equal([1n, 2n, 3n]);
    // Wednesday is blocked on spot 1.
    expect(q.parking.spots({ from: f.week + 2 * DAY + 9 * HOUR, to: f.week + 2 * DAY + 10 * HOUR }).items.map((s) => s.id)).to.deep.equal([2n, 3n]);
    expect(() => q.parking.spots({ from: f.week + 1, to: f.week + HOUR })).to.throw(RangeError, /whole hours/);

    const cal = q.parking.spotCalendar(3n, { from: f.week, to: f.week + DAY })!;
    expect(cal.bookings.map((b) => b.status)).to.deep.equal(["resolved"]);
    expect(cal.free).to.deep.equal([{ from: f.week + 12 * HOUR, to: f.week + 18 * HOUR }]);
    expect(q.parking.spotCalendar(9n, { from: f.week, to: f.week + DAY })).to.equal(undefined);

    const mine = q.parking.bookings(f.alice.address);
    expect(mine.total).to.equal(3);
    expect(q.parking.bookings(f.owner.address, { role: "owner" }).total).to.equal(5);
    expect(q.parking.booking(idOf(2n, f.b4))!.hours).to.equal(5); // the latest booking with the reused id
    expect(q.parking.booking(idOf(1n, f.b1))!.driverRating!.score).to.equal(5);

    const all = q.parking.stats();
    expect(all.districts.map((d) => d.district)).to.deep.equal([3, 5, 7]);
    expect(all.total.bookings).to.equal(4);
    const d3 = q.parking.stats({ district: 3, from: f.week, to: f.week + WEEK });
    expect(d3.districts).to.have.length(1);
    expect(d3.districts[0].spots).to.equal(2);
    expect(d3.districts[0].turnoverBps).to.equal(15_000);
    // Spots 1 and 2 offer 168 h each, less spot 1's blocked Wednesday; booked: 3 + 2 + 26 hours.
    expect(d3.districts[0].window).to.deep.equal({
      bookings: 3,
      bookedHours: 31,
      availableHours: 2 * 168 - 24,
      occupancyBps: Math.floor((31 * 10_000) / (2 * 168 - 24)),
      turnoverBps: 15_000,
    });
  });

  it("is deterministic: the same hash from two engines, from the fast decoder, and through encode/decode", () => {
    const again = new ProjectionEngine();
    again.apply(entries);
    expect(again.stateHash()).to.equal(engine.stateHash());
    const fast = new ProjectionEngine();
    fast.applyLog(logs.map((log, seq) => ({ seq, log, leafInput: new Uint8Array(), leafHash: new Uint8Array() })), new CityEventDecoder(f.record));
    expect(fast.stateHash()).to.equal(engine.stateHash());
    const json = canonicalJson(parkingProjection.encode(engine.state(parkingProjection)));
    const decoded = parkingProjection.decode(JSON.parse(json));
    expect(canonicalJson(parkingProjection.encode(decoded))).to.equal(json);
    expect([...decoded._bookingIndex]).to.deep.equal([...engine.state(parkingProjection)._bookingIndex]);
    expect(engine.stateHashes().domains.parking).to.match(/^[0-9a-f]{64}$/);
  });

  it("serves the parking routes over the real queries, with problems for bad input and 404s", async () => {
    // The parking routes read only the projections: the rest of the node context is not touched.
    const ctx = { updates: new UpdateBus(), chainId: 31337 } as unknown as NodeContext;
    const app = await buildApp(ctx, { queries: createQueries(engine), docs: false });
    const problem = async (url: string, status: number, kind: string) => {
      const res = await app.inject({ url });
      expect(res.statusCode, `${url}: ${res.body}`).to.equal(status);
      expect(res.headers["content-type"]).to.match(/^application\/problem\+json/);
      expect(res.json().type).to.equal(`${PROBLEM_BASE}${kind}`);
      return res.json();
    };
    try {
      const spots = await app.inject({ url: "/v1/parking/spots?district=3" });
      expect(spots.statusCode, spots.body).to.equal(200);
      expect(spots.headers["x-projection-seq"]).to.equal(String(engine.seq));
      expect(spots.json().items.map((x: { id: string }) => x.id)).to.deep.equal(["1", "2"]);
      expect(spots.json().items[0]).to.deep.include({ hourlyRate: "3000000", status: "listed", weeklyAvailability: ALL.toString() });
      const sat = f.week + 5 * DAY;
      expect((await app.inject({ url: `/v1/parking/spots?from=${sat}&to=${sat + 2 * HOUR}` })).json().items.map((x: { id: string }) => x.id)).to.deep.equal(["2"]);
      expect((await app.inject({ url: "/v1/parking/spots/3" })).json().owner).to.equal(getAddress(f.owner2.address));
      const cal = (await app.inject({ url: `/v1/parking/spots/3/calendar?from=${f.week}&to=${f.week + DAY}` })).json();
      expect(cal.free).to.deep.equal([{ from: f.week + 12 * HOUR, to: f.week + 18 * HOUR }]);
      expect(cal.bookings[0].resolution.toDriver).to.equal(coins(3).toString());
      const booking = (await app.inject({ url: `/v1/parking/bookings/${idOf(2n, f.b2)}` })).json();
      expect(booking).to.deep.include({ status: "paidOut", overstayCharge: coins(4).toString() });
      expect(booking.checkedInAt).to.be.within(f.b2, f.b2 + 2 * HOUR);
      const mine = (await app.inject({ url: `/v1/parking/members/${f.alice.address.toLowerCase()}/bookings?limit=2&order=asc` })).json();
      expect([mine.total, mine.items.length, mine.items[0].id]).to.deep.equal([3, 2, idOf(1n, f.b1).toString()]);
      expect((await app.inject({ url: `/v1/parking/members/${f.owner.address}/bookings?role=owner` })).json().total).to.equal(5);
      const stats = (await app.inject({ url: `/v1/parking/stats?district=3&from=${f.week}&to=${f.week + WEEK}` })).json();
      expect(stats.window).to.deep.equal({ from: f.week, to: f.week + WEEK });
      expect(stats.districts[0].window.bookedHours).to.equal(31);
      expect((await app.inject({ url: "/v1/parking/stats" })).json().total.bookings).to.equal(4);

      await problem("/v1/parking/spots/99", 404, "not-found");
      await problem(`/v1/parking/spots/99/calendar?from=${f.week}&to=${f.week + DAY}`, 404, "not-found");
      await problem("/v1/parking/bookings/12345", 404, "not-found");
      await problem(`/v1/parking/spots?from=${f.week + DAY}&to=${f.week}`, 400, "out-of-range");
      await problem(`/v1/parking/spots?from=${f.week}&to=${f.week + 91 * DAY}`, 400, "out-of-range");
      await problem(`/v1/parking/spots?from=${f.week + 1}&to=${f.week + DAY}`, 400, "out-of-range");
      await problem(`/v1/parking/spots?from=${f.week}`, 400, "invalid-parameter");
      await problem("/v1/parking/spots/1/calendar", 400, "invalid-parameter");
      await problem(`/v1/parking/stats?from=${f.week}&to=${f.week + 400 * DAY}`, 400, "out-of-range");
      await problem("/v1/parking/spots/abc", 400, "invalid-parameter");
      await problem("/v1/parking/bookings/-1", 400, "invalid-parameter");
      await problem("/v1/parking/members/0x1234/bookings", 400, "invalid-parameter");
      await problem("/v1/parking/spots?limit=0", 400, "out-of-range");
      await problem("/v1/parking/spots?district=x", 400, "invalid-parameter");
    } finally {
      await app.close();
    }
    const bare = await buildApp({ updates: new UpdateBus(), chainId: 31337 } as unknown as NodeContext, { docs: false });
    try {
      const res = await bare.inject({ url: "/v1/parking/stats" });
      expect(res.statusCode).to.equal(503);
    } finally {
      await bare.close();
    }
  });
});
