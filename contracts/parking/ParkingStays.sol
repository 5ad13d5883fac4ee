// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IParkingExchange} from "./IParkingExchange.sol";
import {ParkingCalendar} from "./ParkingCalendar.sol";

/**
 * @title ParkingStays
 * @notice ParkingExchange's steps around a stay (check-in, check-out, disputes and ratings), as a linked library: its external functions run in the exchange's
 * context (DELEGATECALL), so they read and write the exchange's storage and their events and errors are the
 * exchange's own ({IParkingExchange}). Kept apart so the exchange stays well under EIP-170's size limit.
 *
 * The exchange passes the booking's record and its parties' current keys (after key recovery); this library decides
 * the lifecycle step and emits its event. Money moves stay in the exchange.
 */
library ParkingStays {
    uint16 private constant _BPS = 10_000;

    /// @notice Driver `driver` (validated by the exchange) checks in to booking `bookingId`, between its start and end.
    function checkIn(
        IParkingExchange.Booking storage b,
        IParkingExchange.BookingExtra storage x,
        uint256 bookingId,
        address driver
    ) external {
        (uint256 start, uint256 end) = _interval(b, bookingId);
        if (!b.checkIn) revert IParkingExchange.ParkingExchangeCheckInNotRequired(bookingId);
        if (block.timestamp < start || block.timestamp >= end) revert IParkingExchange.ParkingExchangeCheckInClosed(bookingId, start, end);
        if (x.checkedInAt != 0) revert IParkingExchange.ParkingExchangeAlreadyCheckedIn(bookingId);
        x.checkedInAt = uint40(block.timestamp);
        emit IParkingExchange.CheckedIn(bookingId, driver, uint40(block.timestamp));
    }

    /// @notice Driver `driver` (validated by the exchange) checks out of booking `bookingId`, charged any overstay.
    function checkOut(
        IParkingExchange.Booking storage b,
        IParkingExchange.BookingExtra storage x,
        uint256 bookingId,
        address driver
    ) external {
        (, uint256 end) = _interval(b, bookingId);
        if (x.checkedInAt == 0) revert IParkingExchange.ParkingExchangeNotCheckedIn(bookingId);
        if (x.checkedOutAt != 0) revert IParkingExchange.ParkingExchangeAlreadyCheckedOut(bookingId);
        uint48 charge = overstayCharge(x, end);
        x.checkedOutAt = uint40(block.timestamp);
        x.overstayCharge = charge;
        emit IParkingExchange.CheckedOut(bookingId, driver, uint40(block.timestamp), charge);
    }

    /// @dev Overstay after `end` until now, per started hour at the booking's rate, at most the deposit.
    function overstayCharge(IParkingExchange.BookingExtra storage x, uint256 end) internal view returns (uint48) {
        if (block.timestamp <= end) return 0;
        uint256 startedHours = (block.timestamp - end + ParkingCalendar.HOUR - 1) / ParkingCalendar.HOUR;
        uint256 charge = startedHours * x.hourlyRate;
        // Cast is safe: the result is at most the deposit, a uint48.
        return uint48(charge < x.deposit ? charge : x.deposit);
    }

    /**
     * @notice The driver or the owner disputes booking `bookingId`, from its start until its end plus the dispute
     * window.
     * @param b The booking's record (known: its driver is set).
     * @param driver The driver's current key.
     * @param owner The spot owner's current key.
     * @param caller Who disputes.
     * @param disputeWindow Seconds after the end during which a dispute may be opened.
     */
    function open(
        IParkingExchange.Booking storage b,
        uint256 bookingId,
        address driver,
        address owner,
        address caller,
        uint256 disputeWindow
    ) external {
        _requireStatus(b, bookingId, IParkingExchange.BookingStatus.Booked);
        (uint256 start, uint256 end) = _interval(b, bookingId);
        if (caller != driver && caller != owner) revert IParkingExchange.ParkingExchangeNotParty(bookingId, caller);
        uint256 closesAt = end + disputeWindow;
        if (block.timestamp < start || block.timestamp >= closesAt) {
            revert IParkingExchange.ParkingExchangeDisputeClosed(bookingId, start, closesAt);
        }
        b.status = IParkingExchange.BookingStatus.Disputed;
        emit IParkingExchange.DisputeOpened(bookingId, caller);
    }

    /**
     * @notice Settles disputed booking `bookingId`: `toDriver` of `escrow` to the driver, the rest to the owner less
     * `feeBps`. Returns the owner's share and the fee; the exchange pays them.
     */
    function resolve(
        IParkingExchange.Booking storage b,
        uint256 bookingId,
        uint256 escrow,
        uint256 toDriver,
        uint256 feeBps,
        address arbiter,
        bytes32 reasonHash
    ) external returns (uint256 toOwner, uint256 fee) {
        _requireStatus(b, bookingId, IParkingExchange.BookingStatus.Disputed);
        if (toDriver > escrow) revert IParkingExchange.ParkingExchangeSplitExceedsEscrow(bookingId, toDriver, escrow);
        b.status = IParkingExchange.BookingStatus.Resolved;
        fee = ((escrow - toDriver) * feeBps) / _BPS;
        toOwner = escrow - toDriver - fee;
        emit IParkingExchange.DisputeResolved(bookingId, arbiter, toDriver, toOwner, fee, reasonHash);
    }

    /**
     * @notice `caller` rates the other side of booking `bookingId`, which has ended and is not cancelled, once per
     * side: the driver rates the spot's owner, the owner rates the driver.
     */
    function rate(
        IParkingExchange.Booking storage b,
        IParkingExchange.BookingExtra storage x,
        uint256 bookingId,
        address driver,
        address owner,
        address caller,
        uint8 score,
        bytes32 commentHash
    ) external {
        if (b.status == IParkingExchange.BookingStatus.Cancelled) revert IParkingExchange.ParkingExchangeInvalidStatus(bookingId, b.status);
        (, uint256 end) = _interval(b, bookingId);
        if (block.timestamp < end) revert IParkingExchange.ParkingExchangeNotCompleted(bookingId, end);
        if (score == 0 || score > 5) revert IParkingExchange.ParkingExchangeInvalidScore(score);
        bool byDriver = caller == driver;
        if (byDriver) {
            if (x.driverRated) revert IParkingExchange.ParkingExchangeAlreadyRated(bookingId, caller);
            x.driverRated = true;
        } else if (caller == owner) {
            if (x.ownerRated) revert IParkingExchange.ParkingExchangeAlreadyRated(bookingId, caller);
            x.ownerRated = true;
        } else {
            revert IParkingExchange.ParkingExchangeNotParty(bookingId, caller);
        }
        emit IParkingExchange.BookingRated(bookingId, caller, byDriver ? owner : driver, byDriver, score, commentHash);
    }

    function _requireStatus(IParkingExchange.Booking storage b, uint256 bookingId, IParkingExchange.BookingStatus status) private view {
        if (b.status != status) revert IParkingExchange.ParkingExchangeInvalidStatus(bookingId, b.status);
    }

    /// @dev `[start, end)` of booking `bookingId` (see the id layout in {IParkingExchange}).
    function _interval(IParkingExchange.Booking storage b, uint256 bookingId) private view returns (uint256 start, uint256 end) {
        start = (bookingId & type(uint32).max) * ParkingCalendar.HOUR;
        end = start + uint256(b.hoursBooked) * ParkingCalendar.HOUR;
    }
}
