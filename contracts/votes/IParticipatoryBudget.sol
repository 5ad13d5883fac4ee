// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title IParticipatoryBudget
 * @notice Participatory budget rounds: members propose projects for an envelope of CityCoin (city-wide or one
 * district's), support them, the ORCHESTRATOR reviews those that reached the support threshold, members vote, the
 * winners are computed (greedy on chain, or the Method of Equal Shares off chain and posted), and the winners' costs
 * move from the city treasury into per-project escrow, released in tranches on milestone attestations.
 *
 * Amounts are CityCoin base units (6 decimals) in 64 bits (at most about €18 trillion), times unix seconds.
 *
 * Envelopes of a round: index 0 is the city-wide one; indexes 1..n are the districts' in the order given at creation.
 * Projects have ids 1, 2, … per round. A project found feasible at review gets a ballot index 0..255 (in review
 * order): a ballot is a bitmap of ballot indexes (bit i = the project at ballot index i), so a member's whole ballot
 * is one word, stored and evented as such.
 *
 * Ballot log: every ballot cast extends a hash chain, `head = keccak256(abi.encodePacked(head, voter, selection))`
 * from `bytes32(0)`, kept on chain and evented with each ballot: anyone re-derives the ballot log from the
 * `BallotCast` events and checks it against the head an Equal Shares result was posted with.
 */
interface IParticipatoryBudget {
    /// @notice How a ballot is filled, per envelope.
    enum BallotRule {
        /// @dev The selected projects' costs add up to at most the envelope.
        Knapsack,
        /// @dev At most `maxApprovals` projects.
        Approval
    }

    /**
     * @notice How winners are chosen, per envelope. The Equal Shares rules also record the share each voter starts the
     * add1 completion from: the envelope over the voters rounded down to a whole euro (the first three,
     * equalshares.net's default) or exact (`…Exact`). The two can select different projects, so the round says which.
     */
    enum WinnerRule {
        /**
         * @dev On chain by {tally}: projects in decreasing vote order, ties broken by lower cost then lower project
         * id; a project that no longer fits the envelope's remainder is skipped; a project with no vote is never
         * selected.
         */
        Greedy,
        /// @dev Method of Equal Shares with the "add1" completion and greedy fill (equalshares.net), posted.
        EqualSharesAdd1,
        /// @dev Equal Shares, add1 completion stopping when the next step would overspend (Wieliczka 2023), posted.
        EqualSharesWieliczka,
        /// @dev Equal Shares, add1 completion without greedy fill (Assen 2024), posted.
        EqualSharesAssen,
        /// @dev As {Greedy}, but the envelope's selection stops at the first project that does not fit (Gdynia 2022).
        GreedyNoSkip,
        /// @dev {EqualSharesAdd1} from the exact share.
        EqualSharesAdd1Exact,
        /// @dev {EqualSharesWieliczka} from the exact share.
        EqualSharesWieliczkaExact,
        /// @dev {EqualSharesAssen} from the exact share.
        EqualSharesAssenExact
    }

    /// @notice A round's phase, from its deadlines and whether its result and funding are in.
    enum Phase {
        None,
        Proposals,
        Support,
        Review,
        Vote,
        Tally,
        Funding
    }

    enum ProjectStatus {
        None,
        Submitted,
        Feasible,
        Infeasible,
        Selected,
        Funded,
        Closed
    }

    /// @notice What the ORCHESTRATOR sets when creating a round.
    struct RoundParams {
        /// @dev Electorate: active members at this past-or-future timepoint (before the vote opens).
        uint48 snapshot;
        uint48 proposalsEnd;
        uint48 supportEnd;
        /// @dev Also when the vote opens.
        uint48 reviewEnd;
        uint48 voteEnd;
        /// @dev Supports a project needs to go to review.
        uint32 supportThreshold;
        BallotRule ballotRule;
        /// @dev Approval ballots: most projects per envelope (0 under Knapsack).
        uint8 maxApprovals;
        /// @dev Minimum share of an envelope a ballot must spend in an envelope it votes in, in basis points.
        uint16 minSpendBps;
        /// @dev Colleges of the electorate (bit i = college i).
        uint16 collegeMask;
        WinnerRule winnerRule;
        uint64 cityAmount;
        /// @dev District envelopes: `districts[i]` gets `districtAmounts[i]`, envelope index i + 1.
        uint32[] districts;
        uint64[] districtAmounts;
    }

    /// @dev Everything a ballot reads about its round, in one slot.
    struct VoteConfig {
        uint48 snapshot;
        uint48 voteStart;
        uint48 voteEnd;
        BallotRule ballotRule;
        uint8 maxApprovals;
        uint16 minSpendBps;
        uint16 collegeMask;
        uint64 cityAmount;
    }

    /// @dev The rest of a round, in one slot.
    struct RoundState {
        uint48 proposalsEnd;
        uint48 supportEnd;
        uint32 supportThreshold;
        WinnerRule winnerRule;
        uint8 envelopeCount;
        uint16 ballotCount;
        uint32 projectCount;
        bool resultIn;
        bool funded;
        /// @dev Posted results: end of the challenge window (0 for greedy results, computed on chain).
        uint40 challengeEnd;
        bool challenged;
    }

    /// @dev An envelope: its district (0 and unused for the city-wide one) and amount.
    struct Envelope {
        uint32 district;
        uint64 amount;
    }

    /// @dev Two slots: the proposal, then its money.
    struct Project {
        address proposer;
        uint8 envelope;
        ProjectStatus status;
        uint8 ballotIndex;
        uint32 supportCount;
        uint64 cost;
        uint64 escrow;
        uint64 released;
    }

    /// @dev A project on the ballot: what a ballot reads and writes for it, in one slot.
    struct BallotEntry {
        uint64 cost;
        uint8 envelope;
        uint32 votes;
        uint32 projectId;
    }

    event TreasurySet(address indexed treasury);
    /// @dev `config.voteStart` is the review phase's end.
    event RoundCreated(
        uint256 indexed roundId,
        VoteConfig config,
        uint48 proposalsEnd,
        uint48 supportEnd,
        uint32 supportThreshold,
        WinnerRule winnerRule
    );
    event EnvelopeCreated(uint256 indexed roundId, uint8 indexed envelope, uint32 district, uint64 amount);
    event ProjectSubmitted(
        uint256 indexed roundId,
        uint32 indexed projectId,
        address indexed proposer,
        uint8 envelope,
        uint64 cost,
        bytes32 contentHash,
        string uri
    );
    event ProjectSupported(uint256 indexed roundId, uint32 indexed projectId, address indexed supporter, uint32 supportCount);
    event ProjectReviewed(
        uint256 indexed roundId,
        uint32 indexed projectId,
        bool feasible,
        uint8 ballotIndex,
        bytes32 reasonHash
    );
    event ProjectCostRevised(
        uint256 indexed roundId,
        uint32 indexed projectId,
        uint64 oldCost,
        uint64 newCost,
        bytes32 reasonHash
    );
    event BallotCast(uint256 indexed roundId, address indexed voter, uint256 selection, bytes32 logHead);
    event ProjectSelected(uint256 indexed roundId, uint32 indexed projectId, uint8 envelope, uint64 cost, uint32 votes);
    event RoundTallied(uint256 indexed roundId, WinnerRule winnerRule, uint256 winners, bytes32 logHead, address by);
    event ProjectFunded(uint256 indexed roundId, uint32 indexed projectId, uint64 amount);
    event RoundFunded(uint256 indexed roundId, address indexed treasury, uint256 total);
    event TrancheReleased(
        uint256 indexed roundId,
        uint32 indexed projectId,
        address indexed recipient,
        uint64 amount,
        bytes32 evidenceHash,
        uint64 released
    );
    /// @notice A tranche for a recipient who is not an active member is held for them; `held` is their total now.
    event TrancheHeld(uint256 indexed roundId, uint32 indexed projectId, address indexed recipient, uint64 amount, uint256 held);
    event HeldWithdrawn(address indexed account, uint256 amount);
    event HeldForfeited(address indexed account, address indexed treasury, uint256 amount, bytes32 reasonHash);
    /// @notice Key recovery: `amount` held moved from `from` to `to`; tranches of `from`'s projects now go to `to`.
    event ProposerMigrated(address indexed from, address indexed to, uint256 amount);
    /// @notice A member challenged the posted result `posted` with the winners `winners` of its own recomputation.
    event ResultChallenged(uint256 indexed roundId, address indexed challenger, uint256 posted, uint256 winners);
    /// @notice The council settled the challenge: `upheld` keeps the result; else it is withdrawn (tally phase again).
    event ChallengeResolved(uint256 indexed roundId, bool upheld, bytes32 reasonHash, address by);
    event ProjectClosed(
        uint256 indexed roundId,
        uint32 indexed projectId,
        address indexed treasury,
        uint64 returned,
        bytes32 reasonHash
    );

    error ParticipatoryBudgetZeroAddress();
    error ParticipatoryBudgetInvalidSchedule(uint48 snapshot, uint48 proposalsEnd, uint48 supportEnd, uint48 reviewEnd, uint48 voteEnd);
    error ParticipatoryBudgetInvalidBallotRule(BallotRule rule, uint8 maxApprovals);
    error ParticipatoryBudgetMinSpendTooHigh(uint16 minSpendBps);
    error ParticipatoryBudgetEmptyElectorate();
    error ParticipatoryBudgetEnvelopeLengthMismatch(uint256 districts, uint256 amounts);
    error ParticipatoryBudgetTooManyEnvelopes(uint256 count, uint256 max);
    error ParticipatoryBudgetDuplicateDistrict(uint32 district);
    error ParticipatoryBudgetUnknownRound(uint256 roundId);
    error ParticipatoryBudgetWrongPhase(uint256 roundId, Phase current, Phase expected);
    error ParticipatoryBudgetNotAMember(address account);
    error ParticipatoryBudgetMemberSuspended(address account);
    error ParticipatoryBudgetNotInElectorate(address account);
    error ParticipatoryBudgetUnknownEnvelope(uint256 roundId, uint8 envelope);
    error ParticipatoryBudgetInvalidCost(uint64 cost, uint64 envelopeAmount);
    error ParticipatoryBudgetUnknownProject(uint256 roundId, uint32 projectId);
    error ParticipatoryBudgetAlreadySupported(uint256 roundId, uint32 projectId, address account);
    error ParticipatoryBudgetNotAdvanced(uint256 roundId, uint32 projectId, uint32 supportCount, uint32 threshold);
    error ParticipatoryBudgetAlreadyReviewed(uint256 roundId, uint32 projectId);
    error ParticipatoryBudgetNotFeasible(uint256 roundId, uint32 projectId);
    error ParticipatoryBudgetBallotFull(uint256 roundId, uint256 max);
    error ParticipatoryBudgetEmptyBallot();
    error ParticipatoryBudgetNotOnBallot(uint256 roundId, uint256 ballotIndex);
    error ParticipatoryBudgetOutsideDistrict(uint32 projectId, uint32 voterDistrict);
    error ParticipatoryBudgetOverEnvelope(uint8 envelope, uint256 cost, uint64 amount);
    error ParticipatoryBudgetTooManyApprovals(uint8 envelope, uint256 count, uint8 max);
    error ParticipatoryBudgetUnderMinimumSpend(uint8 envelope, uint256 cost, uint256 minimum);
    error ParticipatoryBudgetWrongWinnerRule(uint256 roundId, WinnerRule winnerRule);
    error ParticipatoryBudgetLogHeadMismatch(bytes32 expected, bytes32 given);
    error ParticipatoryBudgetAlreadyFunded(uint256 roundId);
    error ParticipatoryBudgetNotFunded(uint256 roundId, uint32 projectId);
    error ParticipatoryBudgetZeroAmount();
    error ParticipatoryBudgetExceedsEscrow(uint256 roundId, uint32 projectId, uint64 amount, uint64 escrow);
    error ParticipatoryBudgetChallengeWindowOpen(uint256 roundId, uint40 challengeEnd);
    error ParticipatoryBudgetResultChallenged(uint256 roundId);
    error ParticipatoryBudgetNotChallengeable(uint256 roundId, uint40 challengeEnd);
    error ParticipatoryBudgetSameResult(uint256 roundId, uint256 winners);
    error ParticipatoryBudgetNotChallenged(uint256 roundId);
    error ParticipatoryBudgetNothingHeld(address account);
    error ParticipatoryBudgetNotRemoved(address account);
    error ParticipatoryBudgetNotRegistry(address caller);

    /// @notice Casts (or replaces) the caller's ballot: `selection` is a bitmap of ballot indexes.
    function vote(uint256 roundId, uint256 selection) external;
}
