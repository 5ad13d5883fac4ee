// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IParkingExchange} from "./IParkingExchange.sol";
import {ParkingCalendar} from "./ParkingCalendar.sol";

/**
 * @title ParkingSpots
 * @notice ParkingExchange's bookkeeping of spots' terms, cancellation presets and blocked days, as a linked library:
 * its external functions run in the exchange's context (DELEGATECALL), so they write the exchange's storage and their
 * events and errors are the exchange's own ({IParkingExchange}). Kept apart so the exchange stays well under
 * EIP-170's size limit. The exchange checks who may call (the council, the spot's owner) before calling in.
 */
library ParkingSpots {
    uint16 private constant _BPS = 10_000;
    /// @dev ParkingExchange.MAX_TIERS.
    uint256 private constant _MAX_TIERS = 4;

    /**
     * @notice Writes preset `presetId` (a new id): tiers of strictly decreasing notice and non-increasing refunds, at
     * most 100%.
     */
    function addPreset(
        mapping(uint8 presetId => IParkingExchange.CancellationPreset) storage presets,
        uint8 presetId,
        bytes32 name,
        uint32[] calldata minNotice,
        uint16[] calldata refundBps
    ) external {
        uint256 count = minNotice.length;
        if (count != refundBps.length) revert IParkingExchange.ParkingExchangeTierLengthMismatch(count, refundBps.length);
        if (count == 0 || count > _MAX_TIERS) revert IParkingExchange.ParkingExchangeInvalidTierCount(count, _MAX_TIERS);
        IParkingExchange.CancellationPreset storage p = presets[presetId];
        p.name = name;
        p.enabled = true;
        // Cast is safe: count <= _MAX_TIERS.
        p.tierCount = uint8(count);
        for (uint256 i = 0; i < count; ++i) {
            if (refundBps[i] > _BPS) revert IParkingExchange.ParkingExchangeRefundTooHigh(refundBps[i]);
            if (i != 0 && (minNotice[i] >= minNotice[i - 1] || refundBps[i] > refundBps[i - 1])) {
                revert IParkingExchange.ParkingExchangeTierOutOfOrder(i);
            }
            p.minNotice[i] = minNotice[i];
            p.refundBps[i] = refundBps[i];
        }
        emit IParkingExchange.CancellationPresetAdded(presetId, name, minNotice, refundBps);
        emit IParkingExchange.CancellationPresetEnabledSet(presetId, true);
    }

    /**
     * @notice Checks and writes the terms of spot `spotId`. `currentPreset` may be kept even if disabled since (0 when
     * listing).
     */
    function setTerms(
        mapping(uint8 presetId => IParkingExchange.CancellationPreset) storage presets,
        IParkingExchange.Spot storage s,
        uint256 spotId,
        IParkingExchange.SpotTerms calldata terms,
        uint8 currentPreset
    ) external {
        if (terms.hourlyRate == 0) revert IParkingExchange.ParkingExchangeZeroRate();
        if (terms.deposit != 0 && !terms.checkIn) revert IParkingExchange.ParkingExchangeDepositWithoutCheckIn(terms.deposit);
        IParkingExchange.CancellationPreset storage p = presets[terms.presetId];
        if (p.tierCount == 0) revert IParkingExchange.ParkingExchangeUnknownPreset(terms.presetId);
        if (!p.enabled && terms.presetId != currentPreset) revert IParkingExchange.ParkingExchangePresetDisabled(terms.presetId);
        s.hourlyRate = terms.hourlyRate;
        s.dailyCap = terms.dailyCap;
        s.presetId = terms.presetId;
        s.weeklyAvailability = terms.weeklyAvailability;
        s.deposit = terms.deposit;
        s.checkIn = terms.checkIn;
        s.district = terms.district;
        s.geohash = terms.geohash;
        s.descriptionHash = terms.descriptionHash;
        emit IParkingExchange.SpotTermsSet(
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

    /**
     * @notice Blocks (`blocked`) or opens whole days (unix day indexes) of spot `spotId`: at most `maxDays` per call;
     * a day blocked lies between today and `horizon` seconds ahead (no booking can start later), so what an owner
     * writes, and what a read model keeps of it, is bounded per spot.
     */
    function setDays(
        mapping(uint256 week => uint256) storage calendar,
        uint256 spotId,
        uint32[] calldata dayIndexes,
        bool blocked,
        uint256 maxDays,
        uint256 horizon
    ) external {
        if (dayIndexes.length > maxDays) revert IParkingExchange.ParkingExchangeTooManyDays(dayIndexes.length, maxDays);
        uint256 today = block.timestamp / 1 days;
        uint256 lastDay = (block.timestamp + horizon) / 1 days;
        for (uint256 i = 0; i < dayIndexes.length; ++i) {
            uint256 day = dayIndexes[i];
            (uint256 week, uint256 bit) = ParkingCalendar.dayPosition(day);
            if (blocked) {
                if (day < today || day > lastDay) revert IParkingExchange.ParkingExchangeDayOutOfRange(day, today, lastDay);
                calendar[week] |= uint256(1) << bit;
            } else {
                calendar[week] &= ~(uint256(1) << bit);
            }
        }
        // Cast is safe: a unix day index fits 32 bits for another eleven million years.
        if (blocked) emit IParkingExchange.SpotDaysBlocked(spotId, dayIndexes, uint32(today));
        else emit IParkingExchange.SpotDaysUnblocked(spotId, dayIndexes, uint32(today));
    }
}
