// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {ICityRegistry} from "../membership/ICityRegistry.sol";
import {ICityCharter} from "./ICityCharter.sol";
import {ICityGovernor} from "./ICityGovernor.sol";
import {CollegialCounting} from "./CollegialCounting.sol";

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
 * members). Recording a proposal's rules, the quorums and the weighted result run in the linked library
 * {CollegialCounting} (EIP-170); counting a vote stays here, so voting makes no library call.
 */
abstract contract GovernorCollegial is Governor, ICityGovernor {
    using CollegialCounting for CollegialCounting.Book;

    ICityRegistry private immutable _registry;
    ICityCharter private immutable _charter;
    CollegialCounting.Book private _book;

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
    function quorum(uint256 timepoint) public view override returns (uint256) {
        return CollegialCounting.quorum(_registry, _charter, timepoint);
    }

    /// @inheritdoc IGovernor
    function hasVoted(uint256 proposalId, address account) public view override returns (bool) {
        return _book.voted[proposalId][account];
    }

    /// @inheritdoc ICityGovernor
    function proposalRules(uint256 proposalId) public view returns (uint32 version, bool constitutional) {
        CollegialCounting.ProposalRecord memory r = _book.records[proposalId];
        return (r.charterVersion, r.constitutional);
    }

    /// @inheritdoc ICityGovernor
    function proposalVotes(
        uint256 proposalId,
        uint8 college
    ) public view returns (uint256 forVotes, uint256 againstVotes, uint256 abstainVotes) {
        CollegialCounting.Tally memory t = _book.tallies[proposalId][college];
        return (t.forVotes, t.againstVotes, t.abstainVotes);
    }

    /// @inheritdoc ICityGovernor
    function weightedResult(uint256 proposalId) public view returns (uint256 scoreWad, uint16 thresholdBps) {
        return _book.weightedResult(_charter, proposalId);
    }

    /// @dev Records the charter a new proposal is counted under. Every college of it must have members now.
    function _propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer
    ) internal virtual override returns (uint256 proposalId) {
        (uint32 version, uint16 mask) = _charter.requirePopulated();
        proposalId = super._propose(targets, values, calldatas, description, proposer);
        _book.recordProposal(_charter, proposalId, version, mask, targets, calldatas, _executor());
    }

    /// @dev Marks `proposalId` as put on the agenda by members (the slot {_propose} just wrote: a warm write).
    function _markFromMembers(uint256 proposalId) internal {
        _book.records[proposalId].fromMembers = true;
    }

    /// @dev Whether members (co-signers or a petition) put `proposalId` on the agenda.
    function _isFromMembers(uint256 proposalId) internal view returns (bool) {
        return _book.records[proposalId].fromMembers;
    }

    /// @dev One vote while an active member at `timepoint` whose membership is still the one held now.
    function _getVotes(address account, uint256 timepoint, bytes memory) internal view override returns (uint256) {
        return _registry.getPastMemberProfile(account, timepoint).active ? 1 : 0;
    }

    /**
     * @dev OpenZeppelin's vote casting, with one registry read: {CollegialCounting-countVote} reads the voter's profile
     * at the snapshot once, for its vote and its college (OpenZeppelin's reads the votes, then the count the college).
     */
    function _castVote(
        uint256 proposalId,
        address account,
        uint8 support,
        string memory reason,
        bytes memory params
    ) internal virtual override returns (uint256) {
        _validateStateBitmap(proposalId, _encodeStateBitmap(ProposalState.Active));
        _book.countVote(_registry, proposalId, proposalSnapshot(proposalId), account, support);
        if (params.length == 0) {
            emit VoteCast(account, proposalId, support, 1, reason);
        } else {
            emit VoteCastWithParams(account, proposalId, support, 1, reason, params);
        }
        _tallyUpdated(proposalId);
        return 1;
    }

    /// @dev Counts the vote in the voter's college at the snapshot ({_castVote} counts through the same library call).
    function _countVote(uint256 proposalId, address account, uint8 support, uint256, bytes memory) internal override returns (uint256) {
        _book.countVote(_registry, proposalId, proposalSnapshot(proposalId), account, support);
        return 1;
    }

    /// @dev Every college of the proposal's charter had members at the snapshot and reached its quorum.
    function _quorumReached(uint256 proposalId) internal view override returns (bool) {
        return _book.quorumReached(_registry, _charter, proposalId, proposalSnapshot(proposalId));
    }

    /// @dev The weighted result exceeds the proposal's threshold.
    function _voteSucceeded(uint256 proposalId) internal view override returns (bool) {
        return _book.voteSucceeded(_charter, proposalId);
    }
}
