import { MaxUint256, id } from "ethers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { Flags, Roles } from "../../scripts/lib/roles";
import { recoverKey, cityFixture, coins, issue, now, register } from "../fixtures";

export const HOUR = 3600;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;
/** Monday 00:00 UTC is 72 hours before a multiple of a week since the epoch (a Thursday). */
export const MONDAY_OFFSET = 3 * DAY;
export const ALL_HOURS = (1n << 168n) - 1n;
export const BPS = 10_000n;
export const FLEXIBLE = 1;
export const MODERATE = 2;
export const STRICT = 3;
export const RATE = coins(2); // €2 an hour

/** ParkingExchange's SpotTerms, as the tests build them. */
export interface SpotTerms {
  district: number;
  geohash: string;
  descriptionHash: string;
  hourlyRate: bigint | number;
  dailyCap: bigint | number;
  presetId: number;
  checkIn: boolean;
  deposit: bigint | number;
  weeklyAvailability: bigint;
}

/** Default terms: district 3, €2 an hour, flexible, no check-in, open all week. */
export function terms(o: Partial<SpotTerms> = {}): SpotTerms {
  return {
    district: 3,
    geohash: "0x7370757a7362636400000000",
    descriptionHash: id("covered spot, 2.3 m high"),
    hourlyRate: RATE,
    dailyCap: 0,
    presetId: FLEXIBLE,
    checkIn: false,
    deposit: 0,
    weeklyAvailability: ALL_HOURS,
    ...o,
  };
}

/**
 * The city with a parking owner (flag PARKING_OWNER), a second owner, drivers alice, bob and carol (members holding
 * €1,000 each, exchange approved), an arbiter (ARBITER role) and a member without the flag.
 */
export async function parkingFixture() {
  const f = await cityFixture();
  const [owner, owner2, alice, bob, carol, arbiter, plain, ...rest] = f.people;
  await register(f, owner, { flags: Flags.RESIDENT | Flags.PARKING_OWNER });
  await register(f, owner2, { flags: Flags.PARKING_OWNER });
  for (const who of [alice, bob, carol, plain]) await register(f, who);
  for (const who of [alice, bob, carol, owner]) {
    await issue(f, who, coins(1_000));
    await (await f.coin.connect(who).approve(f.parking, MaxUint256)).wait();
  }
  await (await f.authority.connect(f.admin).grantRole(Roles.ARBITER, arbiter.address, 0)).wait();
  const t = await now();
  // Monday 00:00 UTC, two to three weeks ahead.
  const week = Math.floor((t + MONDAY_OFFSET) / WEEK) * WEEK - MONDAY_OFFSET + 2 * WEEK;
  return { ...f, owner, owner2, alice, bob, carol, arbiter, plain, rest, week, fund: f.admin };
}
export type ParkingCtx = Awaited<ReturnType<typeof parkingFixture>>;

/** Booking id: spot in the high bits, start hour in the low 32. */
export const idOf = (spotId: bigint | number, start: number) => (BigInt(spotId) << 32n) | BigInt(start / HOUR);

export async function listSpot(f: ParkingCtx, o: Partial<SpotTerms> = {}, owner: HardhatEthersSigner = f.owner): Promise<bigint> {
  await (await f.parking.connect(owner).list(terms(o))).wait();
  return f.parking.spotCount();
}

/**
 * Issue 13's money paths, for the projection and audit tests: a credit to a suspended driver (owner's cancellation),
 * taken after reinstatement; the owner of spot 1 recovered to `fresh` (spot, bookings and marks follow); a credit to
 * a suspended owner2 left held (payout); blocked days, some of which pass.
 */
export async function creditsScenario() {
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
  await (await recoverKey(f, f.owner.address, fresh.address)).wait();
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

