// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IParkingExchange} from "./IParkingExchange.sol";
import {ParkingCalendar} from "./ParkingCalendar.sol";

/**
 * @title ParkingStays
 * @notice ParkingExchange's steps around a stay (check-in and check-out; disputes and ratings are {ParkingDisputes}'), as a linked library: its external functions run in the exchange's
 * context (DELEGATECALL), so they read and write the exchange's storage and their events and errors are the
 * exchange's own ({IParkingExchange}). Kept apart so the exchange stays well under EIP-170's size limit.
 *
 * The exchange passes the booking's record and its parties' current keys (after key recovery); this library decides
 * the lifecycle step and emits its event. Money moves stay in the exchange.
 */
library ParkingStays {
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
     * @notice The booking covering the current hour of spot `spotId` (ERC-4907's user): walks back from the current
     * hour through booked hours of `calendar` (the spot's) to the booking's start, at most `maxHours`. Returns its
     * driver as recorded (zero if none) and its end.
     */
    function current(
        mapping(uint256 => uint256) storage calendar,
        mapping(uint256 => IParkingExchange.Booking) storage bookings,
        uint256 spotId,
        uint256 maxHours
    ) external view returns (address driver, uint256 end) {
        uint256 hour = block.timestamp / ParkingCalendar.HOUR;
        for (uint256 back = 0; back < maxHours && back <= hour; ++back) {
            uint256 h = hour - back;
            uint256 shifted = h + ParkingCalendar.EPOCH_SHIFT_HOURS;
            uint256 word = calendar[shifted / ParkingCalendar.HOURS_PER_WEEK];
            if ((word >> (shifted % ParkingCalendar.HOURS_PER_WEEK)) & 1 == 0) break;
            IParkingExchange.Booking storage b = bookings[(spotId << 32) | h];
            if (b.driver != address(0) && b.status != IParkingExchange.BookingStatus.Cancelled) {
                if (h + b.hoursBooked > hour) return (b.driver, (h + b.hoursBooked) * ParkingCalendar.HOUR);
                break;
            }
        }
    }

    /// @dev `[start, end)` of booking `bookingId` (see the id layout in {IParkingExchange}).
    function _interval(IParkingExchange.Booking storage b, uint256 bookingId) private view returns (uint256 start, uint256 end) {
        start = (bookingId & type(uint32).max) * ParkingCalendar.HOUR;
        end = start + uint256(b.hoursBooked) * ParkingCalendar.HOUR;
    }
}
