// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {ICityPetitions} from "../votes/ICityPetitions.sol";
import {CityGovernor} from "./CityGovernor.sol";
import {ICityGovernor} from "./ICityGovernor.sol";

/**
 * @title CityAgenda
 * @notice Members' ways to the council's agenda, beside the orchestrator's `propose` on {CityGovernor}:
 * - {proposeWithCosigners}: an active member, with EIP-712 `Cosign(proposalId, deadline)` signatures of other members
 *   in the governor's domain (as before the agenda existed: co-signers sign for the governor, not for this contract);
 *   the charter checks them ({ICityCharter-checkCosigners});
 * - {proposeByPetition}: anyone, for a petition of the governor's petitions contract that reached its threshold and
 *   names exactly the proposal.
 * Once its checks pass, the agenda has the governor propose *for* the member or the
 * petition through {CityGovernor-proposeFor}, which only this contract may call. The governor records the
 * proposal, its proposer (the member, or the petitions contract) and emits every event; the agenda holds no state and
 * emits nothing. Failures revert with the governor's errors ({ICityGovernor}), as they did when the governor checked.
 *
 * Gasless: members reach {proposeWithCosigners} through the city's forwarder (ERC-2771).
 *
 * @custom:city governance
 * @custom:relay proposeWithCosigners
 */
contract CityAgenda is ERC2771Context {
    /// @notice EIP-712 type a co-signer signs: the exact proposal, and until when the signature may be used.
    bytes32 public constant COSIGN_TYPEHASH = keccak256("Cosign(uint256 proposalId,uint256 deadline)");
    bytes32 private constant _DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

    CityGovernor private immutable _governor;
    /// @dev keccak256 of the governor's EIP-712 name and version, read once from its ERC-5267 `eip712Domain()`.
    bytes32 private immutable _nameHash;
    bytes32 private immutable _versionHash;

    /// @dev The governor does not name this contract as its agenda: it would refuse every proposal sent from here.
    error CityAgendaNotTheGovernorsAgenda(address governor, address governorsAgenda);

    /**
     * @param governor_ The CityGovernor that proposes for members; it must name this contract as its `agenda()`.
     * @param trustedForwarder The city's CityForwarder.
     */
    constructor(CityGovernor governor_, address trustedForwarder) ERC2771Context(trustedForwarder) {
        address named = governor_.agenda();
        if (named != address(this)) revert CityAgendaNotTheGovernorsAgenda(address(governor_), named);
        _governor = governor_;
        (, string memory name, string memory version, , , , ) = IERC5267(address(governor_)).eip712Domain();
        _nameHash = keccak256(bytes(name));
        _versionHash = keccak256(bytes(version));
    }

    /// @notice The governor this agenda proposes on.
    function governor() external view returns (CityGovernor) {
        return _governor;
    }

    /**
     * @notice The EIP-712 digest a co-signer signs for proposal `proposalId` until `deadline`, in the governor's
     * domain.
     */
    function cosignDigest(uint256 proposalId, uint256 deadline) public view returns (bytes32) {
        bytes32 domain = keccak256(abi.encode(_DOMAIN_TYPEHASH, _nameHash, _versionHash, block.chainid, _governor));
        return MessageHashUtils.toTypedDataHash(domain, keccak256(abi.encode(COSIGN_TYPEHASH, proposalId, deadline)));
    }

    /**
     * @notice Puts a proposal on the agenda as a member, with the co-signatures of other members (EIP-712 `Cosign`
     * over the proposal id and `cosigned.deadline`, in the governor's domain). `cosigned.cosigners` strictly
     * ascending, without the proposer. The proposal's proposer is the caller.
     * @return proposalId The proposal id.
     */
    function proposeWithCosigners(
        address[] calldata targets,
        uint256[] calldata values,
        bytes[] calldata calldatas,
        string calldata description,
        ICityGovernor.Cosignatures calldata cosigned
    ) external returns (uint256 proposalId) {
        address proposer = _msgSender();
        proposalId = _governor.getProposalId(targets, values, calldatas, keccak256(bytes(description)));
        _governor.charter().checkCosigners(cosignDigest(proposalId, cosigned.deadline), proposer, cosigned);
        _governor.proposeFor(proposer, targets, values, calldatas, description, cosigned.cosigners, 0);
    }

    /**
     * @notice Puts on the agenda the proposal a successful petition asks for. Anyone may submit it; the proposal's
     * proposer is the petitions contract.
     * @return proposalId The proposal id.
     */
    // Memory, not calldata: calldata arrays take two stack slots each, one too many for the call to the governor.
    // solhint-disable-next-line gas-calldata-parameters
    function proposeByPetition(
        uint256 petitionId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description
    ) external returns (uint256 proposalId) {
        proposalId = _governor.getProposalId(targets, values, calldatas, keccak256(bytes(description)));
        address source = _checkPetition(petitionId, proposalId);
        _governor.proposeFor(source, targets, values, calldatas, description, new address[](0), petitionId);
    }

    /// @dev The governor's petitions contract, once it says petition `petitionId` reached its threshold and asks for
    /// proposal `proposalId`.
    function _checkPetition(uint256 petitionId, uint256 proposalId) private view returns (address) {
        ICityPetitions source = _governor.petitions();
        if (address(source) == address(0)) revert ICityGovernor.CityGovernorNoPetitions();
        (bool reached, uint256 asked) = source.petitionOutcome(petitionId);
        // Petition ids start at 1: the governor reads 0 as "no petition" (a member's co-signed proposal).
        if (!reached || petitionId == 0) revert ICityGovernor.CityGovernorPetitionNotReached(petitionId);
        if (asked != proposalId) revert ICityGovernor.CityGovernorPetitionMismatch(petitionId, asked, proposalId);
        return address(source);
    }
}
