// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title ICityRegistry
 * @notice Membership of the city: one membership per person, one non-transferable vote per active member.
 */
interface ICityRegistry {
    enum MemberStatus {
        None,
        Active,
        Suspended,
        Removed
    }

    /// @dev One slot for the profile, one for the credential hash.
    struct Member {
        MemberStatus status;
        uint8 college;
        uint32 district;
        uint64 flags;
        uint48 since;
        bytes32 credentialHash;
    }

    /// @dev A key-recovery migration waiting for its delay and its approval: one slot for the target, the time and
    /// the approval, one for the registrar who started it (who may not approve it).
    struct Migration {
        address to;
        uint48 readyAt;
        bool approved;
        address startedBy;
    }

    /// @dev One member of a {CityRegistry-registerBatch} call: the arguments of {CityRegistry-register}.
    struct Registration {
        address account;
        uint8 college;
        uint32 district;
        uint64 flags;
        bytes32 credentialHash;
    }

    /// @dev A member's profile as the registry checkpoints it: what electorates and programs filter on.
    struct Profile {
        bool active;
        uint8 college;
        uint32 district;
        uint64 flags;
    }

    event CollegeConfigured(uint8 indexed college, string name, bool enabled);
    event MemberRegistered(
        address indexed account,
        uint8 indexed college,
        uint32 indexed district,
        uint64 flags,
        bytes32 credentialHash,
        uint48 since
    );
    event MemberUpdated(
        address indexed account,
        uint8 indexed college,
        uint32 indexed district,
        uint64 flags,
        bytes32 credentialHash
    );
    event MemberSuspended(address indexed account, bytes32 reasonHash);
    event MemberReinstated(address indexed account);
    event MemberRemoved(address indexed account, bytes32 reasonHash);
    /// @notice Registrar `by` started moving the membership of `from` to `to`; it may complete from `readyAt` once
    /// approved by a second party.
    event MigrationStarted(address indexed from, address indexed to, uint48 readyAt, address by);
    event MigrationCancelled(address indexed from, address indexed to, address by);
    /// @notice The migration of `from` to `to` was approved by `by`: the member's own key, or a second role.
    event MigrationApproved(address indexed from, address indexed to, address by);
    event MigrationCompleted(address indexed from, address indexed to);
    event MigrationDelaySet(uint32 delay);
    event MembershipListenersSet(address[] listeners);

    error CityRegistryZeroAddress();
    error CityRegistryAlreadyMember(address account);
    error CityRegistryNotAMember(address account);
    error CityRegistryNotActive(address account);
    error CityRegistryNotSuspended(address account);
    error CityRegistryUnknownCollege(uint8 college);
    error CityRegistryCollegeOutOfRange(uint8 college, uint8 max);
    error CityRegistryTooManyColleges(uint256 count, uint8 max);
    error CityRegistryEmptyCredential();
    error CityRegistryCredentialInUse(bytes32 credentialHash, address holder);
    error CityRegistryVotesNotDelegable();
    error CityRegistryMigrationPending(address from, address to);
    error CityRegistryAddressReserved(address account, address byMigrationOf);
    error CityRegistryAddressUsed(address account);
    error CityRegistryNoMigration(address from);
    error CityRegistryMigrationNotReady(address from, uint48 readyAt);
    error CityRegistryUnauthorizedCancel(address caller, address from);
    /// @dev `caller` is neither the member `from` nor allowed by the authority to approve its migration.
    error CityRegistryUnauthorizedApproval(address caller, address from);
    /// @dev `caller` started the migration of `from`: a second party must approve it.
    error CityRegistryApprovalByStarter(address caller, address from);
    error CityRegistryMigrationAlreadyApproved(address from);
    /// @dev Neither the member nor a second role approved the migration of `from` yet.
    error CityRegistryMigrationNotApproved(address from);
    error CityRegistryMigrationDelayOutOfRange(uint32 delay, uint32 min, uint32 max);
    error CityRegistryTooManyListeners(uint256 count, uint256 max);
    error CityRegistryFlagOutOfRange(uint8 bit, uint8 max);

    /// @notice The stored membership of `account` (status `None` if it never registered).
    function memberOf(address account) external view returns (Member memory);

    /// @notice Registration time of the current membership of `account` (0 if it never registered). A key migration
    /// keeps it; a removal followed by a new registration starts a new one.
    function sinceOf(address account) external view returns (uint48);

    /// @notice True when `account` is an active member now.
    function isActiveMember(address account) external view returns (bool);

    /// @notice The profile of `account` at `timepoint` (a past timestamp); inactive if it was not an active member.
    function getPastProfile(address account, uint256 timepoint) external view returns (Profile memory);

    /**
     * @notice The profile at `timepoint` of the membership `account` holds now, provided it is active now: inactive
     * if the account is not an active member now (suspended, removed, migrated away) or if its membership began
     * after `timepoint` (a removed address registered again is a new membership, which must not inherit the old
     * one's eligibility). What income programs read at their snapshots.
     */
    function getPastMemberProfile(address account, uint256 timepoint) external view returns (Profile memory);

    /// @notice Active members of `college` now.
    function getCollegeSize(uint8 college) external view returns (uint256);

    /// @notice Active members of `college` at `timepoint`.
    function getPastCollegeSize(uint8 college, uint256 timepoint) external view returns (uint256);

    /**
     * @notice Active members at `timepoint` whose college is in `collegeMask` (bit i = college i) and, unless
     * `flagBit` is 0, who carry flag bit `flagBit - 1`.
     */
    function getPastEligibleCount(uint16 collegeMask, uint8 flagBit, uint256 timepoint) external view returns (uint256);
}
