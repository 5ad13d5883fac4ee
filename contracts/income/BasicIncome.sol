// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CityCoinService} from "../access/CityCoinService.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IBasicIncome} from "./IBasicIncome.sol";
import {ICityRegistry} from "../membership/ICityRegistry.sol";
import {IMembershipListener} from "../membership/IMembershipListener.sol";
import {MemberFlags} from "../membership/MemberFlags.sol";

/**
 * @title BasicIncome
 * @notice Programs of the minimum-income experiment. Each program pays `amountPerPeriod` per period to every member
 * who, at the second before the period starts, was active, in one of the program's colleges and (optionally)
 * carried its flag. A member claims once per period, during that period.
 *
 * Budget rule: when a period opens, its amount is fixed at `min(amountPerPeriod, available / eligible)` where
 * `available = funded - spent` and `eligible` is the snapshot count. So the program reserves `amount * eligible`
 * up front and can never owe more than it holds. A period's unclaimed reservation returns to the budget when the
 * next period opens (or at withdrawal).
 *
 * Key recovery: the registry notifies this contract when a membership moves to a new key ({onMembershipMigrated}),
 * and the contract records the new key's predecessor. A claim reads the membership's snapshot profile through its
 * predecessors (the new key had no profile before the recovery) and refuses a period any of its keys claimed: the
 * member claims the period of the recovery under the new key once, whichever key claims. A suspended or removed
 * member claims nothing (its reservation returns to the budget when the next period opens), so this contract never
 * owes a member anything between claims.
 *
 * Invariants: `spent + Σ claims of the open period <= funded`; per period `claimed <= eligible`; one claim per
 * membership per period, across its keys.
 *
 * @custom:city income core
 * @custom:relay claim
 */
contract BasicIncome is IBasicIncome, IMembershipListener, CityCoinService {
    using SafeERC20 for IERC20;

    uint32 public constant MIN_PERIOD_LENGTH = 1 hours;


    uint256 private _programCount;
    mapping(uint256 programId => Program) private _programs;
    mapping(uint256 programId => mapping(uint32 period => Period)) private _periods;
    /// @dev Last period claimed, plus one (0 = never), per program and member: one slot, rewritten each period.
    mapping(uint256 programId => mapping(address account => uint32)) private _lastClaimed;
    /// @dev The key a membership had before it moved to this one (key recovery), or zero.
    mapping(address account => address) private _predecessors;

    constructor(
        address initialAuthority,
        address trustedForwarder,
        IERC20 coin_,
        ICityRegistry registry_
    ) CityCoinService(initialAuthority, trustedForwarder, coin_, registry_) {
    }

    // ─── Programs (authority) ───────────────────────────────────────────────────────────────────────────────────

    /**
     * @notice Creates a program. Fund it with {fund} before its first period opens.
     * @param collegeMask Eligible colleges (bit i = college i).
     * @param flagBit 0 for no flag requirement, else 1 + the bit of the required member flag.
     * @param start First period's start (unix seconds, not in the past).
     * @custom:role COUNCIL
     */
    function createProgram(
        uint16 collegeMask,
        uint8 flagBit,
        uint48 start,
        uint32 periodLength,
        uint32 periodCount,
        uint96 amountPerPeriod
    ) external restricted returns (uint256 programId) {
        if (collegeMask == 0) revert BasicIncomeEmptyEligibility();
        if (flagBit > MemberFlags.COUNTED_BITS) revert BasicIncomeFlagOutOfRange(flagBit, MemberFlags.COUNTED_BITS);
        if (start < block.timestamp || periodLength < MIN_PERIOD_LENGTH || periodCount == 0) {
            revert BasicIncomeInvalidSchedule(start, periodLength, periodCount);
        }
        if (amountPerPeriod == 0) revert BasicIncomeZeroAmount();
        programId = ++_programCount;
        Program storage p = _programs[programId];
        p.start = start;
        p.periodLength = periodLength;
        p.periodCount = periodCount;
        p.collegeMask = collegeMask;
        p.flagBit = flagBit;
        p.amountPerPeriod = amountPerPeriod;
        emit ProgramCreated(programId, collegeMask, flagBit, start, periodLength, periodCount, amountPerPeriod);
    }

    /// @notice Changes the allowance of periods opened from now on.
    /// @custom:role COUNCIL
    function setAmountPerPeriod(uint256 programId, uint96 amountPerPeriod) external restricted {
        Program storage p = _requireProgram(programId);
        if (amountPerPeriod == 0) revert BasicIncomeZeroAmount();
        p.amountPerPeriod = amountPerPeriod;
        emit ProgramAmountSet(programId, amountPerPeriod);
    }

    /// @notice Ends a program after its current period (members keep that period's allowance).
    /// @custom:role COUNCIL
    function endProgram(uint256 programId) external restricted {
        Program storage p = _requireProgram(programId);
        if (block.timestamp >= _endOf(p)) revert BasicIncomeEnded(programId);
        uint32 lastPeriod = block.timestamp < p.start ? 0 : _periodIndex(p) + 1;
        // Already ending after the current period: nothing would change.
        if (lastPeriod == p.periodCount) revert BasicIncomeEnded(programId);
        p.periodCount = lastPeriod;
        emit ProgramEnded(programId, lastPeriod);
    }

    /// @notice Sends what an ended program did not pay out to `to` (e.g. back to the city treasury).
    /// @custom:role COUNCIL
    function withdrawRemaining(uint256 programId, address to) external restricted {
        Program storage p = _requireProgram(programId);
        if (to == address(0)) revert BasicIncomeZeroAddress();
        uint256 endsAt = _endOf(p);
        if (block.timestamp < endsAt) revert BasicIncomeNotEnded(programId, endsAt);
        _settleOpenPeriod(programId, p);
        uint256 remaining = p.funded - p.spent;
        p.funded = p.spent;
        emit ProgramWithdrawn(programId, to, remaining);
        if (remaining != 0) coin.safeTransfer(to, remaining);
    }

    // ─── Funding and claims ─────────────────────────────────────────────────────────────────────────────────────

    /// @notice Adds `amount` CityCoin (pulled from the caller, who approved it) to the program's budget.
    function fund(uint256 programId, uint256 amount) external {
        Program storage p = _requireProgram(programId);
        if (amount == 0) revert BasicIncomeZeroAmount();
        if (block.timestamp >= _endOf(p)) revert BasicIncomeEnded(programId);
        address funder = _msgSender();
        p.funded += uint128(amount);
        emit ProgramFunded(programId, funder, amount);
        coin.safeTransferFrom(funder, address(this), amount);
    }

    /// @notice Opens the current period (fixes its amount). Claims do it lazily; anyone may do it first.
    function openPeriod(uint256 programId) external returns (uint32 period) {
        Program storage p = _requireProgram(programId);
        period = _currentPeriod(programId, p);
        if (!_periods[programId][period].opened) _open(programId, p, period);
    }

    /// @inheritdoc IBasicIncome
    function claim(uint256 programId) external returns (uint256) {
        Program storage p = _requireProgram(programId);
        uint32 period = _currentPeriod(programId, p);
        Period storage pd = _periods[programId][period];
        if (!pd.opened) _open(programId, p, period);

        address account = _msgSender();
        if (_claimed(programId, period, account)) {
            revert BasicIncomeAlreadyClaimed(programId, period, account);
        }
        if (!_eligible(p, account, _snapshotOf(p, period))) revert BasicIncomeNotEligible(programId, period, account);
        uint96 amount = pd.amount;
        if (amount == 0) revert BasicIncomeBudgetExhausted(programId, period);

        _lastClaimed[programId][account] = period + 1;
        // Overflow not possible: claimed <= eligible, a uint32, since each eligible member claims once.
        unchecked {
            pd.claimed += 1;
        }
        emit IncomeClaimed(programId, period, account, amount);
        coin.safeTransfer(account, amount);
        return amount;
    }

    // ─── Views ──────────────────────────────────────────────────────────────────────────────────────────────────

    /// @notice Number of programs created (ids run from 1 to this).
    function programCount() external view returns (uint256) {
        return _programCount;
    }

    /// @notice Parameters and budget of program `programId` (all zero if unknown).
    function program(uint256 programId) external view returns (Program memory) {
        return _programs[programId];
    }

    /// @notice What period `period` of `programId` pays and to how many (zero until opened).
    function periodOf(uint256 programId, uint32 period) external view returns (Period memory) {
        return _periods[programId][period];
    }

    /// @notice Whether `account` has claimed `period` of `programId`. Exact for the last period it claimed (the
    /// contract keeps only that one); the `IncomeClaimed` events give the full history.
    function hasClaimed(uint256 programId, uint32 period, address account) external view returns (bool) {
        return _claimed(programId, period, account);
    }

    /// @notice The key the membership of `account` had before its last key recovery (zero if none).
    function predecessorOf(address account) external view returns (address) {
        return _predecessors[account];
    }

    // ─── Membership (registry) ──────────────────────────────────────────────────────────────────────────────────

    /// @notice Nothing to do: eligibility is read from the registry at each claim. Registry only.
    function onMembershipChanged(address, bool) external view {
        _requireRegistry();
    }

    /// @notice Records that the membership of `from` moved to `to`, for claims under `to` (see the header). Registry only.
    function onMembershipMigrated(address from, address to) external {
        _requireRegistry();
        _predecessors[to] = from;
        emit ClaimsFollowed(from, to);
    }

    /// @notice The period running now (reverts before the start or after the end).
    function currentPeriod(uint256 programId) external view returns (uint32) {
        Program storage p = _requireProgram(programId);
        return _currentPeriod(programId, p);
    }

    // ─── Internals ──────────────────────────────────────────────────────────────────────────────────────────────

    /// @dev Fixes the period's amount from the budget left after settling the previous open period.
    function _open(uint256 programId, Program storage p, uint32 period) private {
        _settleOpenPeriod(programId, p);
        uint48 snapshot = _snapshotOf(p, period);
        uint256 eligible = registry.getPastEligibleCount(p.collegeMask, p.flagBit, snapshot);
        uint256 available = p.funded - p.spent;
        uint256 amount = p.amountPerPeriod;
        if (eligible != 0) amount = Math.min(amount, available / eligible);
        // Casts are safe: amount <= amountPerPeriod (uint96); eligible <= member count, far below 2^32.
        _periods[programId][period] = Period(uint96(amount), uint32(eligible), 0, true, false);
        p.openPeriods = period + 1;
        emit PeriodOpened(programId, period, uint96(amount), uint32(eligible), snapshot);
    }

    /// @dev Books what the last opened period paid and releases the rest of its reservation.
    function _settleOpenPeriod(uint256 programId, Program storage p) private {
        if (p.openPeriods == 0) return;
        uint32 last = p.openPeriods - 1;
        Period storage pd = _periods[programId][last];
        if (pd.settled) return;
        pd.settled = true;
        uint256 paid = uint256(pd.amount) * pd.claimed;
        p.spent += uint128(paid);
        emit PeriodSettled(programId, last, pd.claimed, paid);
    }

    /**
     * @dev Eligible = active now, and the snapshot profile of the membership the address holds now qualifies. A
     * membership registered after the snapshot (say, a removed address registered again for someone else) reads as
     * inactive there, so it never claims on the previous holder's profile: registering mid-period never pays. A
     * member suspended or removed since the snapshot cannot claim either, whatever the currency's transfer policy.
     */
    function _eligible(Program storage p, address account, uint48 snapshot) private view returns (bool) {
        ICityRegistry.Profile memory profile = registry.getPastMemberProfile(account, snapshot);
        // A recovered key has no profile before its recovery: the membership's is under a previous key. Recoveries
        // take the registry's migration delay each, so the walk is short.
        address previous = _predecessors[account];
        if (!profile.active && previous != address(0) && registry.isActiveMember(account)) {
            for (; previous != address(0) && !profile.active; previous = _predecessors[previous]) {
                profile = registry.getPastProfile(previous, snapshot);
            }
        }
        if (!profile.active || p.collegeMask & (uint16(1) << profile.college) == 0) return false;
        return p.flagBit == 0 || profile.flags & (uint64(1) << (p.flagBit - 1)) != 0;
    }

    /// @dev Whether the membership `account` holds claimed `period`, under this key or one it was recovered from.
    function _claimed(uint256 programId, uint32 period, address account) private view returns (bool) {
        mapping(address => uint32) storage last = _lastClaimed[programId];
        for (address a = account; a != address(0); a = _predecessors[a]) {
            if (last[a] == period + 1) return true;
        }
        return false;
    }

    function _currentPeriod(uint256 programId, Program storage p) private view returns (uint32) {
        if (block.timestamp < p.start) revert BasicIncomeNotStarted(programId, p.start);
        if (block.timestamp >= _endOf(p)) revert BasicIncomeEnded(programId);
        return _periodIndex(p);
    }

    function _periodIndex(Program storage p) private view returns (uint32) {
        // Cast is safe: the index is below periodCount, a uint32.
        return uint32((block.timestamp - p.start) / p.periodLength);
    }

    /// @dev Eligibility is read at the last second before the period starts, a timepoint always in the past.
    function _snapshotOf(Program storage p, uint32 period) private view returns (uint48) {
        return uint48(p.start + uint256(period) * p.periodLength - 1);
    }

    function _endOf(Program storage p) private view returns (uint256) {
        return p.start + uint256(p.periodLength) * p.periodCount;
    }

    function _requireProgram(uint256 programId) private view returns (Program storage p) {
        p = _programs[programId];
        if (p.periodLength == 0) revert BasicIncomeUnknownProgram(programId);
    }

    function _revertNotRegistry(address caller) internal pure override {
        revert BasicIncomeNotRegistry(caller);
    }
}
