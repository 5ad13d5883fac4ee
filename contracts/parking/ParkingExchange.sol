// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IParkingExchange} from "./IParkingExchange.sol";
import {ParkingCalendar} from "./ParkingCalendar.sol";
import {ICityRegistry} from "../membership/ICityRegistry.sol";
import {MemberFlags} from "../membership/MemberFlags.sol";
import {CityCoin} from "../currency/CityCoin.sol";

/**
 * @title ParkingExchange
 * @notice Members with the parking-owner flag list private spots; active members book whole hours of them, paying
 * price and (for check-in spots) an overstay deposit into escrow held here in one transaction (allowance, permit or
 * relayed through the city's forwarder). The escrow goes to the owner, less the city fee (to the community fund),
 * once the booking has ended and its dispute window has passed; a driver's cancellation refunds per the booking's
 * cancellation preset, an owner's always in full (and is marked on the owner's record); an ARBITER splits a disputed
 * escrow.
 *
 * Calendar: one word per spot and week (see {ParkingCalendar}): booking `[start, end)` sets its hour bits after
 * checking that none is set, that the spot's weekly availability covers them and that none of their days is blocked.
 * A booking of at most two weeks touches at most three words.
 *
 * Invariants:
 * - The hour bits of a spot are exactly the union of its bookings that are not cancelled, and those are disjoint.
 * - `coin.balanceOf(this) == Σ (price + deposit)` over bookings `Booked` or `Disputed` (open escrows): every
 *   settlement (cancel, payout, resolution) pays out exactly the booking's escrow, once.
 * - A booking's terms (price, deposit, overstay rate, cancellation preset) are fixed when it is made; presets are
 *   append-only, so a booking's preset never changes.
 */
contract ParkingExchange is IParkingExchange, AccessManaged, ERC2771Context {
    using SafeERC20 for IERC20;

    /// @notice City fee ceiling: 10%.
    uint16 public constant MAX_CITY_FEE_BPS = 1_000;
    /// @notice Longest a booking may be made for, whatever the council sets: 90 days.
    uint16 public constant MAX_BOOKING_HOURS_LIMIT = 2_160;
    uint32 public constant MIN_DISPUTE_WINDOW = 1 hours;
    uint32 public constant MAX_DISPUTE_WINDOW = 30 days;
    uint8 public constant MAX_TIERS = 4;
    uint16 private constant _BPS = 10_000;

    /// @dev Parameters the council sets, in one slot.
    struct Params {
        uint16 feeBps;
        uint32 disputeWindow;
        uint16 maxBookingHours;
        uint8 presetCount;
    }

    IERC20 public immutable coin;
    ICityRegistry public immutable registry;

    Params private _params;
    uint256 private _spotCount;
    mapping(uint8 presetId => CancellationPreset) private _presets;
    mapping(uint256 spotId => Spot) private _spots;
    /// @dev See {ParkingCalendar}: hours booked and days blocked, one word per week.
    mapping(uint256 spotId => mapping(uint256 week => uint256)) private _calendar;
    mapping(uint256 bookingId => Booking) private _bookings;
    mapping(uint256 bookingId => BookingExtra) private _extras;
    mapping(address owner => uint32) private _ownerCancellations;

    /**
     * @param initialAuthority The city's {CityAuthority}.
     * @param trustedForwarder The city's {CityForwarder}.
     * @param coin_ The city's {CityCoin}; this contract must be registered as one of its city accounts.
     * @param registry_ The city's {CityRegistry}.
     * @param disputeWindow_ Seconds after a booking's end during which a party may open a dispute.
     * @param maxBookingHours_ Longest booking, in hours.
     */
    constructor(
        address initialAuthority,
        address trustedForwarder,
        IERC20 coin_,
        ICityRegistry registry_,
        uint32 disputeWindow_,
        uint16 maxBookingHours_
    ) AccessManaged(initialAuthority) ERC2771Context(trustedForwarder) {
        coin = coin_;
        registry = registry_;
        _setDisputeWindow(disputeWindow_);
        _setMaxBookingHours(maxBookingHours_);
    }

    // ─── Parameters (authority) ─────────────────────────────────────────────────────────────────────────────────

    /**
     * @notice Adds a cancellation preset owners may choose (presets never change once added: bookings keep theirs).
     * @param name A short label, e.g. "moderate".
     * @param minNotice Seconds of notice of each tier, strictly decreasing.
     * @param refundBps Refund of the price for each tier, in basis points, non-increasing.
     */
    function addCancellationPreset(
        bytes32 name,
        uint32[] calldata minNotice,
        uint16[] calldata refundBps
    ) external restricted returns (uint8 presetId) {
        uint256 count = minNotice.length;
        if (count != refundBps.length) revert ParkingExchangeTierLengthMismatch(count, refundBps.length);
        if (count == 0 || count > MAX_TIERS) revert ParkingExchangeInvalidTierCount(count, MAX_TIERS);
        if (_params.presetCount == type(uint8).max) revert ParkingExchangeTooManyPresets();
        presetId = ++_params.presetCount;
        CancellationPreset storage p = _presets[presetId];
        p.name = name;
        p.enabled = true;
        // Cast is safe: count <= MAX_TIERS.
        p.tierCount = uint8(count);
        for (uint256 i = 0; i < count; ++i) {
            if (refundBps[i] > _BPS) revert ParkingExchangeRefundTooHigh(refundBps[i]);
            if (i != 0 && (minNotice[i] >= minNotice[i - 1] || refundBps[i] > refundBps[i - 1])) {
                revert ParkingExchangeTierOutOfOrder(i);
            }
            p.minNotice[i] = minNotice[i];
            p.refundBps[i] = refundBps[i];
        }
        emit CancellationPresetAdded(presetId, name, minNotice, refundBps);
        emit CancellationPresetEnabledSet(presetId, true);
    }

    /// @notice Allows or disallows choosing preset `presetId` for spots (spots and bookings that have it keep it).
    function setCancellationPresetEnabled(uint8 presetId, bool enabled) external restricted {
        _requirePreset(presetId);
        _presets[presetId].enabled = enabled;
        emit CancellationPresetEnabledSet(presetId, enabled);
    }

    /// @notice Sets the city fee, in basis points of what owners receive, at most {MAX_CITY_FEE_BPS}.
    function setCityFee(uint16 feeBps) external restricted {
        if (feeBps > MAX_CITY_FEE_BPS) revert ParkingExchangeFeeTooHigh(feeBps, MAX_CITY_FEE_BPS);
        _params.feeBps = feeBps;
        emit CityFeeSet(feeBps);
    }

    /// @notice Sets the dispute window (seconds after a booking's end), between 1 hour and 30 days.
    function setDisputeWindow(uint32 window) external restricted {
        _setDisputeWindow(window);
    }

    /// @notice Sets the longest booking, in hours, between 1 and {MAX_BOOKING_HOURS_LIMIT}.
    function setMaxBookingHours(uint16 hoursMax) external restricted {
        _setMaxBookingHours(hoursMax);
    }

    // ─── Spots (owners) ─────────────────────────────────────────────────────────────────────────────────────────

    /// @notice Lists a spot; the caller must be an active member with the parking-owner flag.
    function list(SpotTerms calldata terms) external returns (uint256 spotId) {
        address owner = _msgSender();
        ICityRegistry.Member memory m = registry.memberOf(owner);
        if (m.status != ICityRegistry.MemberStatus.Active) revert ParkingExchangeNotAMember(owner);
        if (m.flags & MemberFlags.PARKING_OWNER == 0) revert ParkingExchangeNotParkingOwner(owner);
        _checkTerms(terms, 0);
        spotId = ++_spotCount;
        _spots[spotId].owner = owner;
        emit SpotListed(spotId, owner);
        _setTerms(spotId, terms);
    }

    /// @notice Changes a spot's terms; bookings already made keep theirs.
    function edit(uint256 spotId, SpotTerms calldata terms) external {
        Spot storage s = _requireListedSpotOf(spotId);
        _checkTerms(terms, s.presetId);
        _setTerms(spotId, terms);
    }

    /// @notice Stops new bookings of a spot until {resume}.
    function pause(uint256 spotId) external {
        Spot storage s = _requireListedSpotOf(spotId);
        if (s.paused) revert ParkingExchangeSpotPaused(spotId);
        s.paused = true;
        emit SpotPaused(spotId);
    }

    /// @notice Takes bookings of a paused spot again.
    function resume(uint256 spotId) external {
        Spot storage s = _requireListedSpotOf(spotId);
        if (!s.paused) revert ParkingExchangeSpotNotPaused(spotId);
        s.paused = false;
        emit SpotResumed(spotId);
    }

    /// @notice Withdraws a spot for good. Its confirmed bookings stand and settle as usual.
    function delist(uint256 spotId) external {
        Spot storage s = _requireListedSpotOf(spotId);
        s.delisted = true;
        emit SpotDelisted(spotId);
    }

    /// @notice Blocks whole days (unix day indexes) for new bookings; bookings already made stand.
    function blockDays(uint256 spotId, uint32[] calldata dayIndexes) external {
        _requireListedSpotOf(spotId);
        for (uint256 i = 0; i < dayIndexes.length; ++i) {
            (uint256 week, uint256 bit) = ParkingCalendar.dayPosition(dayIndexes[i]);
            _calendar[spotId][week] |= uint256(1) << bit;
        }
        emit SpotDaysBlocked(spotId, dayIndexes);
    }

    /// @notice Opens blocked days (unix day indexes) again.
    function unblockDays(uint256 spotId, uint32[] calldata dayIndexes) external {
        _requireListedSpotOf(spotId);
        for (uint256 i = 0; i < dayIndexes.length; ++i) {
            (uint256 week, uint256 bit) = ParkingCalendar.dayPosition(dayIndexes[i]);
            _calendar[spotId][week] &= ~(uint256(1) << bit);
        }
        emit SpotDaysUnblocked(spotId, dayIndexes);
    }

    // ─── Bookings (drivers) ─────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IParkingExchange
    function book(uint256 spotId, uint48 start, uint48 end, uint256 maxCost) external returns (uint256) {
        return _book(_msgSender(), spotId, start, end, maxCost);
    }

    /**
     * @notice {book} with an ERC-2612 permit of CityCoin for this contract, in one transaction. A permit already
     * used (say, front-run) is ignored: the booking then goes through if the allowance suffices.
     * @param maxCost Most the booking may cost; also the permit's value.
     */
    function bookWithPermit(
        uint256 spotId,
        uint48 start,
        uint48 end,
        uint256 maxCost,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256) {
        address driver = _msgSender();
        try IERC20Permit(address(coin)).permit(driver, address(this), maxCost, deadline, v, r, s) {} catch {} // solhint-disable-line no-empty-blocks
        return _book(driver, spotId, start, end, maxCost);
    }

    /// @notice The driver checks in, between the booking's start and end (check-in spots only).
    function checkIn(uint256 bookingId) external {
        (Booking storage b, uint256 start, uint256 end) = _requireOpenBookingOfDriver(bookingId);
        if (!b.checkIn) revert ParkingExchangeCheckInNotRequired(bookingId);
        if (block.timestamp < start || block.timestamp >= end) revert ParkingExchangeCheckInClosed(bookingId, start, end);
        BookingExtra storage x = _extras[bookingId];
        if (x.checkedInAt != 0) revert ParkingExchangeAlreadyCheckedIn(bookingId);
        x.checkedInAt = uint40(block.timestamp);
        emit CheckedIn(bookingId, b.driver, uint40(block.timestamp));
    }

    /**
     * @notice The driver checks out. Leaving after the end costs the overstay rate per started hour, taken from the
     * deposit (at most all of it) and paid to the owner at payout.
     */
    function checkOut(uint256 bookingId) external {
        (Booking storage b, , uint256 end) = _requireOpenBookingOfDriver(bookingId);
        BookingExtra storage x = _extras[bookingId];
        if (x.checkedInAt == 0) revert ParkingExchangeNotCheckedIn(bookingId);
        if (x.checkedOutAt != 0) revert ParkingExchangeAlreadyCheckedOut(bookingId);
        uint48 charge = _overstayCharge(x, end);
        x.checkedOutAt = uint40(block.timestamp);
        x.overstayCharge = charge;
        emit CheckedOut(bookingId, b.driver, uint40(block.timestamp), charge);
    }

    /**
     * @notice Cancels a booking. By the driver, before the start: the price is refunded per the booking's preset
     * (the rest goes to the owner, less the city fee) and the deposit in full. By the owner, before the end and the
     * driver's check-in: everything is refunded, and the cancellation is marked on the owner's record.
     */
    function cancel(uint256 bookingId) external {
        Booking storage b = _requireBooking(bookingId);
        if (b.status != BookingStatus.Booked) revert ParkingExchangeInvalidStatus(bookingId, b.status);
        (uint256 spotId, uint256 start, uint256 end) = _interval(bookingId, b);
        address caller = _msgSender();
        address owner = _spots[spotId].owner;
        BookingExtra storage x = _extras[bookingId];
        uint256 escrow = uint256(b.price) + x.deposit;
        uint256 refund;
        bool byOwner = caller == owner;
        if (byOwner) {
            if (block.timestamp >= end) revert ParkingExchangeBookingEnded(bookingId, end);
            if (x.checkedInAt != 0) revert ParkingExchangeAlreadyCheckedIn(bookingId);
            refund = escrow;
        } else if (caller == b.driver) {
            if (block.timestamp >= start) revert ParkingExchangeAlreadyStarted(bookingId, start);
            refund = x.deposit + _refundOf(b, start - block.timestamp);
        } else {
            revert ParkingExchangeNotParty(bookingId, caller);
        }
        b.status = BookingStatus.Cancelled;
        delete _extras[bookingId];
        _release(spotId, start, end);
        (uint256 toOwner, uint256 fee) = _split(escrow - refund);
        emit BookingCancelled(bookingId, spotId, caller, byOwner, refund, toOwner, fee);
        if (byOwner) {
            uint32 count = ++_ownerCancellations[owner];
            emit OwnerCancellationMarked(owner, bookingId, count);
        }
        _pay(b.driver, owner, refund, toOwner, fee);
    }

    // ─── Settlement ─────────────────────────────────────────────────────────────────────────────────────────────

    /**
     * @notice Pays a booking out once it has ended and its dispute window has passed: price and overstay charge to
     * the owner less the city fee, the rest of the deposit back to the driver. Anyone may call it. A driver still
     * checked in is charged the overstay until now.
     */
    function payout(uint256 bookingId) external {
        Booking storage b = _requireBooking(bookingId);
        if (b.status != BookingStatus.Booked) revert ParkingExchangeInvalidStatus(bookingId, b.status);
        (uint256 spotId, , uint256 end) = _interval(bookingId, b);
        uint256 dueAt = end + _params.disputeWindow;
        if (block.timestamp < dueAt) revert ParkingExchangePayoutNotDue(bookingId, dueAt);
        BookingExtra storage x = _extras[bookingId];
        uint48 charge = x.overstayCharge;
        if (x.checkedInAt != 0 && x.checkedOutAt == 0) charge = _overstayCharge(x, end);
        b.status = BookingStatus.PaidOut;
        address owner = _spots[spotId].owner;
        (uint256 toOwner, uint256 fee) = _split(uint256(b.price) + charge);
        uint256 refund = x.deposit - charge;
        emit BookingPaidOut(bookingId, owner, toOwner, fee, refund, charge);
        _pay(b.driver, owner, refund, toOwner, fee);
    }

    /// @notice The driver or the owner disputes a booking, from its start until its end plus the dispute window.
    function openDispute(uint256 bookingId) external {
        Booking storage b = _requireBooking(bookingId);
        if (b.status != BookingStatus.Booked) revert ParkingExchangeInvalidStatus(bookingId, b.status);
        (uint256 spotId, uint256 start, uint256 end) = _interval(bookingId, b);
        address caller = _msgSender();
        if (caller != b.driver && caller != _spots[spotId].owner) revert ParkingExchangeNotParty(bookingId, caller);
        uint256 closesAt = end + _params.disputeWindow;
        if (block.timestamp < start || block.timestamp >= closesAt) {
            revert ParkingExchangeDisputeClosed(bookingId, start, closesAt);
        }
        b.status = BookingStatus.Disputed;
        emit DisputeOpened(bookingId, caller);
    }

    /**
     * @notice Settles a disputed booking: `toDriver` of the escrow (price and deposit) to the driver, the rest to the
     * owner less the city fee.
     * @param reasonHash Hash of the arbiter's written decision.
     */
    function resolveDispute(uint256 bookingId, uint256 toDriver, bytes32 reasonHash) external restricted {
        Booking storage b = _requireBooking(bookingId);
        if (b.status != BookingStatus.Disputed) revert ParkingExchangeInvalidStatus(bookingId, b.status);
        uint256 escrow = uint256(b.price) + _extras[bookingId].deposit;
        if (toDriver > escrow) revert ParkingExchangeSplitExceedsEscrow(bookingId, toDriver, escrow);
        b.status = BookingStatus.Resolved;
        address owner = _spots[bookingId >> 32].owner;
        (uint256 toOwner, uint256 fee) = _split(escrow - toDriver);
        emit DisputeResolved(bookingId, _msgSender(), toDriver, toOwner, fee, reasonHash);
        _pay(b.driver, owner, toDriver, toOwner, fee);
    }

    /**
     * @notice Rates the other side of a booking that has ended (not cancelled), once per side: the driver rates the
     * spot and its owner, the owner rates the driver.
     * @param score 1 to 5.
     * @param commentHash Hash of an optional comment kept off chain.
     */
    function rate(uint256 bookingId, uint8 score, bytes32 commentHash) external {
        Booking storage b = _requireBooking(bookingId);
        if (b.status == BookingStatus.Cancelled) revert ParkingExchangeInvalidStatus(bookingId, b.status);
        (uint256 spotId, , uint256 end) = _interval(bookingId, b);
        if (block.timestamp < end) revert ParkingExchangeNotCompleted(bookingId, end);
        if (score == 0 || score > 5) revert ParkingExchangeInvalidScore(score);
        address caller = _msgSender();
        address owner = _spots[spotId].owner;
        BookingExtra storage x = _extras[bookingId];
        bool byDriver = caller == b.driver;
        if (byDriver) {
            if (x.driverRated) revert ParkingExchangeAlreadyRated(bookingId, caller);
            x.driverRated = true;
        } else if (caller == owner) {
            if (x.ownerRated) revert ParkingExchangeAlreadyRated(bookingId, caller);
            x.ownerRated = true;
        } else {
            revert ParkingExchangeNotParty(bookingId, caller);
        }
        emit BookingRated(bookingId, caller, byDriver ? owner : b.driver, byDriver, score, commentHash);
    }

    // ─── Views ──────────────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IParkingExchange
    function userOf(uint256 spotId) external view returns (address) {
        (, Booking storage b) = _currentBooking(spotId);
        return b.driver;
    }

    /// @inheritdoc IParkingExchange
    function userExpires(uint256 spotId) external view returns (uint256) {
        (uint256 bookingId, Booking storage b) = _currentBooking(spotId);
        if (b.driver == address(0)) return 0;
        (, , uint256 end) = _interval(bookingId, b);
        return end;
    }

    /**
     * @notice Booking `bookingId` (zero driver and status `None` if unknown) and its check-in and rating record. Its
     * spot is `bookingId >> 32`, its start `(bookingId & 0xffffffff) * 3600` and its end `start + hoursBooked * 3600`.
     */
    function booking(uint256 bookingId) external view returns (Booking memory, BookingExtra memory) {
        return (_bookings[bookingId], _extras[bookingId]);
    }

    /// @notice Spot `spotId` (zero owner if unknown).
    function spot(uint256 spotId) external view returns (Spot memory) {
        return _spots[spotId];
    }

    /// @notice Number of spots listed (ids run from 1 to this).
    function spotCount() external view returns (uint256) {
        return _spotCount;
    }

    /// @notice Whether any hour of `[start, end)` (whole hours) of `spotId` is booked.
    function isBooked(uint256 spotId, uint48 start, uint48 end) external view returns (bool) {
        (uint256 from, uint256 to) = _shiftedHours(start, end);
        for (uint256 week = from / ParkingCalendar.HOURS_PER_WEEK; week * ParkingCalendar.HOURS_PER_WEEK < to; ++week) {
            (uint256 hourMask, ) = ParkingCalendar.weekMasks(week, from, to);
            if (_calendar[spotId][week] & hourMask != 0) return true;
        }
        return false;
    }

    /// @notice Whether the owner blocked day `day` (a unix day index) of `spotId`.
    function isDayBlocked(uint256 spotId, uint32 day) external view returns (bool) {
        (uint256 week, uint256 bit) = ParkingCalendar.dayPosition(day);
        return (_calendar[spotId][week] >> bit) & 1 == 1;
    }

    /// @notice What booking `[start, end)` of `spotId` costs now: price and deposit.
    function quote(uint256 spotId, uint48 start, uint48 end) external view returns (uint256 price, uint256 deposit) {
        Spot storage s = _spots[spotId];
        if (s.owner == address(0)) revert ParkingExchangeUnknownSpot(spotId);
        (uint256 from, uint256 to) = _shiftedHours(start, end);
        price = _price(s.hourlyRate, s.dailyCap, to - from);
        deposit = s.checkIn ? s.deposit : 0;
    }

    /// @notice Cancellation preset `presetId` (zero tier count if unknown).
    function cancellationPreset(uint8 presetId) external view returns (CancellationPreset memory) {
        return _presets[presetId];
    }

    /// @notice Number of presets added (ids run from 1 to this).
    function presetCount() external view returns (uint8) {
        return _params.presetCount;
    }

    /// @notice City fee in basis points of what owners receive.
    function cityFeeBps() external view returns (uint16) {
        return _params.feeBps;
    }

    /// @notice Seconds after a booking's end during which a dispute may be opened.
    function disputeWindow() external view returns (uint32) {
        return _params.disputeWindow;
    }

    /// @notice Longest booking, in hours.
    function maxBookingHours() external view returns (uint16) {
        return _params.maxBookingHours;
    }

    /// @notice How many bookings `owner` cancelled (the mark on the owner's record).
    function ownerCancellations(address owner) external view returns (uint32) {
        return _ownerCancellations[owner];
    }

    // ─── Internals ──────────────────────────────────────────────────────────────────────────────────────────────

    function _book(address driver, uint256 spotId, uint48 start, uint48 end, uint256 maxCost) private returns (uint256 bookingId) {
        if (!registry.isActiveMember(driver)) revert ParkingExchangeNotAMember(driver);
        Spot storage s = _spots[spotId];
        _checkBookable(s, spotId, driver);
        uint256 hoursBooked = _reserve(spotId, s.weeklyAvailability, start, end);
        uint256 cost;
        (bookingId, cost) = _record(s, spotId, driver, start, end, hoursBooked);
        if (cost > maxCost) revert ParkingExchangeCostAboveLimit(cost, maxCost);
        coin.safeTransferFrom(driver, address(this), cost);
    }

    /// @dev Stores the booking of `[start, end)` at the spot's current terms; returns its id and cost.
    function _record(
        Spot storage s,
        uint256 spotId,
        address driver,
        uint48 start,
        uint48 end,
        uint256 hoursBooked
    ) private returns (uint256 bookingId, uint256 cost) {
        // Cast is safe: rate < 2^32 and hours <= MAX_BOOKING_HOURS_LIMIT < 2^12, so price < 2^44.
        uint48 price = uint48(_price(s.hourlyRate, s.dailyCap, hoursBooked));
        bool withCheckIn = s.checkIn;
        uint48 deposit = withCheckIn ? s.deposit : 0;
        uint32 overstayRate = withCheckIn ? s.hourlyRate : 0;
        uint8 presetId = s.presetId;
        bookingId = (spotId << 32) | (start / ParkingCalendar.HOUR);
        // Cast is safe: hoursBooked <= maxBookingHours, a uint16.
        _bookings[bookingId] = Booking(driver, uint16(hoursBooked), price, presetId, BookingStatus.Booked, withCheckIn);
        // A cancelled booking with the same id left no extra slot behind (cancel deletes it).
        if (withCheckIn) _extras[bookingId] = BookingExtra(deposit, overstayRate, 0, 0, 0, false, false);
        emit BookingCreated(bookingId, spotId, driver, start, end, price, deposit, overstayRate, presetId, withCheckIn);
        cost = uint256(price) + deposit;
    }

    function _checkBookable(Spot storage s, uint256 spotId, address driver) private view {
        address owner = s.owner;
        if (owner == address(0)) revert ParkingExchangeUnknownSpot(spotId);
        if (s.delisted) revert ParkingExchangeSpotDelisted(spotId);
        if (s.paused) revert ParkingExchangeSpotPaused(spotId);
        if (owner == driver) revert ParkingExchangeOwnSpot(spotId);
    }

    /**
     * @dev Validates `[start, end)` (whole hours, not before the current hour, not too long) and sets its hours of
     * `spotId` after checking they are free, available and not blocked. Returns the number of hours.
     */
    function _reserve(uint256 spotId, uint256 availability, uint48 start, uint48 end) private returns (uint256) {
        (uint256 from, uint256 to) = _shiftedHours(start, end);
        uint16 maxHours = _params.maxBookingHours;
        if (to - from > maxHours) revert ParkingExchangeBookingTooLong(to - from, maxHours);
        uint256 currentHourStart = block.timestamp - (block.timestamp % ParkingCalendar.HOUR);
        if (start < currentHourStart) revert ParkingExchangeStartInPast(start, currentHourStart);
        mapping(uint256 week => uint256) storage calendar = _calendar[spotId];
        for (uint256 week = from / ParkingCalendar.HOURS_PER_WEEK; week * ParkingCalendar.HOURS_PER_WEEK < to; ++week) {
            (uint256 hourMask, uint256 dayMask) = ParkingCalendar.weekMasks(week, from, to);
            uint256 word = calendar[week];
            if (word & hourMask != 0) revert ParkingExchangeOverlap(spotId, start, end);
            if (hourMask & ~availability != 0) revert ParkingExchangeOutsideAvailability(spotId, start, end);
            if (word & dayMask != 0) revert ParkingExchangeDayBlocked(spotId, ParkingCalendar.firstDay(week, word & dayMask));
            calendar[week] = word | hourMask;
        }
        return to - from;
    }

    /// @dev Clears the hours of `[start, end)` of `spotId`.
    function _release(uint256 spotId, uint256 start, uint256 end) private {
        mapping(uint256 week => uint256) storage calendar = _calendar[spotId];
        uint256 from = start / ParkingCalendar.HOUR + ParkingCalendar.EPOCH_SHIFT_HOURS;
        uint256 to = end / ParkingCalendar.HOUR + ParkingCalendar.EPOCH_SHIFT_HOURS;
        for (uint256 week = from / ParkingCalendar.HOURS_PER_WEEK; week * ParkingCalendar.HOURS_PER_WEEK < to; ++week) {
            (uint256 hourMask, ) = ParkingCalendar.weekMasks(week, from, to);
            calendar[week] &= ~hourMask;
        }
    }

    /// @dev Validates `[start, end)` as whole hours and returns it in shifted hours.
    function _shiftedHours(uint48 start, uint48 end) private pure returns (uint256 from, uint256 to) {
        if (start % ParkingCalendar.HOUR != 0 || end % ParkingCalendar.HOUR != 0) revert ParkingExchangeNotWholeHours(start, end);
        if (end <= start) revert ParkingExchangeInvalidInterval(start, end);
        from = start / ParkingCalendar.HOUR + ParkingCalendar.EPOCH_SHIFT_HOURS;
        to = end / ParkingCalendar.HOUR + ParkingCalendar.EPOCH_SHIFT_HOURS;
    }

    /**
     * @dev Price of `hoursBooked` hours: each full 24 hours from the start costs `min(24 * rate, dailyCap)` and the
     * remaining hours `min(hours * rate, dailyCap)` (no cap when `dailyCap` is 0).
     */
    function _price(uint256 hourlyRate, uint256 dailyCap, uint256 hoursBooked) private pure returns (uint256) {
        uint256 day = hourlyRate * 24;
        uint256 rest = hourlyRate * (hoursBooked % 24);
        if (dailyCap != 0) {
            if (day > dailyCap) day = dailyCap;
            if (rest > dailyCap) rest = dailyCap;
        }
        return (hoursBooked / 24) * day + rest;
    }

    /// @dev The share of the price refunded when the driver cancels `notice` seconds before the start.
    function _refundOf(Booking storage b, uint256 notice) private view returns (uint256) {
        CancellationPreset storage p = _presets[b.presetId];
        for (uint256 i = 0; i < p.tierCount; ++i) {
            if (notice >= p.minNotice[i]) return (uint256(b.price) * p.refundBps[i]) / _BPS;
        }
        return 0;
    }

    /// @dev Overstay after `end` until now, per started hour at the booking's rate, at most the deposit.
    function _overstayCharge(BookingExtra storage x, uint256 end) private view returns (uint48) {
        if (block.timestamp <= end) return 0;
        uint256 startedHours = (block.timestamp - end + ParkingCalendar.HOUR - 1) / ParkingCalendar.HOUR;
        uint256 charge = startedHours * x.hourlyRate;
        // Cast is safe: the result is at most the deposit, a uint48.
        return uint48(charge < x.deposit ? charge : x.deposit);
    }

    /// @dev What the owner receives of `gross`, and the city fee taken from it.
    function _split(uint256 gross) private view returns (uint256 toOwner, uint256 fee) {
        fee = (gross * _params.feeBps) / _BPS;
        toOwner = gross - fee;
    }

    /// @dev Pays out a settled escrow: `refund` to the driver, `toOwner` to the owner, `fee` to the community fund.
    function _pay(address driver, address owner, uint256 refund, uint256 toOwner, uint256 fee) private {
        if (refund != 0) coin.safeTransfer(driver, refund);
        if (toOwner != 0) coin.safeTransfer(owner, toOwner);
        if (fee != 0) {
            address fund = CityCoin(address(coin)).communityFund();
            if (fund == address(0)) revert ParkingExchangeNoCommunityFund();
            coin.safeTransfer(fund, fee);
        }
    }

    /// @dev The booking covering the current hour: walks back from it through booked hours to the booking's start.
    function _currentBooking(uint256 spotId) private view returns (uint256 bookingId, Booking storage b) {
        uint256 hour = block.timestamp / ParkingCalendar.HOUR;
        mapping(uint256 week => uint256) storage calendar = _calendar[spotId];
        for (uint256 back = 0; back < MAX_BOOKING_HOURS_LIMIT && back <= hour; ++back) {
            uint256 h = hour - back;
            uint256 shifted = h + ParkingCalendar.EPOCH_SHIFT_HOURS;
            uint256 word = calendar[shifted / ParkingCalendar.HOURS_PER_WEEK];
            if ((word >> (shifted % ParkingCalendar.HOURS_PER_WEEK)) & 1 == 0) break;
            bookingId = (spotId << 32) | h;
            b = _bookings[bookingId];
            if (b.driver != address(0) && b.status != BookingStatus.Cancelled) {
                if (h + b.hoursBooked > hour) return (bookingId, b);
                break;
            }
        }
        return (0, _bookings[0]);
    }

    function _interval(uint256 bookingId, Booking storage b) private view returns (uint256 spotId, uint256 start, uint256 end) {
        spotId = bookingId >> 32;
        start = (bookingId & type(uint32).max) * ParkingCalendar.HOUR;
        end = start + uint256(b.hoursBooked) * ParkingCalendar.HOUR;
    }

    function _requireBooking(uint256 bookingId) private view returns (Booking storage b) {
        b = _bookings[bookingId];
        if (b.driver == address(0)) revert ParkingExchangeUnknownBooking(bookingId);
    }

    function _requireOpenBookingOfDriver(uint256 bookingId) private view returns (Booking storage b, uint256 start, uint256 end) {
        b = _requireBooking(bookingId);
        if (b.status != BookingStatus.Booked) revert ParkingExchangeInvalidStatus(bookingId, b.status);
        address caller = _msgSender();
        if (caller != b.driver) revert ParkingExchangeNotDriver(bookingId, caller);
        (, start, end) = _interval(bookingId, b);
    }

    function _requireListedSpotOf(uint256 spotId) private view returns (Spot storage s) {
        s = _spots[spotId];
        if (s.owner == address(0)) revert ParkingExchangeUnknownSpot(spotId);
        address caller = _msgSender();
        if (caller != s.owner) revert ParkingExchangeNotSpotOwner(spotId, caller);
        if (s.delisted) revert ParkingExchangeSpotDelisted(spotId);
    }

    function _requirePreset(uint8 presetId) private view returns (CancellationPreset storage p) {
        p = _presets[presetId];
        if (p.tierCount == 0) revert ParkingExchangeUnknownPreset(presetId);
    }

    /// @dev `currentPreset` may be kept even if disabled since (0 when listing).
    function _checkTerms(SpotTerms calldata terms, uint8 currentPreset) private view {
        if (terms.hourlyRate == 0) revert ParkingExchangeZeroRate();
        if (terms.deposit != 0 && !terms.checkIn) revert ParkingExchangeDepositWithoutCheckIn(terms.deposit);
        CancellationPreset storage p = _requirePreset(terms.presetId);
        if (!p.enabled && terms.presetId != currentPreset) revert ParkingExchangePresetDisabled(terms.presetId);
    }

    function _setTerms(uint256 spotId, SpotTerms calldata terms) private {
        Spot storage s = _spots[spotId];
        s.hourlyRate = terms.hourlyRate;
        s.dailyCap = terms.dailyCap;
        s.presetId = terms.presetId;
        s.weeklyAvailability = terms.weeklyAvailability;
        s.deposit = terms.deposit;
        s.checkIn = terms.checkIn;
        s.district = terms.district;
        s.geohash = terms.geohash;
        s.descriptionHash = terms.descriptionHash;
        emit SpotTermsSet(
            spotId,
            terms.district,
            terms.geohash,
            terms.descriptionHash,
            terms.hourlyRate,
            terms.dailyCap,
            terms.presetId,
            terms.checkIn,
            terms.deposit,
            terms.weeklyAvailability
        );
    }

    function _setDisputeWindow(uint32 window) private {
        if (window < MIN_DISPUTE_WINDOW || window > MAX_DISPUTE_WINDOW) {
            revert ParkingExchangeDisputeWindowOutOfRange(window, MIN_DISPUTE_WINDOW, MAX_DISPUTE_WINDOW);
        }
        _params.disputeWindow = window;
        emit DisputeWindowSet(window);
    }

    function _setMaxBookingHours(uint16 hoursMax) private {
        if (hoursMax == 0 || hoursMax > MAX_BOOKING_HOURS_LIMIT) {
            revert ParkingExchangeMaxBookingHoursOutOfRange(hoursMax, MAX_BOOKING_HOURS_LIMIT);
        }
        _params.maxBookingHours = hoursMax;
        emit MaxBookingHoursSet(hoursMax);
    }

    function _msgSender() internal view override(Context, ERC2771Context) returns (address) {
        return ERC2771Context._msgSender();
    }

    function _msgData() internal view override(Context, ERC2771Context) returns (bytes calldata) {
        return ERC2771Context._msgData();
    }

    function _contextSuffixLength() internal view override(Context, ERC2771Context) returns (uint256) {
        return ERC2771Context._contextSuffixLength();
    }
}
