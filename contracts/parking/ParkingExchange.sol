// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CityCoinService} from "../access/CityCoinService.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IParkingExchange} from "./IParkingExchange.sol";
import {ParkingCalendar} from "./ParkingCalendar.sol";
import {ParkingStays} from "./ParkingStays.sol";
import {ParkingSpots} from "./ParkingSpots.sol";
import {ParkingDisputes} from "./ParkingDisputes.sol";
import {ICityRegistry} from "../membership/ICityRegistry.sol";
import {IMembershipListener} from "../membership/IMembershipListener.sol";
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
 * Money: each settlement share goes to its party, or is credited to it when CityCoin refuses the transfer (the party
 * is suspended or removed): one party's status never locks the other's money. {withdraw} takes a credit; a removed
 * member's credit stays held for it (never swept), and it may send it to any address CityCoin accepts.
 *
 * Modules: check-in, check-out, disputes and ratings ({ParkingStays}) and spot terms, presets and blocked days
 * ({ParkingSpots}) are linked libraries running in this contract's context (its storage, its events, its errors).
 *
 * Parties: a spot's owner and a booking's driver are stored as the addresses that listed and booked; a key recovery
 * ({onMembershipMigrated}, called by the registry) records the new key as the old one's successor, and every check
 * and payment uses the current key of a party ({holderOf}). A migrated key may no longer list or book, so a stored
 * address with a successor always predates its migration.
 *
 * Invariants:
 * - The hour bits of a spot are exactly the union of its bookings that are not cancelled, and those are disjoint.
 * - Booking ids never collide: `start < now + BOOKING_HORIZON < 2^32 hours`, and a live record is never overwritten.
 * - `coin.balanceOf(this) == Σ (price + deposit)` over bookings `Booked` or `Disputed` (open escrows)
 *   `+ Σ credits`: every settlement (cancel, payout, resolution) moves exactly the booking's escrow out, once, each
 *   share either transferred or credited to its party; a withdrawal pays out exactly the credit it removes.
 * - A booking's terms (price, deposit, overstay rate, cancellation preset) are fixed when it is made; presets are
 *   append-only, so a booking's preset never changes.
 *
 * @custom:city parking
 * @custom:relay list edit delist pause resume blockDays unblockDays book bookWithPermit cancel checkIn checkOut openDispute rate payout withdraw
 */
contract ParkingExchange is IParkingExchange, IMembershipListener, CityCoinService {
    using SafeERC20 for IERC20;

    /// @notice City fee ceiling: 10%.
    uint16 public constant MAX_CITY_FEE_BPS = 1_000;
    /// @notice Longest a booking may be made for, whatever the council sets: 90 days.
    uint16 public constant MAX_BOOKING_HOURS_LIMIT = 2_160;
    uint32 public constant MIN_DISPUTE_WINDOW = 1 hours;
    uint32 public constant MAX_DISPUTE_WINDOW = 30 days;
    uint8 public constant MAX_TIERS = 4;
    /// @notice A booking starts, and a day is blocked, at most this far ahead of the current hour (or day).
    uint32 public constant BOOKING_HORIZON = 366 days;
    /// @notice Most days one {blockDays} or {unblockDays} call may name.
    uint8 public constant MAX_DAYS_PER_CALL = 62;
    uint16 private constant _BPS = 10_000;

    /// @dev Parameters the council sets, in one slot.
    struct Params {
        uint16 feeBps;
        uint32 disputeWindow;
        uint16 maxBookingHours;
        uint8 presetCount;
    }


    Params private _params;
    uint256 private _spotCount;
    mapping(uint8 presetId => CancellationPreset) private _presets;
    mapping(uint256 spotId => Spot) private _spots;
    /// @dev See {ParkingCalendar}: hours booked and days blocked, one word per week.
    mapping(uint256 spotId => mapping(uint256 week => uint256)) private _calendar;
    mapping(uint256 bookingId => Booking) private _bookings;
    mapping(uint256 bookingId => BookingExtra) private _extras;
    mapping(address owner => uint32) private _ownerCancellations;
    /// @dev Settlement shares CityCoin refused to deliver, held for their party until {withdraw}.
    mapping(address account => uint256) private _credits;
    /// @dev The key a migrated party moved to (key recovery); zero if it has not moved.
    mapping(address key => address) private _successors;

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
    ) CityCoinService(initialAuthority, trustedForwarder, coin_, registry_) {
        _setDisputeWindow(disputeWindow_);
        _setMaxBookingHours(maxBookingHours_);
    }

    // ─── Parameters (authority) ─────────────────────────────────────────────────────────────────────────────────

    /**
     * @notice Adds a cancellation preset owners may choose (presets never change once added: bookings keep theirs).
     * @param name A short label, e.g. "moderate".
     * @param minNotice Seconds of notice of each tier, strictly decreasing.
     * @param refundBps Refund of the price for each tier, in basis points, non-increasing.
     * @custom:role COUNCIL
     */
    function addCancellationPreset(
        bytes32 name,
        uint32[] calldata minNotice,
        uint16[] calldata refundBps
    ) external restricted returns (uint8 presetId) {
        if (_params.presetCount == type(uint8).max) revert ParkingExchangeTooManyPresets();
        presetId = ++_params.presetCount;
        ParkingSpots.addPreset(_presets, presetId, name, minNotice, refundBps);
    }

    /// @notice Allows or disallows choosing preset `presetId` for spots (spots and bookings that have it keep it).
    /// @custom:role COUNCIL
    function setCancellationPresetEnabled(uint8 presetId, bool enabled) external restricted {
        _requirePreset(presetId);
        _presets[presetId].enabled = enabled;
        emit CancellationPresetEnabledSet(presetId, enabled);
    }

    /// @notice Sets the city fee, in basis points of what owners receive, at most {MAX_CITY_FEE_BPS}.
    /// @custom:role COUNCIL
    function setCityFee(uint16 feeBps) external restricted {
        if (feeBps > MAX_CITY_FEE_BPS) revert ParkingExchangeFeeTooHigh(feeBps, MAX_CITY_FEE_BPS);
        _params.feeBps = feeBps;
        emit CityFeeSet(feeBps);
    }

    /// @notice Sets the dispute window (seconds after a booking's end), between 1 hour and 30 days.
    /// @custom:role COUNCIL
    function setDisputeWindow(uint32 window) external restricted {
        _setDisputeWindow(window);
    }

    /// @notice Sets the longest booking, in hours, between 1 and {MAX_BOOKING_HOURS_LIMIT}.
    /// @custom:role COUNCIL
    function setMaxBookingHours(uint16 hoursMax) external restricted {
        _setMaxBookingHours(hoursMax);
    }

    // ─── Spots (owners) ─────────────────────────────────────────────────────────────────────────────────────────

    /// @notice Lists a spot; the caller must be an active member with the parking-owner flag.
    function list(SpotTerms calldata terms) external returns (uint256 spotId) {
        address owner = _msgSender();
        ICityRegistry.Member memory m = registry.memberOf(owner);
        if (m.status != ICityRegistry.MemberStatus.Active || _successors[owner] != address(0)) revert ParkingExchangeNotAMember(owner);
        if (m.flags & MemberFlags.PARKING_OWNER == 0) revert ParkingExchangeNotParkingOwner(owner);
        spotId = ++_spotCount;
        Spot storage s = _spots[spotId];
        s.owner = owner;
        emit SpotListed(spotId, owner);
        ParkingSpots.setTerms(_presets, s, spotId, terms, 0);
    }

    /// @notice Changes a spot's terms; bookings already made keep theirs.
    function edit(uint256 spotId, SpotTerms calldata terms) external {
        Spot storage s = _requireListedSpotOf(spotId);
        ParkingSpots.setTerms(_presets, s, spotId, terms, s.presetId);
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

    /**
     * @notice Blocks whole days (unix day indexes) for new bookings; bookings already made stand. At most
     * {MAX_DAYS_PER_CALL} days, each from today to {BOOKING_HORIZON} ahead (no booking can start later).
     */
    function blockDays(uint256 spotId, uint32[] calldata dayIndexes) external {
        _requireListedSpotOf(spotId);
        ParkingSpots.setDays(_calendar[spotId], spotId, dayIndexes, true, MAX_DAYS_PER_CALL, BOOKING_HORIZON);
    }

    /// @notice Opens blocked days (unix day indexes) again, at most {MAX_DAYS_PER_CALL} per call.
    function unblockDays(uint256 spotId, uint32[] calldata dayIndexes) external {
        _requireListedSpotOf(spotId);
        ParkingSpots.setDays(_calendar[spotId], spotId, dayIndexes, false, MAX_DAYS_PER_CALL, BOOKING_HORIZON);
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
        (Booking storage b, , ) = _requireOpenBookingOfDriver(bookingId);
        ParkingStays.checkIn(b, _extras[bookingId], bookingId, _msgSender());
    }

    /**
     * @notice The driver checks out. Leaving after the end costs the overstay rate per started hour, taken from the
     * deposit (at most all of it) and paid to the owner at payout.
     */
    function checkOut(uint256 bookingId) external {
        (Booking storage b, , ) = _requireOpenBookingOfDriver(bookingId);
        ParkingStays.checkOut(b, _extras[bookingId], bookingId, _msgSender());
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
        address owner = _holder(_spots[spotId].owner);
        address driver = _holder(b.driver);
        BookingExtra storage x = _extras[bookingId];
        uint256 escrow = uint256(b.price) + x.deposit;
        uint256 refund;
        bool byOwner = caller == owner;
        if (byOwner) {
            if (block.timestamp >= end) revert ParkingExchangeBookingEnded(bookingId, end);
            if (x.checkedInAt != 0) revert ParkingExchangeAlreadyCheckedIn(bookingId);
            refund = escrow;
        } else if (caller == driver) {
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
        _pay(bookingId, driver, owner, refund, toOwner, fee);
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
        if (x.checkedInAt != 0 && x.checkedOutAt == 0) charge = ParkingStays.overstayCharge(x, end);
        b.status = BookingStatus.PaidOut;
        address owner = _holder(_spots[spotId].owner);
        (uint256 toOwner, uint256 fee) = _split(uint256(b.price) + charge);
        uint256 refund = x.deposit - charge;
        emit BookingPaidOut(bookingId, owner, toOwner, fee, refund, charge);
        _pay(bookingId, _holder(b.driver), owner, refund, toOwner, fee);
    }

    /// @notice The driver or the owner disputes a booking, from its start until its end plus the dispute window.
    function openDispute(uint256 bookingId) external {
        ParkingDisputes.open(_bookings, _spots, _successors, bookingId, _msgSender(), _params.disputeWindow);
    }

    /**
     * @notice Settles a disputed booking: `toDriver` of the escrow (price and deposit) to the driver, the rest to the
     * owner less the city fee.
     * @param reasonHash Hash of the arbiter's written decision.
     * @custom:role ARBITER
     */
    function resolveDispute(uint256 bookingId, uint256 toDriver, bytes32 reasonHash) external restricted {
        (address driver, address owner, uint256 toOwner, uint256 fee) = ParkingDisputes.resolve(
            _bookings,
            _extras,
            _spots,
            _successors,
            bookingId,
            toDriver,
            _params.feeBps,
            _msgSender(),
            reasonHash
        );
        _pay(bookingId, driver, owner, toDriver, toOwner, fee);
    }

    /**
     * @notice Rates the other side of a booking that has ended (not cancelled), once per side: the driver rates the
     * spot and its owner, the owner rates the driver.
     * @param score 1 to 5.
     * @param commentHash Hash of an optional comment kept off chain.
     */
    function rate(uint256 bookingId, uint8 score, bytes32 commentHash) external {
        ParkingDisputes.rate(_bookings, _extras, _spots, _successors, bookingId, _msgSender(), score, commentHash);
    }

    // ─── Credits and key recovery ───────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IParkingExchange
    function withdraw(address to) external {
        ParkingDisputes.withdrawCredit(_credits, coin, registry, _msgSender(), to);
    }

    /**
     * @notice Registry hook: the membership of `from` moved to `to` (key recovery). `to` becomes the successor of
     * `from`: the spots and bookings of `from` are `to`'s from now on (checks and payments follow {holderOf}), and
     * its credit and cancellation marks move. Constant work, whatever `from` holds. Only the registry may call it.
     */
    function onMembershipMigrated(address from, address to) external {
        _requireRegistry();
        ParkingDisputes.migrateParty(_successors, _credits, _ownerCancellations, from, to);
    }

    /// @notice Registry hook: nothing to do here (settlements never depend on a party's status). Registry only.
    function onMembershipChanged(address, bool) external view {
        _requireRegistry();
    }

    // ─── Views ──────────────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IParkingExchange
    function userOf(uint256 spotId) external view returns (address) {
        (address driver, ) = ParkingStays.current(_calendar[spotId], _bookings, spotId, MAX_BOOKING_HOURS_LIMIT);
        return _holder(driver);
    }

    /// @inheritdoc IParkingExchange
    function userExpires(uint256 spotId) external view returns (uint256) {
        (address driver, uint256 end) = ParkingStays.current(_calendar[spotId], _bookings, spotId, MAX_BOOKING_HOURS_LIMIT);
        return driver == address(0) ? 0 : end;
    }

    /**
     * @notice Booking `bookingId` (zero driver and status `None` if unknown) and its check-in and rating record. Its
     * spot is `bookingId >> 32`, its start `(bookingId & 0xffffffff) * 3600` and its end `start + hoursBooked * 3600`.
     */
    function booking(uint256 bookingId) external view returns (Booking memory b, BookingExtra memory) {
        b = _bookings[bookingId];
        b.driver = _holder(b.driver);
        return (b, _extras[bookingId]);
    }

    /// @notice Spot `spotId` (zero owner if unknown); its owner is the current key of whoever listed it.
    function spot(uint256 spotId) external view returns (Spot memory s) {
        s = _spots[spotId];
        s.owner = _holder(s.owner);
    }

    /// @notice What is held here for `account`: settlement shares CityCoin refused to deliver (see {withdraw}).
    function creditOf(address account) external view returns (uint256) {
        return _credits[account];
    }

    /// @notice The current key of party `account`: itself, or the key its membership was last migrated to.
    function holderOf(address account) external view returns (address) {
        return _holder(account);
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
        if (!registry.isActiveMember(driver) || _successors[driver] != address(0)) revert ParkingExchangeNotAMember(driver);
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
        // No spill into the spot bits: `_reserve` bounded start by now + BOOKING_HORIZON, far below 2^32 hours.
        bookingId = (spotId << 32) | (start / ParkingCalendar.HOUR);
        // Never overwrite a live record (a cancelled one left its hours free, so its id may start afresh).
        Booking storage previous = _bookings[bookingId];
        if (previous.driver != address(0) && previous.status != BookingStatus.Cancelled) revert ParkingExchangeBookingIdTaken(bookingId);
        // Cast is safe: hoursBooked <= maxBookingHours, a uint16.
        _bookings[bookingId] = Booking(driver, uint16(hoursBooked), price, presetId, BookingStatus.Booked, withCheckIn);
        // A cancelled booking with the same id left no extra slot behind (cancel deletes it).
        if (withCheckIn) _extras[bookingId] = BookingExtra(deposit, overstayRate, 0, 0, 0, false, false);
        emit BookingCreated(bookingId, spotId, driver, start, end, price, deposit, overstayRate, presetId, withCheckIn);
        cost = uint256(price) + deposit;
    }

    function _checkBookable(Spot storage s, uint256 spotId, address driver) private view {
        if (s.owner == address(0)) revert ParkingExchangeUnknownSpot(spotId);
        if (s.delisted) revert ParkingExchangeSpotDelisted(spotId);
        if (s.paused) revert ParkingExchangeSpotPaused(spotId);
        address owner = _holder(s.owner);
        if (owner == driver) revert ParkingExchangeOwnSpot(spotId);
        if (!registry.isActiveMember(owner)) revert ParkingExchangeOwnerNotActive(spotId, owner);
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
        if (start > currentHourStart + BOOKING_HORIZON) revert ParkingExchangeStartTooFar(start, currentHourStart + BOOKING_HORIZON);
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

    /// @dev What the owner receives of `gross`, and the city fee taken from it.
    function _split(uint256 gross) private view returns (uint256 toOwner, uint256 fee) {
        fee = (gross * _params.feeBps) / _BPS;
        toOwner = gross - fee;
    }

    /**
     * @dev Pays out a settled escrow: `refund` to the driver, `toOwner` to the owner (both current keys), `fee` to
     * the community fund. A party CityCoin refuses is credited instead: one party's status never blocks the other's.
     */
    function _pay(uint256 bookingId, address driver, address owner, uint256 refund, uint256 toOwner, uint256 fee) private {
        if (refund != 0) _payOrCredit(bookingId, driver, refund);
        if (toOwner != 0) _payOrCredit(bookingId, owner, toOwner);
        if (fee != 0) {
            address fund = CityCoin(address(coin)).communityFund();
            if (fund == address(0)) revert ParkingExchangeNoCommunityFund();
            coin.safeTransfer(fund, fee);
        }
    }

    /// @dev Transfers `amount` to `to`, or credits it to `to` if CityCoin refuses the transfer.
    function _payOrCredit(uint256 bookingId, address to, uint256 amount) private {
        if (coin.trySafeTransfer(to, amount)) return;
        _credits[to] += amount;
        emit PaymentCredited(to, bookingId, amount);
    }

    /**
     * @dev The current key of `account`: follows successors. Each hop is one key recovery of the same membership (the
     * registry migrates only active or suspended members, to addresses that never were members), so the chain has
     * no cycle and is as long as that member's recoveries.
     */
    function _holder(address account) private view returns (address) {
        address next = _successors[account];
        while (next != address(0)) {
            account = next;
            next = _successors[account];
        }
        return account;
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
        if (caller != _holder(b.driver)) revert ParkingExchangeNotDriver(bookingId, caller);
        (, start, end) = _interval(bookingId, b);
    }

    function _requireListedSpotOf(uint256 spotId) private view returns (Spot storage s) {
        s = _spots[spotId];
        if (s.owner == address(0)) revert ParkingExchangeUnknownSpot(spotId);
        address caller = _msgSender();
        if (caller != _holder(s.owner)) revert ParkingExchangeNotSpotOwner(spotId, caller);
        if (s.delisted) revert ParkingExchangeSpotDelisted(spotId);
    }

    function _requirePreset(uint8 presetId) private view returns (CancellationPreset storage p) {
        p = _presets[presetId];
        if (p.tierCount == 0) revert ParkingExchangeUnknownPreset(presetId);
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

    function _revertNotRegistry(address caller) internal pure override {
        revert ParkingExchangeNotRegistry(caller);
    }
}
