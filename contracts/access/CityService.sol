// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";

/**
 * @title CityService
 * @notice The base of the city's managed contracts: restricted functions are checked by the city's
 * {CityAuthority} (OpenZeppelin `AccessManaged`), and members' requests relayed by the city's {CityForwarder}
 * (ERC-2771) are read as the member's own, so `_msgSender`, `_msgData` and `_contextSuffixLength` resolve to
 * `ERC2771Context`'s here, once, instead of in every contract.
 */
abstract contract CityService is AccessManaged, ERC2771Context {
    /**
     * @param initialAuthority The city's {CityAuthority}.
     * @param trustedForwarder The city's {CityForwarder}.
     */
    constructor(address initialAuthority, address trustedForwarder) AccessManaged(initialAuthority) ERC2771Context(trustedForwarder) {}

    function _msgSender() internal view virtual override(Context, ERC2771Context) returns (address) {
        return ERC2771Context._msgSender();
    }

    function _msgData() internal view virtual override(Context, ERC2771Context) returns (bytes calldata) {
        return ERC2771Context._msgData();
    }

    function _contextSuffixLength() internal view virtual override(Context, ERC2771Context) returns (uint256) {
        return ERC2771Context._contextSuffixLength();
    }
}
