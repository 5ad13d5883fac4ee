// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICityPetitions} from "../votes/ICityPetitions.sol";

/**
 * @title PetitionsMock
 * @notice Test double of the votes module's petitions: a test sets each petition's outcome, so the governor's
 * `proposeByPetition` is tested before (and independently of) the real petitions contract.
 */
contract PetitionsMock is ICityPetitions {
    struct Outcome {
        bool reached;
        uint256 proposalId;
    }

    mapping(uint256 petitionId => Outcome) private _outcomes;

    /// @notice Sets the outcome `petitionOutcome(petitionId)` returns.
    function setOutcome(uint256 petitionId, bool reached, uint256 proposalId) external {
        _outcomes[petitionId] = Outcome(reached, proposalId);
    }

    /// @inheritdoc ICityPetitions
    function petitionOutcome(uint256 petitionId) external view returns (bool reached, uint256 proposalId) {
        Outcome memory o = _outcomes[petitionId];
        return (o.reached, o.proposalId);
    }
}
