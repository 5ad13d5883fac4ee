// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICityRegistry} from "../membership/ICityRegistry.sol";
import {ICityCharter} from "./ICityCharter.sol";
import {ICityGovernor} from "./ICityGovernor.sol";

/**
 * @title CollegialCounting
 * @notice The collegial count of {GovernorCollegial}, as an external library linked into {CityGovernor} (kept apart
 * for EIP-170): the rules a proposal is recorded under, each college's quorum and the weighted result. It runs in the
 * governor's storage and context (DELEGATECALL), so {ICityGovernor-ProposalRules} is emitted from the governor's
 * address. Only what a vote does not need lives here: casting a vote stays in the governor (no library call on the
 * hot path); proposing, queuing and reading results call the library.
 *
 * Counting rule, for a proposal counted under charter `v`:
 * - quorum: every college `c` of `v` had members at the snapshot (`n_c > 0`) and `for_c + against_c + abstain_c`
 *   ≥ `quorum_c` × `n_c` (basis points, compared exactly: `cast × 10_000 ≥ quorumBps × n`);
 * - result: `S = Σ_c weight_c × for_c / (for_c + against_c)` (a college where nobody voted for or against adds 0);
 *   the proposal succeeds when `S` exceeds the threshold strictly (`superMajorityBps` if it is constitutional, else
 *   `approvalThresholdBps`). `S` is computed in units of 1e-36 (each term rounded down).
 */
library CollegialCounting {
    uint8 internal constant MAX_COLLEGES = 16;
    uint16 internal constant BPS = 10_000;
    /// @dev One basis point of the weighted result in its internal unit (1e36 = 100%).
    uint256 private constant _PER_BPS = 1e32;

    /// @dev One slot, written when the proposal is created and read by every vote.
    struct ProposalRecord {
        uint32 charterVersion;
        uint16 collegeMask;
        bool constitutional;
        /// Put on the agenda by members (co-signed or petitioned): the orchestrator cannot cancel it.
        bool fromMembers;
    }

    /// @dev One slot per college and proposal (three uint64 counters: a college never has 2^64 members).
    struct Tally {
        uint64 forVotes;
        uint64 againstVotes;
        uint64 abstainVotes;
    }

    /// @dev The governor's count: each proposal's rules and its tallies by college.
    struct Book {
        mapping(uint256 proposalId => ProposalRecord) records;
        mapping(uint256 proposalId => mapping(uint8 college => Tally)) tallies;
        mapping(uint256 proposalId => mapping(address voter => bool)) voted;
    }

    /**
     * @notice Records the charter version a new proposal is counted under (`version`, current when it was created,
     * with colleges `mask`), its colleges and whether it is
     * constitutional: it calls the governor or `executor` (the governor's timelock), or the charter says so
     * ({ICityCharter-isConstitutional}: calls to the charter itself, to its governance timelock, …). Emits {ICityGovernor-ProposalRules}.
     */
    function recordProposal(
        Book storage book,
        ICityCharter charter,
        uint256 proposalId,
        uint32 version,
        uint16 mask,
        address[] calldata targets,
        bytes[] calldata calldatas,
        address executor
    ) external {
        bool constitutional = false;
        for (uint256 i = 0; i < targets.length; ++i) {
            address target = targets[i];
            if (target == address(this) || target == executor) {
                constitutional = true;
                break;
            }
        }
        if (!constitutional) constitutional = charter.isConstitutional(targets, calldatas);
        book.records[proposalId] = ProposalRecord(version, mask, constitutional, false);
        emit ICityGovernor.ProposalRules(proposalId, version, constitutional);
    }

    /**
     * @notice Counts `account`'s vote on `proposalId` in its college at `snapshot` (support: 0 against, 1 for,
     * 2 abstain): one vote while an active member then whose membership is still the one held now. Reads the
     * member's profile once, for its vote and its college. Emits {ICityGovernor-CollegeVoteCast}.
     */
    function countVote(
        Book storage book,
        ICityRegistry registry,
        uint256 proposalId,
        uint256 snapshot,
        address account,
        uint8 support
    ) external {
        ICityRegistry.Profile memory profile = registry.getPastMemberProfile(account, snapshot);
        if (!profile.active) revert ICityGovernor.CityGovernorNotAMember(account);
        if (book.voted[proposalId][account]) revert ICityGovernor.CityGovernorAlreadyVoted(proposalId, account);
        uint8 college = profile.college;
        if (book.records[proposalId].collegeMask & (1 << college) == 0) {
            revert ICityGovernor.CityGovernorCollegeNotInCharter(proposalId, college);
        }
        book.voted[proposalId][account] = true;
        Tally storage t = book.tallies[proposalId][college];
        // Overflow not possible: a counter never exceeds the college's members, far below 2^64.
        unchecked {
            if (support == 1) t.forVotes += 1;
            else if (support == 0) t.againstVotes += 1;
            else if (support == 2) t.abstainVotes += 1;
            else revert ICityGovernor.CityGovernorInvalidSupport(support);
        }
        emit ICityGovernor.CollegeVoteCast(proposalId, account, college, support);
    }

    /**
     * @notice Members needed for a quorum at `timepoint` under the current charter, Σ ⌈quorum_c × n_c⌉: informative,
     * since each college's own quorum is what counts.
     */
    function quorum(ICityRegistry registry, ICityCharter charter, uint256 timepoint) external view returns (uint256 total) {
        (uint32 version, uint16 mask) = charter.current();
        (, uint256 quorums) = charter.packedRules(version);
        for (uint8 c = 0; c < MAX_COLLEGES; ++c) {
            if (mask & (1 << c) == 0) continue;
            uint256 n = registry.getPastCollegeSize(c, timepoint);
            total += (n * uint16(quorums >> (16 * c)) + BPS - 1) / BPS;
        }
    }

    /// @notice Every college of the proposal's charter had members at `snapshot` and reached its quorum.
    function quorumReached(
        Book storage book,
        ICityRegistry registry,
        ICityCharter charter,
        uint256 proposalId,
        uint256 snapshot
    ) external view returns (bool) {
        ProposalRecord memory record = book.records[proposalId];
        (, uint256 quorums) = charter.packedRules(record.charterVersion);
        for (uint8 c = 0; c < MAX_COLLEGES; ++c) {
            if (record.collegeMask & (1 << c) == 0) continue;
            uint256 members = registry.getPastCollegeSize(c, snapshot);
            if (members == 0) return false;
            Tally memory t = book.tallies[proposalId][c];
            uint256 cast = uint256(t.forVotes) + t.againstVotes + t.abstainVotes;
            if (cast * BPS < uint256(uint16(quorums >> (16 * c))) * members) return false;
        }
        return true;
    }

    /// @notice Whether the weighted result of `proposalId` exceeds its threshold (strictly).
    function voteSucceeded(Book storage book, ICityCharter charter, uint256 proposalId) external view returns (bool) {
        (uint256 score, uint16 thresholdBps) = _result(book, charter, proposalId);
        return score > uint256(thresholdBps) * _PER_BPS;
    }

    /// @notice The weighted result of `proposalId` (1e18 = 100%, rounded down) and the threshold (basis points) it
    /// must exceed.
    function weightedResult(
        Book storage book,
        ICityCharter charter,
        uint256 proposalId
    ) external view returns (uint256 scoreWad, uint16 thresholdBps) {
        (uint256 score, uint16 threshold) = _result(book, charter, proposalId);
        return (score / 1e18, threshold);
    }

    /// @dev Σ weight × for / (for + against) in units of 1e-36 (each term rounded down), and the proposal's threshold.
    function _result(
        Book storage book,
        ICityCharter charter,
        uint256 proposalId
    ) private view returns (uint256 score, uint16 thresholdBps) {
        ProposalRecord memory record = book.records[proposalId];
        (uint256 weights, ) = charter.packedRules(record.charterVersion);
        for (uint8 c = 0; c < MAX_COLLEGES; ++c) {
            if (record.collegeMask & (1 << c) == 0) continue;
            Tally memory t = book.tallies[proposalId][c];
            uint256 decided = uint256(t.forVotes) + t.againstVotes;
            if (decided == 0) continue;
            score += (uint256(uint16(weights >> (16 * c))) * _PER_BPS * t.forVotes) / decided;
        }
        ICityCharter.Header memory h = charter.header(record.charterVersion);
        thresholdBps = record.constitutional ? h.superMajorityBps : h.approvalThresholdBps;
    }
}
