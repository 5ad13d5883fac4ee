/**
 * Property test of ParkingExchange's money under membership changes (issue 13, item 2): random bookings,
 * cancellations (driver and owner), disputes resolved at a random split, payouts and clock jumps, interleaved with
 * suspensions, reinstatements, removals and key recoveries of any owner or driver at any point, and withdrawals.
 *
 * The model knows each person's status and current key. It predicts every decision that depends on membership
 * (a driver or an owner who is not active cannot book or be booked; a credit is frozen while suspended; nothing to
 * withdraw) and the time rules of the naive model, and it routes every settlement share: pushed to an active party,
 * credited (PaymentCredited, exactly these amounts) to one that is not. After every step:
 *  1. CityCoin.balanceOf(exchange) == Σ (price + deposit) of open bookings + Σ credits (the model's);
 *  2. each person's credit is `creditOf` its current key, and its old keys hold none;
 *  3. the status of every booking is the model's.
 * At the end every suspended person is reinstated, every open booking paid out and every credit withdrawn (a removed
 * person sends hers to an active member): the exchange then holds nothing: every escrow ended paid or withdrawable.
 *
 * Reproduce / widen: FC_SEED=<n> FC_RUNS=<n> npx hardhat test test/parking/parking.membership.property.test.ts
 */
import { expect } from "chai";
import fc from "fast-check";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { MaxUint256, id, type ContractTransactionResponse, type Log } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { PARKING_DISPUTE_WINDOW } from "../../scripts/lib/deploy";
import { MIGRATION_DELAY, coins } from "../fixtures";
import { HOUR, MODERATE, RATE, idOf, listSpot, parkingFixture } from "./helpers";

const DEPOSIT = coins(5);
const Status = { Booked: 1n, Disputed: 2n, Cancelled: 3n, PaidOut: 4n, Resolved: 5n } as const;
type MemberStatus = "active" | "suspended" | "removed";

interface Person {
  key: HardhatEthersSigner;
  oldKeys: HardhatEthersSigner[];
  status: MemberStatus;
  credit: bigint;
}

interface ModelBooking {
  id: bigint;
  spot: 0 | 1;
  driver: number; // person index
  start: number;
  end: number;
  price: bigint;
  deposit: bigint;
  status: bigint;
}

type Op =
  | { kind: "book"; spot: 0 | 1; driver: number; startHour: number; hours: number }
  | { kind: "cancel"; pick: number; byOwner: boolean }
  | { kind: "dispute"; pick: number; toDriverPct: number }
  | { kind: "payout"; pick: number }
  | { kind: "advance"; hours: number }
  | { kind: "suspend" | "reinstate" | "remove" | "recover" | "withdraw"; person: number };

const person = fc.nat(4); // 0, 1: the owners of spots 0 and 1; 2, 3, 4: drivers
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant("book" as const), spot: fc.constantFrom(0 as const, 1 as const), driver: fc.integer({ min: 2, max: 4 }), startHour: fc.nat(120), hours: fc.integer({ min: 1, max: 30 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat(), byOwner: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("dispute" as const), pick: fc.nat(), toDriverPct: fc.nat(100) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("payout" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("advance" as const), hours: fc.integer({ min: 1, max: 60 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("suspend" as const), person }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("reinstate" as const), person }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("remove" as const), person: fc.integer({ min: 0, max: 9 }).map((n) => (n < 5 ? n : 99)) }) }, // half the draws remove no one: a removal ends a person's part
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("recover" as const), person }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("withdraw" as const), person }) },
);

async function propertyFixture() {
  const f = await parkingFixture();
  const spots = [await listSpot(f, { presetId: MODERATE }), await listSpot(f, { checkIn: true, deposit: DEPOSIT }, f.owner2)] as const;
  // Fresh keys for recoveries may approve the exchange ahead (an allowance makes no one a member).
  for (const k of f.rest) await (await f.coin.connect(k).approve(f.parking, MaxUint256)).wait();
  await time.increaseTo(f.week - 72 * HOUR + HOUR / 2);
  return { ...f, spots };
}
type Ctx = Awaited<ReturnType<typeof propertyFixture>>;

interface World {
  f: Ctx;
  people: Person[];
  bookings: ModelBooking[];
  freshKeys: HardhatEthersSigner[];
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;
const open = (b: ModelBooking) => b.status === Status.Booked || b.status === Status.Disputed;
const ownerOf = (b: { spot: 0 | 1 }) => b.spot; // person 0 owns spot 0, person 1 spot 1

const stats = new Map<string, number>();
const count = (outcome: string) => stats.set(outcome, (stats.get(outcome) ?? 0) + 1);

/** PaymentCredited (account, amount) pairs of a transaction. */
async function creditsOf(w: World, tx: ContractTransactionResponse): Promise<[string, bigint][]> {
  const receipt = await tx.wait();
  const out: [string, bigint][] = [];
  for (const log of receipt!.logs as Log[]) {
    const parsed = w.f.parking.interface.parseLog(log);
    if (parsed?.name === "PaymentCredited") out.push([parsed.args.account as string, parsed.args.amount as bigint]);
  }
  return out;
}

/** The model's routing of a settlement: shares to parties who are not active become their credits. */
async function settle(w: World, tx: ContractTransactionResponse, b: ModelBooking, toDriver: bigint, toOwner: bigint) {
  const expected: [string, bigint][] = [];
  const driver = w.people[b.driver];
  const owner = w.people[ownerOf(b)];
  if (toDriver !== 0n && driver.status !== "active") {
    expected.push([driver.key.address, toDriver]);
    driver.credit += toDriver;
  }
  if (toOwner !== 0n && owner.status !== "active") {
    expected.push([owner.key.address, toOwner]);
    owner.credit += toOwner;
  }
  expect(await creditsOf(w, tx), "PaymentCredited").to.deep.equal(expected);
  if (expected.length > 0) count("settlement: credited");
}

function eventArgs(w: World, receiptLogs: readonly Log[], name: string) {
  for (const log of receiptLogs) {
    const parsed = w.f.parking.interface.parseLog(log);
    if (parsed?.name === name) return parsed.args;
  }
  throw new Error(`no ${name}`);
}

async function step(w: World, op: Op) {
  const { f } = w;
  const p = f.parking;
  const pick = (n: number) => (w.bookings.length === 0 ? undefined : w.bookings[n % w.bookings.length]);
  const t = (await time.latest()) + 1;
  switch (op.kind) {
    case "book": {
      const start = f.week + op.startHour * HOUR;
      const end = start + op.hours * HOUR;
      const driver = w.people[op.driver];
      const owner = w.people[op.spot];
      const call = p.connect(driver.key).book(f.spots[op.spot], start, end, MaxUint256);
      if (driver.status !== "active") {
        count("book: NotAMember");
        return expect(call).to.be.revertedWithCustomError(p, "ParkingExchangeNotAMember").withArgs(driver.key.address);
      }
      if (owner.status !== "active") {
        count("book: OwnerNotActive");
        return expect(call).to.be.revertedWithCustomError(p, "ParkingExchangeOwnerNotActive").withArgs(f.spots[op.spot], owner.key.address);
      }
      if (start < t - (t % HOUR)) {
        count("book: StartInPast");
        return expect(call).to.be.revertedWithCustomError(p, "ParkingExchangeStartInPast");
      }
      if (w.bookings.some((b) => b.spot === op.spot && b.status !== Status.Cancelled && overlaps(b, { start, end }))) {
        count("book: Overlap");
        return expect(call).to.be.revertedWithCustomError(p, "ParkingExchangeOverlap");
      }
      count("book: BookingCreated");
      await expect(call).to.emit(p, "BookingCreated");
      const bookingId = idOf(f.spots[op.spot], start);
      const previous = w.bookings.findIndex((b) => b.id === bookingId);
      if (previous >= 0) w.bookings.splice(previous, 1);
      w.bookings.push({ id: bookingId, spot: op.spot, driver: op.driver, start, end, price: BigInt(op.hours) * RATE, deposit: op.spot === 1 ? DEPOSIT : 0n, status: Status.Booked });
      return;
    }
    case "cancel": {
      const b = pick(op.pick);
      if (!b) return;
      const caller = op.byOwner ? w.people[ownerOf(b)].key : w.people[b.driver].key;
      if (b.status !== Status.Booked) {
        count("cancel: InvalidStatus");
        return expect(p.connect(caller).cancel(b.id)).to.be.revertedWithCustomError(p, "ParkingExchangeInvalidStatus");
      }
      if (op.byOwner ? t >= b.end : t >= b.start) {
        count("cancel: too late");
        return expect(p.connect(caller).cancel(b.id)).to.be.revertedWithCustomError(p, op.byOwner ? "ParkingExchangeBookingEnded" : "ParkingExchangeAlreadyStarted");
      }
      count("cancel: BookingCancelled");
      const tx = await p.connect(caller).cancel(b.id);
      const a = eventArgs(w, (await tx.wait())!.logs, "BookingCancelled");
      b.status = Status.Cancelled;
      return settle(w, tx, b, a.refund as bigint, a.toOwner as bigint);
    }
    case "dispute": {
      const b = pick(op.pick);
      if (!b || b.status !== Status.Booked) return;
      const closesAt = b.end + PARKING_DISPUTE_WINDOW;
      const call = p.connect(w.people[b.driver].key).openDispute(b.id);
      if (t < b.start || t >= closesAt) {
        count("dispute: DisputeClosed");
        return expect(call).to.be.revertedWithCustomError(p, "ParkingExchangeDisputeClosed");
      }
      count("dispute: resolved");
      await expect(call).to.emit(p, "DisputeOpened");
      const toDriver = ((b.price + b.deposit) * BigInt(op.toDriverPct)) / 100n;
      const tx = await p.connect(f.arbiter).resolveDispute(b.id, toDriver, id("decision"));
      const a = eventArgs(w, (await tx.wait())!.logs, "DisputeResolved");
      b.status = Status.Resolved;
      return settle(w, tx, b, toDriver, a.toOwner as bigint);
    }
    case "payout": {
      const b = pick(op.pick);
      if (!b) return;
      if (b.status !== Status.Booked) {
        count("payout: InvalidStatus");
        return expect(p.payout(b.id)).to.be.revertedWithCustomError(p, "ParkingExchangeInvalidStatus");
      }
      if (t < b.end + PARKING_DISPUTE_WINDOW) {
        count("payout: PayoutNotDue");
        return expect(p.payout(b.id)).to.be.revertedWithCustomError(p, "ParkingExchangePayoutNotDue");
      }
      count("payout: BookingPaidOut");
      const tx = await p.payout(b.id);
      const a = eventArgs(w, (await tx.wait())!.logs, "BookingPaidOut");
      b.status = Status.PaidOut;
      return settle(w, tx, b, a.refund as bigint, a.toOwner as bigint);
    }
    case "advance": {
      const now = await time.latest();
      await time.increaseTo(now - (now % HOUR) + op.hours * HOUR + HOUR / 2);
      return;
    }
    case "suspend": {
      const who = w.people[op.person];
      if (who.status !== "active") return;
      count("suspend");
      await (await f.registry.connect(f.registrar).suspend(who.key.address, id("property"))).wait();
      who.status = "suspended";
      return;
    }
    case "reinstate": {
      const who = w.people[op.person];
      if (who.status !== "suspended") return;
      count("reinstate");
      await (await f.registry.connect(f.registrar).reinstate(who.key.address)).wait();
      who.status = "active";
      return;
    }
    case "remove": {
      const who = w.people[op.person];
      if (!who || who.status === "removed") return;
      count("remove");
      await (await f.registry.connect(f.registrar).remove(who.key.address, id("property"))).wait();
      who.status = "removed";
      return;
    }
    case "recover": {
      const who = w.people[op.person];
      const fresh = w.freshKeys[0];
      if (who.status === "removed" || fresh === undefined) return;
      count("recover");
      w.freshKeys.shift();
      await (await f.registry.connect(f.registrar).startMigration(who.key.address, fresh.address)).wait();
      await (await f.registry.connect(f.orchestrator).approveMigration(who.key.address)).wait();
      await time.increase(MIGRATION_DELAY);
      const marks = await p.ownerCancellations(who.key.address);
      await expect(f.registry.completeMigration(who.key.address)).to.emit(p, "PartyMigrated").withArgs(who.key.address, fresh.address, who.credit, marks);
      expect(await p.ownerCancellations(fresh.address)).to.equal(marks);
      who.oldKeys.push(who.key);
      who.key = fresh;
      return;
    }
    case "withdraw":
      return withdraw(w, w.people[op.person]);
  }
}

async function withdraw(w: World, who: Person) {
  const p = w.f.parking;
  const to = who.status === "removed" ? w.f.plain.address : who.key.address;
  const call = p.connect(who.key).withdraw(to);
  if (who.credit === 0n) {
    count("withdraw: NoCredit");
    return expect(call).to.be.revertedWithCustomError(p, "ParkingExchangeNoCredit").withArgs(who.key.address);
  }
  if (who.status === "suspended") {
    count("withdraw: CreditFrozen");
    return expect(call).to.be.revertedWithCustomError(p, "ParkingExchangeCreditFrozen").withArgs(who.key.address);
  }
  count(`withdraw: CreditWithdrawn (${who.status})`);
  await expect(call).to.emit(p, "CreditWithdrawn").withArgs(who.key.address, to, who.credit);
  who.credit = 0n;
}

async function assertInvariants(w: World) {
  const { f } = w;
  const escrow = w.bookings.filter(open).reduce((s, b) => s + b.price + b.deposit, 0n);
  const credits = w.people.reduce((s, x) => s + x.credit, 0n);
  expect(await f.coin.balanceOf(f.parking), "Σ escrows + Σ credits").to.equal(escrow + credits);
  for (const x of w.people) {
    expect(await f.parking.creditOf(x.key), `credit of ${x.key.address}`).to.equal(x.credit);
    for (const old of x.oldKeys) expect(await f.parking.creditOf(old), `old key ${old.address}`).to.equal(0n);
  }
  for (const b of w.bookings) expect((await f.parking.booking(b.id))[0].status, `status of ${b.id}`).to.equal(b.status);
}

/** Reinstates everyone suspended, pays every open booking out and withdraws every credit: nothing may stay behind. */
async function drain(w: World) {
  const { f } = w;
  // Payouts first, while some parties may still be suspended (their shares are credited), then reinstatements.
  const last = w.bookings.reduce((m, b) => Math.max(m, b.end), 0);
  const now = await time.latest();
  if (last + PARKING_DISPUTE_WINDOW >= now) await time.increaseTo(last + PARKING_DISPUTE_WINDOW + HOUR / 2);
  for (const b of w.bookings.filter((b) => b.status === Status.Booked)) await step(w, { kind: "payout", pick: w.bookings.indexOf(b) });
  await assertInvariants(w);
  for (const x of w.people) await step(w, { kind: "reinstate", person: w.people.indexOf(x) });
  for (const x of w.people) if (x.credit !== 0n) await withdraw(w, x);
  await assertInvariants(w);
  expect(await f.coin.balanceOf(f.parking), "nothing left behind").to.equal(0n);
}

describe("ParkingExchange properties under membership changes", function () {
  this.timeout(900_000);
  after(() => {
    if (process.env.FC_STATS) console.table(Object.fromEntries([...stats].sort()));
  });

  it("suspensions, removals, reinstatements and recoveries at any point: Σ escrows + Σ credits = balance, and everything ends paid or withdrawable", async function () {
    const numRuns = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : 30;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 10, maxLength: 40 }), async (ops) => {
        const f = await loadFixture(propertyFixture);
        const w: World = {
          f,
          people: [f.owner, f.owner2, f.alice, f.bob, f.carol].map((key) => ({ key, oldKeys: [], status: "active" as MemberStatus, credit: 0n })),
          bookings: [],
          freshKeys: [...f.rest],
        };
        for (const op of ops) {
          await step(w, op);
          await assertInvariants(w);
        }
        await drain(w);
      }),
      { numRuns, seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined, endOnFailure: true },
    );
  });
});
