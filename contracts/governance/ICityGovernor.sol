// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICityCharter} from "./ICityCharter.sol";

/**
 * @title ICityGovernor
 * @notice The city's collegial governance: each proposal counted per college under the charter version current at
 * its creation ({ICityCharter}), and the three ways a proposal reaches the agenda. Events, errors and structs live
 * here; the OpenZeppelin {IGovernor} ones (ProposalCreated, VoteCast, ProposalQueued …) are emitted as well.
 */
interface ICityGovernor {
    /// @notice Co-signatures of a member's proposal: EIP-712 `Cosign(proposalId, deadline)` by each of `cosigners`
    /// (strictly ascending, without the proposer), `signatures` in the same order.
    struct Cosignatures {
        address[] cosigners;
        uint256 deadline;
        bytes[] signatures;
    }

    /// @notice Proposal `proposalId` is counted under charter `charterVersion`; `constitutional` when it needs the
    /// super-majority (it calls the governor, or the charter calls it constitutional: `ICityCharter.isConstitutional`).
    event ProposalRules(uint256 indexed proposalId, uint32 indexed charterVersion, bool constitutional);
    /// @notice A member co-signed proposal `proposalId` (emitted once per co-signer when the proposal is created).
    event ProposalCosigned(uint256 indexed proposalId, address indexed cosigner);
    /// @notice Petition `petitionId` put proposal `proposalId` on the agenda.
    event ProposalPetitioned(uint256 indexed proposalId, uint256 indexed petitionId);
    /// @notice A vote of `voter` counted in `college` (support: 0 against, 1 for, 2 abstain).
    event CollegeVoteCast(uint256 indexed proposalId, address indexed voter, uint8 indexed college, uint8 support);
    /// @notice The orchestrator cancelled proposal `proposalId` before its vote started.
    event ProposalCancelledWithReason(uint256 indexed proposalId, address indexed by, string reason);
    /// @notice A passed proposal was queued in the timelock as operation `operationId`; `scoreWad` is its weighted
    /// result (1e18 = 100%).
    event ProposalTallied(uint256 indexed proposalId, bytes32 indexed operationId, uint256 scoreWad);
    /// @notice The petitions contract proposals may come from.
    event PetitionsSet(address petitions);

    error CityGovernorNotAMember(address account);
    error CityGovernorCollegeNotInCharter(uint256 proposalId, uint8 college);
    error CityGovernorInvalidSupport(uint8 support);
    error CityGovernorAlreadyVoted(uint256 proposalId, address voter);
    error CityGovernorCosignersNotAscending(address cosigner);
    error CityGovernorDuplicateSigner(address signer);
    error CityGovernorInvalidCosignature(address cosigner);
    error CityGovernorCosignatureExpired(uint256 deadline);
    error CityGovernorCosignLengthMismatch(uint256 cosigners, uint256 signatures);
    error CityGovernorNotEnoughCosigners(uint256 signers, uint256 needed);
    error CityGovernorNoPetitions();
    error CityGovernorPetitionNotReached(uint256 petitionId);
    error CityGovernorPetitionMismatch(uint256 petitionId, uint256 petitionProposalId, uint256 proposalId);
    error CityGovernorCancelWithoutReason();
    error CityGovernorTooLateToCancel(uint256 proposalId, uint8 state);
    /// @dev Members put the proposal on the agenda (co-signed or petitioned): the orchestrator cannot cancel it.
    error CityGovernorMemberProposal(uint256 proposalId);
    /// @dev Only the governor's {CityAgenda} may propose for a member or a petition; `caller` is not it.
    error CityGovernorNotTheAgenda(address caller);

    /// @notice The charter proposals are counted under.
    function charter() external view returns (ICityCharter);

    /// @notice The charter version proposal `proposalId` is counted under (0 if it does not exist), and whether it
    /// needs the super-majority.
    function proposalRules(uint256 proposalId) external view returns (uint32 version, bool constitutional);

    /// @notice The timelock operation of a queued proposal (0 if it was never queued).
    function proposalOperationId(uint256 proposalId) external view returns (bytes32);

    /// @notice `proposalId`'s votes in `college`.
    function proposalVotes(
        uint256 proposalId,
        uint8 college
    ) external view returns (uint256 forVotes, uint256 againstVotes, uint256 abstainVotes);

    /// @notice The weighted result of `proposalId` (1e18 = 100%, rounded down) and the threshold (basis points) it
    /// must exceed.
    function weightedResult(uint256 proposalId) external view returns (uint256 scoreWad, uint16 thresholdBps);
}
