// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title IMembershipListener
 * @notice Implemented by city contracts that mirror membership (e.g. CityCoin, whose transfer rule needs it in the
 * same storage slot as the balance). {CityRegistry} calls every listener on each change.
 */
interface IMembershipListener {
    /// @notice `account` became active (`active = true`) or stopped being active.
    function onMembershipChanged(address account, bool active) external;

    /// @notice The membership of `from` moved to `to` (key recovery): move whatever belongs to `from`.
    function onMembershipMigrated(address from, address to) external;
}
