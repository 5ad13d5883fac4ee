// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {CityService} from "../access/CityService.sol";
import {CityMemberService} from "../access/CityMemberService.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ICityCoin} from "./ICityCoin.sol";
import {CityRoles} from "../access/CityRoles.sol";
import {ICityRegistry} from "../membership/ICityRegistry.sol";
import {IMembershipListener} from "../membership/IMembershipListener.sol";

/**
 * @title CityCoin
 * @notice The local currency. ERC-20 with permit (ERC-2612) and meta-transactions (ERC-2771 through the city's
 * forwarder). Coins move only between active members and registered city accounts unless the authority opens the
 * currency; they are issued against euro deposits, never beyond the last attested reserve, and redeemed with a fee
 * that goes to the community fund.
 *
 * Storage: a member-to-member transfer must cost about what a plain ERC-20 transfer costs, so the membership bit
 * lives in the same slot as the balance (one slot per account) and pause, policy and fee share the supply's slot.
 * OpenZeppelin's balance storage is therefore unused: {_update} is the single place every balance changes.
 *
 * Invariants:
 * - `totalSupply() == Σ balanceOf(a)`; `totalSupply() <= reserve()` right after every issue.
 * - Under `MembersOnly`, every non-zero party of a balance change is an active member or a city account (a key
 *   migration, ordered by the registry, is the one exception: it moves a balance the registry has re-homed).
 *
 * @custom:city currency core
 * @custom:relay transfer approve transferFrom redeem
 */
contract CityCoin is ICityCoin, ERC20Permit, CityMemberService, IMembershipListener {
    /// @notice Redemption fee ceiling: 10%.
    uint16 public constant MAX_REDEMPTION_FEE_BPS = 1_000;
    uint16 private constant _BPS = 10_000;

    /// @dev One slot per account: balances fit 128 bits (3.4e32 euros at 6 decimals).
    struct Account {
        uint128 balance;
        bool member;
        bool cityAccount;
    }

    /// @dev This structure fits into a single slot, read by every transfer.
    struct State {
        uint128 supply;
        bool paused;
        TransferPolicy policy;
        uint16 redemptionFeeBps;
    }


    mapping(address account => Account) private _accounts;
    State private _state;
    uint128 private _reserve;
    address private _communityFund;
    uint256 private _redemptionCount;
    mapping(uint256 id => Redemption) private _redemptions;
    mapping(bytes32 depositRef => bool) private _depositIssued;

    /**
     * @param initialAuthority The city's {CityAuthority}.
     * @param trustedForwarder The city's {CityForwarder}.
     * @param registry_ The city's {CityRegistry}; this contract must be one of its membership listeners.
     */
    constructor(
        address initialAuthority,
        address trustedForwarder,
        ICityRegistry registry_
    ) ERC20("CityCoin", "CITY") ERC20Permit("CityCoin") CityMemberService(initialAuthority, trustedForwarder, registry_) {
    }

    // ─── ERC-20 ─────────────────────────────────────────────────────────────────────────────────────────────────

    /// @notice 6 decimals: 1_000_000 base units = €1.
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @inheritdoc ERC20
    function totalSupply() public view override returns (uint256) {
        return _state.supply;
    }

    /// @inheritdoc ERC20
    function balanceOf(address account) public view override returns (uint256) {
        return _accounts[account].balance;
    }

    // ─── Issue and redeem ───────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc ICityCoin
    /// @custom:role ISSUER
    function issue(address to, uint256 amount, bytes32 depositRef) external restricted {
        if (amount == 0) revert CityCoinZeroAmount();
        if (_depositIssued[depositRef]) revert CityCoinDepositAlreadyIssued(depositRef);
        uint256 supplyAfter = uint256(_state.supply) + amount;
        if (supplyAfter > _reserve) revert CityCoinReserveExceeded(supplyAfter, _reserve);
        _depositIssued[depositRef] = true;
        _mint(to, amount);
        emit Issued(to, amount, depositRef);
    }

    /// @inheritdoc ICityCoin
    function redeem(uint256 amount) external returns (uint256 id) {
        if (amount == 0) revert CityCoinZeroAmount();
        address account = _msgSender();
        uint256 balance = _accounts[account].balance;
        // Checked up front so the error names the amount asked, not what is left after the fee moved.
        if (balance < amount) revert ERC20InsufficientBalance(account, balance, amount);
        uint256 fee = (amount * _state.redemptionFeeBps) / _BPS;
        if (fee != 0) {
            address fund = _communityFund;
            if (fund == address(0)) revert CityCoinNoCommunityFund();
            _update(account, fund, fee);
        }
        uint256 payout = amount - fee;
        _burn(account, payout);
        id = ++_redemptionCount;
        // Cast is safe: payout <= amount <= balance, a uint128.
        _redemptions[id] = Redemption(account, uint128(payout), false);
        emit Redeemed(id, account, amount, fee, payout);
    }

    /// @notice Records that the euros of redemption `id` were paid out (bank reference `payoutRef`).
    /// @custom:role ISSUER
    function settleRedemption(uint256 id, bytes32 payoutRef) external restricted {
        Redemption storage r = _redemptions[id];
        if (r.account == address(0)) revert CityCoinUnknownRedemption(id);
        if (r.settled) revert CityCoinRedemptionAlreadySettled(id);
        r.settled = true;
        emit RedemptionSettled(id, payoutRef);
    }

    /**
     * @notice Records the euro reserve backing the currency, as certified by the report hashed in `reportHash`
     * (restricted: RESERVE_ATTESTER). An account that also holds ISSUER is refused ({CityCoinAttesterIsIssuer}): the
     * one who issues never vouches for the reserve behind its own issues.
     * @custom:role RESERVE_ATTESTER
     */
    function attestReserve(uint256 reserve_, bytes32 reportHash) external restricted {
        address attester = _msgSender();
        (bool isIssuer, ) = IAccessManager(authority()).hasRole(CityRoles.ISSUER, attester);
        if (isIssuer) revert CityCoinAttesterIsIssuer(attester);
        if (reserve_ > type(uint128).max) revert CityCoinAmountTooLarge(reserve_);
        _reserve = uint128(reserve_);
        emit ReserveAttested(reserve_, reportHash, _state.supply);
    }

    // ─── Parameters (authority) ─────────────────────────────────────────────────────────────────────────────────

    /// @notice Sets the redemption fee in basis points, at most {MAX_REDEMPTION_FEE_BPS}.
    /// @custom:role COUNCIL
    function setRedemptionFee(uint16 feeBps) external restricted {
        if (feeBps > MAX_REDEMPTION_FEE_BPS) revert CityCoinFeeTooHigh(feeBps, MAX_REDEMPTION_FEE_BPS);
        _state.redemptionFeeBps = feeBps;
        emit RedemptionFeeSet(feeBps);
    }

    /// @notice Sets the community fund (which receives redemption fees) and registers it as a city account.
    /// @custom:role COUNCIL
    function setCommunityFund(address fund) external restricted {
        if (fund == address(0)) revert CityCoinZeroAddress();
        _communityFund = fund;
        emit CommunityFundSet(fund);
        _setCityAccount(fund, true);
    }

    /// @notice Allows or disallows a city contract (escrow, program, fund) to hold and move coins.
    /// @custom:role COUNCIL
    function setCityAccount(address account, bool allowed) external restricted {
        if (account == address(0)) revert CityCoinZeroAddress();
        _setCityAccount(account, allowed);
    }

    /// @notice Restricts the currency to members and city accounts, or opens it to anyone.
    /// @custom:role COUNCIL
    function setTransferPolicy(TransferPolicy policy) external restricted {
        _state.policy = policy;
        emit TransferPolicySet(policy);
    }

    /// @notice Emergency stop of every balance change.
    /// @custom:role GUARDIAN
    function pause() external restricted {
        if (_state.paused) revert CityCoinPaused();
        _state.paused = true;
        emit Paused(_msgSender());
    }

    /// @notice Lifts the emergency stop.
    /// @custom:role GUARDIAN
    function unpause() external restricted {
        if (!_state.paused) revert CityCoinNotPaused();
        _state.paused = false;
        emit Unpaused(_msgSender());
    }

    // ─── Membership mirror ──────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IMembershipListener
    function onMembershipChanged(address account, bool active) external {
        _requireRegistry();
        _mirror(account, active);
    }

    /// @inheritdoc IMembershipListener
    function onMembershipMigrated(address from, address to) external {
        _requireRegistry();
        // The emergency stop also holds key recoveries: a rogue migration waits, pending, until the city unpauses.
        if (_state.paused) revert CityCoinPaused();
        Account storage source = _accounts[from];
        uint128 amount = source.balance;
        _mirror(to, registry.isActiveMember(to));
        _mirror(from, false);
        source.balance = 0;
        // Overflow not possible: the sum of balances is the supply, a uint128.
        unchecked {
            _accounts[to].balance += amount;
        }
        emit Transfer(from, to, amount);
        emit BalanceMigrated(from, to, amount);
    }

    /**
     * @notice Re-reads membership from the registry for `accounts`. Anyone may call it; it only matters if this
     * contract was not yet a listener when those memberships changed.
     */
    function syncMembership(address[] calldata accounts) external {
        for (uint256 i = 0; i < accounts.length; ++i) {
            _mirror(accounts[i], registry.isActiveMember(accounts[i]));
        }
    }

    // ─── Views ──────────────────────────────────────────────────────────────────────────────────────────────────

    /// @notice Last attested euro reserve, in base units.
    function reserve() external view returns (uint256) {
        return _reserve;
    }

    /// @notice Redemption fee in basis points of the amount redeemed.
    function redemptionFeeBps() external view returns (uint16) {
        return _state.redemptionFeeBps;
    }

    /// @notice Account receiving redemption fees.
    function communityFund() external view returns (address) {
        return _communityFund;
    }

    /// @notice Who may hold and move coins now.
    function transferPolicy() external view returns (TransferPolicy) {
        return _state.policy;
    }

    /// @notice Whether the emergency stop is on.
    function paused() external view returns (bool) {
        return _state.paused;
    }

    /// @notice Whether `account` may hold and move coins under the members-only policy.
    function canHold(address account) public view returns (bool) {
        Account storage a = _accounts[account];
        return a.member || a.cityAccount;
    }

    /// @notice Whether `account` is a registered city account (escrow, program, fund).
    function isCityAccount(address account) external view returns (bool) {
        return _accounts[account].cityAccount;
    }

    /// @notice Redemption `id` (zero account if unknown).
    function redemption(uint256 id) external view returns (Redemption memory) {
        return _redemptions[id];
    }

    /// @notice Number of redemptions so far (ids run from 1 to this).
    function redemptionCount() external view returns (uint256) {
        return _redemptionCount;
    }

    /// @notice Whether coins were already issued against the euro deposit `depositRef`.
    function depositIssued(bytes32 depositRef) external view returns (bool) {
        return _depositIssued[depositRef];
    }

    // ─── Internals ──────────────────────────────────────────────────────────────────────────────────────────────

    /**
     * @dev Every balance change. Checks the pause and the transfer policy, then moves `value` from `from` to `to`
     * (zero address = mint or burn; both zero = a mint and a burn of the same value: the supply is unchanged, as in
     * OpenZeppelin's ERC-20). The supply is read once and written once, after both sides moved.
     */
    function _update(address from, address to, uint256 value) internal override {
        State memory state = _state;
        if (state.paused) revert CityCoinPaused();
        bool membersOnly = state.policy == TransferPolicy.MembersOnly;
        uint128 supply = state.supply;

        if (from == address(0)) {
            // Balances and the supply are uint128: a larger mint must revert, not be truncated.
            if (value > type(uint128).max) revert CityCoinAmountTooLarge(value);
            // Checked: a supply beyond 2^128 - 1 reverts (issue() bounds it by the uint128 reserve anyway).
            supply += uint128(value);
        } else {
            Account storage source = _accounts[from];
            if (membersOnly && !(source.member || source.cityAccount)) revert CityCoinTransferNotAllowed(from);
            uint128 balance = source.balance;
            if (balance < value) revert ERC20InsufficientBalance(from, balance, value);
            // Overflow not possible: value <= balance.
            unchecked {
                source.balance = balance - uint128(value);
            }
        }
        // Cast is safe: value <= type(uint128).max (a mint) or value <= balance, a uint128.
        uint128 amount = uint128(value);

        if (to == address(0)) {
            // Overflow not possible: amount <= balance <= supply, or amount was just added to the supply.
            unchecked {
                supply -= amount;
            }
        } else {
            Account storage target = _accounts[to];
            if (membersOnly && !(target.member || target.cityAccount)) revert CityCoinTransferNotAllowed(to);
            // Overflow not possible: the sum of balances is the supply, a uint128.
            unchecked {
                target.balance += amount;
            }
        }
        if (supply != state.supply) _state.supply = supply;
        emit Transfer(from, to, value);
    }

    /**
     * @dev Always emits {Approval}: OpenZeppelin's `transferFrom` spends an allowance silently, and the event rule wants
     * every allowance rebuildable from the log. An infinite allowance is never spent, so it emits nothing there.
     */
    function _approve(address owner, address spender, uint256 value, bool) internal override {
        super._approve(owner, spender, value, true);
    }

    function _mirror(address account, bool active) private {
        _accounts[account].member = active;
        emit MembershipMirrored(account, active);
    }

    function _setCityAccount(address account, bool allowed) private {
        _accounts[account].cityAccount = allowed;
        emit CityAccountSet(account, allowed);
    }

    function _revertNotRegistry(address caller) internal pure override {
        revert CityCoinNotRegistry(caller);
    }

    // ERC-2771 resolution: {CityMemberService} resolves it for the city's contracts; this contract reaches Context through
    // another base too, so Solidity asks for the choice to be named here.

    function _msgSender() internal view override(Context, CityService) returns (address) {
        return CityService._msgSender();
    }

    function _msgData() internal view override(Context, CityService) returns (bytes calldata) {
        return CityService._msgData();
    }

    function _contextSuffixLength() internal view override(Context, CityService) returns (uint256) {
        return CityService._contextSuffixLength();
    }
}
