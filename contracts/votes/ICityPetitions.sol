// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title ICityPetitions
 * @notice What the city's governance reads from the votes module: a petition that reached its threshold may put a
 * proposal on the council's agenda. The petition names the exact proposal it asks for by its Governor proposal id
 * (`hashProposal(targets, values, calldatas, keccak256(description))`), so the governor can check that the proposal
 * submitted in its name is the one members signed for.
 */
interface ICityPetitions {
    /**
     * @notice Whether petition `petitionId` reached its signature threshold before its deadline, and the Governor
     * proposal id it asks the council to take up (0 when the petition asks for a referendum instead).
     */
    function petitionOutcome(uint256 petitionId) external view returns (bool reached, uint256 proposalId);
}
