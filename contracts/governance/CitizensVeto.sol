// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ICityRegistry} from "../membership/ICityRegistry.sol";
import {ICityGovernor} from "./ICityGovernor.sol";
import {ICityCharter} from "./ICityCharter.sol";
import {ICitizensVeto} from "./ICitizensVeto.sol";

/**
 * @title CitizensVeto
 * @notice The citizens' veto over the governor's passed proposals. It holds the timelock's canceller role and nothing
 * else. While a proposal is Queued (waiting in the timelock, ready or not), every member of the veto college of the
 * proposal's charter at the proposal's snapshot — still holding that membership now — may sign a veto once, directly
 * or by an EIP-712 signature any relayer submits. The signature that brings the count to
 * ⌈vetoThresholdBps × college members at the snapshot⌉ cancels the timelock operation: the governor then reports
 * the proposal Canceled.
 *
 * @custom:city governance
 * @custom:relay veto
 */
contract CitizensVeto is ICitizensVeto, EIP712, ERC2771Context {
    /// @notice EIP-712 type a citizen signs to veto a proposal; one veto per citizen and proposal, so no nonce.
    bytes32 public constant VETO_TYPEHASH = keccak256("Veto(uint256 proposalId,address citizen)");

    IGovernor private immutable _governor;
    TimelockController private immutable _timelock;
    ICityRegistry private immutable _registry;

    mapping(uint256 proposalId => mapping(address citizen => bool)) private _vetoed;
    mapping(uint256 proposalId => uint256) private _signatures;

    /**
     * @param governor_ The CityGovernor whose queued proposals citizens may veto.
     * @param timelock_ Its timelock, where this contract holds the canceller role.
     * @param registry_ The city's CityRegistry (who is a citizen, at the proposal's snapshot).
     * @param trustedForwarder The city's CityForwarder.
     */
    constructor(
        IGovernor governor_,
        TimelockController timelock_,
        ICityRegistry registry_,
        address trustedForwarder
    ) EIP712("CitizensVeto", "1") ERC2771Context(trustedForwarder) {
        _governor = governor_;
        _timelock = timelock_;
        _registry = registry_;
    }

    /// @notice The governor whose proposals this contract vetoes.
    function governor() external view returns (IGovernor) {
        return _governor;
    }

    /// @notice The timelock whose operations it cancels.
    function timelock() external view returns (TimelockController) {
        return _timelock;
    }

    /// @inheritdoc ICitizensVeto
    function veto(uint256 proposalId) external {
        _veto(proposalId, _msgSender());
    }

    /// @inheritdoc ICitizensVeto
    function vetoBySig(uint256 proposalId, address citizen, bytes calldata signature) external {
        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(VETO_TYPEHASH, proposalId, citizen)));
        if (!SignatureChecker.isValidSignatureNowCalldata(citizen, digest, signature)) {
            revert CitizensVetoInvalidSignature(citizen);
        }
        _veto(proposalId, citizen);
    }

    /// @inheritdoc ICitizensVeto
    function vetoProgress(uint256 proposalId) external view returns (uint256 signatures, uint256 needed, uint8 college) {
        uint16 thresholdBps;
        (college, thresholdBps) = _vetoRule(proposalId);
        uint256 snapshot = _governor.proposalSnapshot(proposalId);
        needed = snapshot < block.timestamp ? _needed(college, thresholdBps, snapshot) : 0;
        signatures = _signatures[proposalId];
    }

    /// @inheritdoc ICitizensVeto
    function hasVetoed(uint256 proposalId, address citizen) external view returns (bool) {
        return _vetoed[proposalId][citizen];
    }

    function _veto(uint256 proposalId, address citizen) private {
        IGovernor.ProposalState current = _governor.state(proposalId);
        if (current != IGovernor.ProposalState.Queued) revert CitizensVetoNotQueued(proposalId, uint8(current));
        (uint8 college, uint16 thresholdBps) = _vetoRule(proposalId);
        uint256 snapshot = _governor.proposalSnapshot(proposalId);
        ICityRegistry.Profile memory profile = _registry.getPastMemberProfile(citizen, snapshot);
        if (!profile.active || profile.college != college) revert CitizensVetoNotACitizen(proposalId, citizen);
        if (_vetoed[proposalId][citizen]) revert CitizensVetoAlreadySigned(proposalId, citizen);
        _vetoed[proposalId][citizen] = true;
        uint256 signatures = ++_signatures[proposalId];
        uint256 needed = _needed(college, thresholdBps, snapshot);
        emit VetoSigned(proposalId, citizen, signatures, needed);
        if (signatures >= needed) {
            bytes32 operationId = ICityGovernor(address(_governor)).proposalOperationId(proposalId);
            _timelock.cancel(operationId);
            emit ProposalVetoed(proposalId, operationId, signatures);
        }
    }

    /// @dev The veto college and threshold of the charter version `proposalId` is counted under.
    function _vetoRule(uint256 proposalId) private view returns (uint8 college, uint16 thresholdBps) {
        ICityGovernor city = ICityGovernor(address(_governor));
        (uint32 version, ) = city.proposalRules(proposalId);
        ICityCharter.Header memory h = city.charter().header(version);
        return (h.vetoCollege, h.vetoThresholdBps);
    }

    /// @dev ⌈thresholdBps × members of `college` at `snapshot` / 10 000⌉: a queued proposal's college had members.
    function _needed(uint8 college, uint16 thresholdBps, uint256 snapshot) private view returns (uint256) {
        uint256 members = _registry.getPastCollegeSize(college, snapshot);
        return (members * thresholdBps + 9_999) / 10_000;
    }
}
