// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title ParkingCalendar
 * @notice Hour arithmetic of a spot's calendar. A calendar word holds one week (Monday 00:00 UTC to Monday 00:00):
 * bits 0-167 are its hours (set = booked), bits 168-174 its days Monday..Sunday (set = blocked by the owner).
 * Hours are counted from the Monday before the unix epoch (a Thursday): `shifted = unixHour + EPOCH_SHIFT_HOURS`, so
 * the week is `shifted / 168` and the bit `shifted % 168`.
 */
library ParkingCalendar {
    uint256 internal constant HOUR = 3600;
    uint256 internal constant HOURS_PER_WEEK = 168;
    /// @dev 1970-01-01 was a Thursday: Monday 1969-12-29 00:00 UTC is 72 hours earlier.
    uint256 internal constant EPOCH_SHIFT_HOURS = 72;
    uint256 internal constant EPOCH_SHIFT_DAYS = 3;
    /// @dev First bit of the blocked days.
    uint256 internal constant DAY_BITS_OFFSET = 168;

    /**
     * @dev Hour bits and blocked-day bits (already at {DAY_BITS_OFFSET}) that `[from, to)` (shifted hours, `from < to`)
     * covers within `week`, which must intersect it.
     */
    function weekMasks(uint256 week, uint256 from, uint256 to) internal pure returns (uint256 hourMask, uint256 dayMask) {
        uint256 weekStart = week * HOURS_PER_WEEK;
        uint256 lo = from > weekStart ? from - weekStart : 0;
        uint256 hi = to - weekStart;
        if (hi > HOURS_PER_WEEK) hi = HOURS_PER_WEEK;
        // lo < hi <= 168 < 256: the shifts never overflow a word.
        hourMask = ((uint256(1) << (hi - lo)) - 1) << lo;
        uint256 fromDay = lo / 24;
        uint256 lastDay = (hi - 1) / 24;
        dayMask = ((uint256(1) << (lastDay - fromDay + 1)) - 1) << (DAY_BITS_OFFSET + fromDay);
    }

    /// @dev Week and bit of blocked day `day` (a unix day index) in the calendar.
    function dayPosition(uint256 day) internal pure returns (uint256 week, uint256 bit) {
        uint256 shifted = day + EPOCH_SHIFT_DAYS;
        return (shifted / 7, DAY_BITS_OFFSET + (shifted % 7));
    }

    /// @dev Unix day index of the lowest blocked-day bit set in `dayBits` (a non-zero mask of a word of `week`).
    function firstDay(uint256 week, uint256 dayBits) internal pure returns (uint256) {
        uint256 d = 0;
        while ((dayBits >> (DAY_BITS_OFFSET + d)) & 1 == 0) ++d;
        return week * 7 + d - EPOCH_SHIFT_DAYS;
    }
}
