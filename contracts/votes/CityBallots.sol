// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CityMemberService} from "../access/CityMemberService.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ICityBallots} from "./ICityBallots.sol";
import {ICityPetitions} from "./ICityPetitions.sol";
import {BallotResults} from "./BallotResults.sol";
import {BallotSetup} from "./BallotSetup.sol";
import {ICityRegistry} from "../membership/ICityRegistry.sol";

/**
 * @title CityBallots
 * @notice Referendums (yes / no / blank, optional turnout quorum, advisory or binding), consultations (up to 64
 * options, single choice or approval of at most k) and petitions (signatures until a deadline; at the threshold the
 * petition opens the referendum it asks for, or puts a Governor proposal on the council's agenda).
 *
 * Electorate: one member one vote, read from {CityRegistry} at the ballot's snapshot (the second before its
 * creation): a member must have been active then, in one of the ballot's colleges, carrying its flag and living in
 * one of its districts if it names any, and must be active when casting (a suspended member cannot vote or change
 * a vote; what they cast before stays). A member may change an open vote or a sealed commitment until close; the
 * last one counts.
 *
 * Sealed ballots: members commit `keccak256(abi.encode(choice, salt, voter, ballotId, chainid))` while voting is
 * open and reveal during the reveal window after close. The contract cannot count a commitment, so no interim count
 * exists; commitments never revealed are turnout, not counted.
 *
 * Counting layout: one slot per (ballot, option, district, college group of 8) holds eight 32-bit counters, one per
 * college of the group. A vote writes one such slot per option it counts for, plus the voter's own record: results
 * per option, per college and per district are sums of these slots, made once at finalization. A pseudo-option
 * {TURNOUT} counts voters where options cannot (approval ballots, sealed commitments). The sums read (districts voted
 * in) x (options + 1) slots, so finalization is bounded: {finalizePage} sums at most {MAX_PAGE_DISTRICTS} districts
 * per transaction and {finalize} completes (at most that many left); see {BallotResults}.
 *
 * Petitions are opened by the orchestrator ({createPetition}) or by any active member ({openPetition}): a member's
 * petition is addressed to the whole city (every college, no flag), needs at least {MEMBER_PETITION_MIN_BPS} of the
 * electorate's signatures, and a member has at most one petition collecting signatures at a time.
 *
 * Invariants:
 * - For every (option, district, college): the counter equals the number of voters whose last counted choice
 *   includes the option (open ballots: last vote; sealed: revealed choice; petitions: signatures).
 * - A voter adds at most one to the turnout of a ballot, whatever the number of changes.
 * - Results are fixed once finalized; finalization is possible once, after close (after the reveal window when
 *   sealed).
 *
 * @custom:city ballots
 * @custom:relay vote commit reveal sign openPetition
 */
contract CityBallots is ICityBallots, ICityPetitions, CityMemberService {
    /// @notice Most options of a consultation (an approval fits a uint64 bitmap).
    uint8 public constant MAX_OPTIONS = 64;
    /// @notice Most districts a ballot may name.
    uint256 public constant MAX_DISTRICTS = 64;
    /// @notice Pseudo-option counting voters, in ballots where option counts do not (approval, sealed).
    uint256 public constant TURNOUT = 255;
    /// @notice Most districts one finalization transaction sums: at 64 options and colleges in both groups of 8, about
    /// 130 cold slots (~470k gas) per district, so ~14M gas, under the 2^24 a transaction may use (EIP-7825).
    uint256 public constant MAX_PAGE_DISTRICTS = 30;
    /// @notice Least signature threshold of a petition a member opens: 5% of the city's members.
    uint16 public constant MEMBER_PETITION_MIN_BPS = 500;

    uint8 private constant _SEALED = 1;
    uint8 private constant _APPROVAL = 4;
    uint8 private constant _DISTRICTS = 8;
    /// @dev AccessManager's ADMIN_ROLE.
    uint64 private constant _ADMIN_ROLE = 0;
    /// @dev A vote record: this bit set means "voted", the low 64 bits hold the choice.
    uint256 private constant _VOTED = 1 << 64;
    /// @dev What a revealed commitment is overwritten with (no keccak output is 1 in practice).
    bytes32 private constant _REVEALED = bytes32(uint256(1));


    /// @dev One slot: ballots created, voters numbered (see `_voterIds`).
    uint64 private _ballotCount;
    uint32 private _voterCount;
    mapping(uint256 ballotId => BallotConfig) private _configs;
    mapping(uint256 ballotId => BallotTally) private _tallies;
    /// @dev See the header: cell key = option << 40 | district << 8 | college >> 3; eight 32-bit counters per slot;
    /// districts with at least one counted voter, and which college groups they hold, for the final sums.
    mapping(uint256 ballotId => BallotResults.Counters) private _counters;
    /// @dev Finalization pages: districts summed so far, and their college rows (see {BallotResults}).
    mapping(uint256 ballotId => uint256 districts) private _pagedDistricts;
    mapping(uint256 ballotId => mapping(uint256 key => uint256 counters)) private _pageSums;
    /// @dev The petition a member opened last (see {openPetition}).
    mapping(address member => uint256 petitionId) private _memberPetitions;
    mapping(uint256 ballotId => mapping(uint32 district => bool)) private _inDistricts;
    /// @dev Each voter's number (plus one; 0 = never voted), given at their first ballot in the city, so that the
    /// marks of 32 voters share one slot per ballot (a one-time cost per member, as a delegation is for ERC20Votes).
    mapping(address voter => uint32) private _voterIds;
    /// @dev Single-choice ballots and petitions: 8 bits per voter number, `choice + 1` (0 = no ballot yet).
    mapping(uint256 ballotId => mapping(uint256 voterBlock => uint256 marks)) private _marks;
    /// @dev Approval ballots: `_VOTED | choice` (a 64-bit choice does not fit a mark). Sealed ballots use `_commitments`.
    mapping(uint256 ballotId => mapping(address voter => uint256)) private _records;
    mapping(uint256 ballotId => mapping(address voter => bytes32)) private _commitments;
    mapping(uint256 petitionId => uint256 proposalId) private _petitionProposals;
    mapping(uint256 petitionId => BallotParams) private _petitionReferendums;

    /**
     * @param initialAuthority The city's {CityAuthority}.
     * @param trustedForwarder The city's {CityForwarder}: members vote without holding ETH.
     * @param registry_ The city's {CityRegistry}.
     */
    constructor(
        address initialAuthority,
        address trustedForwarder,
        ICityRegistry registry_
    ) CityMemberService(initialAuthority, trustedForwarder, registry_) {
    }

    // ─── Creation (orchestrator or governance) ───────────────────────────────────────────────────────────────────

    /**
     * @dev Ballots are created by whoever the authority lets call the function (the ORCHESTRATOR) or by the
     * authority's admin, which is the governance timelock once the city is handed over: a council decision can put
     * a question to the members without granting itself the orchestrator's role. Only immediate permissions count.
     */
    modifier onlyCreator() {
        _checkCreator();
        _;
    }

    /// @notice Creates a referendum or a consultation (see {BallotParams}); its snapshot is the second before now.
    /// @custom:role ORCHESTRATOR
    function createBallot(BallotParams calldata params) external onlyCreator returns (uint256 ballotId) {
        if (params.kind == BallotKind.Petition) {
            revert CityBallotsInvalidOptions(params.kind, params.optionCount, params.maxApprovals);
        }
        return _create(params, 0);
    }

    /**
     * @notice Creates a petition. `target.proposalId` non-zero: reaching the threshold puts that Governor proposal on
     * the council's agenda ({petitionOutcome}); zero: it opens `target.referendum` (a referendum whose `opensAt` is 0
     * and `closesAt` its duration in seconds), checked now so that it cannot fail later.
     * @custom:role ORCHESTRATOR
     */
    function createPetition(
        BallotParams calldata params,
        PetitionTarget calldata target
    ) external onlyCreator returns (uint256 petitionId) {
        return _createPetition(params, target);
    }

    /**
     * @notice Opens a petition as a member (see {createPetition}): the caller must be an active member with no other
     * petition collecting signatures; the petition is addressed to every college with no flag (`collegeMask` 0xffff,
     * `flagBit` 0) and needs at least {MEMBER_PETITION_MIN_BPS} of the electorate. A petition for a Governor proposal
     * reaches the council's agenda only through the governor's `proposeByPetition`.
     */
    function openPetition(BallotParams calldata params, PetitionTarget calldata target) external returns (uint256 petitionId) {
        address member = _msgSender();
        if (!registry.isActiveMember(member)) revert CityBallotsNotAMember(0, member);
        uint256 previous = _memberPetitions[member];
        if (previous != 0 && block.timestamp < _configs[previous].closesAt && !_tallies[previous].reached) {
            revert CityBallotsPetitionPending(member, previous);
        }
        if (params.collegeMask != type(uint16).max || params.flagBit != 0 || params.thresholdBps < MEMBER_PETITION_MIN_BPS) {
            revert CityBallotsMemberPetitionTooNarrow(params.collegeMask, params.flagBit, params.thresholdBps);
        }
        petitionId = _createPetition(params, target);
        _memberPetitions[member] = petitionId;
        emit PetitionOpened(petitionId, member);
    }

    function _createPetition(BallotParams calldata params, PetitionTarget calldata target) private returns (uint256 petitionId) {
        petitionId = ++_ballotCount;
        BallotSetup.createPetition(_configs, _tallies, _inDistricts, _petitionProposals, _petitionReferendums, registry, petitionId, params, target);
    }

    // ─── Voting (members, directly or relayed) ──────────────────────────────────────────────────────────────────

    /**
     * @notice Casts or replaces the caller's vote on an open-mode referendum or consultation.
     * @param choice The option index (single choice), or the bitmap of approved options (approval).
     */
    function vote(uint256 ballotId, uint64 choice) external {
        BallotConfig memory c = _configs[ballotId];
        _requireOpen(ballotId, c);
        if (c.mode & _SEALED != 0 || c.kind == BallotKind.Petition) revert CityBallotsWrongMode(ballotId);
        _requireValidChoice(ballotId, c, choice);
        address voter = _msgSender();
        (uint8 college, uint32 district) = _requireElector(ballotId, c, voter);

        if (c.mode & _APPROVAL == 0) {
            // Marks hold choice + 1: 0 means no ballot yet.
            uint256 previous = _mark(ballotId, voter, choice + 1);
            if (previous == 0) {
                _add(ballotId, choice, district, college);
            } else if (previous != choice + 1) {
                _sub(ballotId, previous - 1, district, college);
                _add(ballotId, choice, district, college);
            }
        } else {
            uint256 record = _records[ballotId][voter];
            _records[ballotId][voter] = _VOTED | choice;
            if (record == 0) _add(ballotId, TURNOUT, district, college);
            uint64 previous = uint64(record);
            _addBits(ballotId, previous & ~choice, district, college, false);
            _addBits(ballotId, choice & ~previous, district, college, true);
        }
        emit VoteCast(ballotId, voter, choice, college, district);
    }

    /// @notice Commits (or replaces) the caller's sealed vote: see {hashCommitment}.
    function commit(uint256 ballotId, bytes32 commitment) external {
        BallotConfig memory c = _configs[ballotId];
        _requireOpen(ballotId, c);
        if (c.mode & _SEALED == 0) revert CityBallotsWrongMode(ballotId);
        if (commitment == 0 || commitment == _REVEALED) revert CityBallotsInvalidCommitment(ballotId);
        address voter = _msgSender();
        (uint8 college, uint32 district) = _requireElector(ballotId, c, voter);

        bytes32 previous = _commitments[ballotId][voter];
        _commitments[ballotId][voter] = commitment;
        if (previous == 0) _add(ballotId, TURNOUT, district, college);
        emit VoteCommitted(ballotId, voter, commitment, college, district);
    }

    /**
     * @notice Reveals the caller's sealed vote during the reveal window: counts `choice` if it matches the last
     * commitment. Eligibility was checked at commit time; a member suspended since may still reveal.
     */
    function reveal(uint256 ballotId, uint64 choice, bytes32 salt) external {
        BallotConfig memory c = _configs[ballotId];
        BallotState state = _stateOf(ballotId, c);
        if (state != BallotState.Revealing) revert CityBallotsWrongState(ballotId, state);
        address voter = _msgSender();
        bytes32 commitment = _commitments[ballotId][voter];
        if (commitment == 0) revert CityBallotsNoCommitment(ballotId, voter);
        if (commitment == _REVEALED) revert CityBallotsAlreadyRevealed(ballotId, voter);
        if (hashCommitment(ballotId, voter, choice, salt) != commitment) revert CityBallotsBadReveal(ballotId, voter);
        _requireValidChoice(ballotId, c, choice);

        _commitments[ballotId][voter] = _REVEALED;
        // Overflow not possible: at most one reveal per committed member, far below 2^32.
        unchecked {
            _tallies[ballotId].revealed += 1;
        }
        ICityRegistry.Profile memory p = registry.getPastProfile(voter, c.snapshot);
        if (c.mode & _APPROVAL == 0) {
            _add(ballotId, choice, p.district, p.college);
        } else {
            _addBits(ballotId, choice, p.district, p.college, true);
        }
        emit VoteRevealed(ballotId, voter, choice, salt);
    }

    /// @notice Signs an open petition (once). The signature that reaches the threshold triggers the petition's request.
    function sign(uint256 petitionId) external {
        BallotConfig memory c = _configs[petitionId];
        _requireOpen(petitionId, c);
        if (c.kind != BallotKind.Petition) revert CityBallotsNotAPetition(petitionId);
        address voter = _msgSender();
        (uint8 college, uint32 district) = _requireElector(petitionId, c, voter);
        if (_mark(petitionId, voter, 1) != 0) revert CityBallotsAlreadySigned(petitionId, voter);
        _add(petitionId, 0, district, college);
        BallotTally storage t = _tallies[petitionId];
        uint64 signatures = t.signatures + 1;
        t.signatures = signatures;
        emit PetitionSigned(petitionId, voter, college, district, signatures);
        if (!t.reached && signatures >= t.needed) {
            t.reached = true;
            uint256 proposalId = _petitionProposals[petitionId];
            uint256 referendumId;
            if (proposalId == 0) {
                BallotParams memory r = _petitionReferendums[petitionId];
                // A petition's referendum opens now and lasts the duration its `closesAt` holds.
                r.opensAt = uint48(block.timestamp);
                r.closesAt += r.opensAt;
                referendumId = _create(r, petitionId);
            }
            emit PetitionThresholdReached(petitionId, proposalId, referendumId, signatures);
        }
    }

    // ─── Results (anyone) ───────────────────────────────────────────────────────────────────────────────────────

    /**
     * @notice Sums the next districts (at most `maxDistricts`, at most {MAX_PAGE_DISTRICTS}) of a closed ballot and
     * emits their results: a ballot voted in more than {MAX_PAGE_DISTRICTS} districts is finalized in pages, then
     * {finalize}. Anyone may call it.
     */
    function finalizePage(uint256 ballotId, uint256 maxDistricts) external {
        BallotConfig memory c = _requireClosed(ballotId);
        uint256 from = _pagedDistricts[ballotId];
        uint256 total = _counters[ballotId].votedDistricts.length;
        uint256 to = from + Math.min(Math.min(maxDistricts, MAX_PAGE_DISTRICTS), total - from);
        if (to == from) revert CityBallotsNothingToPage(ballotId, from, total);
        _pagedDistricts[ballotId] = to;
        emit BallotResultsPaged(ballotId, from, to, total);
        BallotResults.page(_counters[ballotId], _pageSums[ballotId], ballotId, from, to, c.optionCount, _tracked(c));
    }

    /**
     * @notice Fixes the result of a closed ballot (after its reveal window when sealed) and emits it: the districts
     * not yet paged (at most {MAX_PAGE_DISTRICTS}, else {finalizePage} first), the totals, then one event per college
     * of the electorate. Results are per district for every district with votes, in pages or here.
     */
    function finalize(uint256 ballotId) external {
        BallotConfig memory c = _requireClosed(ballotId);
        uint256 from = _pagedDistricts[ballotId];
        uint256 left = _counters[ballotId].votedDistricts.length - from;
        if (left > MAX_PAGE_DISTRICTS) revert CityBallotsPagesRemaining(ballotId, left, MAX_PAGE_DISTRICTS);
        BallotTally storage t = _tallies[ballotId];
        t.finalized = true;
        BallotResults.complete(_counters[ballotId], _pageSums[ballotId], ballotId, from, c, t);
    }

    // ─── Views ──────────────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc ICityPetitions
    function petitionOutcome(uint256 petitionId) external view returns (bool reached, uint256 proposalId) {
        if (_configs[petitionId].closesAt == 0 || _configs[petitionId].kind != BallotKind.Petition) {
            revert CityBallotsNotAPetition(petitionId);
        }
        return (_tallies[petitionId].reached, _petitionProposals[petitionId]);
    }

    /// @notice The commitment a sealed vote for `choice` with `salt` by `voter` on `ballotId` must carry.
    function hashCommitment(uint256 ballotId, address voter, uint64 choice, bytes32 salt) public view returns (bytes32) {
        return keccak256(abi.encode(choice, salt, voter, ballotId, block.chainid));
    }

    /// @notice Number of ballots created (ids run from 1 to this).
    function ballotCount() external view returns (uint256) {
        return _ballotCount;
    }

    /// @notice The configuration and tally state of `ballotId` (zero if unknown).
    function ballot(uint256 ballotId) external view returns (BallotConfig memory, BallotTally memory) {
        return (_configs[ballotId], _tallies[ballotId]);
    }

    /// @notice Where `ballotId` stands now.
    function stateOf(uint256 ballotId) external view returns (BallotState) {
        return _stateOf(ballotId, _configs[ballotId]);
    }

    /// @notice Whether `district` is one of the districts `ballotId` is restricted to.
    function isBallotDistrict(uint256 ballotId, uint32 district) external view returns (bool) {
        return _inDistricts[ballotId][district];
    }

    /// @notice An open-mode voter's last choice, or a petition's signature (`voted` false if none).
    function choiceOf(uint256 ballotId, address voter) external view returns (bool voted, uint64 choice) {
        if (_configs[ballotId].mode & _APPROVAL != 0) {
            uint256 record = _records[ballotId][voter];
            return (record != 0, uint64(record));
        }
        uint256 id = _voterIds[voter];
        if (id == 0) return (false, 0);
        uint256 mark = (_marks[ballotId][(id - 1) >> 5] >> (((id - 1) & 31) * 8)) & 0xff;
        return (mark != 0, mark == 0 ? 0 : uint64(mark - 1));
    }

    /// @notice A sealed voter's last commitment (0 if none, 1 once revealed).
    function commitmentOf(uint256 ballotId, address voter) external view returns (bytes32) {
        return _commitments[ballotId][voter];
    }

    /// @notice Districts with at least one counted voter, in order of their first vote.
    function votedDistricts(uint256 ballotId) external view returns (uint32[] memory) {
        return _counters[ballotId].votedDistricts;
    }

    /**
     * @notice Counts as they stand (live for open ballots; sealed ballots count only revealed choices): per option,
     * then per college (index = college id) and per district (in {votedDistricts} order); in each array the last
     * entry (index `optionCount`) is the turnout. Reads every counter: for a ballot voted in many districts, read
     * the finalized events instead (or this with a high call gas limit).
     */
    function results(
        uint256 ballotId
    ) external view returns (uint256[] memory totals, uint256[][] memory byCollege, uint256[][] memory byDistrict) {
        BallotConfig memory c = _configs[ballotId];
        if (c.closesAt == 0) revert CityBallotsUnknownBallot(ballotId);
        uint256 n = c.optionCount;
        BallotResults.Counters storage k = _counters[ballotId];
        (byCollege, byDistrict) = BallotResults.sum(k, 0, k.votedDistricts.length, n, _tracked(c));
        totals = new uint256[](n + 1);
        for (uint256 college = 0; college < 16; ++college) {
            for (uint256 o = 0; o <= n; ++o) totals[o] += byCollege[college][o];
        }
    }

    /// @notice Districts of a closed ballot whose results were emitted by {finalizePage}, of those with votes.
    function finalizationProgress(uint256 ballotId) external view returns (uint256 paged, uint256 total) {
        return (_pagedDistricts[ballotId], _counters[ballotId].votedDistricts.length);
    }

    /// @notice The petition `member` opened last (0 if none); see {openPetition}.
    function memberPetitionOf(address member) external view returns (uint256) {
        return _memberPetitions[member];
    }

    // ─── Internals ──────────────────────────────────────────────────────────────────────────────────────────────

    function _checkCreator() private view {
        address caller = _msgSender();
        IAccessManager manager = IAccessManager(authority());
        (bool allowed, ) = manager.canCall(caller, address(this), msg.sig);
        if (allowed) return;
        (bool isAdmin, ) = manager.hasRole(_ADMIN_ROLE, caller);
        if (!isAdmin) revert AccessManagedUnauthorized(caller);
    }

    function _create(BallotParams memory p, uint256 petitionId) private returns (uint256 ballotId) {
        ballotId = ++_ballotCount;
        BallotSetup.create(_configs, _tallies, _inDistricts, registry, ballotId, p, petitionId);
    }

    /// @dev The caller's snapshot college and district, if it may vote on the ballot now.
    function _requireElector(
        uint256 ballotId,
        BallotConfig memory c,
        address voter
    ) private view returns (uint8 college, uint32 district) {
        ICityRegistry.Profile memory p = registry.getPastMemberProfile(voter, c.snapshot);
        if (!p.active) {
            if (registry.memberOf(voter).status == ICityRegistry.MemberStatus.Suspended) {
                revert CityBallotsMemberSuspended(ballotId, voter);
            }
            revert CityBallotsNotAMember(ballotId, voter);
        }
        if (
            c.collegeMask & (uint16(1) << p.college) == 0 ||
            (c.flagBit != 0 && p.flags & (uint64(1) << (c.flagBit - 1)) == 0) ||
            (c.mode & _DISTRICTS != 0 && !_inDistricts[ballotId][p.district])
        ) revert CityBallotsOutsideElectorate(ballotId, voter);
        return (p.college, p.district);
    }

    function _requireOpen(uint256 ballotId, BallotConfig memory c) private view {
        if (c.closesAt == 0) revert CityBallotsUnknownBallot(ballotId);
        if (block.timestamp < c.opensAt || block.timestamp >= c.closesAt) {
            revert CityBallotsWrongState(ballotId, _stateOf(ballotId, c));
        }
    }

    function _requireValidChoice(uint256 ballotId, BallotConfig memory c, uint64 choice) private pure {
        bool valid = c.mode & _APPROVAL == 0
            ? choice < c.optionCount
            : choice != 0 && (c.optionCount == 64 || choice >> c.optionCount == 0) && _popcount(choice) <= c.maxApprovals;
        if (!valid) revert CityBallotsInvalidChoice(ballotId, choice);
    }

    function _stateOf(uint256 ballotId, BallotConfig memory c) private view returns (BallotState) {
        if (c.closesAt == 0) return BallotState.None;
        if (_tallies[ballotId].finalized) return BallotState.Finalized;
        if (block.timestamp < c.opensAt) return BallotState.Pending;
        if (block.timestamp < c.closesAt) return BallotState.Open;
        if (block.timestamp < uint256(c.closesAt) + c.revealWindow) return BallotState.Revealing;
        return BallotState.Closed;
    }

    /**
     * @dev Sets the voter's mark on the ballot to `mark` and returns the previous one, numbering the voter first if
     * this is their first ballot in the city.
     */
    function _mark(uint256 ballotId, address voter, uint256 mark) private returns (uint256 previous) {
        uint256 id = _voterIds[voter];
        if (id == 0) {
            // Overflow not possible: one number per address that ever voted, far below 2^32.
            unchecked {
                id = ++_voterCount;
            }
            _voterIds[voter] = uint32(id);
        }
        // Underflow not possible: id >= 1. A mark is 8 bits: choice + 1 <= 64.
        unchecked {
            uint256 shift = ((id - 1) & 31) * 8;
            mapping(uint256 => uint256) storage marks = _marks[ballotId];
            uint256 word = marks[(id - 1) >> 5];
            previous = (word >> shift) & 0xff;
            marks[(id - 1) >> 5] = (word & ~(uint256(0xff) << shift)) | (mark << shift);
        }
    }

    function _cellKey(uint256 option, uint32 district, uint8 college) private pure returns (uint256) {
        return (option << 40) | (uint256(district) << 8) | (college >> 3);
    }

    function _add(uint256 ballotId, uint256 option, uint32 district, uint8 college) private {
        uint256 key = _cellKey(option, district, college);
        BallotResults.Counters storage k = _counters[ballotId];
        uint256 counters = k.cells[key];
        if (counters == 0) _noteDistrict(k, district, college >> 3);
        // Overflow not possible: a counter counts distinct members of one college, far below 2^32.
        unchecked {
            k.cells[key] = counters + (uint256(1) << ((college & 7) * 32));
        }
    }

    function _sub(uint256 ballotId, uint256 option, uint32 district, uint8 college) private {
        // Underflow not possible: only a choice that was added is subtracted, once.
        unchecked {
            _counters[ballotId].cells[_cellKey(option, district, college)] -= uint256(1) << ((college & 7) * 32);
        }
    }

    /// @dev Adds (or subtracts) one for every option in `bits`.
    function _addBits(uint256 ballotId, uint64 bits, uint32 district, uint8 college, bool add) private {
        for (uint256 option = 0; bits != 0; ++option) {
            if (bits & 1 != 0) {
                if (add) _add(ballotId, option, district, college);
                else _sub(ballotId, option, district, college);
            }
            bits >>= 1;
        }
    }

    function _noteDistrict(BallotResults.Counters storage k, uint32 district, uint8 group) private {
        uint8 groups = k.groups[district];
        uint8 bit = uint8(1) << group;
        if (groups & bit != 0) return;
        if (groups == 0) k.votedDistricts.push(district);
        k.groups[district] = groups | bit;
    }

    /// @dev Whether the turnout has its own counters (approval, sealed) rather than being the option sum.
    function _tracked(BallotConfig memory c) private pure returns (bool) {
        return c.mode & (_SEALED | _APPROVAL) != 0;
    }

    function _requireClosed(uint256 ballotId) private view returns (BallotConfig memory c) {
        c = _configs[ballotId];
        BallotState state = _stateOf(ballotId, c);
        if (state != BallotState.Closed) revert CityBallotsWrongState(ballotId, state);
    }

    function _popcount(uint64 x) private pure returns (uint256 count) {
        for (; x != 0; x &= x - 1) ++count;
    }
}
