// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";

/**
 * @title CityForwarder
 * @notice The city's ERC-2771 forwarder: members sign an EIP-712 `ForwardRequest`, the ledger node's relayer pays
 * the gas. City contracts trust this forwarder and only this one.
 *
 * @custom:city relay core
 */
contract CityForwarder is ERC2771Forwarder {
    constructor() ERC2771Forwarder("CityForwarder") {}
}
