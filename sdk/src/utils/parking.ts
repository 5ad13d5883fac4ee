/**
 * Parking arithmetic the contract defines (IParkingExchange): booking ids, weekly availability masks, day indexes.
 * Pure functions, no client needed.
 */

/** Every hour of the week offered: bits 0-167 set. @example `weeklyAvailability: ALL_WEEK` */
export const ALL_WEEK = (1n << 168n) - 1n;

/**
 * The id of the booking of `spotId` starting at `start` (unix seconds, a whole hour): `spotId << 32 | start / 3600`.
 *
 * @example
 * ```ts
 * const bookingId = bookingIdOf(1n, 1_767_225_600); // the booking of spot 1 starting then
 * await city.parking.cancel({ bookingId });
 * ```
 */
export function bookingIdOf(spotId: bigint, start: number | bigint): bigint {
  return (spotId << 32n) | (BigInt(start) / 3600n);
}

/**
 * The spot and start (unix seconds) a booking id names.
 *
 * @example
 * ```ts
 * const { spotId, start } = parseBookingId(bookingId);
 * ```
 */
export function parseBookingId(bookingId: bigint): { spotId: bigint; start: number } {
  return { spotId: bookingId >> 32n, start: Number(bookingId & 0xffffffffn) * 3600 };
}

/**
 * A weekly availability mask from daily hour ranges: `days` are 0 = Monday … 6 = Sunday (UTC), `[fromHour, toHour)`
 * the hours offered each of those days.
 *
 * @example
 * ```ts
 * const workdays = weeklyAvailability([0, 1, 2, 3, 4], 8, 19); // Monday to Friday, 08:00-19:00 UTC
 * ```
 */
export function weeklyAvailability(days: readonly number[], fromHour: number, toHour: number): bigint {
  if (fromHour < 0 || toHour > 24 || fromHour >= toHour) throw new RangeError(`hours [${fromHour}, ${toHour}) are not within a day`);
  let mask = 0n;
  for (const day of days) {
    if (!Number.isInteger(day) || day < 0 || day > 6) throw new RangeError(`day ${day} is not 0 (Monday) to 6 (Sunday)`);
    for (let h = fromHour; h < toHour; h++) mask |= 1n << BigInt(day * 24 + h);
  }
  return mask;
}

/**
 * The unix day index of a time (what blockDays takes): `floor(seconds / 86400)`.
 *
 * @example
 * ```ts
 * await city.parking.blockDays({ spotId, days: [dayIndexOf(Date.UTC(2026, 6, 14) / 1000)] });
 * ```
 */
export function dayIndexOf(seconds: number): number {
  return Math.floor(seconds / 86_400);
}
