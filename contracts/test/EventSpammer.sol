// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title EventSpammer
 * @notice Test-only: emits many cheap events per call, so ledger-node robustness tests get a long log from few
 * transactions. Never deployed by the city.
 */
contract EventSpammer {
    /// @notice One spam event: `seq` counts every event this contract ever emitted.
    event Spam(uint256 indexed seq, address indexed sender, uint256 value);

    /// @notice Events emitted so far.
    uint256 public emitted;

    /// @notice Emits `count` {Spam} events.
    function spam(uint256 count) external {
        uint256 next = emitted;
        for (uint256 i = 0; i < count; ++i) {
            emit Spam(next + i, msg.sender, uint256(keccak256(abi.encode(next + i))));
        }
        emitted = next + count;
    }
}
