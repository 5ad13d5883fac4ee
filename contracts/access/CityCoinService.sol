// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {CityMemberService} from "./CityMemberService.sol";
import {ICityRegistry} from "../membership/ICityRegistry.sol";

/**
 * @title CityCoinService
 * @notice A {CityMemberService} that holds and moves the city's currency: its {CityCoin}, set once at deployment
 * (never zero). The contract must be registered as one of CityCoin's city accounts.
 */
abstract contract CityCoinService is CityMemberService {
    /// @notice The city's {CityCoin}.
    IERC20 public immutable coin;

    /**
     * @param initialAuthority The city's {CityAuthority}.
     * @param trustedForwarder The city's {CityForwarder}.
     * @param coin_ The city's {CityCoin}.
     * @param registry_ The city's {CityRegistry}.
     */
    constructor(
        address initialAuthority,
        address trustedForwarder,
        IERC20 coin_,
        ICityRegistry registry_
    ) CityMemberService(initialAuthority, trustedForwarder, registry_) {
        if (address(coin_) == address(0)) revert CityServiceZeroAddress();
        coin = coin_;
    }
}
