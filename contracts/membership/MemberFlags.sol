// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title MemberFlags
 * @notice Bit positions of a member's role flags in {CityRegistry}. A flag value is `1 << bit`.
 * @dev Bits 0-15 are the city's; the rest is free for later modules.
 */
library MemberFlags {
    uint8 internal constant RESIDENT_BIT = 0;
    uint8 internal constant MERCHANT_BIT = 1;
    uint8 internal constant PROSUMER_BIT = 2;
    uint8 internal constant PARKING_OWNER_BIT = 3;
    uint8 internal constant ASSOCIATION_BIT = 4;

    uint64 internal constant RESIDENT = uint64(1) << RESIDENT_BIT;
    uint64 internal constant MERCHANT = uint64(1) << MERCHANT_BIT;
    uint64 internal constant PROSUMER = uint64(1) << PROSUMER_BIT;
    uint64 internal constant PARKING_OWNER = uint64(1) << PARKING_OWNER_BIT;
    uint64 internal constant ASSOCIATION = uint64(1) << ASSOCIATION_BIT;

    /// @dev Number of flag bits whose per-college counts the registry checkpoints.
    uint8 internal constant COUNTED_BITS = 16;
}
