/**
 * Property tests of ParkingExchange against a naive model: random bookings, cancellations (driver and owner),
 * check-ins, disputes, payouts and clock jumps over two spots and three drivers. The model keeps each spot's
 * bookings as a plain list of intervals and decides every step by scanning it; the chain must take the same decision
 * (success, or the exact custom error). After every step:
 *  1. CityCoin.balanceOf(exchange) == Σ (price + deposit) of the open (booked or disputed) bookings (escrow conservation);
 *  2. the status of every booking made so far is the model's;
 * and at the end of each run every hour of the horizon reads booked on chain exactly when a live model interval covers
 * it, and no two live intervals of a spot overlap (so the chain never accepted an overlapping booking).
 *
 * The clock only stands in the middle of an hour (jumps land at hh:30), so that the few seconds each transaction adds
 * never cross an hour boundary, and every deadline (start, end, payout, cancellation tiers) is a whole hour.
 *
 * Reproduce / widen: FC_SEED=<n> FC_RUNS=<n> npx hardhat test test/parking/parking.property.test.ts
 */
import { expect } from "chai";
import fc from "fast-check";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { MaxUint256, id } from "ethers";
import { PARKING_DISPUTE_WINDOW } from "../../scripts/lib/deploy";
import { coins } from "../fixtures";
import { HOUR, MODERATE, RATE, idOf, listSpot, parkingFixture } from "./helpers";

const HORIZON_HOURS = 2 * 168;
const DEPOSIT = coins(5);
const Status = { Booked: 1n, Disputed: 2n, Cancelled: 3n, PaidOut: 4n, Resolved: 5n } as const;

interface ModelBooking {
  id: bigint;
  spot: 0 | 1;
  driver: number;
  start: number; // unix seconds
  end: number;
  price: bigint;
  deposit: bigint;
  status: bigint;
  checkedIn: boolean;
}

type Op =
  | { kind: "book"; spot: 0 | 1; driver: number; startHour: number; hours: number }
  | { kind: "cancel"; pick: number; byOwner: boolean }
  | { kind: "checkIn"; pick: number }
  | { kind: "dispute"; pick: number; toDriverPct: number }
  | { kind: "payout"; pick: number }
  | { kind: "advance"; hours: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("book" as const), spot: fc.constantFrom(0 as const, 1 as const), driver: fc.nat(2), startHour: fc.nat(120), hours: fc.integer({ min: 1, max: 30 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat(), byOwner: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("checkIn" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("dispute" as const), pick: fc.nat(), toDriverPct: fc.nat(100) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("payout" as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("advance" as const), hours: fc.integer({ min: 1, max: 60 }) }) },
);

async function propertyFixture() {
  const f = await parkingFixture();
  const plainSpot = await listSpot(f, { presetId: MODERATE });
  const checkInSpot = await listSpot(f, { checkIn: true, deposit: DEPOSIT }, f.owner2);
  // Start three days before the horizon, mid-hour.
  await time.increaseTo(f.week - 72 * HOUR + HOUR / 2);
  return { ...f, spots: [plainSpot, checkInSpot] as const, owners: [f.owner, f.owner2], drivers: [f.alice, f.bob, f.carol] };
}
type Ctx = Awaited<ReturnType<typeof propertyFixture>>;

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;
const live = (b: ModelBooking) => b.status !== Status.Cancelled;
const open = (b: ModelBooking) => b.status === Status.Booked || b.status === Status.Disputed;

/** The next transaction's timestamp, as the model reads the clock (never within seconds of an hour boundary). */
async function nextTime(): Promise<number> {
  return (await time.latest()) + 1;
}

/** Outcomes per operation (printed with FC_STATS=1), to see that the runs reach every branch. */
const stats = new Map<string, number>();
const count = (outcome: string) => stats.set(outcome, (stats.get(outcome) ?? 0) + 1);

async function step(f: Ctx, model: ModelBooking[], op: Op) {
  const p = f.parking;
  const pick = (n: number) => (model.length === 0 ? undefined : model[n % model.length]);
  switch (op.kind) {
    case "book": {
      const start = f.week + op.startHour * HOUR;
      const end = start + op.hours * HOUR;
      const spotId = f.spots[op.spot];
      const driver = f.drivers[op.driver];
      const t = await nextTime();
      const call = p.connect(driver).book(spotId, start, end, MaxUint256);
      if (start < t - (t % HOUR)) {
        count("book: StartInPast");
        await expect(call).to.be.revertedWithCustomError(p, "ParkingExchangeStartInPast").withArgs(start, t - (t % HOUR));
        return;
      }
      const candidate = { start, end };
      if (model.some((b) => b.spot === op.spot && live(b) && overlaps(b, candidate))) {
        count("book: Overlap");
        await expect(call).to.be.revertedWithCustomError(p, "ParkingExchangeOverlap").withArgs(spotId, start, end);
        return;
      }
      count("book: BookingCreated");
      await expect(call).to.emit(p, "BookingCreated");
      const bookingId = idOf(spotId, start);
      const price = BigInt(op.hours) * RATE;
      const deposit = op.spot === 1 ? DEPOSIT : 0n;
      const fresh: ModelBooking = { id: bookingId, spot: op.spot, driver: op.driver, start, end, price, deposit, status: Status.Booked, checkedIn: false };
      // A cancelled booking with the same id is replaced (the id is reused).
      const previous = model.findIndex((b) => b.id === bookingId);
      if (previous >= 0) model.splice(previous, 1);
      model.push(fresh);
      return;
    }
    case "cancel": {
      const b = pick(op.pick);
      if (!b) return;
      const caller = op.byOwner ? f.owners[b.spot] : f.drivers[b.driver];
      const call = p.connect(caller).cancel(b.id);
      const t = await nextTime();
      if (b.status !== Status.Booked) {
        count("cancel: InvalidStatus");
        await expect(call).to.be.revertedWithCustomError(p, "ParkingExchangeInvalidStatus").withArgs(b.id, b.status);
      } else if (op.byOwner && t >= b.end) {
        count("cancel: BookingEnded");
        await expect(call).to.be.revertedWithCustomError(p, "ParkingExchangeBookingEnded").withArgs(b.id, b.end);
      } else if (op.byOwner && b.checkedIn) {
        count("cancel: AlreadyCheckedIn");
        await expect(call).to.be.revertedWithCustomError(p, "ParkingExchangeAlreadyCheckedIn").withArgs(b.id);
      } else if (!op.byOwner && t >= b.start) {
        count("cancel: AlreadyStarted");
        await expect(call).to.be.revertedWithCustomError(p, "ParkingExchangeAlreadyStarted").withArgs(b.id, b.start);
      } else {
        count("cancel: BookingCancelled");
        await expect(call).to.emit(p, "BookingCancelled");
        b.status = Status.Cancelled;
      }
      return;
    }
    case "checkIn": {
      const b = pick(op.pick);
      if (!b || b.status !== Status.Booked || b.spot !== 1) return;
      const call = p.connect(f.drivers[b.driver]).checkIn(b.id);
      const t = await nextTime();
      // The contract checks the window before the earlier check-in: a checked-in booking past its end is "closed".
      if (t < b.start || t >= b.end) {
        count("checkIn: CheckInClosed");
        await expect(call).to.be.revertedWithCustomError(p, "ParkingExchangeCheckInClosed").withArgs(b.id, b.start, b.end);
      } else if (b.checkedIn) {
        count("checkIn: AlreadyCheckedIn");
        await expect(call).to.be.revertedWithCustomError(p, "ParkingExchangeAlreadyCheckedIn").withArgs(b.id);
      } else {
        count("checkIn: CheckedIn");
        await expect(call).to.emit(p, "CheckedIn");
        b.checkedIn = true;
      }
      return;
    }
    case "dispute": {
      const b = pick(op.pick);
      if (!b || b.status !== Status.Booked) return;
      const t = await nextTime();
      const closesAt = b.end + PARKING_DISPUTE_WINDOW;
      const call = p.connect(f.drivers[b.driver]).openDispute(b.id);
      if (t < b.start || t >= closesAt) {
        count("dispute: DisputeClosed");
        await expect(call).to.be.revertedWithCustomError(p, "ParkingExchangeDisputeClosed").withArgs(b.id, b.start, closesAt);
        return;
      }
      count("dispute: DisputeOpened");
      await expect(call).to.emit(p, "DisputeOpened");
      b.status = Status.Disputed;
      await assertInvariants(f, model);
      const toDriver = ((b.price + b.deposit) * BigInt(op.toDriverPct)) / 100n;
      await expect(p.connect(f.arbiter).resolveDispute(b.id, toDriver, id("decision"))).to.emit(p, "DisputeResolved");
      b.status = Status.Resolved;
      return;
    }
    case "payout": {
      const b = pick(op.pick);
      if (!b) return;
      const t = await nextTime();
      const call = p.payout(b.id);
      if (b.status !== Status.Booked) {
        count("payout: InvalidStatus");
        await expect(call).to.be.revertedWithCustomError(p, "ParkingExchangeInvalidStatus").withArgs(b.id, b.status);
      } else if (t < b.end + PARKING_DISPUTE_WINDOW) {
        count("payout: PayoutNotDue");
        await expect(call).to.be.revertedWithCustomError(p, "ParkingExchangePayoutNotDue").withArgs(b.id, b.end + PARKING_DISPUTE_WINDOW);
      } else {
        count("payout: BookingPaidOut");
        await expect(call).to.emit(p, "BookingPaidOut");
        b.status = Status.PaidOut;
      }
      return;
    }
    case "advance": {
      const t = await time.latest();
      await time.increaseTo(t - (t % HOUR) + op.hours * HOUR + HOUR / 2);
      return;
    }
  }
}

async function assertInvariants(f: Ctx, model: ModelBooking[]) {
  const escrow = model.filter(open).reduce((sum, b) => sum + b.price + b.deposit, 0n);
  expect(await f.coin.balanceOf(f.parking), "escrow conservation").to.equal(escrow);
  for (const b of model) {
    const [onChain] = await f.parking.booking(b.id);
    expect(onChain.status, `status of ${b.id}`).to.equal(b.status);
  }
}

async function assertCalendar(f: Ctx, model: ModelBooking[]) {
  for (const spot of [0, 1] as const) {
    const intervals = model.filter((b) => b.spot === spot && live(b));
    for (let i = 0; i < intervals.length; i++) {
      for (let j = i + 1; j < intervals.length; j++) expect(overlaps(intervals[i], intervals[j]), "live intervals overlap").to.equal(false);
    }
    // Maximal runs of equal occupancy, each checked with one call (any booked hour in a free run would show).
    let h = 0;
    while (h < HORIZON_HOURS) {
      const at = f.week + h * HOUR;
      const cover = intervals.find((b) => b.start <= at && at < b.end);
      if (cover) {
        for (let k = cover.start; k < cover.end; k += HOUR) expect(await f.parking.isBooked(f.spots[spot], k, k + HOUR), `hour ${k}`).to.equal(true);
        h = (cover.end - f.week) / HOUR;
      } else {
        const next = intervals.filter((b) => b.start > at).reduce((m, b) => Math.min(m, b.start), f.week + HORIZON_HOURS * HOUR);
        expect(await f.parking.isBooked(f.spots[spot], at, next), `free ${at}..${next}`).to.equal(false);
        h = (next - f.week) / HOUR;
      }
    }
  }
}

describe("ParkingExchange properties (naive interval model)", function () {
  this.timeout(600_000);
  after(() => {
    if (process.env.FC_STATS) console.table(Object.fromEntries([...stats].sort()));
  });

  it("random bookings, cancellations, check-ins, disputes and payouts: never an overlap, escrow always conserved", async function () {
    const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
    const numRuns = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : 60;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 10, maxLength: 40 }), async (ops) => {
        const f = await loadFixture(propertyFixture);
        const model: ModelBooking[] = [];
        for (const op of ops) {
          await step(f, model, op);
          await assertInvariants(f, model);
        }
        await assertCalendar(f, model);
      }),
      { numRuns, seed, endOnFailure: true },
    );
  });

  it("dense bookings on one spot: every accepted booking is disjoint from the others, every refused one overlaps", async function () {
    const numRuns = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : 15;
    const bookArb = fc.record({ startHour: fc.nat(47), hours: fc.integer({ min: 1, max: 8 }), driver: fc.nat(2), cancel: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(bookArb, { minLength: 10, maxLength: 40 }), async (attempts) => {
        const f = await loadFixture(propertyFixture);
        const model: ModelBooking[] = [];
        for (const a of attempts) {
          await step(f, model, { kind: "book", spot: 0, driver: a.driver, startHour: 24 * 7 + a.startHour, hours: a.hours });
          const last = model[model.length - 1];
          if (a.cancel && last && last.status === Status.Booked && last.start === f.week + (24 * 7 + a.startHour) * HOUR) {
            await step(f, model, { kind: "cancel", pick: model.length - 1, byOwner: a.driver === 0 });
          }
          await assertInvariants(f, model);
        }
        await assertCalendar(f, model);
      }),
      { numRuns, seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined, endOnFailure: true },
    );
  });
});
