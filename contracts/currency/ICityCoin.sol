// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title ICityCoin
 * @notice The city's local currency: 6 decimals, 1 unit = €1, issued against euro deposits and redeemed for euros.
 */
interface ICityCoin {
    /// @dev Who may hold and move coins.
    enum TransferPolicy {
        /// Only active members and registered city accounts (escrows, the community fund).
        MembersOnly,
        /// Anyone (e.g. visitors during a festival); issuance still follows the reserve rule.
        Open
    }

    /// @dev A redemption waiting for (or having had) its euro payout.
    struct Redemption {
        address account;
        uint128 payout;
        bool settled;
    }

    event Issued(address indexed to, uint256 amount, bytes32 indexed depositRef);
    event Redeemed(uint256 indexed id, address indexed account, uint256 amount, uint256 fee, uint256 payout);
    event RedemptionSettled(uint256 indexed id, bytes32 payoutRef);
    event ReserveAttested(uint256 reserve, bytes32 indexed reportHash, uint256 supply);
    event RedemptionFeeSet(uint16 feeBps);
    event CommunityFundSet(address indexed fund);
    event CityAccountSet(address indexed account, bool allowed);
    event TransferPolicySet(TransferPolicy policy);
    event MembershipMirrored(address indexed account, bool active);
    event BalanceMigrated(address indexed from, address indexed to, uint256 amount);
    event Paused(address account);
    event Unpaused(address account);

    error CityCoinTransferNotAllowed(address account);
    error CityCoinPaused();
    error CityCoinNotPaused();
    error CityCoinZeroAmount();
    error CityCoinReserveExceeded(uint256 supplyAfter, uint256 reserve);
    error CityCoinDepositAlreadyIssued(bytes32 depositRef);
    error CityCoinFeeTooHigh(uint16 feeBps, uint16 maxFeeBps);
    error CityCoinNoCommunityFund();
    error CityCoinUnknownRedemption(uint256 id);
    error CityCoinRedemptionAlreadySettled(uint256 id);
    error CityCoinNotRegistry(address caller);
    error CityCoinZeroAddress();
    error CityCoinAmountTooLarge(uint256 amount);
    /// @dev `account` holds ISSUER: it may not attest the reserve its own issues draw on.
    error CityCoinAttesterIsIssuer(address account);

    /// @notice Coins `amount` to `to` against the euro deposit `depositRef` (each deposit issues once).
    function issue(address to, uint256 amount, bytes32 depositRef) external;

    /// @notice Burns `amount` of the caller's coins (less the fee sent to the community fund) for a euro payout.
    function redeem(uint256 amount) external returns (uint256 id);
}
