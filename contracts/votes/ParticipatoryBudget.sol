// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CityCoinService} from "../access/CityCoinService.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IParticipatoryBudget} from "./IParticipatoryBudget.sol";
import {ICityRegistry} from "../membership/ICityRegistry.sol";
import {IMembershipListener} from "../membership/IMembershipListener.sol";
import {BudgetResults} from "./BudgetResults.sol";
import {BudgetEscrow} from "./BudgetEscrow.sol";

/**
 * @title ParticipatoryBudget
 * @notice Participatory budget rounds (see {IParticipatoryBudget}). Phases follow the round's deadlines:
 * proposals `[creation, proposalsEnd)`, support `[proposalsEnd, supportEnd)`, review `[supportEnd, reviewEnd)`, vote
 * `[reviewEnd, voteEnd)`, tally from `voteEnd` until the result is in, then funding.
 *
 * Electorate: members who were active at the round's snapshot, in one of its colleges, and are still active members
 * (a suspended or removed member does not vote). A member votes in the city-wide envelope and in the envelope of the
 * district the registry gave them at the snapshot. A ballot replaces the member's previous one: only the last
 * counts, and the per-project counts are kept equal to the number of last ballots that select each project.
 *
 * Invariants:
 * - `BallotEntry.votes` of ballot index i == number of voters whose stored ballot has bit i set.
 * - The log head is the hash chain of every `BallotCast` event of the round, in order.
 * - A result (greedy or posted) selects only projects on the ballot, and within each envelope their costs add up to at
 *   most the envelope's amount.
 * - `coin.balanceOf(this) == Σ escrow + Σ held` over all projects and accounts; funding moves Σ costs of winners
 *   from the treasury, every release or close moves out of one project's escrow, so treasury + escrow + released is
 *   constant.
 *
 * Posted results (Equal Shares) are trusted by no one: for {CHALLENGE_WINDOW} after {postResult} any active member may
 * challenge the result with the winners its own recomputation found ({challengeResult}); funding waits for the window
 * to pass, and a challenged result waits for the council ({resolveChallenge}): upheld, it may be funded; rejected, the
 * round returns to its tally phase for a corrected result (and a new window).
 *
 * Money owed to a member never waits on their status: a tranche for a proposer who is not an active member (suspended,
 * removed) is held for them ({heldOf}) and withdrawn once active ({withdrawHeld}); a removed member's held money may be
 * returned to the treasury by the council ({forfeitHeld}). A key recovery moves what is held and makes later tranches
 * of the member's projects go to the new key ({onMembershipMigrated}).
 *
 * @custom:city budget
 * @custom:relay submit support vote challengeResult withdrawHeld
 */
contract ParticipatoryBudget is IParticipatoryBudget, IMembershipListener, CityCoinService {
    /// @notice Projects a ballot can hold: one bit each in a word.
    uint256 public constant MAX_BALLOT_PROJECTS = 256;
    /// @notice District envelopes per round (plus the city-wide one).
    uint256 public constant MAX_DISTRICT_ENVELOPES = 64;
    /// @notice Time after an Equal Shares result is posted during which members may challenge it.
    uint40 public constant CHALLENGE_WINDOW = 3 days;
    uint16 private constant _BPS = 10_000;


    address private _treasury;
    uint256 private _roundCount;
    mapping(uint256 roundId => VoteConfig) private _configs;
    mapping(uint256 roundId => RoundState) private _states;
    mapping(uint256 roundId => bytes32) private _logHeads;
    mapping(uint256 roundId => uint256) private _winners;
    mapping(uint256 roundId => mapping(uint8 envelope => Envelope)) private _envelopes;
    /// @dev District → its envelope index, and the amount again: what a ballot reads, in one slot (index 0 = none).
    mapping(uint256 roundId => mapping(uint32 district => BudgetResults.DistrictEnvelope)) private _districtEnvelopes;
    mapping(uint256 roundId => mapping(uint32 projectId => Project)) private _projects;
    mapping(uint256 roundId => mapping(uint256 ballotIndex => BallotEntry)) private _ballotEntries;
    mapping(uint256 roundId => mapping(uint32 projectId => mapping(address member => bool))) private _supported;
    /// @dev A member's last ballot: the bitmap of ballot indexes (0 = none).
    mapping(uint256 roundId => mapping(address voter => uint256)) private _ballots;
    /// @dev Tranches held for members who could not receive them (see the header).
    mapping(address account => uint256) private _held;
    /// @dev The key a membership moved to (key recovery): tranches of a project follow its proposer's membership.
    mapping(address account => address) private _successors;

    /// @dev A ballot's running totals in the two envelopes it may vote in: the city-wide one and the voter's district's.
    struct Spend {
        uint256 cityCost;
        uint256 cityCount;
        uint256 ownCost;
        uint256 ownCount;
        uint8 ownIndex;
        uint64 ownAmount;
    }

    /**
     * @param initialAuthority The city's {CityAuthority}.
     * @param trustedForwarder The city's {CityForwarder}.
     * @param coin_ The city's {CityCoin}; this contract must be one of its city accounts.
     * @param registry_ The city's {CityRegistry}.
     * @param treasury_ The city account that funds winners and takes back leftovers; it approves this contract.
     */
    constructor(
        address initialAuthority,
        address trustedForwarder,
        IERC20 coin_,
        ICityRegistry registry_,
        address treasury_
    ) CityCoinService(initialAuthority, trustedForwarder, coin_, registry_) {
        _setTreasury(treasury_);
    }

    // ─── Parameters and rounds (authority) ──────────────────────────────────────────────────────────────────────

    /// @notice Sets the treasury that funds winners from now on and takes back leftovers.
    /// @custom:role COUNCIL
    function setTreasury(address treasury_) external restricted {
        _setTreasury(treasury_);
    }

    /// @notice Opens a round with its envelopes, deadlines and rules; the proposals phase starts now.
    /// @custom:role ORCHESTRATOR
    function createRound(RoundParams calldata p) external restricted returns (uint256 roundId) {
        BudgetResults.checkRoundParams(p);
        roundId = ++_roundCount;
        VoteConfig memory config = VoteConfig({
            snapshot: p.snapshot,
            voteStart: p.reviewEnd,
            voteEnd: p.voteEnd,
            ballotRule: p.ballotRule,
            maxApprovals: p.maxApprovals,
            minSpendBps: p.minSpendBps,
            collegeMask: p.collegeMask,
            cityAmount: p.cityAmount
        });
        _configs[roundId] = config;
        // Cast is safe: _checkRoundParams bounds the districts by MAX_DISTRICT_ENVELOPES.
        _states[roundId] = RoundState({
            proposalsEnd: p.proposalsEnd,
            supportEnd: p.supportEnd,
            supportThreshold: p.supportThreshold,
            winnerRule: p.winnerRule,
            envelopeCount: uint8(p.districts.length + 1),
            ballotCount: 0,
            projectCount: 0,
            resultIn: false,
            funded: false,
            challengeEnd: 0,
            challenged: false
        });
        emit RoundCreated(roundId, config, p.proposalsEnd, p.supportEnd, p.supportThreshold, p.winnerRule);
        BudgetResults.createEnvelopes(_envelopes[roundId], _districtEnvelopes[roundId], roundId, p);
    }

    // ─── Proposals and support (members) ────────────────────────────────────────────────────────────────────────

    /**
     * @notice Submits a project for envelope `envelope` (0 = city-wide), during the proposals phase; the caller must
     * be an active member. Its cost is at most the envelope.
     * @param contentHash Hash of the project's description; `uri` where it is published.
     */
    function submit(
        uint256 roundId,
        uint8 envelope,
        uint64 cost,
        bytes32 contentHash,
        string calldata uri
    ) external returns (uint32 projectId) {
        RoundState storage s = _requirePhase(roundId, Phase.Proposals);
        address proposer = _msgSender();
        _requireActiveMember(proposer);
        if (envelope >= s.envelopeCount) revert ParticipatoryBudgetUnknownEnvelope(roundId, envelope);
        uint64 amount = _envelopes[roundId][envelope].amount;
        if (cost == 0 || cost > amount) revert ParticipatoryBudgetInvalidCost(cost, amount);
        projectId = ++s.projectCount;
        Project storage pr = _projects[roundId][projectId];
        pr.proposer = proposer;
        pr.envelope = envelope;
        pr.status = ProjectStatus.Submitted;
        pr.cost = cost;
        emit ProjectSubmitted(roundId, projectId, proposer, envelope, cost, contentHash, uri);
    }

    /// @notice Supports project `projectId`, once per member, during the support phase.
    function support(uint256 roundId, uint32 projectId) external {
        _requirePhase(roundId, Phase.Support);
        address member = _msgSender();
        _requireActiveMember(member);
        Project storage pr = _requireProject(roundId, projectId);
        if (_supported[roundId][projectId][member]) {
            revert ParticipatoryBudgetAlreadySupported(roundId, projectId, member);
        }
        _supported[roundId][projectId][member] = true;
        uint32 supportCount = ++pr.supportCount;
        emit ProjectSupported(roundId, projectId, member, supportCount);
    }

    // ─── Review (orchestrator) ──────────────────────────────────────────────────────────────────────────────────

    /**
     * @notice Marks a project that reached the support threshold feasible (it goes on the ballot, at the next ballot
     * index) or not, once, during the review phase.
     * @param reasonHash Hash of the technical report.
     * @custom:role ORCHESTRATOR
     */
    function review(uint256 roundId, uint32 projectId, bool feasible, bytes32 reasonHash) external restricted {
        RoundState storage s = _requirePhase(roundId, Phase.Review);
        Project storage pr = _requireProject(roundId, projectId);
        if (pr.status != ProjectStatus.Submitted) revert ParticipatoryBudgetAlreadyReviewed(roundId, projectId);
        if (pr.supportCount < s.supportThreshold) {
            revert ParticipatoryBudgetNotAdvanced(roundId, projectId, pr.supportCount, s.supportThreshold);
        }
        uint8 ballotIndex = 0;
        if (feasible) {
            uint16 count = s.ballotCount;
            if (count == MAX_BALLOT_PROJECTS) revert ParticipatoryBudgetBallotFull(roundId, MAX_BALLOT_PROJECTS);
            // Cast is safe: count < MAX_BALLOT_PROJECTS.
            ballotIndex = uint8(count);
            s.ballotCount = count + 1;
            pr.status = ProjectStatus.Feasible;
            pr.ballotIndex = ballotIndex;
            _ballotEntries[roundId][ballotIndex] = BallotEntry(pr.cost, pr.envelope, 0, projectId);
        } else {
            pr.status = ProjectStatus.Infeasible;
        }
        emit ProjectReviewed(roundId, projectId, feasible, ballotIndex, reasonHash);
    }

    /// @notice Revises the cost of a feasible project during the review phase (at most its envelope).
    /// @custom:role ORCHESTRATOR
    function reviseCost(uint256 roundId, uint32 projectId, uint64 newCost, bytes32 reasonHash) external restricted {
        _requirePhase(roundId, Phase.Review);
        Project storage pr = _requireProject(roundId, projectId);
        if (pr.status != ProjectStatus.Feasible) revert ParticipatoryBudgetNotFeasible(roundId, projectId);
        uint64 amount = _envelopes[roundId][pr.envelope].amount;
        if (newCost == 0 || newCost > amount) revert ParticipatoryBudgetInvalidCost(newCost, amount);
        uint64 oldCost = pr.cost;
        pr.cost = newCost;
        _ballotEntries[roundId][pr.ballotIndex].cost = newCost;
        emit ProjectCostRevised(roundId, projectId, oldCost, newCost, reasonHash);
    }

    // ─── Vote (members) ─────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IParticipatoryBudget
    function vote(uint256 roundId, uint256 selection) external {
        VoteConfig memory c = _configs[roundId];
        if (c.voteEnd == 0) revert ParticipatoryBudgetUnknownRound(roundId);
        if (block.timestamp < c.voteStart || block.timestamp >= c.voteEnd) {
            revert ParticipatoryBudgetWrongPhase(roundId, _phase(roundId), Phase.Vote);
        }
        if (selection == 0) revert ParticipatoryBudgetEmptyBallot();
        address voter = _msgSender();
        ICityRegistry.Profile memory profile = registry.getPastMemberProfile(voter, c.snapshot);
        if (!profile.active || (c.collegeMask >> profile.college) & 1 == 0) BudgetResults.revertNotElector(registry, voter);

        uint256 previous = _ballots[roundId][voter];
        _countSelection(roundId, c, profile.district, selection, previous);
        mapping(uint256 => BallotEntry) storage entries = _ballotEntries[roundId];
        for (uint256 rest = previous & ~selection; rest != 0; ) {
            uint256 bit = rest & (~rest + 1);
            rest ^= bit;
            --entries[Math.log2(bit)].votes;
        }

        _ballots[roundId][voter] = selection;
        bytes32 head = keccak256(abi.encodePacked(_logHeads[roundId], voter, selection));
        _logHeads[roundId] = head;
        emit BallotCast(roundId, voter, selection, head);
    }

    // ─── Results ────────────────────────────────────────────────────────────────────────────────────────────────

    /**
     * @notice Computes the greedy result of a round whose winner rule is {WinnerRule.Greedy} or
     * {WinnerRule.GreedyNoSkip}, once the vote is closed; anyone may call it. Per envelope: projects by decreasing
     * votes, then lower cost, then lower project id; each is selected if it has a vote and fits what is left of the
     * envelope (without skipping: until the first that does not fit).
     */
    function tally(uint256 roundId) external returns (uint256 winners) {
        RoundState storage s = _requirePhase(roundId, Phase.Tally);
        WinnerRule rule = s.winnerRule;
        if (!_isGreedy(rule)) revert ParticipatoryBudgetWrongWinnerRule(roundId, rule);
        winners = BudgetResults.greedy(
            _ballotEntries[roundId],
            _envelopes[roundId],
            s.ballotCount,
            s.envelopeCount,
            rule == WinnerRule.Greedy
        );
        _recordResult(roundId, s, winners);
    }

    /**
     * @notice Records an Equal Shares result computed off chain (by the SDK, from the ballot log), once the vote is
     * closed. `ballotLogHead` is the head of the ballot log the result was computed from; it must be the round's.
     * @param winners Bitmap of the selected ballot indexes.
     * @custom:role ORCHESTRATOR
     */
    function postResult(uint256 roundId, uint256 winners, bytes32 ballotLogHead) external restricted {
        RoundState storage s = _requirePhase(roundId, Phase.Tally);
        if (_isGreedy(s.winnerRule)) revert ParticipatoryBudgetWrongWinnerRule(roundId, s.winnerRule);
        bytes32 expected = _logHeads[roundId];
        if (ballotLogHead != expected) revert ParticipatoryBudgetLogHeadMismatch(expected, ballotLogHead);
        _checkWinners(roundId, s, winners);
        s.challengeEnd = uint40(block.timestamp) + CHALLENGE_WINDOW;
        _recordResult(roundId, s, winners);
    }

    /**
     * @notice Challenges a posted result during its challenge window (see the header): the caller, an active member,
     * states the winners its recomputation from the ballot log found. One challenge per result; funding then waits for
     * {resolveChallenge}.
     */
    function challengeResult(uint256 roundId, uint256 winners) external {
        RoundState storage s = _requirePhase(roundId, Phase.Funding);
        address challenger = _msgSender();
        _requireActiveMember(challenger);
        BudgetResults.challenge(s, _ballotEntries[roundId], _envelopes[roundId], roundId, _winners[roundId], winners, challenger);
    }

    /**
     * @notice Settles a challenge (council): `upheld` keeps the posted result, which may then be funded; otherwise the
     * result is withdrawn, its projects return to the ballot and the round to its tally phase.
     * @param reasonHash Hash of the recount's report.
     * @custom:role COUNCIL
     */
    function resolveChallenge(uint256 roundId, bool upheld, bytes32 reasonHash) external restricted {
        RoundState storage s = _requirePhase(roundId, Phase.Funding);
        BudgetResults.resolve(s, _projects[roundId], _ballotEntries[roundId], _winners, roundId, upheld, reasonHash, _msgSender());
    }

    // ─── Funding (orchestrator) ─────────────────────────────────────────────────────────────────────────────────

    /// @notice Moves the winners' costs from the treasury (which approved this contract) into per-project escrow.
    /// @custom:role ORCHESTRATOR
    function fund(uint256 roundId) external restricted {
        RoundState storage s = _requirePhase(roundId, Phase.Funding);
        BudgetEscrow.fund(s, _projects[roundId], _ballotEntries[roundId], roundId, _winners[roundId], coin, _treasury);
    }

    /**
     * @notice Releases `amount` of a funded project's escrow to its proposer on a milestone attestation.
     * @param evidenceHash Hash of the milestone's evidence (report, invoices, photos).
     * @custom:role ORCHESTRATOR
     */
    function release(uint256 roundId, uint32 projectId, uint64 amount, bytes32 evidenceHash) external restricted {
        BudgetEscrow.release(_projects[roundId], _successors, _held, registry, coin, roundId, projectId, amount, evidenceHash);
    }

    /// @notice Pays the caller, an active member, the tranches held for them.
    function withdrawHeld() external {
        address account = _msgSender();
        _requireActiveMember(account);
        BudgetEscrow.payHeld(_held, coin, account, account, 0);
    }

    /// @notice Returns to the treasury what is held for a removed member (council decision, evidence in `reasonHash`).
    /// @custom:role COUNCIL
    function forfeitHeld(address account, bytes32 reasonHash) external restricted {
        if (registry.memberOf(account).status != ICityRegistry.MemberStatus.Removed) {
            revert ParticipatoryBudgetNotRemoved(account);
        }
        BudgetEscrow.payHeld(_held, coin, account, _treasury, reasonHash);
    }

    // ─── Membership (registry) ──────────────────────────────────────────────────────────────────────────────────

    /// @notice Nothing to do: a tranche reads the recipient's status when released. Registry only.
    function onMembershipChanged(address, bool) external view {
        _requireRegistry();
    }

    /// @notice The membership of `from` moved to `to`: what is held moves, later tranches go to `to`. Registry only.
    function onMembershipMigrated(address from, address to) external {
        _requireRegistry();
        BudgetEscrow.follow(_held, _successors, from, to);
    }

    /// @notice Closes a funded project (done, or abandoned): what is left in its escrow returns to the treasury.
    /// @custom:role ORCHESTRATOR
    function closeProject(uint256 roundId, uint32 projectId, bytes32 reasonHash) external restricted {
        BudgetEscrow.closeProject(_projects[roundId], coin, _treasury, roundId, projectId, reasonHash);
    }

    // ─── Views ──────────────────────────────────────────────────────────────────────────────────────────────────

    /// @notice The city account that funds winners and takes back leftovers.
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @notice Number of rounds created (ids are 1..roundCount).
    function roundCount() external view returns (uint256) {
        return _roundCount;
    }

    /// @notice A round's phase now.
    function phaseOf(uint256 roundId) external view returns (Phase) {
        return _phase(roundId);
    }

    /// @notice What a ballot of round `roundId` reads, and the rest of the round.
    function round(uint256 roundId) external view returns (VoteConfig memory config, RoundState memory state) {
        return (_configs[roundId], _states[roundId]);
    }

    /// @notice Envelope `envelope` of round `roundId` (0 = city-wide).
    function envelopeOf(uint256 roundId, uint8 envelope) external view returns (Envelope memory) {
        return _envelopes[roundId][envelope];
    }

    /// @notice Project `projectId` of round `roundId`.
    function project(uint256 roundId, uint32 projectId) external view returns (Project memory) {
        return _projects[roundId][projectId];
    }

    /// @notice The project at ballot index `ballotIndex` of round `roundId`, with its vote count.
    function ballotEntry(uint256 roundId, uint256 ballotIndex) external view returns (BallotEntry memory) {
        return _ballotEntries[roundId][ballotIndex];
    }

    /// @notice The last ballot of `voter` in round `roundId` (bitmap of ballot indexes; 0 = none).
    function ballotOf(uint256 roundId, address voter) external view returns (uint256) {
        return _ballots[roundId][voter];
    }

    /// @notice Whether `member` supported project `projectId`.
    function hasSupported(uint256 roundId, uint32 projectId, address member) external view returns (bool) {
        return _supported[roundId][projectId][member];
    }

    /// @notice The head of the round's ballot log (hash chain of its `BallotCast` events).
    function logHead(uint256 roundId) external view returns (bytes32) {
        return _logHeads[roundId];
    }

    /// @notice Tranches held for `account` (see {withdrawHeld}).
    function heldOf(address account) external view returns (uint256) {
        return _held[account];
    }

    /// @notice Bitmap of the winning ballot indexes (valid once the round's phase is Funding).
    function winnersOf(uint256 roundId) external view returns (uint256) {
        return _winners[roundId];
    }

    // ─── Internals ──────────────────────────────────────────────────────────────────────────────────────────────

    function _recordResult(uint256 roundId, RoundState storage s, uint256 winners) private {
        s.resultIn = true;
        _winners[roundId] = winners;
        BudgetResults.mark(_projects[roundId], _ballotEntries[roundId], roundId, winners, true);
        emit RoundTallied(roundId, s.winnerRule, winners, _logHeads[roundId], _msgSender());
    }

    function _checkWinners(uint256 roundId, RoundState storage s, uint256 winners) private view {
        BudgetResults.check(_ballotEntries[roundId], _envelopes[roundId], roundId, s.ballotCount, s.envelopeCount, winners);
    }

    /**
     * @dev Checks `selection` against the ballot rules and counts the projects it adds to `previous`. Reverts if a
     * bit is not a project on the ballot or a project is in another district's envelope.
     */
    function _countSelection(
        uint256 roundId,
        VoteConfig memory c,
        uint32 voterDistrict,
        uint256 selection,
        uint256 previous
    ) private {
        Spend memory spend;
        mapping(uint256 => BallotEntry) storage entries = _ballotEntries[roundId];
        for (uint256 rest = selection; rest != 0; ) {
            uint256 bit = rest & (~rest + 1);
            rest ^= bit;
            BallotEntry storage e = entries[Math.log2(bit)];
            BallotEntry memory m = e;
            _addToSpend(roundId, m, spend, voterDistrict, bit);
            // Overflow not possible: votes <= number of members, far below 2^32.
            unchecked {
                if (previous & bit == 0) e.votes = m.votes + 1;
            }
        }
        _checkSpend(c, 0, spend.cityCost, spend.cityCount, c.cityAmount);
        _checkSpend(c, spend.ownIndex, spend.ownCost, spend.ownCount, spend.ownAmount);
    }

    function _addToSpend(
        uint256 roundId,
        BallotEntry memory e,
        Spend memory spend,
        uint32 voterDistrict,
        uint256 bit
    ) private view {
        uint64 cost = e.cost;
        if (cost == 0) revert ParticipatoryBudgetNotOnBallot(roundId, Math.log2(bit));
        uint8 envelope = e.envelope;
        if (envelope == 0) {
            spend.cityCost += cost;
            ++spend.cityCount;
            return;
        }
        if (spend.ownIndex == 0) {
            BudgetResults.DistrictEnvelope memory own = _districtEnvelopes[roundId][voterDistrict];
            spend.ownIndex = own.index;
            spend.ownAmount = own.amount;
        }
        if (envelope != spend.ownIndex) revert ParticipatoryBudgetOutsideDistrict(e.projectId, voterDistrict);
        spend.ownCost += cost;
        ++spend.ownCount;
    }

    /// @dev The ballot rule for what a ballot selected in one envelope (nothing selected there: nothing to check).
    function _checkSpend(VoteConfig memory c, uint8 envelope, uint256 cost, uint256 count, uint64 amount) private pure {
        if (count == 0) return;
        if (c.ballotRule == BallotRule.Knapsack) {
            if (cost > amount) revert ParticipatoryBudgetOverEnvelope(envelope, cost, amount);
        } else if (count > c.maxApprovals) {
            revert ParticipatoryBudgetTooManyApprovals(envelope, count, c.maxApprovals);
        }
        if (c.minSpendBps != 0) {
            // Overflow not possible: amount < 2^64, minSpendBps <= 10,000. Rounded up, as a share of the envelope.
            uint256 minimum = (uint256(amount) * c.minSpendBps + _BPS - 1) / _BPS;
            if (cost < minimum) revert ParticipatoryBudgetUnderMinimumSpend(envelope, cost, minimum);
        }
    }

    /// @dev The rules {tally} computes on chain; the others are posted ({postResult}).
    function _isGreedy(WinnerRule rule) private pure returns (bool) {
        return rule == WinnerRule.Greedy || rule == WinnerRule.GreedyNoSkip;
    }

    function _requireActiveMember(address account) private view {
        ICityRegistry.MemberStatus status = registry.memberOf(account).status;
        if (status == ICityRegistry.MemberStatus.Suspended) revert ParticipatoryBudgetMemberSuspended(account);
        if (status != ICityRegistry.MemberStatus.Active) revert ParticipatoryBudgetNotAMember(account);
    }

    function _requirePhase(uint256 roundId, Phase expected) private view returns (RoundState storage s) {
        Phase current = _phase(roundId);
        if (current == Phase.None) revert ParticipatoryBudgetUnknownRound(roundId);
        if (current != expected) revert ParticipatoryBudgetWrongPhase(roundId, current, expected);
        return _states[roundId];
    }

    function _requireProject(uint256 roundId, uint32 projectId) private view returns (Project storage pr) {
        pr = _projects[roundId][projectId];
        if (pr.status == ProjectStatus.None) revert ParticipatoryBudgetUnknownProject(roundId, projectId);
    }

    function _phase(uint256 roundId) private view returns (Phase) {
        VoteConfig storage c = _configs[roundId];
        uint256 voteEnd = c.voteEnd;
        if (voteEnd == 0) return Phase.None;
        RoundState storage s = _states[roundId];
        if (block.timestamp < s.proposalsEnd) return Phase.Proposals;
        if (block.timestamp < s.supportEnd) return Phase.Support;
        if (block.timestamp < c.voteStart) return Phase.Review;
        if (block.timestamp < voteEnd) return Phase.Vote;
        return s.resultIn ? Phase.Funding : Phase.Tally;
    }

    function _setTreasury(address treasury_) private {
        if (treasury_ == address(0)) revert ParticipatoryBudgetZeroAddress();
        _treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    function _revertNotRegistry(address caller) internal pure override {
        revert ParticipatoryBudgetNotRegistry(caller);
    }
}
