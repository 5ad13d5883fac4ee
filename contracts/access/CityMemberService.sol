// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CityService} from "./CityService.sol";
import {ICityRegistry} from "../membership/ICityRegistry.sol";

/**
 * @title CityMemberService
 * @notice A {CityService} that serves the city's members: it reads membership from the city's {CityRegistry}, set
 * once at deployment (never zero), and, when it listens to membership changes (`IMembershipListener`), accepts them
 * from the registry only ({_requireRegistry}), reverting with the contract's own error ({_revertNotRegistry}).
 */
abstract contract CityMemberService is CityService {
    /// @notice The city's {CityRegistry}.
    ICityRegistry public immutable registry;

    /// @notice A constructor argument that must be a contract's address is zero.
    error CityServiceZeroAddress();
    /// @notice `caller` is not the city's registry, the only caller of the membership listeners.
    error CityServiceNotRegistry(address caller);

    /**
     * @param initialAuthority The city's {CityAuthority}.
     * @param trustedForwarder The city's {CityForwarder}.
     * @param registry_ The city's {CityRegistry}.
     */
    constructor(address initialAuthority, address trustedForwarder, ICityRegistry registry_) CityService(initialAuthority, trustedForwarder) {
        if (address(registry_) == address(0)) revert CityServiceZeroAddress();
        registry = registry_;
    }

    /// @dev Reverts ({_revertNotRegistry}) unless the registry calls: membership listeners hear only from it.
    function _requireRegistry() internal view {
        if (msg.sender != address(registry)) _revertNotRegistry(msg.sender);
    }

    /// @dev Reverts for `caller`, not the registry: listeners override it with their own error.
    function _revertNotRegistry(address caller) internal pure virtual {
        revert CityServiceNotRegistry(caller);
    }
}
