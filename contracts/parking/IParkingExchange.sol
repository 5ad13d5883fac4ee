// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title IParkingExchange
 * @notice Members share private parking spots: owners list them, drivers book whole hours with payment in escrow,
 * cancellation follows the city's preset policies, an ARBITER settles disputes and the city takes a fee at payout.
 *
 * Time is in unix seconds (UTC); bookings cover whole hours, so a booking's `start` and `end` are multiples of 3600.
 * Weeks run from Monday 00:00 UTC: bit `i` of a spot's `weeklyAvailability` is hour `i` of the week (0 = Monday
 * 00:00-01:00, 167 = Sunday 23:00-24:00). A blocked day is a unix day index (`timestamp / 86400`). Amounts are
 * CityCoin base units (6 decimals).
 *
 * A booking's id is `spotId << 32 | startHour` (`startHour = start / 3600`): the booking starting at a given hour of
 * a spot is found without an index. A booking starts at most {BOOKING_HORIZON} ahead, so `startHour < 2^32` and the
 * start hour never spills into the spot bits (two different (spot, start) pairs never share an id). A cancelled
 * booking frees its hours, and a later booking of the same spot and start hour reuses its id (its `BookingCreated`
 * event starts the id's history afresh); a booking that is not cancelled is never overwritten.
 *
 * Money owed is never held hostage by one party's membership: a settlement pushes each share to its party and, when
 * CityCoin refuses the transfer (the party is suspended, removed, or the coin is paused), credits it to the party
 * instead ({PaymentCredited}); the party takes it with {withdraw}. A party that moved to a new key through the
 * registry's key recovery is followed: its spots, bookings, credit and cancellation marks belong to the new key
 * ({PartyMigrated}).
 */
interface IParkingExchange {
    /**
     * @dev Four slots. The first two are everything a booking reads. `hourlyRate` is a uint32 (at most about €4,295 an
     * hour), so with at most {MAX_BOOKING_HOURS_LIMIT} hours a price always fits 48 bits.
     */
    struct Spot {
        address owner;
        uint32 hourlyRate;
        uint40 dailyCap;
        uint8 presetId;
        bool paused;
        bool delisted;
        uint168 weeklyAvailability;
        uint48 deposit;
        bool checkIn;
        uint32 district;
        bytes12 geohash;
        bytes32 descriptionHash;
    }

    /// @dev What an owner sets when listing or editing a spot.
    struct SpotTerms {
        uint32 district;
        bytes12 geohash;
        bytes32 descriptionHash;
        uint32 hourlyRate;
        /// @dev Most a 24-hour period of a booking costs; 0 for none.
        uint40 dailyCap;
        uint8 presetId;
        /// @dev Whether the driver checks in and out; only then may a spot take an overstay deposit.
        bool checkIn;
        uint48 deposit;
        uint168 weeklyAvailability;
    }

    enum BookingStatus {
        None,
        Booked,
        Disputed,
        Cancelled,
        PaidOut,
        Resolved
    }

    /// @dev One slot, written by every booking.
    struct Booking {
        address driver;
        uint16 hoursBooked;
        uint48 price;
        uint8 presetId;
        BookingStatus status;
        bool checkIn;
    }

    /// @dev One slot, written only for check-in spots (deposit and rate) and by check-in, check-out and ratings.
    struct BookingExtra {
        uint48 deposit;
        uint32 hourlyRate;
        uint40 checkedInAt;
        uint40 checkedOutAt;
        uint48 overstayCharge;
        bool driverRated;
        bool ownerRated;
    }

    /// @dev A cancellation policy: tier `i` refunds `refundBps[i]` of the price when cancelled at least
    /// `minNotice[i]` seconds before the start; tiers in strictly decreasing notice; no tier met, no refund.
    struct CancellationPreset {
        bytes32 name;
        bool enabled;
        uint8 tierCount;
        uint32[4] minNotice;
        uint16[4] refundBps;
    }

    // ─── Events ─────────────────────────────────────────────────────────────────────────────────────────────────

    event CancellationPresetAdded(uint8 indexed presetId, bytes32 name, uint32[] minNotice, uint16[] refundBps);
    event CancellationPresetEnabledSet(uint8 indexed presetId, bool enabled);
    event CityFeeSet(uint16 feeBps);
    event DisputeWindowSet(uint32 disputeWindow);
    event MaxBookingHoursSet(uint16 maxBookingHours);

    /// @notice A spot was listed; its terms follow in {SpotTermsSet}.
    event SpotListed(uint256 indexed spotId, address indexed owner);
    /// @notice The terms of a spot, at listing and at every edit (bookings already made keep theirs).
    event SpotTermsSet(
        uint256 indexed spotId,
        uint32 indexed district,
        bytes12 geohash,
        bytes32 descriptionHash,
        uint32 hourlyRate,
        uint40 dailyCap,
        uint8 presetId,
        bool checkIn,
        uint48 deposit,
        uint168 weeklyAvailability
    );
    event SpotPaused(uint256 indexed spotId);
    event SpotResumed(uint256 indexed spotId);
    event SpotDelisted(uint256 indexed spotId);
    /// @notice Days (unix day indexes) blocked for new bookings; `today` is the day of the change (days before it are
    /// past, so a read model may drop them: every blocked day lies within a year of some `today`).
    event SpotDaysBlocked(uint256 indexed spotId, uint32[] dayIndexes, uint32 today);
    /// @notice Days opened again; `today` as in {SpotDaysBlocked}.
    event SpotDaysUnblocked(uint256 indexed spotId, uint32[] dayIndexes, uint32 today);

    /// @notice `price + deposit` moved from the driver into escrow. `hourlyRate` is the overstay rate (check-in only).
    event BookingCreated(
        uint256 indexed bookingId,
        uint256 indexed spotId,
        address indexed driver,
        uint48 start,
        uint48 end,
        uint48 price,
        uint48 deposit,
        uint32 hourlyRate,
        uint8 presetId,
        bool checkIn
    );
    event CheckedIn(uint256 indexed bookingId, address indexed driver, uint40 at);
    event CheckedOut(uint256 indexed bookingId, address indexed driver, uint40 at, uint48 overstayCharge);
    /// @notice The booking's hours are free again; `refund` (price share and deposit) went back to the driver,
    /// `toOwner` to the spot's owner and `fee` to the community fund.
    event BookingCancelled(
        uint256 indexed bookingId,
        uint256 indexed spotId,
        address indexed by,
        bool byOwner,
        uint256 refund,
        uint256 toOwner,
        uint256 fee
    );
    /// @notice An owner cancelled a booking: `count` is the owner's cancellations so far.
    event OwnerCancellationMarked(address indexed owner, uint256 indexed bookingId, uint32 count);
    event DisputeOpened(uint256 indexed bookingId, address indexed by);
    event DisputeResolved(
        uint256 indexed bookingId,
        address indexed arbiter,
        uint256 toDriver,
        uint256 toOwner,
        uint256 fee,
        bytes32 reasonHash
    );
    /// @notice The escrow left: `toOwner` and `fee` (price and overstay charge) and `refund` (deposit left) to the driver.
    event BookingPaidOut(
        uint256 indexed bookingId,
        address indexed owner,
        uint256 toOwner,
        uint256 fee,
        uint256 refund,
        uint48 overstayCharge
    );
    /// @notice `rater` scored `subject` (the owner when `byDriver`, else the driver) for the booking.
    event BookingRated(
        uint256 indexed bookingId,
        address indexed rater,
        address indexed subject,
        bool byDriver,
        uint8 score,
        bytes32 commentHash
    );

    /// @notice A settlement share CityCoin refused to deliver to `account` is held for it here; see {withdraw}.
    event PaymentCredited(address indexed account, uint256 indexed bookingId, uint256 amount);
    /// @notice `account` took its whole credit, `amount`, sent to `to`.
    event CreditWithdrawn(address indexed account, address indexed to, uint256 amount);
    /// @notice The registry moved the membership of `from` to `to` (key recovery): the spots, bookings, `credit` and
    /// `ownerCancellations` of `from` now belong to `to`, and `from` may no longer list or book.
    event PartyMigrated(address indexed from, address indexed to, uint256 credit, uint32 ownerCancellations);

    // ─── Errors ─────────────────────────────────────────────────────────────────────────────────────────────────

    error ParkingExchangeNotAMember(address account);
    error ParkingExchangeNotParkingOwner(address account);
    error ParkingExchangeUnknownSpot(uint256 spotId);
    error ParkingExchangeNotSpotOwner(uint256 spotId, address account);
    error ParkingExchangeSpotDelisted(uint256 spotId);
    error ParkingExchangeSpotPaused(uint256 spotId);
    error ParkingExchangeSpotNotPaused(uint256 spotId);
    error ParkingExchangeZeroRate();
    error ParkingExchangeDepositWithoutCheckIn(uint48 deposit);
    error ParkingExchangeUnknownPreset(uint8 presetId);
    error ParkingExchangePresetDisabled(uint8 presetId);
    error ParkingExchangeTooManyPresets();
    error ParkingExchangeInvalidTierCount(uint256 count, uint256 max);
    error ParkingExchangeTierLengthMismatch(uint256 minNotices, uint256 refunds);
    error ParkingExchangeTierOutOfOrder(uint256 index);
    error ParkingExchangeRefundTooHigh(uint16 refundBps);
    error ParkingExchangeFeeTooHigh(uint16 feeBps, uint16 max);
    error ParkingExchangeDisputeWindowOutOfRange(uint32 disputeWindow, uint32 min, uint32 max);
    error ParkingExchangeMaxBookingHoursOutOfRange(uint16 maxBookingHours, uint16 max);
    error ParkingExchangeNotWholeHours(uint256 start, uint256 end);
    error ParkingExchangeInvalidInterval(uint256 start, uint256 end);
    error ParkingExchangeBookingTooLong(uint256 hoursBooked, uint16 max);
    error ParkingExchangeStartInPast(uint256 start, uint256 currentHourStart);
    error ParkingExchangeOwnSpot(uint256 spotId);
    error ParkingExchangeOverlap(uint256 spotId, uint256 start, uint256 end);
    error ParkingExchangeOutsideAvailability(uint256 spotId, uint256 start, uint256 end);
    error ParkingExchangeDayBlocked(uint256 spotId, uint256 day);
    error ParkingExchangeCostAboveLimit(uint256 cost, uint256 maxCost);
    error ParkingExchangeUnknownBooking(uint256 bookingId);
    error ParkingExchangeNotDriver(uint256 bookingId, address account);
    error ParkingExchangeNotParty(uint256 bookingId, address account);
    error ParkingExchangeInvalidStatus(uint256 bookingId, BookingStatus status);
    error ParkingExchangeAlreadyStarted(uint256 bookingId, uint256 start);
    error ParkingExchangeBookingEnded(uint256 bookingId, uint256 end);
    error ParkingExchangeAlreadyCheckedIn(uint256 bookingId);
    error ParkingExchangeCheckInNotRequired(uint256 bookingId);
    error ParkingExchangeCheckInClosed(uint256 bookingId, uint256 start, uint256 end);
    error ParkingExchangeNotCheckedIn(uint256 bookingId);
    error ParkingExchangeAlreadyCheckedOut(uint256 bookingId);
    error ParkingExchangePayoutNotDue(uint256 bookingId, uint256 dueAt);
    error ParkingExchangeDisputeClosed(uint256 bookingId, uint256 opensAt, uint256 closesAt);
    error ParkingExchangeSplitExceedsEscrow(uint256 bookingId, uint256 toDriver, uint256 escrow);
    error ParkingExchangeNotCompleted(uint256 bookingId, uint256 end);
    error ParkingExchangeAlreadyRated(uint256 bookingId, address rater);
    error ParkingExchangeInvalidScore(uint8 score);
    error ParkingExchangeNoCommunityFund();
    error ParkingExchangeStartTooFar(uint256 start, uint256 latestStart);
    error ParkingExchangeBookingIdTaken(uint256 bookingId);
    error ParkingExchangeOwnerNotActive(uint256 spotId, address owner);
    error ParkingExchangeNotRegistry(address caller);
    error ParkingExchangeNoCredit(address account);
    error ParkingExchangeCreditFrozen(address account);
    error ParkingExchangeTooManyDays(uint256 count, uint256 max);
    error ParkingExchangeDayOutOfRange(uint256 day, uint256 firstDay, uint256 lastDay);

    // ─── Bookings ───────────────────────────────────────────────────────────────────────────────────────────────

    /**
     * @notice Books `[start, end)` of `spotId` for the caller, pulling `price + deposit` (at most `maxCost`) into
     * escrow from the caller's allowance.
     */
    function book(uint256 spotId, uint48 start, uint48 end, uint256 maxCost) external returns (uint256 bookingId);

    /**
     * @notice Sends the caller's whole credit (settlement shares CityCoin refused to deliver) to `to`, which CityCoin
     * must accept (an active member or a city account). A suspended member's credit is frozen until reinstatement or
     * key recovery, like its coins; a removed member's credit stays held for it, never taken, and it may send it to
     * any address CityCoin accepts.
     */
    function withdraw(address to) external;

    /// @notice ERC-4907 view: the driver of the booking running now at `spotId` (zero address if none).
    function userOf(uint256 spotId) external view returns (address);

    /// @notice ERC-4907 view: when the booking running now at `spotId` ends (0 if none).
    function userExpires(uint256 spotId) external view returns (uint256);
}
