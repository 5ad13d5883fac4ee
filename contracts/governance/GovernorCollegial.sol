// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {ICityRegistry} from "../membership/ICityRegistry.sol";
import {ICityCharter} from "./ICityCharter.sol";
import {ICityGovernor} from "./ICityGovernor.sol";

/**
 * @title GovernorCollegial
 * @notice Governor module: votes come from {CityRegistry} (one active member, one vote, read at the proposal's
 * snapshot) and are counted per college; the result combines the colleges by the weights of the {CityCharter}
 * version current when the proposal was created.
 *
 * Counting rule, for a proposal counted under charter `v`:
 * - quorum: every college `c` of `v` had members at the snapshot (`n_c > 0`) and `for_c + against_c + abstain_c`
 *   ≥ `quorum_c` × `n_c` (basis points, compared exactly: `cast × 10_000 ≥ quorumBps × n`);
 * - result: `S = Σ_c weight_c × for_c / (for_c + against_c)` (a college where nobody voted for or against adds 0);
 *   the proposal succeeds when `S` exceeds the threshold strictly (`superMajorityBps` if it is constitutional — it
 *   calls the governor, or the charter says so ({ICityCharter-isConstitutional}) — else `approvalThresholdBps`). `S` is computed in units of 1e-36 (each term rounded
 *   down), so the comparison is exact unless the product of the colleges' `for + against` exceeds ~6e30 (four
 *   colleges of ten million voters each stay exact).
 *
 * Voters: an account votes if {ICityRegistry-getPastMemberProfile} is active at the snapshot — an active member then
 * whose membership is still the one it holds now (a member suspended, removed or migrated since does not vote with
 * the old key) — and its college at the snapshot must be one of the proposal's charter.
 *
 * Storage: a proposal's rules (charter version, college mask, constitutional flag) one slot, written at creation and
 * read by each vote; each college's tally of a proposal one slot (three uint64 counters: a college never has 2^64
 * members).
 */
abstract contract GovernorCollegial is Governor, ICityGovernor {
    uint8 private constant _MAX_COLLEGES = 16;
    uint16 internal constant _BPS = 10_000;
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

    /// @dev One slot per college and proposal.
    struct Tally {
        uint64 forVotes;
        uint64 againstVotes;
        uint64 abstainVotes;
    }

    enum VoteType {
        Against,
        For,
        Abstain
    }

    ICityRegistry private immutable _registry;
    ICityCharter private immutable _charter;
    mapping(uint256 proposalId => ProposalRecord) private _records;
    mapping(uint256 proposalId => mapping(uint8 college => Tally)) private _tallies;
    mapping(uint256 proposalId => mapping(address voter => bool)) private _voted;

    constructor(ICityRegistry registry_, ICityCharter charter_) {
        _registry = registry_;
        _charter = charter_;
    }

    /// @notice The membership registry votes are read from.
    function registry() public view returns (ICityRegistry) {
        return _registry;
    }

    /// @notice The charter proposals are counted under.
    function charter() public view returns (ICityCharter) {
        return _charter;
    }

    /// @notice ERC-6372: timestamps, as the registry's clock.
    function clock() public view override returns (uint48) {
        return Time.timestamp();
    }

    /// @notice ERC-6372 clock mode: timestamps.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    /// @notice Bravo support values (0 against, 1 for, 2 abstain), counted per college; every vote cast counts for
    /// its college's quorum.
    // solhint-disable-next-line func-name-mixedcase
    function COUNTING_MODE() public pure override returns (string memory) {
        return "support=bravo&quorum=for,against,abstain&result=collegial";
    }

    /**
     * @notice Members needed for a quorum at `timepoint` under the current charter, Σ ⌈quorum_c × n_c⌉: informative,
     * since each college's own quorum is what counts.
     */
    function quorum(uint256 timepoint) public view override returns (uint256 total) {
        (uint32 version, uint16 mask) = _charter.current();
        (, uint256 quorums) = _charter.packedRules(version);
        for (uint8 c = 0; c < _MAX_COLLEGES; ++c) {
            if (mask & (1 << c) == 0) continue;
            uint256 n = _registry.getPastCollegeSize(c, timepoint);
            total += (n * uint16(quorums >> (16 * c)) + _BPS - 1) / _BPS;
        }
    }

    /// @inheritdoc IGovernor
    function hasVoted(uint256 proposalId, address account) public view override returns (bool) {
        return _voted[proposalId][account];
    }

    /// @inheritdoc ICityGovernor
    function proposalRules(uint256 proposalId) public view returns (uint32 version, bool constitutional) {
        ProposalRecord memory r = _records[proposalId];
        return (r.charterVersion, r.constitutional);
    }

    /// @inheritdoc ICityGovernor
    function proposalVotes(
        uint256 proposalId,
        uint8 college
    ) public view returns (uint256 forVotes, uint256 againstVotes, uint256 abstainVotes) {
        Tally memory t = _tallies[proposalId][college];
        return (t.forVotes, t.againstVotes, t.abstainVotes);
    }

    /// @inheritdoc ICityGovernor
    function weightedResult(uint256 proposalId) public view returns (uint256 scoreWad, uint16 thresholdBps) {
        ProposalRecord memory record = _records[proposalId];
        (uint256 weights, ) = _charter.packedRules(record.charterVersion);
        return (_score(proposalId, record.collegeMask, weights) / 1e18, _threshold(record));
    }

    /// @dev Records the charter a new proposal is counted under. Every college of it must have members now.
    function _propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer
    ) internal virtual override returns (uint256 proposalId) {
        _charter.requirePopulated();
        proposalId = super._propose(targets, values, calldatas, description, proposer);
        (uint32 version, uint16 mask) = _charter.current();
        bool constitutional = _isConstitutional(targets, calldatas);
        _records[proposalId] = ProposalRecord(version, mask, constitutional, false);
        emit ProposalRules(proposalId, version, constitutional);
    }

    /// @dev A proposal that calls the governor itself (settings, timelock), or that the charter calls constitutional
    /// ({ICityCharter-isConstitutional}: its timelock, the charter, any call needing ADMIN, a constitutional role's
    /// grant or revocation), needs the super-majority.
    function _isConstitutional(address[] memory targets, bytes[] memory calldatas) internal view returns (bool) {
        for (uint256 i = 0; i < targets.length; ++i) {
            address target = targets[i];
            if (target == address(this) || target == _executor() || target == address(_charter)) return true;
        }
        return _charter.isConstitutional(targets, calldatas);
    }

    /// @dev Marks `proposalId` as put on the agenda by members (the slot {_propose} just wrote: a warm write).
    function _markFromMembers(uint256 proposalId) internal {
        _records[proposalId].fromMembers = true;
    }

    /// @dev Whether members (co-signers or a petition) put `proposalId` on the agenda.
    function _isFromMembers(uint256 proposalId) internal view returns (bool) {
        return _records[proposalId].fromMembers;
    }

    /// @dev One vote while an active member at `timepoint` whose membership is still the one held now.
    function _getVotes(address account, uint256 timepoint, bytes memory) internal view override returns (uint256) {
        return _registry.getPastMemberProfile(account, timepoint).active ? 1 : 0;
    }

    /// @dev Counts the vote in the voter's college at the snapshot.
    function _countVote(
        uint256 proposalId,
        address account,
        uint8 support,
        uint256 totalWeight,
        bytes memory
    ) internal override returns (uint256) {
        if (totalWeight == 0) revert CityGovernorNotAMember(account);
        if (_voted[proposalId][account]) revert CityGovernorAlreadyVoted(proposalId, account);
        uint8 college = _registry.getPastMemberProfile(account, proposalSnapshot(proposalId)).college;
        if (_records[proposalId].collegeMask & (1 << college) == 0) {
            revert CityGovernorCollegeNotInCharter(proposalId, college);
        }
        _voted[proposalId][account] = true;
        Tally storage t = _tallies[proposalId][college];
        // Overflow not possible: a counter never exceeds the college's members, far below 2^64.
        unchecked {
            if (support == uint8(VoteType.For)) t.forVotes += 1;
            else if (support == uint8(VoteType.Against)) t.againstVotes += 1;
            else if (support == uint8(VoteType.Abstain)) t.abstainVotes += 1;
            else revert CityGovernorInvalidSupport(support);
        }
        emit CollegeVoteCast(proposalId, account, college, support);
        return 1;
    }

    /// @dev Every college of the proposal's charter had members at the snapshot and reached its quorum.
    function _quorumReached(uint256 proposalId) internal view override returns (bool) {
        ProposalRecord memory record = _records[proposalId];
        uint256 snapshot = proposalSnapshot(proposalId);
        (, uint256 quorums) = _charter.packedRules(record.charterVersion);
        for (uint8 c = 0; c < _MAX_COLLEGES; ++c) {
            if (record.collegeMask & (1 << c) == 0) continue;
            uint256 members = _registry.getPastCollegeSize(c, snapshot);
            if (members == 0) return false;
            Tally memory t = _tallies[proposalId][c];
            uint256 cast = uint256(t.forVotes) + t.againstVotes + t.abstainVotes;
            if (cast * _BPS < uint256(uint16(quorums >> (16 * c))) * members) return false;
        }
        return true;
    }

    /// @dev The weighted result exceeds the proposal's threshold.
    function _voteSucceeded(uint256 proposalId) internal view override returns (bool) {
        ProposalRecord memory record = _records[proposalId];
        (uint256 weights, ) = _charter.packedRules(record.charterVersion);
        return _score(proposalId, record.collegeMask, weights) > uint256(_threshold(record)) * _PER_BPS;
    }

    /// @dev Σ weight × for / (for + against) in units of 1e-36 (each term rounded down).
    function _score(uint256 proposalId, uint16 mask, uint256 weights) private view returns (uint256 score) {
        for (uint8 c = 0; c < _MAX_COLLEGES; ++c) {
            if (mask & (1 << c) == 0) continue;
            Tally memory t = _tallies[proposalId][c];
            uint256 decided = uint256(t.forVotes) + t.againstVotes;
            if (decided == 0) continue;
            score += (uint256(uint16(weights >> (16 * c))) * _PER_BPS * t.forVotes) / decided;
        }
    }

    function _threshold(ProposalRecord memory record) private view returns (uint16) {
        ICityCharter.Header memory h = _charter.header(record.charterVersion);
        return record.constitutional ? h.superMajorityBps : h.approvalThresholdBps;
    }
}
