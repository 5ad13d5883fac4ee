// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {ICityRegistry} from "../membership/ICityRegistry.sol";
import {ICityPetitions} from "../votes/ICityPetitions.sol";
import {GovernorCollegial} from "./GovernorCollegial.sol";
import {ICityGovernor} from "./ICityGovernor.sol";
import {ICityCharter} from "./ICityCharter.sol";

/**
 * @title CityGovernor
 * @notice The city's collegial governor: one member one vote per college ({GovernorCollegial}), passed proposals
 * run through a {TimelockController} — the admin of {CityAuthority} — where citizens may still veto them
 * ({CitizensVeto} holds the timelock's canceller role).
 *
 * Three ways to the agenda:
 * - `propose`: the ORCHESTRATOR (the mayor), as wired in CityAuthority;
 * - `proposeWithCosigners` on {CityAgenda}: any active member, with EIP-712 co-signatures (in this governor's
 *   domain) of other members; the proposer and the distinct co-signers, all active members one second before, must be
 *   at least the charter's `cosignShareBps` of the members then (the charter checks its rule:
 *   {ICityCharter-checkCosigners}); the agenda then calls {proposeWithCosignersFor}, and the member is the proposer;
 * - `proposeByPetition` on {CityAgenda}: anyone, for a petition of the votes module that reached its threshold and
 *   names exactly this proposal; the agenda then calls {proposeFor}.
 * Only the agenda may call {proposeFor}: the checks live there, the proposals and their events here.
 *
 * The orchestrator's bounds: it may cancel a proposal only while it is Pending (before its vote starts), with a
 * reason (`cancelWithReason`), and never one members put on the agenda (co-signed or petitioned); nobody else
 * cancels through the governor (OpenZeppelin's proposer cancel is off), and nobody can stop a passed proposal but the
 * citizens' veto. Queuing and executing a passed proposal are open to
 * anyone, the orchestrator included, so no one can sit on a result.
 *
 * Gasless: `castVoteBySig` takes a member's signature from any relayer; every other entry point accepts ERC-2771
 * requests from the city's forwarder.
 *
 * @custom:city governance
 * @custom:relay castVote castVoteWithReason
 */
contract CityGovernor is GovernorCollegial, GovernorSettings, GovernorTimelockControl, ERC2771Context {
    IAccessManager private immutable _authority;
    address private immutable _agenda;
    mapping(uint256 proposalId => bytes32) private _operationIds;
    ICityPetitions private _petitions;

    /// @notice Constructor arguments, grouped in one struct: the legacy code generator's stack holds no more.
    struct Setup {
        /// The city's {CityAuthority} (wires `propose` and `cancelWithReason` to ORCHESTRATOR).
        address authority;
        /// The city's {CityForwarder}.
        address forwarder;
        /// The city's {CityRegistry}: the electorate.
        ICityRegistry registry;
        /// The timelock passed proposals wait in (this governor must hold its proposer and executor roles).
        TimelockController timelock;
        /// The charter proposals are counted under.
        ICityCharter charter;
        /// Seconds from proposal to the snapshot and vote start.
        uint48 votingDelay;
        /// Seconds the vote lasts.
        uint32 votingPeriod;
        /// The votes module's petitions contract (CityBallots; 0 for none, then set by a proposal).
        ICityPetitions petitions;
        /// The {CityAgenda} members put proposals on the agenda through (co-signed or petitioned).
        address agenda;
    }

    /**
     * @param setup Authority, forwarder, registry, timelock, charter, voting delay and period, petitions, agenda.
     */
    constructor(
        Setup memory setup
    )
        Governor("CityGovernor")
        GovernorSettings(setup.votingDelay, setup.votingPeriod, 0)
        GovernorTimelockControl(setup.timelock)
        GovernorCollegial(setup.registry, setup.charter)
        ERC2771Context(setup.forwarder)
    {
        _authority = IAccessManager(setup.authority);
        _agenda = setup.agenda;
        _setPetitions(setup.petitions);
    }

    /**
     * @dev Restricted functions (`propose`, `cancelWithReason`): the caller must hold, in CityAuthority, the role the
     * authority wires to this function (ORCHESTRATOR), with no execution delay.
     */
    modifier restricted() {
        _checkRestricted();
        _;
    }

    /// @notice The agenda contract that proposes for members (co-signed proposals and petitions).
    function agenda() external view returns (address) {
        return _agenda;
    }

    /// @notice The city's CityAuthority, which says who may call `propose` and `cancelWithReason`.
    function authority() external view returns (address) {
        return address(_authority);
    }

    /// @notice The petitions contract proposals may come from (0: none yet).
    function petitions() external view returns (ICityPetitions) {
        return _petitions;
    }

    /// @inheritdoc ICityGovernor
    function proposalOperationId(uint256 proposalId) external view returns (bytes32) {
        return _operationIds[proposalId];
    }

    /**
     * @notice Puts a proposal on the agenda as the orchestrator (restricted: ORCHESTRATOR in CityAuthority).
     * @return The proposal id (`hashProposal(targets, values, calldatas, keccak256(description))`).
     */
    function propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description
    ) public override restricted returns (uint256) {
        return super.propose(targets, values, calldatas, description);
    }

    /**
     * @notice Puts on the agenda a proposal members bring, once {CityAgenda} checked it (only the agenda may call:
     * {CityGovernorNotTheAgenda}). A member's co-signed proposal: `proposer` is the member, `cosigners` its
     * co-signers (one `ProposalCosigned` each follows `ProposalCreated` and `ProposalRules`), `petitionId` 0. A
     * petition's proposal: `proposer` is the petitions contract, `cosigners` empty, `petitionId` the petition (one
     * `ProposalPetitioned`). Either way the orchestrator cannot cancel it.
     * @return proposalId The proposal id.
     */
    // Memory, not calldata: the proposal goes to Governor's memory functions, and copying it costs bytecode we lack.
    // One entry for both ways, not two: each entry's copy of the decoding costs bytecode we lack too.
    // solhint-disable-next-line gas-calldata-parameters
    function proposeFor(
        address proposer,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address[] calldata cosigners,
        uint256 petitionId
    ) external returns (uint256 proposalId) {
        if (msg.sender != _agenda) revert CityGovernorNotTheAgenda(msg.sender);
        if (petitionId == 0 && !_isValidDescriptionForProposer(proposer, description)) {
            revert GovernorRestrictedProposer(proposer);
        }
        proposalId = _propose(targets, values, calldatas, description, proposer);
        _markFromMembers(proposalId);
        for (uint256 i = 0; i < cosigners.length; ++i) {
            emit ProposalCosigned(proposalId, cosigners[i]);
        }
        if (petitionId != 0) emit ProposalPetitioned(proposalId, petitionId);
    }

    /**
     * @notice Cancels a proposal before its vote starts (restricted: ORCHESTRATOR), saying why. Once the vote has
     * started the result belongs to the colleges: the call reverts with {CityGovernorTooLateToCancel}. A proposal
     * members put on the agenda (co-signed or petitioned) is theirs to vote down, never the orchestrator's to cancel
     * ({CityGovernorMemberProposal}).
     * @return proposalId The cancelled proposal's id.
     */
    // Memory, not calldata: the proposal goes to Governor's memory functions, and copying it costs bytecode we lack.
    // solhint-disable-next-line gas-calldata-parameters
    function cancelWithReason(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash,
        string calldata reason
    ) external restricted returns (uint256 proposalId) {
        if (bytes(reason).length == 0) revert CityGovernorCancelWithoutReason();
        proposalId = getProposalId(targets, values, calldatas, descriptionHash);
        if (_isFromMembers(proposalId)) revert CityGovernorMemberProposal(proposalId);
        ProposalState current = state(proposalId);
        if (current != ProposalState.Pending) revert CityGovernorTooLateToCancel(proposalId, uint8(current));
        _cancel(targets, values, calldatas, descriptionHash);
        emit ProposalCancelledWithReason(proposalId, _msgSender(), reason);
    }

    /// @notice Sets the petitions contract (only through a proposal).
    function setPetitions(ICityPetitions newPetitions) external onlyGovernance {
        _setPetitions(newPetitions);
    }

    // ─── OpenZeppelin plumbing ─────────────────────────────────────────────────────────────────────────────────────

    function state(uint256 proposalId) public view override(Governor, GovernorTimelockControl) returns (ProposalState) {
        return super.state(proposalId);
    }

    function proposalNeedsQueuing(
        uint256 proposalId
    ) public view override(Governor, GovernorTimelockControl) returns (bool) {
        return super.proposalNeedsQueuing(proposalId);
    }

    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    function _propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer
    ) internal override(Governor, GovernorCollegial) returns (uint256) {
        return super._propose(targets, values, calldatas, description, proposer);
    }

    function _castVote(
        uint256 proposalId,
        address account,
        uint8 support,
        string memory reason,
        bytes memory params
    ) internal override(Governor, GovernorCollegial) returns (uint256) {
        return super._castVote(proposalId, account, support, reason, params);
    }

    /// @dev Queues in the timelock, then records and announces the operation id (what the citizens' veto cancels).
    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48 eta) {
        eta = super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
        // TimelockController's hashOperationBatch (predecessor 0), with the salt GovernorTimelockControl uses,
        // computed here rather than asked of the timelock again.
        bytes32 salt = bytes20(address(this)) ^ descriptionHash;
        bytes32 operationId = keccak256(abi.encode(targets, values, calldatas, bytes32(0), salt));
        _operationIds[proposalId] = operationId;
        (uint256 scoreWad, ) = weightedResult(proposalId);
        emit ProposalTallied(proposalId, operationId, scoreWad);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }

    /// @dev OpenZeppelin's `cancel` (the proposer's, while Pending) is off: only {cancelWithReason} cancels.
    function _validateCancel(uint256, address) internal pure override returns (bool) {
        return false;
    }

    function _msgSender() internal view override(Context, ERC2771Context) returns (address) {
        return ERC2771Context._msgSender();
    }

    function _msgData() internal view override(Context, ERC2771Context) returns (bytes calldata) {
        return ERC2771Context._msgData();
    }

    function _contextSuffixLength() internal view override(Context, ERC2771Context) returns (uint256) {
        return ERC2771Context._contextSuffixLength();
    }

    // ─── Internals ─────────────────────────────────────────────────────────────────────────────────────────────────

    /// @dev One copy of the check for both restricted functions (a modifier's body is inlined at every use).
    function _checkRestricted() private view {
        address caller = _msgSender();
        (bool immediate, ) = _authority.canCall(caller, address(this), msg.sig);
        if (!immediate) revert IAccessManaged.AccessManagedUnauthorized(caller);
    }

    function _setPetitions(ICityPetitions newPetitions) private {
        _petitions = newPetitions;
        emit PetitionsSet(address(newPetitions));
    }
}
