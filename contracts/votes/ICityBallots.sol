// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title ICityBallots
 * @notice Referendums, consultations and petitions of the city: one member one vote at the ballot's snapshot, open
 * (live counts) or sealed (commit–reveal), results per option, per college and per district on chain.
 */
interface ICityBallots {
    enum BallotKind {
        Referendum,
        Consultation,
        Petition
    }

    /// @dev Where a ballot stands; derived from its schedule and its finalization, never stored.
    enum BallotState {
        None,
        Pending,
        Open,
        Revealing,
        Closed,
        Finalized
    }

    /**
     * @notice What the orchestrator states when creating a ballot (and what a petition states for the referendum it
     * asks for, with `opensAt` 0 and `closesAt` the referendum's duration in seconds).
     * @param kind Referendum (options yes 0, no 1, blank 2), consultation (2..64 options) or petition (one option:
     * "sign").
     * @param sealed_ Commit–reveal: no count exists while voting is open.
     * @param binding Binding (true) or advisory (false), repeated in every result.
     * @param approval Consultations only: approve up to `maxApprovals` options instead of choosing one.
     * @param optionCount Consultations: number of options; forced to 3 for referendums and 1 for petitions.
     * @param maxApprovals Approval consultations: most options a member may approve (k).
     * @param collegeMask Colleges in the electorate (bit i = college i).
     * @param flagBit 0 for no flag requirement, else 1 + the bit of the member flag required.
     * @param thresholdBps Referendums: turnout quorum (0 = none); petitions: signatures needed, in basis points of
     * the electorate (at least one signature); consultations: 0.
     * @param opensAt First second of voting (not in the past).
     * @param closesAt First second after voting (a petition's deadline).
     * @param revealWindow Sealed ballots: seconds after close during which commitments are revealed.
     * @param districts Districts in the electorate; empty for the whole city.
     * @param questionHash Hash of the question's published text and options (the text itself stays off chain).
     */
    struct BallotParams {
        BallotKind kind;
        bool sealed_;
        bool binding;
        bool approval;
        uint8 optionCount;
        uint8 maxApprovals;
        uint16 collegeMask;
        uint8 flagBit;
        uint16 thresholdBps;
        uint48 opensAt;
        uint48 closesAt;
        uint32 revealWindow;
        uint32[] districts;
        bytes32 questionHash;
    }

    /// @dev What every vote reads, in one slot.
    struct BallotConfig {
        uint48 snapshot;
        uint48 opensAt;
        uint48 closesAt;
        uint32 revealWindow;
        uint16 collegeMask;
        uint8 flagBit;
        BallotKind kind;
        uint8 optionCount;
        uint8 maxApprovals;
        uint8 mode;
    }

    /// @dev What finalization and petitions read and write, in one slot.
    struct BallotTally {
        uint64 electorate;
        uint64 needed;
        uint64 signatures;
        uint32 revealed;
        uint16 thresholdBps;
        bool finalized;
        bool reached;
    }

    /// @dev The request a petition carries: a Governor proposal for the agenda, or a referendum to open.
    struct PetitionTarget {
        uint256 proposalId;
        BallotParams referendum;
    }

    /**
     * @notice A ballot was created, by the orchestrator or by a petition that reached its threshold (`petitionId`,
     * else 0). `params` holds the actual schedule; `electorate` is the snapshot's count of eligible members (0 when
     * districts restrict it: the registry does not count per district); `needed` a petition's signature threshold.
     */
    event BallotCreated(
        uint256 indexed ballotId,
        BallotKind indexed kind,
        uint256 indexed petitionId,
        BallotParams params,
        uint48 snapshot,
        uint64 electorate,
        uint64 needed
    );
    /// @notice A petition's request: `proposalId` for the agenda, or (proposal 0) the referendum it opens once reached.
    event PetitionRequested(uint256 indexed petitionId, uint256 proposalId, BallotParams referendum);
    /// @notice An open-mode ballot (or a signature): `choice` replaces the voter's previous one, if any.
    event VoteCast(uint256 indexed ballotId, address indexed voter, uint64 choice, uint8 college, uint32 district);
    event VoteCommitted(uint256 indexed ballotId, address indexed voter, bytes32 commitment, uint8 college, uint32 district);
    event VoteRevealed(uint256 indexed ballotId, address indexed voter, uint64 choice, bytes32 salt);
    event PetitionSigned(uint256 indexed petitionId, address indexed voter, uint8 college, uint32 district, uint64 signatures);
    /// @notice The petition reached its threshold: the council's agenda takes up `proposalId`, or `referendumId` opened.
    event PetitionThresholdReached(uint256 indexed petitionId, uint256 proposalId, uint256 referendumId, uint64 signatures);
    /// @notice The result. `turnout` counts every ballot cast (sealed: every commitment); `counted` those counted.
    event BallotFinalized(
        uint256 indexed ballotId,
        BallotKind kind,
        bool binding,
        uint64 electorate,
        uint256 turnout,
        uint256 counted,
        uint16 thresholdBps,
        bool quorumMet,
        uint256[] counts
    );
    /// @notice One college's part of a finalized result.
    event BallotCollegeResult(uint256 indexed ballotId, uint8 indexed college, uint256 turnout, uint256[] counts);
    /// @notice One district's part of a finalized result (emitted by a finalization page or by the finalization).
    event BallotDistrictResult(uint256 indexed ballotId, uint32 indexed district, uint256 turnout, uint256[] counts);
    /// @notice A finalization page summed voted districts `[from, to)` of `total` (their results follow).
    event BallotResultsPaged(uint256 indexed ballotId, uint256 from, uint256 to, uint256 total);
    /// @notice An active member opened petition `petitionId` (its `BallotCreated` and `PetitionRequested` precede).
    event PetitionOpened(uint256 indexed petitionId, address indexed member);

    error CityBallotsUnknownBallot(uint256 ballotId);
    error CityBallotsInvalidSchedule(uint48 opensAt, uint48 closesAt, uint32 revealWindow);
    error CityBallotsInvalidOptions(BallotKind kind, uint8 optionCount, uint8 maxApprovals);
    error CityBallotsInvalidThreshold(BallotKind kind, uint16 thresholdBps);
    error CityBallotsEmptyElectorate();
    error CityBallotsFlagOutOfRange(uint8 flagBit, uint8 max);
    error CityBallotsTooManyDistricts(uint256 count, uint256 max);
    error CityBallotsUncountedElectorate(uint256 districts, uint16 thresholdBps);
    error CityBallotsInvalidPetitionTarget(uint256 proposalId, BallotKind referendumKind);
    error CityBallotsWrongState(uint256 ballotId, BallotState state);
    error CityBallotsWrongMode(uint256 ballotId);
    error CityBallotsInvalidChoice(uint256 ballotId, uint64 choice);
    error CityBallotsNotAMember(uint256 ballotId, address voter);
    error CityBallotsMemberSuspended(uint256 ballotId, address voter);
    error CityBallotsOutsideElectorate(uint256 ballotId, address voter);
    error CityBallotsAlreadySigned(uint256 petitionId, address voter);
    error CityBallotsNoCommitment(uint256 ballotId, address voter);
    error CityBallotsAlreadyRevealed(uint256 ballotId, address voter);
    error CityBallotsBadReveal(uint256 ballotId, address voter);
    error CityBallotsNotAPetition(uint256 ballotId);
    error CityBallotsInvalidCommitment(uint256 ballotId);
    error CityBallotsNothingToPage(uint256 ballotId, uint256 paged, uint256 total);
    error CityBallotsPagesRemaining(uint256 ballotId, uint256 districtsLeft, uint256 maxPerCall);
    error CityBallotsPetitionPending(address member, uint256 petitionId);
    error CityBallotsMemberPetitionTooNarrow(uint16 collegeMask, uint8 flagBit, uint16 thresholdBps);
}
