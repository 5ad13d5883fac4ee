// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CityCoin} from "../currency/CityCoin.sol";
import {ICityRegistry} from "../membership/ICityRegistry.sol";

/**
 * @title CityCoinHarness
 * @notice Test-only: CityCoin with its internal {_update} exposed, to check each of its cases directly (as
 * OpenZeppelin's ERC-20 behaviour tests do), including calls no public function makes today.
 */
contract CityCoinHarness is CityCoin {
    constructor(
        address initialAuthority,
        address trustedForwarder,
        ICityRegistry registry_
    ) CityCoin(initialAuthority, trustedForwarder, registry_) {}

    /// @notice Calls the internal `_update(from, to, value)`.
    function update(address from, address to, uint256 value) external {
        _update(from, to, value);
    }
}
