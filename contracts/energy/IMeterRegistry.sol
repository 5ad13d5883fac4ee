// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title IMeterRegistry
 * @notice The city's registered smart meters. A meter is known by its own signing address (the key its readings will
 * be signed with); it belongs to one member, measures production, consumption or both, and sits in one district.
 * A METER_OPERATOR registers, replaces (a new device or key takes over the same member, kind and district) and
 * revokes meters. A meter address is used once: a replaced or revoked address can never be registered again, so a
 * reading signed by it is never mistaken for another meter's.
 *
 * Readings: once a slot has ended, anyone records the readings its meters signed ({recordReadings}: the meter, its
 * operator, the member, a keeper, or {EnergyMarket.settle} on the settler's behalf). A reading is recorded once per
 * meter and slot and then counts for every later use, whoever recorded it: EnergyMarket settles against the production
 * on record ({productionOf}), demand response is recorded as the reading arrives (in a slot the operator flagged as a
 * peak before it started, consumption below the meter's baseline), and the ledger's district balances follow the
 * `ReadingAccepted` events. Nobody chooses which readings another member's records count.
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

    /**
     * @notice What a meter signs (EIP-712 `MeterReading(address meter,uint32 slot,uint64 producedWh,uint64
     * consumedWh)`, domain `MeterRegistry`, version `1`): the energy it measured during slot `slot` (the 900 seconds
     * from `slot * 900`).
     */
    struct Reading {
        address meter;
        uint32 slot;
        uint64 producedWh;
        uint64 consumedWh;
        bytes signature;
    }

    /// @dev A recorded reading, one slot: 8 + 8 + 1 bytes.
    struct RecordedReading {
        uint64 producedWh;
        uint64 consumedWh;
        bool recorded;
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

    /**
     * @notice A signed reading of `meter` (of `member`, in `district`) was recorded for slot `slot`. `producedWh`
     * counts toward the member's production only if the meter measures production.
     */
    event ReadingAccepted(
        uint32 indexed slot,
        address indexed meter,
        address indexed member,
        uint32 district,
        uint64 producedWh,
        uint64 consumedWh
    );
    /// @notice The operator set `meter`'s consumption baseline per slot, for demand-response records.
    event BaselineSet(address indexed meter, address indexed member, uint64 baselineWh);
    /// @notice The operator flagged slot `slot` as a peak: consumption below baseline in it is recorded.
    event PeakSlotFlagged(uint32 indexed slot);
    /**
     * @notice In peak slot `slot`, `member`'s meter `meter` drew `consumedWh`, `reducedWh` below its baseline;
     * `total` is all `member` has reduced in peak slots.
     */
    event DemandReduced(
        uint32 indexed slot,
        address indexed member,
        address indexed meter,
        uint64 baselineWh,
        uint64 consumedWh,
        uint64 reducedWh,
        uint256 total
    );
    /**
     * @notice The membership of `from` moved to `to` (key recovery): its `meters` active meters now belong to `to`,
     * and so does its demand-response total `demandReductionWh`.
     */
    event MetersMigrated(address indexed from, address indexed to, uint256 meters, uint256 demandReductionWh);

    error MeterRegistryZeroAddress();
    error MeterRegistryInvalidKind(MeterKind kind);
    error MeterRegistryNotAMember(address member);
    error MeterRegistryAddressUsed(address meter, MeterStatus status);
    error MeterRegistryNotActive(address meter, MeterStatus status);
    error MeterRegistryTooManyMeters(address member, uint256 max);
    error MeterRegistrySlotNotOver(uint32 slot, uint256 endsAt);
    error MeterRegistryInvalidSignature(address meter, address signer);
    error MeterRegistryPeakTooLate(uint32 slot, uint256 startsAt);
    error MeterRegistryNotRegistry(address caller);

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

    /**
     * @notice Records each reading of an ended slot, signed by its meter's own key (EIP-712, see {Reading}), from a
     * meter active now. Anyone may call it. A meter's reading of a slot is recorded once: a reading of an
     * already-recorded meter and slot is skipped (the first one stands). Returns how many were recorded.
     */
    function recordReadings(Reading[] calldata readings) external returns (uint256 recorded);

    /// @notice Sets active meter `meter`'s consumption baseline per slot, in Wh (0 removes it). Restricted
    /// (METER_OPERATOR).
    function setBaseline(address meter, uint64 baselineWh) external;

    /// @notice Flags slot `slot` as a peak before it starts: its readings record consumption below baselines.
    /// Restricted (METER_OPERATOR).
    function flagPeakSlot(uint32 slot) external;

    /// @notice `meter`'s reading of slot `slot` (`recorded` false if none yet).
    function readingOf(uint32 slot, address meter) external view returns (RecordedReading memory);

    /**
     * @notice `member`'s production in slot `slot` on record: the sum of `producedWh` of its recorded readings from
     * meters measuring production, and how many such meters have read.
     */
    function productionOf(uint32 slot, address member) external view returns (uint256 wh, uint256 metersRead);

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
