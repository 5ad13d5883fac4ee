// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IParticipatoryBudget} from "./IParticipatoryBudget.sol";
import {ICityRegistry} from "../membership/ICityRegistry.sol";

/**
 * @title BudgetResults
 * @notice {ParticipatoryBudget}'s round setup and its result loops over the winners (funding and escrow are {BudgetEscrow}'s), as an external library: its code lives
 * beside ParticipatoryBudget's, which stays under EIP-170's size limit; it runs in ParticipatoryBudget's storage and
 * its events and errors are ParticipatoryBudget's own. Winners are a bitmap of ballot indexes (see
 * {IParticipatoryBudget}).
 */
library BudgetResults {
    /// @dev A district's envelope index and amount: what a ballot reads, in one slot (index 0 = none).
    struct DistrictEnvelope {
        uint8 index;
        uint64 amount;
    }

    /// @dev {ParticipatoryBudget.MAX_DISTRICT_ENVELOPES}.
    uint256 private constant _MAX_DISTRICT_ENVELOPES = 64;
    uint16 private constant _BPS = 10_000;

    /// @notice Reverts unless a round's parameters are valid (see {IParticipatoryBudget.RoundParams}).
    function checkRoundParams(IParticipatoryBudget.RoundParams calldata p) external view {
        if (
            p.proposalsEnd <= block.timestamp ||
            p.supportEnd < p.proposalsEnd ||
            p.reviewEnd <= p.supportEnd ||
            p.voteEnd <= p.reviewEnd ||
            p.snapshot >= p.reviewEnd
        ) {
            revert IParticipatoryBudget.ParticipatoryBudgetInvalidSchedule(
                p.snapshot,
                p.proposalsEnd,
                p.supportEnd,
                p.reviewEnd,
                p.voteEnd
            );
        }
        if ((p.ballotRule == IParticipatoryBudget.BallotRule.Approval) != (p.maxApprovals != 0)) {
            revert IParticipatoryBudget.ParticipatoryBudgetInvalidBallotRule(p.ballotRule, p.maxApprovals);
        }
        if (p.minSpendBps > _BPS) revert IParticipatoryBudget.ParticipatoryBudgetMinSpendTooHigh(p.minSpendBps);
        if (p.collegeMask == 0) revert IParticipatoryBudget.ParticipatoryBudgetEmptyElectorate();
        if (p.districts.length != p.districtAmounts.length) {
            revert IParticipatoryBudget.ParticipatoryBudgetEnvelopeLengthMismatch(p.districts.length, p.districtAmounts.length);
        }
        if (p.districts.length > _MAX_DISTRICT_ENVELOPES) {
            revert IParticipatoryBudget.ParticipatoryBudgetTooManyEnvelopes(p.districts.length, _MAX_DISTRICT_ENVELOPES);
        }
    }

    /// @notice Writes and events a new round's envelopes: 0 city-wide, then `districts[i]` at index i + 1.
    function createEnvelopes(
        mapping(uint8 => IParticipatoryBudget.Envelope) storage envelopes,
        mapping(uint32 => DistrictEnvelope) storage districtEnvelopes,
        uint256 roundId,
        IParticipatoryBudget.RoundParams calldata p
    ) external {
        envelopes[0] = IParticipatoryBudget.Envelope(0, p.cityAmount);
        emit IParticipatoryBudget.EnvelopeCreated(roundId, 0, 0, p.cityAmount);
        for (uint256 i = 0; i < p.districts.length; ++i) {
            uint32 district = p.districts[i];
            if (districtEnvelopes[district].index != 0) {
                revert IParticipatoryBudget.ParticipatoryBudgetDuplicateDistrict(district);
            }
            // Cast is safe: checkRoundParams bounds the districts by 64.
            uint8 index = uint8(i + 1);
            envelopes[index] = IParticipatoryBudget.Envelope(district, p.districtAmounts[i]);
            districtEnvelopes[district] = DistrictEnvelope(index, p.districtAmounts[i]);
            emit IParticipatoryBudget.EnvelopeCreated(roundId, index, district, p.districtAmounts[i]);
        }
    }

    /**
     * @notice The greedy result: per envelope, projects by decreasing votes, then lower cost, then lower project id;
     * each is selected if it has a vote and fits what is left of its envelope. Without `skip`, an envelope's selection
     * stops at its first project that does not fit.
     */
    function greedy(
        mapping(uint256 => IParticipatoryBudget.BallotEntry) storage entries,
        mapping(uint8 => IParticipatoryBudget.Envelope) storage envelopes,
        uint256 count,
        uint256 envelopeCount,
        bool skip
    ) external view returns (uint256 winners) {
        IParticipatoryBudget.BallotEntry[] memory list = new IParticipatoryBudget.BallotEntry[](count);
        uint256[] memory order = new uint256[](count);
        for (uint256 i = 0; i < count; ++i) {
            list[i] = entries[i];
            // Insertion sort by rank: at most 256 entries, and ballots arrive mostly unsorted anyway.
            uint256 j = i;
            while (j != 0 && _ranksBefore(list[i], list[order[j - 1]])) {
                order[j] = order[j - 1];
                --j;
            }
            order[j] = i;
        }
        uint256[] memory left = new uint256[](envelopeCount);
        for (uint256 k = 0; k < envelopeCount; ++k) left[k] = envelopes[uint8(k)].amount;
        for (uint256 j = 0; j < count; ++j) {
            IParticipatoryBudget.BallotEntry memory e = list[order[j]];
            if (e.votes == 0) break;
            if (e.cost <= left[e.envelope]) {
                left[e.envelope] -= e.cost;
                winners |= 1 << order[j];
            } else if (!skip) {
                // Closes the envelope: costs are never 0 (submit and reviseCost refuse it), so nothing fits any more.
                left[e.envelope] = 0;
            }
        }
    }

    /// @notice Reverts unless `winners` are projects on the ballot whose costs fit each envelope.
    function check(
        mapping(uint256 => IParticipatoryBudget.BallotEntry) storage entries,
        mapping(uint8 => IParticipatoryBudget.Envelope) storage envelopes,
        uint256 roundId,
        uint256 ballotCount,
        uint256 envelopeCount,
        uint256 winners
    ) public view {
        if (ballotCount < 256 && winners >> ballotCount != 0) {
            revert IParticipatoryBudget.ParticipatoryBudgetNotOnBallot(roundId, Math.log2(winners));
        }
        uint256[] memory spent = new uint256[](envelopeCount);
        for (uint256 rest = winners; rest != 0; ) {
            uint256 bit = rest & (~rest + 1);
            rest ^= bit;
            IParticipatoryBudget.BallotEntry storage e = entries[Math.log2(bit)];
            uint8 envelope = e.envelope;
            spent[envelope] += e.cost;
            uint64 amount = envelopes[envelope].amount;
            if (spent[envelope] > amount) {
                revert IParticipatoryBudget.ParticipatoryBudgetOverEnvelope(envelope, spent[envelope], amount);
            }
        }
    }

    /**
     * @notice Sets the status of every winner's project: `Selected` (a result recorded: each evented) or back to
     * `Feasible` (a rejected result: evented once by the caller).
     */
    function mark(
        mapping(uint32 => IParticipatoryBudget.Project) storage projects,
        mapping(uint256 => IParticipatoryBudget.BallotEntry) storage entries,
        uint256 roundId,
        uint256 winners,
        bool selected
    ) public {
        for (uint256 rest = winners; rest != 0; ) {
            uint256 bit = rest & (~rest + 1);
            rest ^= bit;
            IParticipatoryBudget.BallotEntry memory e = entries[Math.log2(bit)];
            projects[e.projectId].status = selected
                ? IParticipatoryBudget.ProjectStatus.Selected
                : IParticipatoryBudget.ProjectStatus.Feasible;
            if (selected) emit IParticipatoryBudget.ProjectSelected(roundId, e.projectId, e.envelope, e.cost, e.votes);
        }
    }

    /**
     * @notice Records a member's challenge of the posted result `posted` (see {ParticipatoryBudget.challengeResult}):
     * once per result, during its window, with other winners that fit the ballot and the envelopes.
     */
    function challenge(
        IParticipatoryBudget.RoundState storage s,
        mapping(uint256 => IParticipatoryBudget.BallotEntry) storage entries,
        mapping(uint8 => IParticipatoryBudget.Envelope) storage envelopes,
        uint256 roundId,
        uint256 posted,
        uint256 winners,
        address challenger
    ) external {
        if (s.funded || s.challenged || block.timestamp >= s.challengeEnd) {
            revert IParticipatoryBudget.ParticipatoryBudgetNotChallengeable(roundId, s.challengeEnd);
        }
        if (winners == posted) revert IParticipatoryBudget.ParticipatoryBudgetSameResult(roundId, winners);
        check(entries, envelopes, roundId, s.ballotCount, s.envelopeCount, winners);
        s.challenged = true;
        emit IParticipatoryBudget.ResultChallenged(roundId, challenger, posted, winners);
    }

    /// @notice Settles a challenge (see {ParticipatoryBudget.resolveChallenge}).
    function resolve(
        IParticipatoryBudget.RoundState storage s,
        mapping(uint32 => IParticipatoryBudget.Project) storage projects,
        mapping(uint256 => IParticipatoryBudget.BallotEntry) storage entries,
        mapping(uint256 => uint256) storage winnersOf,
        uint256 roundId,
        bool upheld,
        bytes32 reasonHash,
        address by
    ) external {
        if (!s.challenged) revert IParticipatoryBudget.ParticipatoryBudgetNotChallenged(roundId);
        s.challenged = false;
        // Upheld: the window is over, the result may be funded. Rejected: back to the tally phase, no result.
        s.challengeEnd = upheld ? uint40(block.timestamp) : 0;
        if (!upheld) {
            s.resultIn = false;
            mark(projects, entries, roundId, winnersOf[roundId], false);
            winnersOf[roundId] = 0;
        }
        emit IParticipatoryBudget.ChallengeResolved(roundId, upheld, reasonHash, by);
    }

    /// @notice Reverts with why `voter` is not in a round's electorate: not a member, suspended, or not at snapshot.
    function revertNotElector(ICityRegistry registry, address voter) external view {
        ICityRegistry.MemberStatus status = registry.memberOf(voter).status;
        if (status == ICityRegistry.MemberStatus.Suspended) {
            revert IParticipatoryBudget.ParticipatoryBudgetMemberSuspended(voter);
        }
        if (status != ICityRegistry.MemberStatus.Active) revert IParticipatoryBudget.ParticipatoryBudgetNotAMember(voter);
        revert IParticipatoryBudget.ParticipatoryBudgetNotInElectorate(voter);
    }

    /// @dev Greedy order: more votes first, then lower cost, then lower project id.
    function _ranksBefore(
        IParticipatoryBudget.BallotEntry memory a,
        IParticipatoryBudget.BallotEntry memory b
    ) private pure returns (bool) {
        if (a.votes != b.votes) return a.votes > b.votes;
        if (a.cost != b.cost) return a.cost < b.cost;
        return a.projectId < b.projectId;
    }
}
