// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @dev The few forge cheatcodes these tests use (forge-std is not on the npm registry; the Vm address is fixed).
interface Vm {
    function warp(uint256 newTimestamp) external;
    function prank(address msgSender) external;
    function assume(bool condition) external pure;
}

/// @dev Base of the forge tests: the cheatcode handle, assertions, and invariant targeting.
abstract contract CheatTest {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    address[] private _targets;

    error AssertionFailed(string what, uint256 left, uint256 right);

    /// @dev Read by forge's invariant runner: only these contracts get random calls.
    function targetContracts() public view returns (address[] memory) {
        return _targets;
    }

    function _target(address target) internal {
        _targets.push(target);
    }

    function _assertEq(uint256 left, uint256 right, string memory what) internal pure {
        if (left != right) revert AssertionFailed(what, left, right);
    }

    function _assertLe(uint256 left, uint256 right, string memory what) internal pure {
        if (left > right) revert AssertionFailed(what, left, right);
    }
}
