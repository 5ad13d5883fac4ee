// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {CityService} from "../access/CityService.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {Votes} from "@openzeppelin/contracts/governance/utils/Votes.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {ICityRegistry} from "./ICityRegistry.sol";
import {IMembershipListener} from "./IMembershipListener.sol";
import {MemberFlags} from "./MemberFlags.sol";

/**
 * @title CityRegistry
 * @notice One membership per person (a credential hash may be held by one address only), each active member carrying
 * exactly one non-transferable vote (ERC-5805 with a timestamp clock, ERC-6372). Everything later modules filter on —
 * college, district, flags — is checkpointed, so a ballot, a program or the governor reads it at a past snapshot.
 *
 * Invariants:
 * - `getVotes(a)` is 1 if `a` is an active member, else 0; `getPastTotalSupply(t)` is the number of active members.
 * - The per-college counts sum to the total supply at every timepoint.
 * - No personal data: the registrar's file is represented by a salted hash only.
 * - No one moves a membership alone: a key migration is started by a registrar, approved by the member's old key or
 *   by a second role (not that registrar), and may be cancelled by the member — even suspended — until it completes.
 *
 * Relayed member actions: a member consents to, or stops, a key recovery of its own membership, even while suspended
 * (the node's relayer pays for it: a member without ETH must still be able to stop a registrar's migration).
 *
 * @custom:city members core
 * @custom:relay approveMigration cancelMigration
 */
contract CityRegistry is ICityRegistry, CityService, Votes {
    using Checkpoints for Checkpoints.Trace208;

    /// @notice Colleges are ids 0..MAX_COLLEGES-1, so a uint16 mask can name any set of them.
    uint8 public constant MAX_COLLEGES = 16;
    /// @notice Listeners are called on every membership change: bounded so a change always fits in a block.
    uint256 public constant MAX_LISTENERS = 8;
    uint32 public constant MIN_MIGRATION_DELAY = 1 hours;
    uint32 public constant MAX_MIGRATION_DELAY = 90 days;

    // Packed profile layout in a checkpoint value (uint208): flags [0,64), district [64,96), college [96,104),
    // active bit 104, since [105,153) (the registration time of the membership the entry belongs to). A value without
    // the active bit reads as "not an active member"; it still carries `since`, so a later lookup can tell whether
    // the address's current membership already existed at a past timepoint.
    uint256 private constant _DISTRICT_SHIFT = 64;
    uint256 private constant _COLLEGE_SHIFT = 96;
    uint256 private constant _ACTIVE_BIT = 1 << 104;
    uint256 private constant _SINCE_SHIFT = 105;

    struct College {
        string name;
        bool enabled;
    }

    mapping(uint8 college => College) private _colleges;
    mapping(address account => Member) private _members;
    mapping(bytes32 credentialHash => address holder) private _credentialHolders;
    mapping(address account => Checkpoints.Trace208) private _profiles;
    /// @dev The newest entry of `_profiles`, in one slot: most snapshot reads (claims, ballots) need only this.
    mapping(address account => Checkpoints.Checkpoint208) private _latestProfiles;
    mapping(uint8 college => Checkpoints.Trace208) private _collegeCounts;
    mapping(uint8 college => mapping(uint8 bit => Checkpoints.Trace208)) private _collegeFlagCounts;
    mapping(address from => Migration) private _migrations;
    mapping(address to => address from) private _reservedBy;
    address[] private _listeners;
    uint32 private _migrationDelay;

    /**
     * @param initialAuthority The city's {CityAuthority}.
     * @param trustedForwarder The city's {CityForwarder}.
     * @param collegeNames Initial colleges, ids in order (e.g. PUBLIC, CITIZENS, PRIVATE_PARTNERS, ASSOCIATIONS).
     * @param initialMigrationDelay Seconds a key-recovery migration waits before it can complete.
     */
    constructor(
        address initialAuthority,
        address trustedForwarder,
        string[] memory collegeNames,
        uint32 initialMigrationDelay
    ) CityService(initialAuthority, trustedForwarder) EIP712("CityRegistry", "1") {
        if (collegeNames.length > MAX_COLLEGES) revert CityRegistryTooManyColleges(collegeNames.length, MAX_COLLEGES);
        for (uint8 i = 0; i < collegeNames.length; ++i) {
            _configureCollege(i, collegeNames[i], true);
        }
        _setMigrationDelay(initialMigrationDelay);
    }

    // ─── Colleges and parameters (authority) ─────────────────────────────────────────────────────────────────────

    /// @notice Names, enables or disables a college. A disabled college takes no new members; existing ones stay.
    /// @custom:role COUNCIL
    function configureCollege(uint8 collegeId, string calldata name, bool enabled) external restricted {
        _configureCollege(collegeId, name, enabled);
    }

    /// @notice Sets how long a key-recovery migration waits, within [MIN_MIGRATION_DELAY, MAX_MIGRATION_DELAY].
    /// @custom:role COUNCIL
    function setMigrationDelay(uint32 delay) external restricted {
        _setMigrationDelay(delay);
    }

    /// @notice Replaces the contracts told of every membership change (e.g. CityCoin).
    /// @custom:role ADMIN
    function setMembershipListeners(address[] calldata listeners) external restricted {
        if (listeners.length > MAX_LISTENERS) revert CityRegistryTooManyListeners(listeners.length, MAX_LISTENERS);
        _listeners = listeners;
        emit MembershipListenersSet(listeners);
    }

    // ─── Membership lifecycle (registrar) ───────────────────────────────────────────────────────────────────────

    /**
     * @notice Registers `account` as an active member.
     * @param credentialHash Salted hash of the registrar's file on this person; unique across members.
     * @custom:role REGISTRAR
     */
    function register(
        address account,
        uint8 college,
        uint32 district,
        uint64 flags,
        bytes32 credentialHash
    ) external restricted {
        _register(account, college, district, flags, credentialHash);
    }

    /**
     * @notice Registers several members at once (an onboarding file), each exactly as {register} would, in order; if
     * one fails, none is registered.
     * @custom:role REGISTRAR
     */
    function registerBatch(Registration[] calldata registrations) external restricted {
        for (uint256 i = 0; i < registrations.length; ++i) {
            Registration calldata r = registrations[i];
            _register(r.account, r.college, r.district, r.flags, r.credentialHash);
        }
    }

    /// @notice Changes a member's college, district, flags or credential hash; the status is unchanged.
    /// @custom:role REGISTRAR
    function update(
        address account,
        uint8 college,
        uint32 district,
        uint64 flags,
        bytes32 credentialHash
    ) external restricted {
        Member storage m = _requireMember(account);
        // A member may stay in a college that was disabled after they joined; only moving into one needs it enabled.
        if (college != m.college) _requireCollege(college);
        if (credentialHash != m.credentialHash) {
            _claimCredential(credentialHash, account);
            delete _credentialHolders[m.credentialHash];
        }
        bool active = m.status == MemberStatus.Active;
        if (active) _adjustCounts(m.college, m.flags, false);
        m.college = college;
        m.district = district;
        m.flags = flags;
        m.credentialHash = credentialHash;
        emit MemberUpdated(account, college, district, flags, credentialHash);
        if (active) {
            _adjustCounts(college, flags, true);
            _pushProfile(account, clock(), _pack(m));
        }
    }

    /// @notice Suspends an active member: no vote, no transfers, no claims until reinstated.
    /// @custom:role REGISTRAR
    function suspend(address account, bytes32 reasonHash) external restricted {
        Member storage m = _requireMember(account);
        if (m.status != MemberStatus.Active) revert CityRegistryNotActive(account);
        m.status = MemberStatus.Suspended;
        emit MemberSuspended(account, reasonHash);
        _deactivate(account, m);
    }

    /// @notice Reinstates a suspended member.
    /// @custom:role REGISTRAR
    function reinstate(address account) external restricted {
        Member storage m = _requireMember(account);
        if (m.status != MemberStatus.Suspended) revert CityRegistryNotSuspended(account);
        m.status = MemberStatus.Active;
        emit MemberReinstated(account);
        _activate(account, m);
    }

    /// @notice Ends a membership and frees its credential hash (the person may register again later).
    /// @custom:role REGISTRAR
    function remove(address account, bytes32 reasonHash) external restricted {
        Member storage m = _requireMember(account);
        Migration memory pending = _migrations[account];
        if (pending.to != address(0)) revert CityRegistryMigrationPending(account, pending.to);
        bool wasActive = m.status == MemberStatus.Active;
        m.status = MemberStatus.Removed;
        delete _credentialHolders[m.credentialHash];
        emit MemberRemoved(account, reasonHash);
        if (wasActive) _deactivate(account, m);
    }

    // ─── Key recovery ───────────────────────────────────────────────────────────────────────────────────────────

    /**
     * @notice Starts moving the membership of `from` (a lost key) to `to`. It completes after the migration delay once
     * approved by a second party ({approveMigration}: the member's own key, or whoever the authority allows — the
     * orchestrator — other than this registrar), unless the member or the orchestrator cancels it first.
     * @custom:role REGISTRAR
     */
    function startMigration(address from, address to) external restricted {
        _requireMember(from);
        if (to == address(0)) revert CityRegistryZeroAddress();
        MemberStatus toStatus = _members[to].status;
        if (toStatus == MemberStatus.Active || toStatus == MemberStatus.Suspended) revert CityRegistryAlreadyMember(to);
        // A recovered key must be a fresh address: an address with a past membership carries that membership's
        // snapshots, which the migrated member would inherit (and, say, claim a period's income a second time).
        if (toStatus == MemberStatus.Removed) revert CityRegistryAddressUsed(to);
        _requireNotReserved(to);
        Migration memory pending = _migrations[from];
        if (pending.to != address(0)) revert CityRegistryMigrationPending(from, pending.to);

        uint48 readyAt = clock() + _migrationDelay;
        address registrar = _msgSender();
        _migrations[from] = Migration(to, readyAt, false, registrar);
        _reservedBy[to] = from;
        emit MigrationStarted(from, to, readyAt, registrar);
    }

    /**
     * @notice Approves the pending migration of `from`: by `from` itself (the member consents, directly or relayed,
     * whatever its status), or by whoever the authority allows to call this function (the orchestrator) other than the
     * registrar who started it. No registrar alone moves a membership, and with it the member's coins.
     * @custom:role ORCHESTRATOR
     */
    function approveMigration(address from) external {
        address caller = _msgSender();
        Migration storage pending = _migrations[from];
        if (pending.to == address(0)) revert CityRegistryNoMigration(from);
        if (caller != from) {
            (bool allowed, ) = IAccessManager(authority()).canCall(caller, address(this), this.approveMigration.selector);
            if (!allowed) revert CityRegistryUnauthorizedApproval(caller, from);
            if (caller == pending.startedBy) revert CityRegistryApprovalByStarter(caller, from);
        }
        if (pending.approved) revert CityRegistryMigrationAlreadyApproved(from);
        pending.approved = true;
        emit MigrationApproved(from, pending.to, caller);
    }

    /**
     * @notice Cancels the pending migration of `from`. Callable by `from` itself (directly or relayed), whatever its
     * status — a suspended member can always stop a migration of its own membership — or by whoever the authority
     * allows to call this function (the orchestrator).
     * @custom:role ORCHESTRATOR
     */
    function cancelMigration(address from) external {
        address caller = _msgSender();
        if (caller != from) {
            (bool allowed, ) = IAccessManager(authority()).canCall(caller, address(this), this.cancelMigration.selector);
            if (!allowed) revert CityRegistryUnauthorizedCancel(caller, from);
        }
        Migration memory pending = _requireMigration(from);
        delete _migrations[from];
        delete _reservedBy[pending.to];
        emit MigrationCancelled(from, pending.to, caller);
    }

    /// @notice Completes an approved migration whose delay has passed. Anyone may call it.
    function completeMigration(address from) external {
        Migration memory pending = _requireMigration(from);
        if (!pending.approved) revert CityRegistryMigrationNotApproved(from);
        if (clock() < pending.readyAt) revert CityRegistryMigrationNotReady(from, pending.readyAt);
        address to = pending.to;
        delete _migrations[from];
        delete _reservedBy[to];

        Member memory m = _members[from];
        _members[to] = m;
        _members[from].status = MemberStatus.Removed;
        _credentialHolders[m.credentialHash] = to;
        emit MigrationCompleted(from, to);

        if (m.status == MemberStatus.Active) {
            uint48 now_ = clock();
            _pushProfile(from, now_, 0);
            _pushProfile(to, now_, _pack(m));
            _transferVotingUnits(from, to, 1);
        }
        for (uint256 i = 0; i < _listeners.length; ++i) {
            IMembershipListener(_listeners[i]).onMembershipMigrated(from, to);
        }
    }

    // ─── Votes: one member, one vote, never delegated ───────────────────────────────────────────────────────────

    /// @notice Votes are personal: every member is its own delegate.
    function delegates(address account) public pure override returns (address) {
        return account;
    }

    /// @notice Always reverts: a membership vote cannot be delegated.
    function delegate(address) public pure override {
        revert CityRegistryVotesNotDelegable();
    }

    /// @notice Always reverts: a membership vote cannot be delegated.
    function delegateBySig(address, uint256, uint256, uint8, bytes32, bytes32) public pure override {
        revert CityRegistryVotesNotDelegable();
    }

    /// @inheritdoc Votes
    function clock() public view override returns (uint48) {
        return Time.timestamp();
    }

    /// @inheritdoc Votes
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    // ─── Views ──────────────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc ICityRegistry
    function memberOf(address account) external view returns (Member memory) {
        return _members[account];
    }

    /// @inheritdoc ICityRegistry
    function sinceOf(address account) external view returns (uint48) {
        return _members[account].since;
    }

    /// @inheritdoc ICityRegistry
    function isActiveMember(address account) public view returns (bool) {
        return _members[account].status == MemberStatus.Active;
    }

    /// @notice Name and state of a college.
    function collegeInfo(uint8 collegeId) external view returns (string memory name, bool enabled) {
        College storage c = _colleges[collegeId];
        return (c.name, c.enabled);
    }

    /// @notice The address holding `credentialHash`, or zero.
    function credentialHolder(bytes32 credentialHash) external view returns (address) {
        return _credentialHolders[credentialHash];
    }

    /// @notice The pending migration of `from` (zero `to` if none).
    function migrationOf(address from) external view returns (Migration memory) {
        return _migrations[from];
    }

    /// @notice Seconds a migration waits.
    function migrationDelay() external view returns (uint32) {
        return _migrationDelay;
    }

    /// @notice Contracts told of membership changes.
    function membershipListeners() external view returns (address[] memory) {
        return _listeners;
    }

    /// @inheritdoc ICityRegistry
    function getPastProfile(address account, uint256 timepoint) external view returns (Profile memory) {
        uint48 t = _validatePast(timepoint);
        Checkpoints.Checkpoint208 memory latest = _latestProfiles[account];
        if (latest._key <= t) return _unpack(latest._value);
        return _unpack(_profiles[account].upperLookupRecent(t));
    }

    /// @inheritdoc ICityRegistry
    function getPastMemberProfile(address account, uint256 timepoint) external view returns (Profile memory) {
        uint48 t = _validatePast(timepoint);
        Checkpoints.Checkpoint208 memory latest = _latestProfiles[account];
        // Unchanged since t: the membership is the one of t (its registration pushed a checkpoint at or before t).
        if (latest._key <= t) return _unpack(latest._value);
        // Changed since: inactive now (suspended, removed, migrated away), or a membership that began after t.
        uint256 current = latest._value;
        if (current & _ACTIVE_BIT == 0 || uint48(current >> _SINCE_SHIFT) > t) return Profile(false, 0, 0, 0);
        return _unpack(_profiles[account].upperLookupRecent(t));
    }

    /// @inheritdoc ICityRegistry
    function getCollegeSize(uint8 collegeId) external view returns (uint256) {
        return _collegeCounts[collegeId].latest();
    }

    /// @inheritdoc ICityRegistry
    function getPastCollegeSize(uint8 collegeId, uint256 timepoint) external view returns (uint256) {
        return _collegeCounts[collegeId].upperLookupRecent(_validatePast(timepoint));
    }

    /// @inheritdoc ICityRegistry
    function getPastEligibleCount(
        uint16 collegeMask,
        uint8 flagBit,
        uint256 timepoint
    ) external view returns (uint256 count) {
        if (flagBit > MemberFlags.COUNTED_BITS) revert CityRegistryFlagOutOfRange(flagBit, MemberFlags.COUNTED_BITS);
        uint48 t = _validatePast(timepoint);
        for (uint8 c = 0; c < MAX_COLLEGES; ++c) {
            if (collegeMask & (uint16(1) << c) == 0) continue;
            count += flagBit == 0
                ? _collegeCounts[c].upperLookupRecent(t)
                : _collegeFlagCounts[c][flagBit - 1].upperLookupRecent(t);
        }
    }

    // ─── Internals ──────────────────────────────────────────────────────────────────────────────────────────────

    function _register(address account, uint8 college, uint32 district, uint64 flags, bytes32 credentialHash) private {
        if (account == address(0)) revert CityRegistryZeroAddress();
        MemberStatus status = _members[account].status;
        if (status == MemberStatus.Active || status == MemberStatus.Suspended) revert CityRegistryAlreadyMember(account);
        _requireNotReserved(account);
        _requireCollege(college);
        _claimCredential(credentialHash, account);

        uint48 since = clock();
        Member memory m = Member(MemberStatus.Active, college, district, flags, since, credentialHash);
        _members[account] = m;
        emit MemberRegistered(account, college, district, flags, credentialHash, since);
        _activate(account, m);
    }

    /// @dev Adds the member's vote, counts and profile checkpoint, then tells the listeners.
    function _activate(address account, Member memory m) private {
        _transferVotingUnits(address(0), account, 1);
        _adjustCounts(m.college, m.flags, true);
        _pushProfile(account, clock(), _pack(m));
        _notify(account, true);
    }

    /// @dev Inverse of {_activate}.
    function _deactivate(address account, Member memory m) private {
        _transferVotingUnits(account, address(0), 1);
        _adjustCounts(m.college, m.flags, false);
        _pushProfile(account, clock(), uint208(uint256(_pack(m)) & ~_ACTIVE_BIT));
        _notify(account, false);
    }

    function _pushProfile(address account, uint48 now_, uint208 packed) private {
        _profiles[account].push(now_, packed);
        _latestProfiles[account] = Checkpoints.Checkpoint208(now_, packed);
    }

    function _notify(address account, bool active) private {
        for (uint256 i = 0; i < _listeners.length; ++i) {
            IMembershipListener(_listeners[i]).onMembershipChanged(account, active);
        }
    }

    /// @dev Moves the college count and the counted flag counts of one member up or down by one.
    function _adjustCounts(uint8 collegeId, uint64 flags, bool add) private {
        uint48 now_ = clock();
        _step(_collegeCounts[collegeId], now_, add);
        for (uint8 bit = 0; bit < MemberFlags.COUNTED_BITS; ++bit) {
            if (flags & (uint64(1) << bit) != 0) _step(_collegeFlagCounts[collegeId][bit], now_, add);
        }
    }

    function _step(Checkpoints.Trace208 storage trace, uint48 now_, bool add) private {
        uint208 current = trace.latest();
        // Overflow not possible: a count never exceeds the number of members; underflow not possible: a member is
        // only removed from a count it was added to.
        unchecked {
            trace.push(now_, add ? current + 1 : current - 1);
        }
    }

    function _claimCredential(bytes32 credentialHash, address account) private {
        if (credentialHash == bytes32(0)) revert CityRegistryEmptyCredential();
        address holder = _credentialHolders[credentialHash];
        if (holder != address(0)) revert CityRegistryCredentialInUse(credentialHash, holder);
        _credentialHolders[credentialHash] = account;
    }

    function _configureCollege(uint8 collegeId, string memory name, bool enabled) private {
        if (collegeId >= MAX_COLLEGES) revert CityRegistryCollegeOutOfRange(collegeId, MAX_COLLEGES);
        _colleges[collegeId] = College(name, enabled);
        emit CollegeConfigured(collegeId, name, enabled);
    }

    function _setMigrationDelay(uint32 delay) private {
        if (delay < MIN_MIGRATION_DELAY || delay > MAX_MIGRATION_DELAY) {
            revert CityRegistryMigrationDelayOutOfRange(delay, MIN_MIGRATION_DELAY, MAX_MIGRATION_DELAY);
        }
        _migrationDelay = delay;
        emit MigrationDelaySet(delay);
    }

    function _requireMember(address account) private view returns (Member storage m) {
        m = _members[account];
        if (m.status != MemberStatus.Active && m.status != MemberStatus.Suspended) revert CityRegistryNotAMember(account);
    }

    function _requireCollege(uint8 collegeId) private view {
        if (!_colleges[collegeId].enabled) revert CityRegistryUnknownCollege(collegeId);
    }

    function _requireNotReserved(address account) private view {
        address by = _reservedBy[account];
        if (by != address(0)) revert CityRegistryAddressReserved(account, by);
    }

    function _requireMigration(address from) private view returns (Migration memory pending) {
        pending = _migrations[from];
        if (pending.to == address(0)) revert CityRegistryNoMigration(from);
    }

    function _validatePast(uint256 timepoint) private view returns (uint48) {
        uint48 now_ = clock();
        if (timepoint >= now_) revert ERC5805FutureLookup(timepoint, now_);
        return uint48(timepoint);
    }

    function _pack(Member memory m) private pure returns (uint208) {
        return
            uint208(
                (uint256(m.since) << _SINCE_SHIFT) |
                    _ACTIVE_BIT |
                    (uint256(m.college) << _COLLEGE_SHIFT) |
                    (uint256(m.district) << _DISTRICT_SHIFT) |
                    uint256(m.flags)
            );
    }

    function _unpack(uint208 packed) private pure returns (Profile memory) {
        uint256 v = packed;
        if (v & _ACTIVE_BIT == 0) return Profile(false, 0, 0, 0);
        return
            Profile({
                active: v & _ACTIVE_BIT != 0,
                college: uint8(v >> _COLLEGE_SHIFT),
                district: uint32(v >> _DISTRICT_SHIFT),
                flags: uint64(v)
            });
    }

    /// @dev A member's voting units: one while active.
    function _getVotingUnits(address account) internal view override returns (uint256) {
        return isActiveMember(account) ? 1 : 0;
    }

    // ERC-2771 resolution: {CityService} resolves it for the city's contracts; this contract reaches Context through
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
