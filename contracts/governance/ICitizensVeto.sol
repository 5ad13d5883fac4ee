// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title ICitizensVeto
 * @notice The citizens' veto: members of the charter's veto college sign against a passed proposal while it waits in
 * the timelock; when the charter's share of that college has signed, the operation is cancelled.
 */
interface ICitizensVeto {
    /// @notice `citizen` signed a veto of `proposalId`: `signatures` so far, `needed` to cancel it.
    event VetoSigned(uint256 indexed proposalId, address indexed citizen, uint256 signatures, uint256 needed);
    /// @notice The veto of `proposalId` reached its threshold: timelock operation `operationId` was cancelled.
    event ProposalVetoed(uint256 indexed proposalId, bytes32 indexed operationId, uint256 signatures);

    error CitizensVetoNotQueued(uint256 proposalId, uint8 state);
    error CitizensVetoNotACitizen(uint256 proposalId, address account);
    error CitizensVetoAlreadySigned(uint256 proposalId, address citizen);
    error CitizensVetoInvalidSignature(address citizen);

    /// @notice Signs a veto of queued proposal `proposalId` as the caller.
    function veto(uint256 proposalId) external;

    /// @notice Signs a veto of `proposalId` for `citizen`, who signed the EIP-712 `Veto(uint256 proposalId,address
    /// citizen)` (relayable: anyone may submit it).
    function vetoBySig(uint256 proposalId, address citizen, bytes calldata signature) external;

    /// @notice Veto signatures of `proposalId` so far, how many cancel it, and the college that may sign.
    function vetoProgress(uint256 proposalId) external view returns (uint256 signatures, uint256 needed, uint8 college);

    /// @notice Whether `citizen` signed a veto of `proposalId`.
    function hasVetoed(uint256 proposalId, address citizen) external view returns (bool);
}
