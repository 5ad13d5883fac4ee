/** The parking routes' JSON (ledger-node/src/domains/parking/routes.ts). */
import type { Address } from "viem";

export interface SpotJson {
  id: string;
  owner: Address;
  district: number;
  hourlyRate: string;
  dailyCap: string;
  checkIn: boolean;
  deposit: string;
  status: "listed" | "paused" | "delisted";
  blockedDays: number[];
  ratingCount: number;
  ratingSum: number;
  bookings: number;
  listedSeq: number;
}

export interface BookingJson {
  id: string;
  start: number;
  end: number;
  hours: number;
  price: string;
  status: "none" | "booked" | "disputed" | "cancelled" | "paidOut" | "resolved";
}

export interface CalendarJson {
  spotId: string;
  from: number;
  to: number;
  status: SpotJson["status"];
  bookings: BookingJson[];
  blockedDays: number[];
  free: { from: number; to: number }[];
}

export interface DistrictStatsJson {
  district?: number;
  spots: number;
  bookings: number;
  bookedHours: number;
  cancellations: number;
  revenue: string;
  fees: string;
  turnoverBps: number;
  window?: { bookings: number; bookedHours: number; availableHours: number; occupancyBps: number; turnoverBps: number };
}

export interface StatsJson {
  window?: { from: number; to: number };
  districts: DistrictStatsJson[];
  total: DistrictStatsJson;
}

export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}
