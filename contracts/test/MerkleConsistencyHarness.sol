// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {MerkleConsistency} from "../ledger/MerkleConsistency.sol";

/**
 * @title MerkleConsistencyHarness
 * @notice Test-only: exposes {MerkleConsistency} so tests can check it against the SDK's verifier. Never deployed by
 * the city.
 */
contract MerkleConsistencyHarness {
    /// @notice Reverts with the library's error unless the proof verifies.
    function verify(
        uint256 size1,
        uint256 size2,
        bytes32[] calldata proof,
        bytes32 root1,
        bytes32 root2
    ) external pure {
        MerkleConsistency.verify(size1, size2, proof, root1, root2);
    }

    /// @notice The library's interior node hash, to check it against RFC 6962.
    function hashChildren(bytes32 left, bytes32 right) external pure returns (bytes32) {
        return MerkleConsistency.hashChildren(left, right);
    }
}
