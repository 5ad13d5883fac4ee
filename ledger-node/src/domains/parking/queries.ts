/**
 * Typed reads of the parking projection (conventions: projections/reads.ts). Windows are half-open `[from, to)` in unix seconds, whole
 * hours, as bookings are.
 */
import type { Address, Hex } from "viem";
import type { DomainRead } from "../domain";
import { normalizeAddress, paged, type Page, type PageRequest } from "../../projections/reads";
import {
  BookingStatusCode,
  HOUR,
  availableHour,
  type BookingFields,
  type BookingRecord,
  type BookingStep,
  type ParkingState,
  type RatingRecord,
  type SpotRecord,
} from "./projection";

/** Longest window a spot search or a calendar covers: 90 days (the contract's longest booking). */
export const PARKING_MAX_WINDOW_HOURS = 2_160;
/** Longest window of the statistics: 366 days. */
export const PARKING_MAX_STATS_WINDOW_HOURS = 366 * 24;

export type ParkingSpotStatus = "listed" | "paused" | "delisted";
/** `IParkingExchange.BookingStatus` by code. */
export type ParkingBookingStatus = "none" | "booked" | "disputed" | "cancelled" | "paidOut" | "resolved";
export const PARKING_BOOKING_STATUSES: readonly ParkingBookingStatus[] = ["none", "booked", "disputed", "cancelled", "paidOut", "resolved"];

export interface ParkingWindow {
  /** Unix seconds, a whole hour. */
  from: number;
  /** Unix seconds, a whole hour after `from`. */
  to: number;
}

export interface ParkingSpotView {
  id: bigint;
  owner: Address;
  district: number;
  geohash: Hex;
  descriptionHash: Hex;
  hourlyRate: bigint;
  dailyCap: bigint;
  presetId: number;
  checkIn: boolean;
  deposit: bigint;
  /** Bit i = hour i of the week from Monday 00:00 UTC. */
  weeklyAvailability: bigint;
  status: ParkingSpotStatus;
  /** Unix day indexes blocked by the owner, ascending. */
  blockedDays: number[];
  /** Ratings drivers gave for bookings of this spot. */
  ratingCount: number;
  ratingSum: number;
  /** Bookings of the spot not cancelled. */
  bookings: number;
  /** Cancellations marked on the owner's record (all of the owner's spots). */
  ownerCancellations: number;
  listedSeq: number;
  updatedSeq: number;
}

export type ParkingBookingStepView = BookingStep<Hex>;
export type ParkingRatingView = RatingRecord<Hex>;

export interface ParkingBookingView extends BookingFields<Address, Hex, ParkingBookingStatus> {
  /** `(end - start) / 3600`. */
  hours: number;
}

export interface ParkingCalendarView {
  spotId: bigint;
  from: number;
  to: number;
  status: ParkingSpotStatus;
  /** Bookings not cancelled that overlap the window. */
  bookings: ParkingBookingView[];
  /** Blocked days within the window (unix day indexes). */
  blockedDays: number[];
  /** Maximal intervals of the window a booking could take now (offered, not blocked, not booked). */
  free: ParkingWindow[];
}

export interface ParkingDistrictStatsView {
  /** Absent on the city-wide total. */
  district?: number;
  /** Spots in the district now, not delisted. */
  spots: number;
  /** Bookings made in the district and not cancelled. */
  bookings: number;
  /** Their hours: the occupancy when no window is asked. */
  bookedHours: number;
  cancellations: number;
  /** What owners earned before the city fee (payouts, resolutions, driver cancellations), base units. */
  revenue: bigint;
  fees: bigint;
  /** Turnover: bookings per spot, in basis points (15000 = 1.5 bookings per spot). */
  turnoverBps: number;
  /** Occupancy in the asked window. */
  window?: {
    /** Bookings not cancelled overlapping the window. */
    bookings: number;
    /** Their hours within the window. */
    bookedHours: number;
    /** Hours the district's spots offered in the window (weekly availability, not blocked). */
    availableHours: number;
    /** bookedHours / availableHours, basis points (0 when nothing was offered). */
    occupancyBps: number;
    /** Bookings in the window per spot, basis points. */
    turnoverBps: number;
  };
}

/** What ParkingExchange holds for an account: settlement shares CityCoin refused to deliver, until withdrawn. */
export interface ParkingCreditView {
  account: Address;
  credit: bigint;
}

export interface ParkingStatsView {
  window?: ParkingWindow;
  districts: ParkingDistrictStatsView[];
  total: ParkingDistrictStatsView;
}

export interface ParkingSpotQuery extends PageRequest {
  district?: number;
  /** With `to`: only spots free for a booking of the whole window. */
  from?: number;
  to?: number;
}

export interface ParkingBookingQuery extends PageRequest {
  /** Only bookings where the address is the driver, or the owner (default both). */
  role?: "driver" | "owner";
}

/** The reasons a window is refused, or undefined if it is valid. */
export function parkingWindowProblem(window: ParkingWindow, maxHours: number): string | undefined {
  const { from, to } = window;
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0) return "from and to must be unix seconds";
  if (from % HOUR !== 0 || to % HOUR !== 0) return "from and to must be whole hours (multiples of 3600)";
  if (to <= from) return `to (${to}) must be after from (${from})`;
  if ((to - from) / HOUR > maxHours) return `the window of ${(to - from) / HOUR} hours is longer than ${maxHours} hours`;
  return undefined;
}

function checkWindow(window: ParkingWindow, maxHours: number): void {
  const problem = parkingWindowProblem(window, maxHours);
  if (problem !== undefined) throw new RangeError(problem);
}

const overlaps = (b: BookingRecord, from: number, to: number) => b.start < to && from < b.end;
const live = (b: BookingRecord) => b.status !== BookingStatusCode.Cancelled;
const bps = (n: number, d: number) => (d === 0 ? 0 : Math.floor((n * 10_000) / d));

export type ParkingQueries = ReturnType<typeof parkingQueries>;

/** The parking reads. Windows are [from, to) in unix seconds, whole hours; an invalid window throws a RangeError saying why. */
export function parkingQueries({ state, cs }: DomainRead<ParkingState>) {
  const spotStatus = (s: SpotRecord): ParkingSpotStatus => (s.delisted ? "delisted" : s.paused ? "paused" : "listed");

  const spotView = (s: SpotRecord): ParkingSpotView => {
    const bookings = state().bookings;
    return {
      id: s.id,
      owner: cs(s.owner),
      district: s.district,
      geohash: s.geohash as Hex,
      descriptionHash: s.descriptionHash as Hex,
      hourlyRate: s.hourlyRate,
      dailyCap: s.dailyCap,
      presetId: s.presetId,
      checkIn: s.checkIn,
      deposit: s.deposit,
      weeklyAvailability: s.weeklyAvailability,
      status: spotStatus(s),
      blockedDays: [...s.blockedDays].sort((a, b) => a - b),
      ratingCount: s.ratingCount,
      ratingSum: s.ratingSum,
      bookings: s._bookings.filter((i) => live(bookings[i])).length,
      ownerCancellations: state().ownerCancellations.get(s.owner) ?? 0,
      listedSeq: s.listedSeq,
      updatedSeq: s.updatedSeq,
    };
  };

  const rating = (r: { score: number; commentHash: string; seq: number }): ParkingRatingView => ({ score: r.score, commentHash: r.commentHash as Hex, seq: r.seq });

  const bookingView = (b: BookingRecord): ParkingBookingView => {
    const view: ParkingBookingView = {
      id: b.id,
      spotId: b.spotId,
      district: b.district,
      driver: cs(b.driver),
      owner: cs(b.owner),
      start: b.start,
      end: b.end,
      hours: (b.end - b.start) / HOUR,
      price: b.price,
      deposit: b.deposit,
      overstayRate: b.overstayRate,
      presetId: b.presetId,
      checkIn: b.checkIn,
      status: PARKING_BOOKING_STATUSES[b.status],
      overstayCharge: b.overstayCharge,
      createdSeq: b.createdSeq,
      history: b.history.map((h) => ({ seq: h.seq, txHash: h.txHash as Hex, event: h.event })),
    };
    if (b.checkedInAt !== undefined) view.checkedInAt = b.checkedInAt;
    if (b.checkedOutAt !== undefined) view.checkedOutAt = b.checkedOutAt;
    if (b.cancellation) view.cancellation = { ...b.cancellation, by: cs(b.cancellation.by) };
    if (b.dispute) view.dispute = { by: cs(b.dispute.by), seq: b.dispute.seq };
    if (b.resolution) view.resolution = { ...b.resolution, arbiter: cs(b.resolution.arbiter), reasonHash: b.resolution.reasonHash as Hex };
    if (b.payout) view.payout = { ...b.payout };
    if (b.driverRating) view.driverRating = rating(b.driverRating);
    if (b.ownerRating) view.ownerRating = rating(b.ownerRating);
    return view;
  };

  /** Whether a booking of the whole window would pass the contract's checks (the start-in-past check aside). */
  const freeFor = (s: SpotRecord, from: number, to: number): boolean => {
    if (s.paused || s.delisted) return false;
    const bookings = state().bookings;
    for (const i of s._bookings) if (live(bookings[i]) && overlaps(bookings[i], from, to)) return false;
    for (let t = from; t < to; t += HOUR) if (!availableHour(s, t)) return false;
    return true;
  };

  return {
    /** A parking spot (any status), or undefined if never listed. */
    spot(id: bigint): ParkingSpotView | undefined {
      const s = state().spots.get(id.toString());
      return s && spotView(s);
    },

    /**
     * Spots not delisted, in listing order by default, optionally in one district; with a window, only those a booking
     * of the whole window would pass (not paused, offered every hour, no blocked day, no booking overlapping).
     */
    spots(query: ParkingSpotQuery = {}): Page<ParkingSpotView> {
      const { district, from, to } = query;
      if ((from === undefined) !== (to === undefined)) throw new RangeError("give both from and to, or neither");
      if (from !== undefined && to !== undefined) checkWindow({ from, to }, PARKING_MAX_WINDOW_HOURS);
      const list = state()._spotList.filter(
        (s) =>
          !s.delisted &&
          (district === undefined || s.district === district) &&
          (from === undefined || to === undefined || freeFor(s, from, to)),
      );
      return paged(list, { ...query, order: query.order ?? "asc" }, spotView);
    },

    /** A spot's bookings, blocked days and free intervals within a window (at most 90 days), or undefined. */
    spotCalendar(id: bigint, window: ParkingWindow): ParkingCalendarView | undefined {
      checkWindow(window, PARKING_MAX_WINDOW_HOURS);
      const s = state().spots.get(id.toString());
      if (!s) return undefined;
      const { from, to } = window;
      const all = state().bookings;
      const booked = s._bookings.map((i) => all[i]).filter((b) => live(b) && overlaps(b, from, to)).sort((a, b) => a.start - b.start);
      const taken = new Set<number>();
      for (const b of booked) for (let t = Math.max(b.start, from); t < Math.min(b.end, to); t += HOUR) taken.add(t);
      const free: ParkingWindow[] = [];
      const open = !s.paused && !s.delisted;
      for (let t = from; t < to; t += HOUR) {
        if (!open || taken.has(t) || !availableHour(s, t)) continue;
        const last = free[free.length - 1];
        if (last && last.to === t) last.to = t + HOUR;
        else free.push({ from: t, to: t + HOUR });
      }
      const firstDay = Math.floor(from / 86_400);
      const lastDay = Math.floor((to - 1) / 86_400);
      return {
        spotId: s.id,
        from,
        to,
        status: spotStatus(s),
        bookings: booked.map(bookingView),
        blockedDays: [...s.blockedDays].filter((d) => d >= firstDay && d <= lastDay).sort((a, b) => a - b),
        free,
      };
    },

    /** The latest booking with this id (a cancelled booking's id may be reused), or undefined. */
    booking(id: bigint): ParkingBookingView | undefined {
      const st = state();
      const i = st._bookingIndex.get(id.toString());
      return i === undefined ? undefined : bookingView(st.bookings[i]);
    },

    /** Bookings of `address` as driver or owner, newest first by default. */
    bookings(address: string, query: ParkingBookingQuery = {}): Page<ParkingBookingView> {
      const a = normalizeAddress(address);
      const st = state();
      let list = ((a === undefined ? undefined : st._bookingsByMember.get(a)) ?? []).map((i) => st.bookings[i]);
      if (query.role === "driver") list = list.filter((b) => b.driver === a);
      if (query.role === "owner") list = list.filter((b) => b.owner === a);
      return paged(list, query, bookingView);
    },

    /** What ParkingExchange holds for `address` (shares CityCoin refused at settlement), 0 if nothing. */
    credit(address: string): ParkingCreditView {
      return { account: cs(address.toLowerCase()), credit: state().credits.get(address.toLowerCase()) ?? 0n };
    },

    /** Bookings, booked hours, cancellations, revenue and turnover per district; occupancy within a window if given. */
    stats(query: { district?: number; from?: number; to?: number } = {}): ParkingStatsView {
      const { district, from, to } = query;
      if ((from === undefined) !== (to === undefined)) throw new RangeError("give both from and to, or neither");
      const window = from !== undefined && to !== undefined ? { from, to } : undefined;
      if (window) checkWindow(window, PARKING_MAX_STATS_WINDOW_HOURS);
      const st = state();
      const ids = new Set<number>(district === undefined ? [...st.districts.keys(), ...st._spotList.map((s) => s.district)] : [district]);
      const stats = new Map<number, ParkingDistrictStatsView>();
      const zero = (d?: number): ParkingDistrictStatsView => {
        const v: ParkingDistrictStatsView = { spots: 0, bookings: 0, bookedHours: 0, cancellations: 0, revenue: 0n, fees: 0n, turnoverBps: 0 };
        if (d !== undefined) v.district = d;
        if (window) v.window = { bookings: 0, bookedHours: 0, availableHours: 0, occupancyBps: 0, turnoverBps: 0 };
        return v;
      };
      for (const d of [...ids].sort((x, y) => x - y)) {
        const v = zero(d);
        const rec = st.districts.get(d);
        if (rec) Object.assign(v, { bookings: rec.bookings, bookedHours: rec.bookedHours, cancellations: rec.cancellations, revenue: rec.revenue, fees: rec.fees });
        stats.set(d, v);
      }
      for (const s of st._spotList) {
        const v = stats.get(s.district);
        if (!v || s.delisted) continue;
        v.spots += 1;
        if (v.window && window) for (let t = window.from; t < window.to; t += HOUR) if (availableHour(s, t)) v.window.availableHours += 1;
      }
      if (window) {
        for (const b of st.bookings) {
          const v = stats.get(b.district);
          if (!v?.window || !live(b) || !overlaps(b, window.from, window.to)) continue;
          v.window.bookings += 1;
          v.window.bookedHours += (Math.min(b.end, window.to) - Math.max(b.start, window.from)) / HOUR;
        }
      }
      const total = zero();
      for (const v of stats.values()) {
        v.turnoverBps = bps(v.bookings, v.spots);
        total.spots += v.spots;
        total.bookings += v.bookings;
        total.bookedHours += v.bookedHours;
        total.cancellations += v.cancellations;
        total.revenue += v.revenue;
        total.fees += v.fees;
        if (v.window && total.window) {
          v.window.occupancyBps = bps(v.window.bookedHours, v.window.availableHours);
          v.window.turnoverBps = bps(v.window.bookings, v.spots);
          total.window.bookings += v.window.bookings;
          total.window.bookedHours += v.window.bookedHours;
          total.window.availableHours += v.window.availableHours;
        }
      }
      total.turnoverBps = bps(total.bookings, total.spots);
      if (total.window) {
        total.window.occupancyBps = bps(total.window.bookedHours, total.window.availableHours);
        total.window.turnoverBps = bps(total.window.bookings, total.spots);
      }
      const view: ParkingStatsView = { districts: [...stats.values()], total };
      if (window) view.window = window;
      return view;
    },
  };
}
