// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IParticipatoryBudget} from "./IParticipatoryBudget.sol";
import {ICityRegistry} from "../membership/ICityRegistry.sol";

/**
 * @title BudgetEscrow
 * @notice {ParticipatoryBudget}'s project escrow and milestones: funding the winners from the treasury, releasing
 * tranches, closing projects, the tranches held for members who are not active and their following of key
 * recoveries. A linked library: its external functions run in ParticipatoryBudget's context (DELEGATECALL), so they
 * read and write its storage, move its CityCoin, and their events and errors are ParticipatoryBudget's own. Kept
 * apart so ParticipatoryBudget stays well under EIP-170's size limit. ParticipatoryBudget checks roles and phases.
 */
library BudgetEscrow {
    using SafeERC20 for IERC20;

    /**
     * @notice Funds round `roundId` (in its funding phase, checked by the caller) once its challenge window has
     * passed unchallenged: each winner's cost goes into its project's escrow, their total moves from `treasury` (which
     * approved ParticipatoryBudget) in one transfer.
     */
    function fund(
        IParticipatoryBudget.RoundState storage s,
        mapping(uint32 => IParticipatoryBudget.Project) storage projects,
        mapping(uint256 => IParticipatoryBudget.BallotEntry) storage entries,
        uint256 roundId,
        uint256 winners,
        IERC20 coin,
        address treasury
    ) external {
        if (s.funded) revert IParticipatoryBudget.ParticipatoryBudgetAlreadyFunded(roundId);
        if (s.challenged) revert IParticipatoryBudget.ParticipatoryBudgetResultChallenged(roundId);
        if (block.timestamp < s.challengeEnd) {
            revert IParticipatoryBudget.ParticipatoryBudgetChallengeWindowOpen(roundId, s.challengeEnd);
        }
        s.funded = true;
        uint256 total;
        for (uint256 rest = winners; rest != 0; ) {
            uint256 bit = rest & (~rest + 1);
            rest ^= bit;
            uint32 projectId = entries[Math.log2(bit)].projectId;
            IParticipatoryBudget.Project storage pr = projects[projectId];
            uint64 cost = pr.cost;
            pr.status = IParticipatoryBudget.ProjectStatus.Funded;
            pr.escrow = cost;
            total += cost;
            emit IParticipatoryBudget.ProjectFunded(roundId, projectId, cost);
        }
        emit IParticipatoryBudget.RoundFunded(roundId, treasury, total);
        if (total != 0) coin.safeTransferFrom(treasury, address(this), total);
    }

    /**
     * @notice Releases `amount` of funded project `projectId`'s escrow to its proposer's current key on a milestone
     * attestation (`evidenceHash`): paid at once to an active member, else held for it.
     */
    function release(
        mapping(uint32 => IParticipatoryBudget.Project) storage projects,
        mapping(address => address) storage successors,
        mapping(address => uint256) storage held,
        ICityRegistry registry,
        IERC20 coin,
        uint256 roundId,
        uint32 projectId,
        uint64 amount,
        bytes32 evidenceHash
    ) external {
        IParticipatoryBudget.Project storage pr = _requireFunded(projects, roundId, projectId);
        if (amount == 0) revert IParticipatoryBudget.ParticipatoryBudgetZeroAmount();
        uint64 escrow = pr.escrow;
        if (amount > escrow) revert IParticipatoryBudget.ParticipatoryBudgetExceedsEscrow(roundId, projectId, amount, escrow);
        // Overflow not possible: amount <= escrow, and released + escrow <= cost.
        unchecked {
            pr.escrow = escrow - amount;
            pr.released += amount;
        }
        address recipient = pr.proposer;
        for (address next = successors[recipient]; next != address(0); next = successors[recipient]) recipient = next;
        emit IParticipatoryBudget.TrancheReleased(roundId, projectId, recipient, amount, evidenceHash, pr.released);
        if (registry.isActiveMember(recipient)) {
            coin.safeTransfer(recipient, amount);
        } else {
            uint256 total = held[recipient] + amount;
            held[recipient] = total;
            emit IParticipatoryBudget.TrancheHeld(roundId, projectId, recipient, amount, total);
        }
    }

    /// @notice Closes funded project `projectId` (done, or abandoned): what is left in its escrow returns to `treasury`.
    function closeProject(
        mapping(uint32 => IParticipatoryBudget.Project) storage projects,
        IERC20 coin,
        address treasury,
        uint256 roundId,
        uint32 projectId,
        bytes32 reasonHash
    ) external {
        IParticipatoryBudget.Project storage pr = _requireFunded(projects, roundId, projectId);
        uint64 left = pr.escrow;
        pr.escrow = 0;
        pr.status = IParticipatoryBudget.ProjectStatus.Closed;
        emit IParticipatoryBudget.ProjectClosed(roundId, projectId, treasury, left, reasonHash);
        if (left != 0) coin.safeTransfer(treasury, left);
    }

    /**
     * @notice Pays what is held for `account` to `to`: the member itself (`reasonHash` 0, evented `HeldWithdrawn`) or
     * the treasury (a forfeit, evented `HeldForfeited` with the council's reason).
     */
    function payHeld(
        mapping(address => uint256) storage held,
        IERC20 coin,
        address account,
        address to,
        bytes32 reasonHash
    ) external {
        uint256 amount = held[account];
        if (amount == 0) revert IParticipatoryBudget.ParticipatoryBudgetNothingHeld(account);
        held[account] = 0;
        if (to == account) emit IParticipatoryBudget.HeldWithdrawn(account, amount);
        else emit IParticipatoryBudget.HeldForfeited(account, to, amount, reasonHash);
        coin.safeTransfer(to, amount);
    }

    /// @notice Key recovery: what is held for `from` moves to `to`, and later tranches for `from` go to `to`.
    function follow(
        mapping(address => uint256) storage held,
        mapping(address => address) storage successors,
        address from,
        address to
    ) external {
        successors[from] = to;
        uint256 amount = held[from];
        held[from] = 0;
        held[to] += amount;
        emit IParticipatoryBudget.ProposerMigrated(from, to, amount);
    }

    function _requireFunded(
        mapping(uint32 => IParticipatoryBudget.Project) storage projects,
        uint256 roundId,
        uint32 projectId
    ) private view returns (IParticipatoryBudget.Project storage pr) {
        pr = projects[projectId];
        IParticipatoryBudget.ProjectStatus status = pr.status;
        if (status == IParticipatoryBudget.ProjectStatus.None) revert IParticipatoryBudget.ParticipatoryBudgetUnknownProject(roundId, projectId);
        if (status != IParticipatoryBudget.ProjectStatus.Funded) revert IParticipatoryBudget.ParticipatoryBudgetNotFunded(roundId, projectId);
    }
}
