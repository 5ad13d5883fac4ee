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
import type { ProjectedEntry } from "../types";
import type { Projection } from "./projection";
import { asArray, asObject, mapToObject, toBig } from "./canonical";
import { addr, big, bool, hex, num } from "./fields";

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
  bookings: number[];
}

/** One step of a booking's life. */
export interface BookingStep {
  seq: number;
  txHash: string;
  /** Event name: BookingCreated, CheckedIn, CheckedOut, BookingCancelled, DisputeOpened, DisputeResolved,
   * BookingPaidOut, BookingRated. */
  event: string;
}

export interface RatingRecord {
  score: number;
  commentHash: string;
  seq: number;
}

export interface BookingRecord {
  id: bigint;
  spotId: bigint;
  /** District of the spot when the booking was made. */
  district: number;
  driver: string;
  owner: string;
  start: number;
  end: number;
  price: bigint;
  deposit: bigint;
  /** Overstay rate (check-in bookings), base units per started hour. */
  overstayRate: bigint;
  presetId: number;
  checkIn: boolean;
  status: BookingStatusCodeValue;
  checkedInAt?: number;
  checkedOutAt?: number;
  overstayCharge: bigint;
  cancellation?: { by: string; byOwner: boolean; refund: bigint; toOwner: bigint; fee: bigint; seq: number };
  dispute?: { by: string; seq: number };
  resolution?: { arbiter: string; toDriver: bigint; toOwner: bigint; fee: bigint; reasonHash: string; seq: number };
  payout?: { toOwner: bigint; fee: bigint; refund: bigint; overstayCharge: bigint; seq: number };
  /** The driver's rating of the owner. */
  driverRating?: RatingRecord;
  /** The owner's rating of the driver. */
  ownerRating?: RatingRecord;
  createdSeq: number;
  history: BookingStep[];
}

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
  spotList: SpotRecord[];
  /** Every booking ever made, in log order. */
  bookings: BookingRecord[];
  /** Decimal booking id → index of its latest booking (derived). */
  bookingIndex: Map<string, number>;
  /** Indices into `bookings` by lower-case address, as driver or as owner (derived). */
  bookingsByMember: Map<string, number[]>;
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

const PARKING = "ParkingExchange";

function district(state: ParkingState, id: number): DistrictRecord {
  let d = state.districts.get(id);
  if (!d) {
    d = { district: id, bookings: 0, bookedHours: 0, cancellations: 0, revenue: 0n, fees: 0n };
    state.districts.set(id, d);
  }
  return d;
}

function indexMember(state: ParkingState, address: string, index: number): void {
  let mine = state.bookingsByMember.get(address);
  if (!mine) {
    mine = [];
    state.bookingsByMember.set(address, mine);
  }
  if (mine[mine.length - 1] !== index) mine.push(index);
}

function indexBooking(state: ParkingState, b: BookingRecord, index: number): void {
  state.bookingIndex.set(b.id.toString(), index);
  state.spots.get(b.spotId.toString())?.bookings.push(index);
  indexMember(state, b.driver, index);
  indexMember(state, b.owner, index);
}

function spotOf(state: ParkingState, entry: ProjectedEntry): SpotRecord | undefined {
  return state.spots.get(big(entry, "spotId").toString());
}

function bookingOf(state: ParkingState, entry: ProjectedEntry): BookingRecord | undefined {
  const i = state.bookingIndex.get(big(entry, "bookingId").toString());
  return i === undefined ? undefined : state.bookings[i];
}

function step(b: BookingRecord, entry: ProjectedEntry): void {
  b.history.push({ seq: entry.seq, txHash: entry.log.transactionHash.toLowerCase(), event: entry.event.name });
}

function days(entry: ProjectedEntry): number[] {
  const v = entry.event.args.dayIndexes;
  if (!Array.isArray(v)) throw new TypeError(`projections: ${PARKING}.${entry.event.name} at seq ${entry.seq} has no dayIndexes[]`);
  return v.map((d) => Number(d));
}

function reduce(state: ParkingState, entry: ProjectedEntry): ParkingState {
  if (entry.event.contract !== PARKING) return state;
  switch (entry.event.name) {
    case "CityFeeSet":
      state.feeBps = num(entry, "feeBps");
      break;
    case "DisputeWindowSet":
      state.disputeWindow = num(entry, "disputeWindow");
      break;
    case "MaxBookingHoursSet":
      state.maxBookingHours = num(entry, "maxBookingHours");
      break;
    case "CancellationPresetAdded": {
      const id = num(entry, "presetId");
      const ints = (key: string) => {
        const v = entry.event.args[key];
        if (!Array.isArray(v)) throw new TypeError(`projections: ${PARKING}.CancellationPresetAdded.${key} at seq ${entry.seq} is not an array`);
        return v.map((x) => Number(x));
      };
      state.presets.set(id, { id, name: hex(entry, "name"), enabled: true, minNotice: ints("minNotice"), refundBps: ints("refundBps") });
      break;
    }
    case "CancellationPresetEnabledSet": {
      const p = state.presets.get(num(entry, "presetId"));
      if (p) p.enabled = bool(entry, "enabled");
      break;
    }
    case "SpotListed": {
      const id = big(entry, "spotId");
      const s: SpotRecord = {
        id,
        owner: addr(entry, "owner"),
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
        bookings: [],
      };
      state.spots.set(id.toString(), s);
      state.spotList.push(s);
      break;
    }
    case "SpotTermsSet": {
      const s = spotOf(state, entry);
      if (!s) break;
      s.district = num(entry, "district");
      s.geohash = hex(entry, "geohash");
      s.descriptionHash = hex(entry, "descriptionHash");
      s.hourlyRate = big(entry, "hourlyRate");
      s.dailyCap = big(entry, "dailyCap");
      s.presetId = num(entry, "presetId");
      s.checkIn = bool(entry, "checkIn");
      s.deposit = big(entry, "deposit");
      s.weeklyAvailability = big(entry, "weeklyAvailability");
      s.updatedSeq = entry.seq;
      break;
    }
    case "SpotPaused":
    case "SpotResumed":
    case "SpotDelisted": {
      const s = spotOf(state, entry);
      if (!s) break;
      if (entry.event.name === "SpotDelisted") s.delisted = true;
      else s.paused = entry.event.name === "SpotPaused";
      s.updatedSeq = entry.seq;
      break;
    }
    case "SpotDaysBlocked":
    case "SpotDaysUnblocked": {
      const s = spotOf(state, entry);
      if (!s) break;
      const block = entry.event.name === "SpotDaysBlocked";
      for (const d of days(entry)) {
        if (block) s.blockedDays.add(d);
        else s.blockedDays.delete(d);
      }
      // Past days can never be booked again: dropping them bounds the set by the contract's horizon. `today` comes from
      // the event (reducers read the log only, never a block timestamp).
      const today = num(entry, "today");
      for (const d of s.blockedDays) if (d < today) s.blockedDays.delete(d);
      s.updatedSeq = entry.seq;
      break;
    }
    case "BookingCreated": {
      const spotId = big(entry, "spotId");
      const s = state.spots.get(spotId.toString());
      const b: BookingRecord = {
        id: big(entry, "bookingId"),
        spotId,
        district: s?.district ?? 0,
        driver: addr(entry, "driver"),
        owner: s?.owner ?? "0x" + "00".repeat(20),
        start: num(entry, "start"),
        end: num(entry, "end"),
        price: big(entry, "price"),
        deposit: big(entry, "deposit"),
        overstayRate: big(entry, "hourlyRate"),
        presetId: num(entry, "presetId"),
        checkIn: bool(entry, "checkIn"),
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
      const b = bookingOf(state, entry);
      if (!b) break;
      b.checkedInAt = num(entry, "at");
      step(b, entry);
      break;
    }
    case "CheckedOut": {
      const b = bookingOf(state, entry);
      if (!b) break;
      b.checkedOutAt = num(entry, "at");
      b.overstayCharge = big(entry, "overstayCharge");
      step(b, entry);
      break;
    }
    case "BookingCancelled": {
      const b = bookingOf(state, entry);
      if (!b) break;
      const toOwner = big(entry, "toOwner");
      const fee = big(entry, "fee");
      state.escrow -= b.price + b.deposit;
      b.status = BookingStatusCode.Cancelled;
      b.cancellation = { by: addr(entry, "by"), byOwner: bool(entry, "byOwner"), refund: big(entry, "refund"), toOwner, fee, seq: entry.seq };
      // The contract deletes the booking's check-in record.
      delete b.checkedInAt;
      delete b.checkedOutAt;
      b.overstayCharge = 0n;
      step(b, entry);
      const d = district(state, b.district);
      d.bookings -= 1;
      d.bookedHours -= (b.end - b.start) / HOUR;
      d.cancellations += 1;
      d.revenue += toOwner + fee;
      d.fees += fee;
      break;
    }
    case "OwnerCancellationMarked":
      state.ownerCancellations.set(addr(entry, "owner"), num(entry, "count"));
      break;
    case "DisputeOpened": {
      const b = bookingOf(state, entry);
      if (!b) break;
      b.status = BookingStatusCode.Disputed;
      b.dispute = { by: addr(entry, "by"), seq: entry.seq };
      step(b, entry);
      break;
    }
    case "DisputeResolved": {
      const b = bookingOf(state, entry);
      if (!b) break;
      const toOwner = big(entry, "toOwner");
      const fee = big(entry, "fee");
      state.escrow -= b.price + b.deposit;
      b.status = BookingStatusCode.Resolved;
      b.resolution = { arbiter: addr(entry, "arbiter"), toDriver: big(entry, "toDriver"), toOwner, fee, reasonHash: hex(entry, "reasonHash"), seq: entry.seq };
      step(b, entry);
      const d = district(state, b.district);
      d.revenue += toOwner + fee;
      d.fees += fee;
      break;
    }
    case "BookingPaidOut": {
      const b = bookingOf(state, entry);
      if (!b) break;
      const toOwner = big(entry, "toOwner");
      const fee = big(entry, "fee");
      const overstayCharge = big(entry, "overstayCharge");
      state.escrow -= b.price + b.deposit;
      b.status = BookingStatusCode.PaidOut;
      b.overstayCharge = overstayCharge;
      b.payout = { toOwner, fee, refund: big(entry, "refund"), overstayCharge, seq: entry.seq };
      step(b, entry);
      const d = district(state, b.district);
      d.revenue += toOwner + fee;
      d.fees += fee;
      break;
    }
    case "PaymentCredited": {
      const account = addr(entry, "account");
      const amount = big(entry, "amount");
      state.credits.set(account, (state.credits.get(account) ?? 0n) + amount);
      state.creditTotal += amount;
      break;
    }
    case "CreditWithdrawn": {
      const account = addr(entry, "account");
      const left = (state.credits.get(account) ?? 0n) - big(entry, "amount");
      if (left === 0n) state.credits.delete(account);
      else state.credits.set(account, left);
      state.creditTotal -= big(entry, "amount");
      break;
    }
    case "PartyMigrated":
      migrate(state, addr(entry, "from"), addr(entry, "to"));
      break;
    case "BookingRated": {
      const b = bookingOf(state, entry);
      if (!b) break;
      const score = num(entry, "score");
      const rating: RatingRecord = { score, commentHash: hex(entry, "commentHash"), seq: entry.seq };
      const byDriver = bool(entry, "byDriver");
      if (byDriver) {
        b.driverRating = rating;
        const s = state.spots.get(b.spotId.toString());
        if (s) {
          s.ratingCount += 1;
          s.ratingSum += score;
        }
      } else {
        b.ownerRating = rating;
      }
      const subject = addr(entry, "subject");
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
  const mine = state.bookingsByMember.get(from);
  if (mine) {
    const merged = [...new Set([...(state.bookingsByMember.get(to) ?? []), ...mine])].sort((a, b) => a - b);
    state.bookingsByMember.set(to, merged);
    state.bookingsByMember.delete(from);
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

// ─── Canonical encoding ──────────────────────────────────────────────────────────────────────────────────────────

const byNumber = (a: number, b: number) => a - b;

function encodeRating(r: RatingRecord | undefined): unknown {
  return r && { score: r.score, commentHash: r.commentHash, seq: r.seq };
}

function encode(state: ParkingState): unknown {
  const presets: Record<string, unknown> = {};
  for (const [id, p] of state.presets) presets[String(id)] = { name: p.name, enabled: p.enabled, minNotice: p.minNotice, refundBps: p.refundBps };
  const districts: Record<string, unknown> = {};
  for (const [id, d] of state.districts) {
    districts[String(id)] = { bookings: d.bookings, bookedHours: d.bookedHours, cancellations: d.cancellations, revenue: d.revenue, fees: d.fees };
  }
  return {
    feeBps: state.feeBps,
    disputeWindow: state.disputeWindow,
    maxBookingHours: state.maxBookingHours,
    presets,
    spots: mapToObject(state.spots, (s) => ({
      owner: s.owner,
      district: s.district,
      geohash: s.geohash,
      descriptionHash: s.descriptionHash,
      hourlyRate: s.hourlyRate,
      dailyCap: s.dailyCap,
      presetId: s.presetId,
      checkIn: s.checkIn,
      deposit: s.deposit,
      weeklyAvailability: s.weeklyAvailability,
      paused: s.paused,
      delisted: s.delisted,
      blockedDays: [...s.blockedDays].sort(byNumber),
      ratingCount: s.ratingCount,
      ratingSum: s.ratingSum,
      listedSeq: s.listedSeq,
      updatedSeq: s.updatedSeq,
    })),
    bookings: state.bookings.map((b) => ({
      id: b.id,
      spotId: b.spotId,
      district: b.district,
      driver: b.driver,
      owner: b.owner,
      start: b.start,
      end: b.end,
      price: b.price,
      deposit: b.deposit,
      overstayRate: b.overstayRate,
      presetId: b.presetId,
      checkIn: b.checkIn,
      status: b.status,
      checkedInAt: b.checkedInAt,
      checkedOutAt: b.checkedOutAt,
      overstayCharge: b.overstayCharge,
      cancellation: b.cancellation && { ...b.cancellation },
      dispute: b.dispute && { ...b.dispute },
      resolution: b.resolution && { ...b.resolution },
      payout: b.payout && { ...b.payout },
      driverRating: encodeRating(b.driverRating),
      ownerRating: encodeRating(b.ownerRating),
      createdSeq: b.createdSeq,
      /** Tuples: [seq, txHash, event]. */
      history: b.history.map((h) => [h.seq, h.txHash, h.event]),
    })),
    ownerCancellations: mapToObject(state.ownerCancellations, (n) => n),
    ratings: mapToObject(state.ratings, (r) => ({ count: r.count, sum: r.sum })),
    districts,
    escrow: state.escrow,
    credits: mapToObject(state.credits, (c) => c),
  };
}

function decodeRating(json: unknown): RatingRecord | undefined {
  if (json === undefined || json === null) return undefined;
  const r = asObject(json, "rating");
  return { score: r.score as number, commentHash: r.commentHash as string, seq: r.seq as number };
}

function decode(json: unknown): ParkingState {
  const o = asObject(json, "parking");
  const state = initial();
  state.feeBps = o.feeBps as number;
  state.disputeWindow = o.disputeWindow as number;
  state.maxBookingHours = o.maxBookingHours as number;
  for (const [id, raw] of Object.entries(asObject(o.presets, "presets")).sort((a, b) => Number(a[0]) - Number(b[0]))) {
    const p = asObject(raw, `preset ${id}`);
    state.presets.set(Number(id), {
      id: Number(id),
      name: p.name as string,
      enabled: p.enabled as boolean,
      minNotice: asArray(p.minNotice, "minNotice") as number[],
      refundBps: asArray(p.refundBps, "refundBps") as number[],
    });
  }
  for (const [id, raw] of Object.entries(asObject(o.spots, "spots"))) {
    const s = asObject(raw, `spot ${id}`);
    state.spots.set(id, {
      id: BigInt(id),
      owner: s.owner as string,
      district: s.district as number,
      geohash: s.geohash as string,
      descriptionHash: s.descriptionHash as string,
      hourlyRate: toBig(s.hourlyRate, "hourlyRate"),
      dailyCap: toBig(s.dailyCap, "dailyCap"),
      presetId: s.presetId as number,
      checkIn: s.checkIn as boolean,
      deposit: toBig(s.deposit, "deposit"),
      weeklyAvailability: toBig(s.weeklyAvailability, "weeklyAvailability"),
      paused: s.paused as boolean,
      delisted: s.delisted as boolean,
      blockedDays: new Set(asArray(s.blockedDays, "blockedDays") as number[]),
      ratingCount: s.ratingCount as number,
      ratingSum: s.ratingSum as number,
      listedSeq: s.listedSeq as number,
      updatedSeq: s.updatedSeq as number,
      bookings: [],
    });
  }
  state.spotList = [...state.spots.values()].sort((a, b) => a.listedSeq - b.listedSeq);
  for (const raw of asArray(o.bookings, "bookings")) {
    const x = asObject(raw, "booking");
    const b: BookingRecord = {
      id: toBig(x.id, "id"),
      spotId: toBig(x.spotId, "spotId"),
      district: x.district as number,
      driver: x.driver as string,
      owner: x.owner as string,
      start: x.start as number,
      end: x.end as number,
      price: toBig(x.price, "price"),
      deposit: toBig(x.deposit, "deposit"),
      overstayRate: toBig(x.overstayRate, "overstayRate"),
      presetId: x.presetId as number,
      checkIn: x.checkIn as boolean,
      status: x.status as BookingStatusCodeValue,
      overstayCharge: toBig(x.overstayCharge, "overstayCharge"),
      createdSeq: x.createdSeq as number,
      history: (asArray(x.history, "history") as [number, string, string][]).map(([seq, txHash, event]) => ({ seq, txHash, event })),
    };
    if (x.checkedInAt !== undefined) b.checkedInAt = x.checkedInAt as number;
    if (x.checkedOutAt !== undefined) b.checkedOutAt = x.checkedOutAt as number;
    if (x.cancellation !== undefined) {
      const c = asObject(x.cancellation, "cancellation");
      b.cancellation = {
        by: c.by as string,
        byOwner: c.byOwner as boolean,
        refund: toBig(c.refund, "refund"),
        toOwner: toBig(c.toOwner, "toOwner"),
        fee: toBig(c.fee, "fee"),
        seq: c.seq as number,
      };
    }
    if (x.dispute !== undefined) {
      const d = asObject(x.dispute, "dispute");
      b.dispute = { by: d.by as string, seq: d.seq as number };
    }
    if (x.resolution !== undefined) {
      const r = asObject(x.resolution, "resolution");
      b.resolution = {
        arbiter: r.arbiter as string,
        toDriver: toBig(r.toDriver, "toDriver"),
        toOwner: toBig(r.toOwner, "toOwner"),
        fee: toBig(r.fee, "fee"),
        reasonHash: r.reasonHash as string,
        seq: r.seq as number,
      };
    }
    if (x.payout !== undefined) {
      const p = asObject(x.payout, "payout");
      b.payout = {
        toOwner: toBig(p.toOwner, "toOwner"),
        fee: toBig(p.fee, "fee"),
        refund: toBig(p.refund, "refund"),
        overstayCharge: toBig(p.overstayCharge, "overstayCharge"),
        seq: p.seq as number,
      };
    }
    const dr = decodeRating(x.driverRating);
    if (dr) b.driverRating = dr;
    const or = decodeRating(x.ownerRating);
    if (or) b.ownerRating = or;
    const index = state.bookings.length;
    state.bookings.push(b);
    indexBooking(state, b, index);
  }
  for (const [owner, n] of Object.entries(asObject(o.ownerCancellations, "ownerCancellations"))) state.ownerCancellations.set(owner, n as number);
  for (const [who, raw] of Object.entries(asObject(o.ratings, "ratings"))) {
    const r = asObject(raw, `ratings ${who}`);
    state.ratings.set(who, { count: r.count as number, sum: r.sum as number });
  }
  for (const [id, raw] of Object.entries(asObject(o.districts, "districts")).sort((a, b) => Number(a[0]) - Number(b[0]))) {
    const d = asObject(raw, `district ${id}`);
    state.districts.set(Number(id), {
      district: Number(id),
      bookings: d.bookings as number,
      bookedHours: d.bookedHours as number,
      cancellations: d.cancellations as number,
      revenue: toBig(d.revenue, "revenue"),
      fees: toBig(d.fees, "fees"),
    });
  }
  state.escrow = toBig(o.escrow, "escrow");
  for (const [who, raw] of Object.entries(asObject(o.credits ?? {}, "credits"))) {
    const c = toBig(raw, `credit of ${who}`);
    state.credits.set(who, c);
    state.creditTotal += c;
  }
  return state;
}

function initial(): ParkingState {
  return {
    feeBps: 0,
    disputeWindow: 0,
    maxBookingHours: 0,
    presets: new Map(),
    spots: new Map(),
    spotList: [],
    bookings: [],
    bookingIndex: new Map(),
    bookingsByMember: new Map(),
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
export const parkingProjection: Projection<ParkingState> = { name: "parking", initial, reduce, encode, decode };
