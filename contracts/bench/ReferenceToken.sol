// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";

/**
 * @title ReferenceToken
 * @notice Benchmark baseline only: a plain OpenZeppelin ERC20 + ERC20Permit that trusts a forwarder, so the gas of
 * CityCoin's transfers (direct and relayed) is reported as a ratio to the library's own.
 */
contract ReferenceToken is ERC20, ERC20Permit, ERC2771Context {
    constructor(address trustedForwarder) ERC20("Reference", "REF") ERC20Permit("Reference") ERC2771Context(trustedForwarder) {}

    /// @notice Mints freely: a benchmark baseline, never deployed outside the bench.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _msgSender() internal view override(Context, ERC2771Context) returns (address) {
        return ERC2771Context._msgSender();
    }

    function _msgData() internal view override(Context, ERC2771Context) returns (bytes calldata) {
        return ERC2771Context._msgData();
    }

    function _contextSuffixLength() internal view override(Context, ERC2771Context) returns (uint256) {
        return ERC2771Context._contextSuffixLength();
    }
}
