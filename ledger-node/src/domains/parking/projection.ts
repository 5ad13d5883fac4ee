/**
 * Parking read model, from ParkingExchange's events alone: the council's parameters and cancellation presets, spots
 * (owner, district, geohash, terms, status, blocked days, the ratings drivers gave), bookings (terms fixed at booking,
 * every status transition with its seq: booked, checked in, checked out, cancelled, disputed, resolved, paid out,
 * rated), the owners' cancellation marks and statistics per district.
 *
 * Mirrors ParkingExchange:
 * - a booking's id is `spotId << 32 | startHour`; a cancelled booking frees its hours and a later booking of the same
 *   spot and start hour reuses the id (`BookingCreated` starts the id's history afresh): `bookings` keeps every
 *   booking ever made, in log order, and `bookingIndex` points an id at its latest;
 * - a cancellation clears the booking's check-in record (the contract deletes it); `escrow` is `price + deposit` of
 *   bookings booked or disputed, what ParkingExchange holds;
 * - times are the events' fields: the reducer never reads a clock;
 * - a settlement share CityCoin refused is held as a credit (`PaymentCredited`, taken by `CreditWithdrawn`), so the
 *   exchange's balance is `escrow + Σ credits`;
 * - a key recovery (`PartyMigrated`) re-points the old key's spots, bookings, credit, cancellation marks and ratings
 *   received to the new key, as the contract's `holderOf` does;
 * - blocked days are kept from the `today` of the spot's latest blocked-days event on: the contract accepts days from
 *   today to a year ahead, so a spot's set is bounded (at most about 367 days), whatever its owner sends.
 *
 * District statistics count a booking in the district of its spot when it was made: `bookings` and `bookedHours`
 * count bookings not cancelled (a cancellation takes its hours back), `cancellations` the cancelled ones, `revenue`
 * what owners earned before the fee (toOwner + fee of payouts, resolutions and driver cancellations) and `fees` the
 * city's share.
 */
import type { ProjectedEntry } from "../../types";
import { defineProjection } from "../../projections/projection";

/** `IParkingExchange.BookingStatus`. */
export const BookingStatusCode = { None: 0, Booked: 1, Disputed: 2, Cancelled: 3, PaidOut: 4, Resolved: 5 } as const;
export type BookingStatusCodeValue = (typeof BookingStatusCode)[keyof typeof BookingStatusCode];

export const HOUR = 3600;
export const DAY = 86_400;
/** Unix hour → bit of the week (0 = Monday 00:00 UTC): 1970-01-01 was a Thursday, 72 hours after a Monday. */
export const EPOCH_SHIFT_HOURS = 72;

export interface PresetRecord {
  id: number;
  name: string;
  enabled: boolean;
  minNotice: number[];
  refundBps: number[];
}

export interface SpotRecord {
  id: bigint;
  owner: string;
  district: number;
  geohash: string;
  descriptionHash: string;
  hourlyRate: bigint;
  dailyCap: bigint;
  presetId: number;
  checkIn: boolean;
  deposit: bigint;
  weeklyAvailability: bigint;
  paused: boolean;
  delisted: boolean;
  /** Unix day indexes the owner blocked. */
  blockedDays: Set<number>;
  /** Ratings drivers gave the spot's owner for bookings of this spot. */
  ratingCount: number;
  ratingSum: number;
  listedSeq: number;
  /** Seq of the last change of terms or status. */
  updatedSeq: number;
  /** Indices into `bookings` of every booking of this spot (derived). */
  _bookings: number[];
}

/** One step of a booking's life (`H`: how a hash is typed, a string here, viem's `Hex` in the API's view). */
export interface BookingStep<H extends string = string> {
  seq: number;
  txHash: H;
  /** Event name: BookingCreated, CheckedIn, CheckedOut, BookingCancelled, DisputeOpened, DisputeResolved,
   * BookingPaidOut, BookingRated. */
  event: string;
}

export interface RatingRecord<H extends string = string> {
  score: number;
  commentHash: H;
  seq: number;
}

/**
 * A booking's fields, as the projection keeps them (`BookingRecord`: lower-case strings, a status code) and as the
 * API serves them (`ParkingBookingView` in queries.ts: viem's `Address` and `Hex`, the status by name): one shape.
 */
export interface BookingFields<A extends string = string, H extends string = string, S = BookingStatusCodeValue> {
  id: bigint;
  spotId: bigint;
  /** District of the spot when the booking was made. */
  district: number;
  driver: A;
  owner: A;
  start: number;
  end: number;
  price: bigint;
  deposit: bigint;
  /** Overstay rate (check-in bookings), base units per started hour. */
  overstayRate: bigint;
  presetId: number;
  checkIn: boolean;
  status: S;
  checkedInAt?: number;
  checkedOutAt?: number;
  overstayCharge: bigint;
  cancellation?: { by: A; byOwner: boolean; refund: bigint; toOwner: bigint; fee: bigint; seq: number };
  dispute?: { by: A; seq: number };
  resolution?: { arbiter: A; toDriver: bigint; toOwner: bigint; fee: bigint; reasonHash: H; seq: number };
  payout?: { toOwner: bigint; fee: bigint; refund: bigint; overstayCharge: bigint; seq: number };
  /** The driver's rating of the owner. */
  driverRating?: RatingRecord<H>;
  /** The owner's rating of the driver. */
  ownerRating?: RatingRecord<H>;
  createdSeq: number;
  history: BookingStep<H>[];
}

export type BookingRecord = BookingFields;

export interface DistrictRecord {
  district: number;
  bookings: number;
  bookedHours: number;
  cancellations: number;
  revenue: bigint;
  fees: bigint;
}

export interface ParkingState {
  feeBps: number;
  disputeWindow: number;
  maxBookingHours: number;
  presets: Map<number, PresetRecord>;
  /** Spots by decimal id. */
  spots: Map<string, SpotRecord>;
  /** Spots in listing order (derived). */
  _spotList: SpotRecord[];
  /** Every booking ever made, in log order. */
  bookings: BookingRecord[];
  /** Decimal booking id → index of its latest booking (derived). */
  _bookingIndex: Map<string, number>;
  /** Indices into `bookings` by lower-case address, as driver or as owner (derived). */
  _bookingsByMember: Map<string, number[]>;
  /** Owner → cancellations marked on its record. */
  ownerCancellations: Map<string, number>;
  /** Ratings received, by lower-case address (owners from drivers, drivers from owners). */
  ratings: Map<string, { count: number; sum: number }>;
  districts: Map<number, DistrictRecord>;
  /** Σ price + deposit of bookings booked or disputed. */
  escrow: bigint;
  /** Credits held for parties CityCoin refused at settlement, by lower-case address (never zero entries). */
  credits: Map<string, bigint>;
  /** Σ credits: ParkingExchange's CityCoin balance is `escrow + creditTotal`. */
  creditTotal: bigint;
}

function district(state: ParkingState, id: number): DistrictRecord {
  let d = state.districts.get(id);
  if (!d) {
    d = { district: id, bookings: 0, bookedHours: 0, cancellations: 0, revenue: 0n, fees: 0n };
    state.districts.set(id, d);
  }
  return d;
}

function indexMember(state: ParkingState, address: string, index: number): void {
  let mine = state._bookingsByMember.get(address);
  if (!mine) {
    mine = [];
    state._bookingsByMember.set(address, mine);
  }
  if (mine[mine.length - 1] !== index) mine.push(index);
}

function indexBooking(state: ParkingState, b: BookingRecord, index: number): void {
  state._bookingIndex.set(b.id.toString(), index);
  state.spots.get(b.spotId.toString())?._bookings.push(index);
  indexMember(state, b.driver, index);
  indexMember(state, b.owner, index);
}

function step(b: BookingRecord, entry: ProjectedEntry): void {
  b.history.push({ seq: entry.seq, txHash: entry.log.transactionHash.toLowerCase(), event: entry.event.name });
}

/** Adds a settlement's money to its booking's district. */
function earn(state: ParkingState, b: BookingRecord, toOwner: bigint, fee: bigint): void {
  const d = district(state, b.district);
  d.revenue += toOwner + fee;
  d.fees += fee;
}

function reduce(state: ParkingState, entry: ProjectedEntry): ParkingState {
  const e = entry.event;
  if (e.contract !== "ParkingExchange") return state;
  const spot = (id: bigint) => state.spots.get(id.toString());
  const booking = (id: bigint) => {
    const i = state._bookingIndex.get(id.toString());
    return i === undefined ? undefined : state.bookings[i];
  };
  switch (e.name) {
    case "CityFeeSet":
      state.feeBps = e.args.feeBps;
      break;
    case "DisputeWindowSet":
      state.disputeWindow = e.args.disputeWindow;
      break;
    case "MaxBookingHoursSet":
      state.maxBookingHours = e.args.maxBookingHours;
      break;
    case "CancellationPresetAdded": {
      const id = e.args.presetId;
      state.presets.set(id, { id, name: e.args.name.toLowerCase(), enabled: true, minNotice: [...e.args.minNotice], refundBps: [...e.args.refundBps] });
      break;
    }
    case "CancellationPresetEnabledSet": {
      const p = state.presets.get(e.args.presetId);
      if (p) p.enabled = e.args.enabled;
      break;
    }
    case "SpotListed": {
      const id = e.args.spotId;
      const s: SpotRecord = {
        id,
        owner: e.args.owner.toLowerCase(),
        district: 0,
        geohash: "0x" + "00".repeat(12),
        descriptionHash: "0x" + "00".repeat(32),
        hourlyRate: 0n,
        dailyCap: 0n,
        presetId: 0,
        checkIn: false,
        deposit: 0n,
        weeklyAvailability: 0n,
        paused: false,
        delisted: false,
        blockedDays: new Set(),
        ratingCount: 0,
        ratingSum: 0,
        listedSeq: entry.seq,
        updatedSeq: entry.seq,
        _bookings: [],
      };
      state.spots.set(id.toString(), s);
      state._spotList.push(s);
      break;
    }
    case "SpotTermsSet": {
      const s = spot(e.args.spotId);
      if (!s) break;
      const a = e.args;
      Object.assign(s, {
        district: a.district,
        geohash: a.geohash.toLowerCase(),
        descriptionHash: a.descriptionHash.toLowerCase(),
        hourlyRate: BigInt(a.hourlyRate),
        dailyCap: BigInt(a.dailyCap),
        presetId: a.presetId,
        checkIn: a.checkIn,
        deposit: BigInt(a.deposit),
        weeklyAvailability: BigInt(a.weeklyAvailability),
        updatedSeq: entry.seq,
      });
      break;
    }
    case "SpotPaused":
    case "SpotResumed":
    case "SpotDelisted": {
      const s = spot(e.args.spotId);
      if (!s) break;
      if (e.name === "SpotDelisted") s.delisted = true;
      else s.paused = e.name === "SpotPaused";
      s.updatedSeq = entry.seq;
      break;
    }
    case "SpotDaysBlocked":
    case "SpotDaysUnblocked": {
      const s = spot(e.args.spotId);
      if (!s) break;
      for (const d of e.args.dayIndexes) {
        if (e.name === "SpotDaysBlocked") s.blockedDays.add(d);
        else s.blockedDays.delete(d);
      }
      // Past days can never be booked again: dropping them bounds the set by the contract's horizon. `today` comes from
      // the event (reducers read the log only, never a block timestamp).
      for (const d of s.blockedDays) if (d < e.args.today) s.blockedDays.delete(d);
      s.updatedSeq = entry.seq;
      break;
    }
    case "BookingCreated": {
      const a = e.args;
      const s = spot(a.spotId);
      const b: BookingRecord = {
        id: a.bookingId,
        spotId: a.spotId,
        district: s?.district ?? 0,
        driver: a.driver.toLowerCase(),
        owner: s?.owner ?? "0x" + "00".repeat(20),
        start: a.start,
        end: a.end,
        price: BigInt(a.price),
        deposit: BigInt(a.deposit),
        overstayRate: BigInt(a.hourlyRate),
        presetId: a.presetId,
        checkIn: a.checkIn,
        status: BookingStatusCode.Booked,
        overstayCharge: 0n,
        createdSeq: entry.seq,
        history: [],
      };
      step(b, entry);
      const index = state.bookings.length;
      state.bookings.push(b);
      indexBooking(state, b, index);
      const d = district(state, b.district);
      d.bookings += 1;
      d.bookedHours += (b.end - b.start) / HOUR;
      state.escrow += b.price + b.deposit;
      break;
    }
    case "CheckedIn": {
      const b = booking(e.args.bookingId);
      if (!b) break;
      b.checkedInAt = e.args.at;
      step(b, entry);
      break;
    }
    case "CheckedOut": {
      const b = booking(e.args.bookingId);
      if (!b) break;
      b.checkedOutAt = e.args.at;
      b.overstayCharge = BigInt(e.args.overstayCharge);
      step(b, entry);
      break;
    }
    case "BookingCancelled": {
      const b = booking(e.args.bookingId);
      if (!b) break;
      const { toOwner, fee, refund, byOwner } = e.args;
      state.escrow -= b.price + b.deposit;
      b.status = BookingStatusCode.Cancelled;
      b.cancellation = { by: e.args.by.toLowerCase(), byOwner, refund, toOwner, fee, seq: entry.seq };
      // The contract deletes the booking's check-in record.
      delete b.checkedInAt;
      delete b.checkedOutAt;
      b.overstayCharge = 0n;
      step(b, entry);
      const d = district(state, b.district);
      d.bookings -= 1;
      d.bookedHours -= (b.end - b.start) / HOUR;
      d.cancellations += 1;
      earn(state, b, toOwner, fee);
      break;
    }
    case "OwnerCancellationMarked":
      state.ownerCancellations.set(e.args.owner.toLowerCase(), e.args.count);
      break;
    case "DisputeOpened": {
      const b = booking(e.args.bookingId);
      if (!b) break;
      b.status = BookingStatusCode.Disputed;
      b.dispute = { by: e.args.by.toLowerCase(), seq: entry.seq };
      step(b, entry);
      break;
    }
    case "DisputeResolved": {
      const b = booking(e.args.bookingId);
      if (!b) break;
      const { toDriver, toOwner, fee } = e.args;
      state.escrow -= b.price + b.deposit;
      b.status = BookingStatusCode.Resolved;
      b.resolution = { arbiter: e.args.arbiter.toLowerCase(), toDriver, toOwner, fee, reasonHash: e.args.reasonHash.toLowerCase(), seq: entry.seq };
      step(b, entry);
      earn(state, b, toOwner, fee);
      break;
    }
    case "BookingPaidOut": {
      const b = booking(e.args.bookingId);
      if (!b) break;
      const { toOwner, fee, refund } = e.args;
      const overstayCharge = BigInt(e.args.overstayCharge);
      state.escrow -= b.price + b.deposit;
      b.status = BookingStatusCode.PaidOut;
      b.overstayCharge = overstayCharge;
      b.payout = { toOwner, fee, refund, overstayCharge, seq: entry.seq };
      step(b, entry);
      earn(state, b, toOwner, fee);
      break;
    }
    case "PaymentCredited": {
      const account = e.args.account.toLowerCase();
      state.credits.set(account, (state.credits.get(account) ?? 0n) + e.args.amount);
      state.creditTotal += e.args.amount;
      break;
    }
    case "CreditWithdrawn": {
      const account = e.args.account.toLowerCase();
      const left = (state.credits.get(account) ?? 0n) - e.args.amount;
      if (left === 0n) state.credits.delete(account);
      else state.credits.set(account, left);
      state.creditTotal -= e.args.amount;
      break;
    }
    case "PartyMigrated":
      migrate(state, e.args.from.toLowerCase(), e.args.to.toLowerCase());
      break;
    case "BookingRated": {
      const b = booking(e.args.bookingId);
      if (!b) break;
      const { score, byDriver } = e.args;
      const rating: RatingRecord = { score, commentHash: e.args.commentHash.toLowerCase(), seq: entry.seq };
      if (byDriver) {
        b.driverRating = rating;
        const s = spot(b.spotId);
        if (s) {
          s.ratingCount += 1;
          s.ratingSum += score;
        }
      } else {
        b.ownerRating = rating;
      }
      const subject = e.args.subject.toLowerCase();
      const r = state.ratings.get(subject) ?? { count: 0, sum: 0 };
      r.count += 1;
      r.sum += score;
      state.ratings.set(subject, r);
      step(b, entry);
      break;
    }
  }
  return state;
}

/** Key recovery: whatever `from` held as a party is `to`'s (ParkingExchange follows the registry's migration). */
function migrate(state: ParkingState, from: string, to: string): void {
  for (const s of state.spots.values()) if (s.owner === from) s.owner = to;
  for (const b of state.bookings) {
    if (b.driver === from) b.driver = to;
    if (b.owner === from) b.owner = to;
  }
  const mine = state._bookingsByMember.get(from);
  if (mine) {
    const merged = [...new Set([...(state._bookingsByMember.get(to) ?? []), ...mine])].sort((a, b) => a - b);
    state._bookingsByMember.set(to, merged);
    state._bookingsByMember.delete(from);
  }
  const credit = state.credits.get(from);
  if (credit !== undefined) {
    state.credits.set(to, (state.credits.get(to) ?? 0n) + credit);
    state.credits.delete(from);
  }
  const marks = state.ownerCancellations.get(from);
  if (marks !== undefined) {
    state.ownerCancellations.set(to, (state.ownerCancellations.get(to) ?? 0) + marks);
    state.ownerCancellations.delete(from);
  }
  const rated = state.ratings.get(from);
  if (rated) {
    const r = state.ratings.get(to) ?? { count: 0, sum: 0 };
    state.ratings.set(to, { count: r.count + rated.count, sum: r.sum + rated.sum });
    state.ratings.delete(from);
  }
}

/** The derived indexes: spots in listing order, and the bookings by id, by spot and by party. */
function rebuild(state: ParkingState): void {
  state._spotList = [...state.spots.values()].sort((a, b) => a.listedSeq - b.listedSeq);
  for (const s of state._spotList) s._bookings = [];
  state.bookings.forEach((b, i) => indexBooking(state, b, i));
}

function initial(): ParkingState {
  return {
    feeBps: 0,
    disputeWindow: 0,
    maxBookingHours: 0,
    presets: new Map(),
    spots: new Map(),
    _spotList: [],
    bookings: [],
    _bookingIndex: new Map(),
    _bookingsByMember: new Map(),
    ownerCancellations: new Map(),
    ratings: new Map(),
    districts: new Map(),
    escrow: 0n,
    credits: new Map(),
    creditTotal: 0n,
  };
}

// ─── Calendar arithmetic (what ParkingCalendar computes on chain) ───────────────────────────────────────────────

/** Whether the spot's weekly availability offers the hour starting at `t` (unix seconds, a whole hour). */
export function offersHour(spot: Pick<SpotRecord, "weeklyAvailability">, t: number): boolean {
  const bit = (Math.floor(t / HOUR) + EPOCH_SHIFT_HOURS) % 168;
  return ((spot.weeklyAvailability >> BigInt(bit)) & 1n) === 1n;
}

/** Whether the hour starting at `t` is bookable by the spot's terms: offered weekly and its day not blocked. */
export function availableHour(spot: Pick<SpotRecord, "weeklyAvailability" | "blockedDays">, t: number): boolean {
  return offersHour(spot, t) && !spot.blockedDays.has(Math.floor(t / DAY));
}

/** The parking projection (ParkingExchange). */
export const parkingProjection = defineProjection<ParkingState>({ name: "parking", initial, reduce, rebuild });
