// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IMeterRegistry} from "./IMeterRegistry.sol";
import {ICityRegistry} from "../membership/ICityRegistry.sol";

/**
 * @title MeterRegistry
 * @notice The city's smart meters, registered, replaced and revoked by METER_OPERATORs (see {IMeterRegistry}).
 *
 * Invariants:
 * - A meter's status only moves `None → Active → Replaced | Revoked`; an address leaves `None` at most once.
 * - A meter's member, kind and district never change once registered; a replacement copies them.
 * - `replacementOf(m) != 0` exactly when `m` is `Replaced`, and the replacement was registered in the same call.
 * - `productionMeterCountOf(member)` is the number of its active meters measuring production.
 */
contract MeterRegistry is IMeterRegistry, AccessManaged {
    ICityRegistry public immutable registry;

    mapping(address meter => Meter) private _meters;
    mapping(address meter => address) private _replacements;
    /// @dev Active meters measuring production (Production or Both) per member: what a settlement awaits readings of.
    mapping(address member => uint256) private _productionMeters;

    /**
     * @param initialAuthority The city's {CityAuthority}.
     * @param registry_ The city's {CityRegistry}: meters are registered for active members only.
     */
    constructor(address initialAuthority, ICityRegistry registry_) AccessManaged(initialAuthority) {
        registry = registry_;
    }

    /// @inheritdoc IMeterRegistry
    function register(address meter, address member, MeterKind kind, uint32 district) external restricted {
        if (meter == address(0) || member == address(0)) revert MeterRegistryZeroAddress();
        if (kind == MeterKind.None) revert MeterRegistryInvalidKind(kind);
        if (!registry.isActiveMember(member)) revert MeterRegistryNotAMember(member);
        _requireUnused(meter);
        _add(meter, member, kind, district);
    }

    /// @inheritdoc IMeterRegistry
    function replace(address oldMeter, address newMeter) external restricted {
        Meter storage old = _requireActive(oldMeter);
        if (newMeter == address(0)) revert MeterRegistryZeroAddress();
        _requireUnused(newMeter);
        old.status = MeterStatus.Replaced;
        _countProduction(old, false);
        _replacements[oldMeter] = newMeter;
        emit MeterReplaced(oldMeter, newMeter, old.member, old.kind, old.district, uint48(block.timestamp));
        _add(newMeter, old.member, old.kind, old.district);
    }

    /// @inheritdoc IMeterRegistry
    function revoke(address meter, bytes32 reasonHash) external restricted {
        Meter storage m = _requireActive(meter);
        m.status = MeterStatus.Revoked;
        _countProduction(m, false);
        emit MeterRevoked(meter, m.member, reasonHash, uint48(block.timestamp));
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
}
