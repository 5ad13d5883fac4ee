/** The SDK's explanations of the custom errors of ParkingExchange: spots, bookings, disputes, credits. */
import type { CityErrorMessageTable } from "./types";
import { BOOKING_STATUSES, city, time } from "./format";

/**
 * How the custom errors of ParkingExchange read (see `CityErrorExplanation`).
 * @example `parkingMessages.ParkingExchangeNotAMember.message(args, {})`
 */
export const parkingMessages = {
  ParkingExchangeNotAMember: {
    message: ([account]) => `account ${account} is not an active member`,
    hint: () => "Only active members list and book spots; check the account with getMember().",
  },
  ParkingExchangeNotParkingOwner: {
    message: ([account]) => `member ${account} does not have the parking-owner flag`,
    hint: () => "A registrar must set the PARKING_OWNER flag on the membership (members.update) before it lists spots.",
  },
  ParkingExchangeUnknownSpot: {
    message: ([spotId]) => `parking spot ${spotId} does not exist`,
    hint: () => "Spot ids start at 1; search spots on the ledger node or read getSpot().",
  },
  ParkingExchangeNotSpotOwner: {
    message: ([spotId, account]) => `account ${account} does not own parking spot ${spotId}`,
    hint: () => "Send from the account that listed the spot.",
  },
  ParkingExchangeSpotDelisted: {
    message: ([spotId]) => `parking spot ${spotId} is delisted`,
    hint: () => "A delisted spot takes no bookings and no changes: list a new one.",
  },
  ParkingExchangeSpotPaused: {
    message: ([spotId]) => `parking spot ${spotId} is paused`,
    hint: () => "The owner must resume() the spot before it takes bookings again.",
  },
  ParkingExchangeSpotNotPaused: {
    message: ([spotId]) => `parking spot ${spotId} is not paused`,
  },
  ParkingExchangeZeroRate: {
    message: () => "the hourly rate is zero",
    hint: () => "Set a positive hourlyRate, in CityCoin base units per hour.",
  },
  ParkingExchangeDepositWithoutCheckIn: {
    message: ([deposit]) => `a deposit of ${city(BigInt(deposit))} needs check-in`,
    hint: () => "Set checkIn to true, or the deposit to 0: only check-in spots may charge an overstay.",
  },
  ParkingExchangeUnknownPreset: {
    message: ([presetId]) => `cancellation preset ${presetId} does not exist`,
    hint: () => "Presets start at 1 (1 flexible, 2 moderate, 3 strict by default).",
  },
  ParkingExchangePresetDisabled: {
    message: ([presetId]) => `cancellation preset ${presetId} is disabled`,
    hint: () => "Choose an enabled cancellation preset.",
  },
  ParkingExchangeTooManyPresets: {
    message: () => "no more cancellation presets can be added (255 at most)",
  },
  ParkingExchangeInvalidTierCount: {
    message: ([count, max]) => `${count} cancellation tiers is not between 1 and ${max}`,
  },
  ParkingExchangeTierLengthMismatch: {
    message: ([minNotices, refunds]) => `${minNotices} notice periods but ${refunds} refund rates`,
    hint: () => "Give one refund rate per notice period.",
  },
  ParkingExchangeTierOutOfOrder: {
    message: ([index]) => `cancellation tier ${index} is out of order`,
    hint: () => "Notices must strictly decrease and refunds must not increase from one tier to the next.",
  },
  ParkingExchangeRefundTooHigh: {
    message: ([refundBps]) => `a refund of ${refundBps} basis points is above 100%`,
  },
  ParkingExchangeFeeTooHigh: {
    message: ([feeBps, max]) => `a city fee of ${feeBps} basis points is above the ceiling of ${max}`,
  },
  ParkingExchangeDisputeWindowOutOfRange: {
    message: ([disputeWindow, min, max]) => `a dispute window of ${disputeWindow} s is not between ${min} s and ${max} s`,
  },
  ParkingExchangeMaxBookingHoursOutOfRange: {
    message: ([maxBookingHours, max]) => `a longest booking of ${maxBookingHours} hours is not between 1 and ${max}`,
  },
  ParkingExchangeNotWholeHours: {
    message: ([start, end]) => `the interval ${time(start)} to ${time(end)} is not in whole hours`,
    hint: () => "Bookings start and end on the hour (unix seconds divisible by 3600).",
  },
  ParkingExchangeInvalidInterval: {
    message: ([start, end]) => `the interval ${time(start)} to ${time(end)} is empty or reversed`,
    hint: () => "The end must come after the start.",
  },
  ParkingExchangeBookingTooLong: {
    message: ([hoursBooked, max]) => `a booking of ${hoursBooked} hours is longer than the ${max} hours allowed`,
    hint: () => "Split the stay into several bookings.",
  },
  ParkingExchangeStartInPast: {
    message: ([start, currentHourStart]) => `the booking starts at ${time(start)}, before the current hour ${time(currentHourStart)}`,
    hint: () => "Book from the current hour on.",
  },
  ParkingExchangeOwnSpot: {
    message: ([spotId]) => `the owner of parking spot ${spotId} cannot book it`,
  },
  ParkingExchangeOverlap: {
    message: ([spotId, start, end]) => `parking spot ${spotId} is already booked between ${time(start)} and ${time(end)}`,
    hint: () => "Pick another time or spot: the node's /v1/parking/spots?from&to lists the free ones.",
  },
  ParkingExchangeOutsideAvailability: {
    message: ([spotId, start, end]) =>
      `parking spot ${spotId} is not offered at every hour between ${time(start)} and ${time(end)}`,
    hint: () => "Book within the spot's weekly availability (see its calendar).",
  },
  ParkingExchangeDayBlocked: {
    message: ([spotId, day]) => `the owner blocked day ${day} (${time(day * 86400n)}) of parking spot ${spotId}`,
    hint: () => "Pick other days, or another spot.",
  },
  ParkingExchangeCostAboveLimit: {
    message: ([cost, maxCost]) => `the booking costs ${city(cost)}, more than the ${city(maxCost)} allowed`,
    hint: () => "Read the price with quote() and raise maxCost, or book fewer hours.",
  },
  ParkingExchangeUnknownBooking: {
    message: ([bookingId]) => `booking ${bookingId} does not exist`,
    hint: () => "A booking id is spotId << 32 | start / 3600.",
  },
  ParkingExchangeNotDriver: {
    message: ([bookingId, account]) => `account ${account} is not the driver of booking ${bookingId}`,
  },
  ParkingExchangeNotParty: {
    message: ([bookingId, account]) => `account ${account} is neither the driver nor the owner of booking ${bookingId}`,
  },
  ParkingExchangeInvalidStatus: {
    message: ([bookingId, status]) => `booking ${bookingId} is ${BOOKING_STATUSES[status] ?? `in status ${status}`}`,
    hint: () => "Read the booking with getBooking(): this step is not open in its current status.",
  },
  ParkingExchangeAlreadyStarted: {
    message: ([bookingId, start]) => `booking ${bookingId} started at ${time(start)}`,
    hint: () => "A driver may cancel only before the start; open a dispute instead if something went wrong.",
  },
  ParkingExchangeBookingEnded: {
    message: ([bookingId, end]) => `booking ${bookingId} ended at ${time(end)}`,
  },
  ParkingExchangeAlreadyCheckedIn: {
    message: ([bookingId]) => `the driver already checked in for booking ${bookingId}`,
  },
  ParkingExchangeCheckInNotRequired: {
    message: ([bookingId]) => `booking ${bookingId} has no check-in`,
  },
  ParkingExchangeCheckInClosed: {
    message: ([bookingId, start, end]) => `check-in for booking ${bookingId} is open only from ${time(start)} to ${time(end)}`,
  },
  ParkingExchangeNotCheckedIn: {
    message: ([bookingId]) => `the driver has not checked in for booking ${bookingId}`,
    hint: () => "Check in first.",
  },
  ParkingExchangeAlreadyCheckedOut: {
    message: ([bookingId]) => `the driver already checked out of booking ${bookingId}`,
  },
  ParkingExchangePayoutNotDue: {
    message: ([bookingId, dueAt]) => `booking ${bookingId} cannot be paid out before ${time(dueAt)}`,
    hint: () => "Payout opens when the booking has ended and its dispute window has passed.",
  },
  ParkingExchangeDisputeClosed: {
    message: ([bookingId, opensAt, closesAt]) =>
      `a dispute on booking ${bookingId} may be opened only from ${time(opensAt)} to ${time(closesAt)}`,
  },
  ParkingExchangeSplitExceedsEscrow: {
    message: ([bookingId, toDriver, escrow]) =>
      `${city(toDriver)} to the driver exceeds the ${city(escrow)} in escrow for booking ${bookingId}`,
  },
  ParkingExchangeNotCompleted: {
    message: ([bookingId, end]) => `booking ${bookingId} ends at ${time(end)}: it cannot be rated before`,
  },
  ParkingExchangeAlreadyRated: {
    message: ([bookingId, rater]) => `account ${rater} already rated booking ${bookingId}`,
  },
  ParkingExchangeInvalidScore: {
    message: ([score]) => `score ${score} is not between 1 and 5`,
  },
  ParkingExchangeNoCommunityFund: {
    message: () => "no community fund is set in CityCoin to receive the city fee",
    hint: () => "The council must set CityCoin's community fund first.",
  },
  ParkingExchangeStartTooFar: {
    message: ([start, latestStart]) => `a booking starting at ${start} is beyond the booking horizon (latest start ${latestStart})`,
    hint: () => "Bookings start at most a year (BOOKING_HORIZON) ahead of the current hour; book a nearer start.",
  },
  ParkingExchangeBookingIdTaken: {
    message: ([bookingId]) => `booking id ${bookingId} already holds a booking that is not cancelled`,
    hint: () => "This should never happen: report it. A booking of the same spot and start hour is still live.",
  },
  ParkingExchangeOwnerNotActive: {
    message: ([spotId, owner]) => `the owner ${owner} of parking spot ${spotId} is not an active member`,
    hint: () => "A suspended or removed owner's spots cannot be booked; choose another spot.",
  },
  ParkingExchangeNotRegistry: {
    message: ([caller]) => `${caller} is not the city registry`,
    hint: () => "Only CityRegistry calls the membership hooks, on membership changes and key recoveries.",
  },
  ParkingExchangeNoCredit: {
    message: ([account]) => `account ${account} has no credit held in the parking exchange`,
    hint: () => "Read creditOf(account): credits arise only when a settlement could not pay the account directly.",
  },
  ParkingExchangeCreditFrozen: {
    message: ([account]) => `the parking credit of ${account} is frozen while the membership is suspended`,
    hint: () => "Withdraw once a registrar reinstates the membership, or from the new key after a key recovery.",
  },
  ParkingExchangeTooManyDays: {
    message: ([count, max]) => `${count} days in one call; at most ${max}`,
    hint: () => "Block or unblock days in several calls of at most MAX_DAYS_PER_CALL days.",
  },
  ParkingExchangeDayOutOfRange: {
    message: ([day, firstDay, lastDay]) => `day ${day} is outside the days that may be blocked (${firstDay} to ${lastDay})`,
    hint: () => "Block days from today up to a year (BOOKING_HORIZON) ahead; no booking can start later.",
  },
} satisfies CityErrorMessageTable;
