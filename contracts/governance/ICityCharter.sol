// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICityGovernor} from "./ICityGovernor.sol";

/**
 * @title ICityCharter
 * @notice The city's charter, stored on chain and versioned: the colleges and their weights, each college's quorum,
 * the approval threshold and the super-majority, the co-signature share a member's proposal needs, the citizens'
 * veto. Only governance (the timelock, through a super-majority proposal) replaces it.
 */
interface ICityCharter {
    /// @notice One college of the charter: its share of the weighted result and its quorum, in basis points.
    struct CollegeRule {
        uint8 college;
        uint16 weightBps;
        uint16 quorumBps;
    }

    /**
     * @notice A charter. `colleges` ascending by id. A proposal passes when every college reached its quorum (votes
     * cast, abstentions included, at least `quorumBps` of the college's members at the snapshot) and
     * Σ weight × for / (for + against) exceeds `approvalThresholdBps` (`superMajorityBps` for a constitutional
     * proposal: see {isConstitutional}). A member proposes with the EIP-712 co-signatures of at
     * least `cosignShareBps` of the members (the proposer included); members of `vetoCollege` cancel a queued
     * proposal once `vetoThresholdBps` of that college's members at the snapshot signed a veto.
     */
    struct Charter {
        CollegeRule[] colleges;
        uint16 approvalThresholdBps;
        uint16 superMajorityBps;
        uint16 cosignShareBps;
        uint8 vetoCollege;
        uint16 vetoThresholdBps;
    }

    /// @notice A function of a contract, named by the charter: a proposal calling it needs the super-majority.
    struct ConstitutionalCall {
        address target;
        bytes4 selector;
    }

    /// @notice Everything of a charter but its colleges' rules, in one slot.
    struct Header {
        uint16 collegeMask;
        uint16 approvalThresholdBps;
        uint16 superMajorityBps;
        uint16 cosignShareBps;
        uint8 vetoCollege;
        uint16 vetoThresholdBps;
    }

    /// @notice Charter `version` (1, 2 …) took effect for proposals created from now on.
    event CharterSet(uint32 indexed version, Charter charter);
    /// @notice Granting or revoking a role whose bit is set in `roles` (bit i = role id i) needs the super-majority
    /// from now on. ADMIN and role ids of 256 and above always do, whatever the bits say.
    event ConstitutionalRolesSet(uint256 roles);
    /// @notice A proposal calling `selector` on `target` needs the super-majority (`constitutional`) or no longer does
    /// because the charter names it (it still may for another reason, e.g. a function wired to ADMIN).
    event ConstitutionalCallSet(address indexed target, bytes4 indexed selector, bool constitutional);

    error CityCharterOnlyGovernance(address caller);
    error CityCharterCollegeCount(uint256 count, uint256 min, uint256 max);
    error CityCharterCollegesNotAscending(uint8 college);
    error CityCharterCollegeOutOfRange(uint8 college, uint8 max);
    error CityCharterWeightOutOfBounds(uint8 college, uint16 weightBps, uint16 min, uint16 max);
    error CityCharterWeightsSum(uint256 sumBps);
    error CityCharterQuorumOutOfBounds(uint8 college, uint16 quorumBps);
    error CityCharterThresholdOutOfBounds(uint16 thresholdBps, uint16 min, uint16 max);
    error CityCharterSuperMajorityOutOfBounds(uint16 superMajorityBps, uint16 min, uint16 max);
    error CityCharterCosignShareOutOfBounds(uint16 cosignShareBps);
    error CityCharterVetoCollegeNotInCharter(uint8 college);
    error CityCharterVetoThresholdOutOfBounds(uint16 vetoThresholdBps, uint16 min, uint16 max);
    /// @dev A college of the charter has no active member: it could never reach a quorum.
    error CityCharterEmptyCollege(uint8 college);

    /// @notice Replaces the charter (only governance). Every college of the new charter must have members now.
    function setCharter(Charter calldata newCharter) external;

    /// @notice The current version: the one new proposals are counted under.
    function version() external view returns (uint32);

    /// @notice Charter `v` as it was set (no colleges if it does not exist).
    function charter(uint32 v) external view returns (Charter memory);

    /// @notice The header of charter `v`.
    function header(uint32 v) external view returns (Header memory);

    /// @notice The current version and its colleges (bit i = college i).
    function current() external view returns (uint32 v, uint16 collegeMask);

    /// @notice Charter `v`'s weights and quorums packed by college: bits [16i, 16i + 16) hold college i's value.
    function packedRules(uint32 v) external view returns (uint256 weights, uint256 quorums);

    /// @notice Reverts with {CityCharterEmptyCollege} if a college of the current charter has no active member now;
    /// else returns the current version and its colleges, as {current} (what a new proposal is counted under).
    function requirePopulated() external view returns (uint32 v, uint16 collegeMask);

    /// @notice Sets which roles are constitutional (only governance): bit i = role id i (see {ConstitutionalRolesSet}).
    function setConstitutionalRoles(uint256 roles) external;

    /// @notice The constitutional roles, bit i = role id i (ADMIN and ids of 256 and above are always constitutional).
    function constitutionalRoles() external view returns (uint256);

    /// @notice Names (or stops naming) `selector` on `target` a constitutional call (only governance).
    function setConstitutionalCall(address target, bytes4 selector, bool constitutional) external;

    /// @notice Whether the charter names `selector` on `target` a constitutional call.
    function isConstitutionalCall(address target, bytes4 selector) external view returns (bool);

    /**
     * @notice Whether a proposal making these calls needs the super-majority: it calls the charter or the timelock;
     * or it calls CityAuthority for anything but labelling a role or granting or revoking a role that is not
     * constitutional; or it makes a call the charter names ({isConstitutionalCall}: e.g. replacing LedgerAnchor's
     * witnesses, a COUNCIL function that hands out the witnesses' power); or it calls a contract CityAuthority
     * manages, in a function wired to ADMIN (every function the authority has not wired to another role: unrestricted
     * ones too, which only errs on the safe side). The governor adds calls to itself.
     */
    function isConstitutional(address[] calldata targets, bytes[] calldata calldatas) external view returns (bool);

    /**
     * @notice Reverts, with the governor's errors, unless `proposer` and `cosigned.cosigners` — strictly ascending,
     * without the proposer, each with a valid signature of `digest` (EOA or ERC-1271) before `cosigned.deadline`, all
     * active members one second before now — are at least the current charter's `cosignShareBps` of the members then.
     * The governor computes `digest` (its EIP-712 `Cosign` of the proposal) and asks.
     */
    function checkCosigners(
        bytes32 digest,
        address proposer,
        ICityGovernor.Cosignatures calldata cosigned
    ) external view;
}
