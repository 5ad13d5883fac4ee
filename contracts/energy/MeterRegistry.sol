// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CityMemberService} from "../access/CityMemberService.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IMeterRegistry} from "./IMeterRegistry.sol";
import {ICityRegistry} from "../membership/ICityRegistry.sol";
import {IMembershipListener} from "../membership/IMembershipListener.sol";

/**
 * @title MeterRegistry
 * @notice The city's smart meters, registered, replaced and revoked by METER_OPERATORs (see {IMeterRegistry}).
 *
 * Invariants:
 * - A meter's status only moves `None → Active → Replaced | Revoked`; an address leaves `None` at most once.
 * - A meter's member, kind and district never change once registered; a replacement copies them.
 * - `replacementOf(m) != 0` exactly when `m` is `Replaced`, and the replacement was registered in the same call.
 * - `productionMeterCountOf(member)` is the number of its active meters measuring production; `metersOf(member)`
 *   lists its active meters (at most {MAX_METERS_PER_MEMBER}).
 * - A reading is recorded at most once per (slot, meter), only after the slot's end, only from a meter active then,
 *   and never changes; `productionOf(slot, member)` is the sum of the recorded production readings of the meters
 *   that belonged to `member` when they were recorded.
 * - A key recovery ({onMembershipMigrated}) moves the member's active meters and demand-response total to its new
 *   key; readings already recorded stay under the key they were recorded for.
 *
 * Relayed member action: a prosumer records its own meters' signed readings (they then count for its settlement,
 * whoever settles).
 *
 * @custom:city energy
 * @custom:relay recordReadings
 */
contract MeterRegistry is IMeterRegistry, IMembershipListener, CityMemberService, EIP712 {
    /// @notice Most active meters one member may have: bounds a key recovery's loop.
    uint256 public constant MAX_METERS_PER_MEMBER = 16;
    uint32 public constant SLOT_LENGTH = 900;
    bytes32 public constant READING_TYPEHASH =
        keccak256("MeterReading(address meter,uint32 slot,uint64 producedWh,uint64 consumedWh)");

    /// @dev A member's production on record in one slot: Σ producedWh of its production meters' readings (at most
    /// 16 meters of uint64 each, so 128 bits hold it) and how many of them read.
    struct Production {
        uint128 wh;
        uint16 meters;
    }


    mapping(address meter => Meter) private _meters;
    mapping(address meter => address) private _replacements;
    /// @dev Active meters measuring production (Production or Both) per member: what a settlement awaits readings of.
    mapping(address member => uint256) private _productionMeters;
    /// @dev Active meters per member, and each active meter's position in its member's list.
    mapping(address member => address[]) private _memberMeters;
    mapping(address meter => uint256) private _meterIndex;
    mapping(uint32 slot => mapping(address meter => RecordedReading)) private _readings;
    mapping(uint32 slot => mapping(address member => Production)) private _production;
    mapping(address meter => uint64) private _baselines;
    mapping(uint32 slot => bool) private _peakSlots;
    mapping(address member => uint256) private _demandReductions;

    /**
     * @param initialAuthority The city's {CityAuthority}.
     * @param registry_ The city's {CityRegistry}: meters are registered for active members only.
     * @param trustedForwarder The city's {CityForwarder}: members record their meters' readings gaslessly.
     */
    constructor(
        address initialAuthority,
        ICityRegistry registry_,
        address trustedForwarder
    ) CityMemberService(initialAuthority, trustedForwarder, registry_) EIP712("MeterRegistry", "1") {
    }

    /// @inheritdoc IMeterRegistry
    /// @custom:role METER_OPERATOR
    function register(address meter, address member, MeterKind kind, uint32 district) external restricted {
        if (meter == address(0) || member == address(0)) revert MeterRegistryZeroAddress();
        if (kind == MeterKind.None) revert MeterRegistryInvalidKind(kind);
        if (!registry.isActiveMember(member)) revert MeterRegistryNotAMember(member);
        _requireUnused(meter);
        address[] storage list = _memberMeters[member];
        if (list.length >= MAX_METERS_PER_MEMBER) revert MeterRegistryTooManyMeters(member, MAX_METERS_PER_MEMBER);
        _meterIndex[meter] = list.length;
        list.push(meter);
        _add(meter, member, kind, district);
    }

    /// @inheritdoc IMeterRegistry
    /// @custom:role METER_OPERATOR
    function replace(address oldMeter, address newMeter) external restricted {
        Meter storage old = _requireActive(oldMeter);
        if (newMeter == address(0)) revert MeterRegistryZeroAddress();
        _requireUnused(newMeter);
        old.status = MeterStatus.Replaced;
        _countProduction(old, false);
        _replacements[oldMeter] = newMeter;
        // The replacement takes the old meter's place in its member's list.
        uint256 index = _meterIndex[oldMeter];
        _memberMeters[old.member][index] = newMeter;
        _meterIndex[newMeter] = index;
        delete _meterIndex[oldMeter];
        emit MeterReplaced(oldMeter, newMeter, old.member, old.kind, old.district, uint48(block.timestamp));
        _add(newMeter, old.member, old.kind, old.district);
    }

    /// @inheritdoc IMeterRegistry
    /// @custom:role METER_OPERATOR
    function revoke(address meter, bytes32 reasonHash) external restricted {
        Meter storage m = _requireActive(meter);
        m.status = MeterStatus.Revoked;
        _countProduction(m, false);
        address[] storage list = _memberMeters[m.member];
        uint256 index = _meterIndex[meter];
        address last = list[list.length - 1];
        list[index] = last;
        _meterIndex[last] = index;
        list.pop();
        delete _meterIndex[meter];
        emit MeterRevoked(meter, m.member, reasonHash, uint48(block.timestamp));
    }

    // ─── Readings and demand response ───────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IMeterRegistry
    function recordReadings(Reading[] calldata readings) external returns (uint256 recorded) {
        for (uint256 i = 0; i < readings.length; ++i) {
            if (_record(readings[i])) ++recorded;
        }
    }

    /// @inheritdoc IMeterRegistry
    /// @custom:role METER_OPERATOR
    function setBaseline(address meter, uint64 baselineWh) external restricted {
        Meter storage m = _requireActive(meter);
        _baselines[meter] = baselineWh;
        emit BaselineSet(meter, m.member, baselineWh);
    }

    /// @inheritdoc IMeterRegistry
    /// @custom:role METER_OPERATOR
    function flagPeakSlot(uint32 slot) external restricted {
        uint256 startsAt = uint256(slot) * SLOT_LENGTH;
        if (block.timestamp >= startsAt) revert MeterRegistryPeakTooLate(slot, startsAt);
        _peakSlots[slot] = true;
        emit PeakSlotFlagged(slot);
    }

    // ─── Membership (CityRegistry) ──────────────────────────────────────────────────────────────────────────────

    /// @notice Called by {CityRegistry} when `account` becomes or stops being active: meters stay registered (a
    /// suspended member's meters still read; what they read waits for the member like its money does).
    function onMembershipChanged(address, bool) external view {
        _requireRegistry();
    }

    /**
     * @notice Called by {CityRegistry} when the membership of `from` moved to `to` (key recovery): `from`'s active
     * meters and demand-response total move to `to`, so the recovered member trades and is credited as before.
     */
    function onMembershipMigrated(address from, address to) external {
        _requireRegistry();
        address[] memory list = _memberMeters[from];
        address[] storage target = _memberMeters[to];
        for (uint256 i = 0; i < list.length; ++i) {
            _meters[list[i]].member = to;
            _meterIndex[list[i]] = target.length;
            target.push(list[i]);
        }
        delete _memberMeters[from];
        _productionMeters[to] += _productionMeters[from];
        delete _productionMeters[from];
        uint256 reduced = _demandReductions[from];
        _demandReductions[to] += reduced;
        delete _demandReductions[from];
        emit MetersMigrated(from, to, list.length, reduced);
    }

    // ─── Views ──────────────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IMeterRegistry
    function readingOf(uint32 slot, address meter) external view returns (RecordedReading memory) {
        return _readings[slot][meter];
    }

    /// @inheritdoc IMeterRegistry
    function productionOf(uint32 slot, address member) external view returns (uint256 wh, uint256 metersRead) {
        Production storage p = _production[slot][member];
        return (p.wh, p.meters);
    }

    /// @notice The active meters of `member`.
    function metersOf(address member) external view returns (address[] memory) {
        return _memberMeters[member];
    }

    /// @notice `meter`'s consumption baseline per slot, in Wh (0 if none).
    function baselineOf(address meter) external view returns (uint64) {
        return _baselines[meter];
    }

    /// @notice True when the operator flagged slot `slot` as a peak.
    function isPeakSlot(uint32 slot) external view returns (bool) {
        return _peakSlots[slot];
    }

    /// @notice All `member` consumed below its baselines in peak slots, in Wh.
    function demandReductionOf(address member) external view returns (uint256) {
        return _demandReductions[member];
    }

    /// @notice The EIP-712 digest a meter signs for a reading.
    function readingDigest(address meter, uint32 slot, uint64 producedWh, uint64 consumedWh) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(READING_TYPEHASH, meter, slot, producedWh, consumedWh)));
    }

    /// @inheritdoc IMeterRegistry
    function meterOf(address meter) external view returns (Meter memory) {
        return _meters[meter];
    }

    /// @inheritdoc IMeterRegistry
    function replacementOf(address meter) external view returns (address) {
        return _replacements[meter];
    }

    /// @inheritdoc IMeterRegistry
    function productionMeterCountOf(address member) external view returns (uint256) {
        return _productionMeters[member];
    }

    /// @inheritdoc IMeterRegistry
    function isActiveProducer(address meter, address member) external view returns (bool) {
        Meter storage m = _meters[meter];
        return m.status == MeterStatus.Active && m.member == member && m.kind != MeterKind.Consumption;
    }

    /// @inheritdoc IMeterRegistry
    function isActiveConsumer(address meter, address member) external view returns (bool) {
        Meter storage m = _meters[meter];
        return m.status == MeterStatus.Active && m.member == member && m.kind != MeterKind.Production;
    }

    /// @dev Records one reading unless its meter already read that slot; false when skipped.
    function _record(Reading calldata r) private returns (bool) {
        RecordedReading storage stored = _readings[r.slot][r.meter];
        if (stored.recorded) return false;
        uint256 endsAt = (uint256(r.slot) + 1) * SLOT_LENGTH;
        if (block.timestamp < endsAt) revert MeterRegistrySlotNotOver(r.slot, endsAt);
        Meter storage m = _requireActive(r.meter);
        (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecover(
            readingDigest(r.meter, r.slot, r.producedWh, r.consumedWh),
            r.signature
        );
        if (err != ECDSA.RecoverError.NoError || signer != r.meter) revert MeterRegistryInvalidSignature(r.meter, signer);
        address member = m.member;
        stored.producedWh = r.producedWh;
        stored.consumedWh = r.consumedWh;
        stored.recorded = true;
        if (m.kind != MeterKind.Consumption) {
            Production storage p = _production[r.slot][member];
            // 128 bits hold the readings of 2^64 meters of uint64 each; a member has at most 16 (checked anyway).
            p.wh += r.producedWh;
            ++p.meters;
        }
        emit ReadingAccepted(r.slot, r.meter, member, m.district, r.producedWh, r.consumedWh);
        if (_peakSlots[r.slot]) _recordDemandResponse(r, member);
        return true;
    }

    function _recordDemandResponse(Reading calldata r, address member) private {
        uint64 baseline = _baselines[r.meter];
        if (r.consumedWh >= baseline) return;
        uint64 reduced;
        // Overflow not possible: consumedWh < baseline.
        unchecked {
            reduced = baseline - r.consumedWh;
        }
        uint256 total = _demandReductions[member] + reduced;
        _demandReductions[member] = total;
        emit DemandReduced(r.slot, member, r.meter, baseline, r.consumedWh, reduced, total);
    }

    function _add(address meter, address member, MeterKind kind, uint32 district) private {
        uint48 at = uint48(block.timestamp);
        _meters[meter] = Meter({member: member, kind: kind, status: MeterStatus.Active, district: district, registeredAt: at});
        _countProduction(_meters[meter], true);
        emit MeterRegistered(meter, member, district, kind, at);
    }

    /// @dev Counts a meter measuring production in or out of its member's active production meters.
    function _countProduction(Meter storage m, bool added) private {
        if (m.kind == MeterKind.Consumption) return;
        if (added) ++_productionMeters[m.member];
        else --_productionMeters[m.member];
    }

    function _requireUnused(address meter) private view {
        MeterStatus status = _meters[meter].status;
        if (status != MeterStatus.None) revert MeterRegistryAddressUsed(meter, status);
    }

    function _requireActive(address meter) private view returns (Meter storage m) {
        m = _meters[meter];
        if (m.status != MeterStatus.Active) revert MeterRegistryNotActive(meter, m.status);
    }

    function _revertNotRegistry(address caller) internal pure override {
        revert MeterRegistryNotRegistry(caller);
    }
}
