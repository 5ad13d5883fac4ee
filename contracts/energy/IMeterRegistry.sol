// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title IMeterRegistry
 * @notice The city's registered smart meters. A meter is known by its own signing address (the key its readings will
 * be signed with); it belongs to one member, measures production, consumption or both, and sits in one district.
 * A METER_OPERATOR registers, replaces (a new device or key takes over the same member, kind and district) and
 * revokes meters. A meter address is used once: a replaced or revoked address can never be registered again, so a
 * reading signed by it is never mistaken for another meter's.
 */
interface IMeterRegistry {
    /// @dev What a meter measures. `None` only marks an address that was never registered.
    enum MeterKind {
        None,
        Production,
        Consumption,
        Both
    }

    enum MeterStatus {
        None,
        Active,
        Replaced,
        Revoked
    }

    /// @dev One slot: 20 + 1 + 1 + 4 + 6 bytes.
    struct Meter {
        address member;
        MeterKind kind;
        MeterStatus status;
        uint32 district;
        uint48 registeredAt;
    }

    /// @notice Meter `meter` was registered (or took over from a replaced meter) for `member`, active from `registeredAt`.
    event MeterRegistered(
        address indexed meter,
        address indexed member,
        uint32 indexed district,
        MeterKind kind,
        uint48 registeredAt
    );
    /// @notice Meter `oldMeter` was replaced by `newMeter`, which took over its member, kind and district.
    event MeterReplaced(
        address indexed oldMeter,
        address indexed newMeter,
        address indexed member,
        MeterKind kind,
        uint32 district,
        uint48 replacedAt
    );
    /// @notice Meter `meter` of `member` was revoked for good.
    event MeterRevoked(address indexed meter, address indexed member, bytes32 reasonHash, uint48 revokedAt);

    error MeterRegistryZeroAddress();
    error MeterRegistryInvalidKind(MeterKind kind);
    error MeterRegistryNotAMember(address member);
    error MeterRegistryAddressUsed(address meter, MeterStatus status);
    error MeterRegistryNotActive(address meter, MeterStatus status);

    /**
     * @notice Registers meter `meter` (its signing address) for active member `member`. Restricted (METER_OPERATOR).
     * @param kind Production, Consumption or Both.
     * @param district The district the meter is installed in.
     */
    function register(address meter, address member, MeterKind kind, uint32 district) external;

    /**
     * @notice Replaces active meter `oldMeter` by the unused address `newMeter`, which takes over its member, kind and
     * district; `oldMeter` becomes `Replaced`. Restricted (METER_OPERATOR).
     */
    function replace(address oldMeter, address newMeter) external;

    /**
     * @notice Revokes active meter `meter` for good. Restricted (METER_OPERATOR).
     * @param reasonHash Hash of the operator's written reason.
     */
    function revoke(address meter, bytes32 reasonHash) external;

    /// @notice The record of `meter` (status `None` if it was never registered).
    function meterOf(address meter) external view returns (Meter memory);

    /// @notice The address that replaced `meter` (zero if it was not replaced).
    function replacementOf(address meter) external view returns (address);

    /// @notice How many active meters of `member` measure production (Production or Both).
    function productionMeterCountOf(address member) external view returns (uint256);

    /// @notice True when `meter` is active, belongs to `member` and measures production (Production or Both).
    function isActiveProducer(address meter, address member) external view returns (bool);

    /// @notice True when `meter` is active, belongs to `member` and measures consumption (Consumption or Both).
    function isActiveConsumer(address meter, address member) external view returns (bool);
}
