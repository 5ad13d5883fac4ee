/**
 * ParkingExchange's rules, as the contract computes them, so a driver or an owner sees the price, the refund and every
 * refusal before anything is signed (contracts/parking/ParkingExchange.sol: `_price`, `_refundOf`, `_reserve`,
 * `cancel`; ParkingCalendar's week from Monday 00:00 UTC). The chain stays the judge: these only spare a member a
 * signature the contract would refuse.
 */
import { dayIndexOf } from "@cityledger/sdk";

export const HOUR = 3600;
/** ParkingExchange.BOOKING_HORIZON: a booking starts at most this far ahead. */
export const BOOKING_HORIZON = 366 * 24 * HOUR;
const BPS = 10_000n;
/** 1970-01-01 was a Thursday: hour 0 of the calendar's week (Monday 00:00 UTC) is 72 hours before the epoch. */
const EPOCH_SHIFT_HOURS = 72;
/** SpotTerms.hourlyRate is a uint32, dailyCap a uint40, deposit a uint48 (base units). */
export const MAX_HOURLY_RATE = 2n ** 32n - 1n;
export const MAX_DAILY_CAP = 2n ** 40n - 1n;
export const MAX_DEPOSIT = 2n ** 48n - 1n;

/** A cancellation preset as the contract stores it: tier i refunds refundBps[i] with at least minNotice[i] seconds. */
export interface Preset {
  id: number;
  name: string;
  minNotice: readonly number[];
  refundBps: readonly number[];
}

/** `_price`: each full day costs min(24 × rate, cap), the hours left min(hours × rate, cap); no cap when 0. */
export function priceOf(hourlyRate: bigint, dailyCap: bigint, hours: number): bigint {
  let day = hourlyRate * 24n;
  let rest = hourlyRate * BigInt(hours % 24);
  if (dailyCap !== 0n) {
    if (day > dailyCap) day = dailyCap;
    if (rest > dailyCap) rest = dailyCap;
  }
  return BigInt(Math.floor(hours / 24)) * day + rest;
}

/** `_refundOf` + the deposit: what a driver's cancellation with `notice` seconds before the start gives back. */
export function driverRefund(price: bigint, deposit: bigint, preset: Preset, notice: number): { refund: bigint; bps: number } {
  const tier = preset.minNotice.findIndex((min) => notice >= min);
  const bps = tier === -1 ? 0 : preset.refundBps[tier]!;
  return { refund: deposit + (price * BigInt(bps)) / BPS, bps };
}

/** `_split`: the city's fee on what the owner receives. */
export function ownerShare(gross: bigint, feeBps: number): { toOwner: bigint; fee: bigint } {
  const fee = (gross * BigInt(feeBps)) / BPS;
  return { toOwner: gross - fee, fee };
}

export type WindowProblem = "windowIncomplete" | "windowNotWholeHours" | "windowEndBeforeStart" | "windowPast" | "windowTooFar" | "windowTooLong";

/** `_shiftedHours` and `_reserve`'s checks of `[start, end)` at chain time `now`, before any spot is considered. */
export function windowProblem(start: number, end: number, now: number, maxHours: number): WindowProblem | undefined {
  if (!Number.isFinite(start) || !Number.isFinite(end)) return "windowIncomplete";
  if (start % HOUR !== 0 || end % HOUR !== 0) return "windowNotWholeHours";
  if (end <= start) return "windowEndBeforeStart";
  const currentHourStart = now - (now % HOUR);
  if (start < currentHourStart) return "windowPast";
  if (start > currentHourStart + BOOKING_HORIZON) return "windowTooFar";
  if ((end - start) / HOUR > maxHours) return "windowTooLong";
  return undefined;
}

/** Hour-of-week bits (Monday 00:00 UTC = bit 0) `[start, end)` covers, the spot's `weeklyAvailability` must all hold. */
export function outsideAvailability(weeklyAvailability: bigint, start: number, end: number): boolean {
  for (let hour = start / HOUR; hour < end / HOUR; hour++) {
    const bit = BigInt((hour + EPOCH_SHIFT_HOURS) % 168);
    if (((weeklyAvailability >> bit) & 1n) === 0n) return true;
  }
  return false;
}

/** The first of `blockedDays` (unix day indexes) that `[start, end)` touches. */
export function blockedDayIn(blockedDays: readonly number[], start: number, end: number): number | undefined {
  const first = dayIndexOf(start);
  const last = dayIndexOf(end - 1);
  return blockedDays.filter((d) => d >= first && d <= last).sort((a, b) => a - b)[0];
}

/** The days (0 = Monday) and the hour range of a mask made by the SDK's `weeklyAvailability`, for people; undefined if irregular. */
export function describeAvailability(mask: bigint): { days: number[]; fromHour: number; toHour: number } | undefined {
  const dayMask = (d: number) => (mask >> BigInt(d * 24)) & 0xffffffn;
  const days = [0, 1, 2, 3, 4, 5, 6].filter((d) => dayMask(d) !== 0n);
  if (days.length === 0) return undefined;
  const first = dayMask(days[0]!);
  if (days.some((d) => dayMask(d) !== first)) return undefined;
  const bits = [...Array(24).keys()].filter((h) => ((first >> BigInt(h)) & 1n) === 1n);
  const fromHour = bits[0]!;
  const toHour = bits[bits.length - 1]! + 1;
  if (bits.length !== toHour - fromHour) return undefined;
  return { days, fromHour, toHour };
}
