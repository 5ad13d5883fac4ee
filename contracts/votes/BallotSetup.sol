// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICityBallots} from "./ICityBallots.sol";
import {ICityRegistry} from "../membership/ICityRegistry.sol";
import {MemberFlags} from "../membership/MemberFlags.sol";

/**
 * @title BallotSetup
 * @notice {CityBallots}' creation of ballots and petitions: the creation rules, the configuration and tally records,
 * the electorate at the snapshot and a petition's target. A linked library: its external functions run in
 * CityBallots' context (DELEGATECALL), so they write its storage and their events and errors are CityBallots' own
 * ({ICityBallots}). Kept apart so CityBallots stays well under EIP-170's size limit; votes, signatures and reveals
 * stay in CityBallots (a signature reaching a petition's threshold calls {create} for its referendum).
 * CityBallots checks who may create and numbers the ballots.
 */
library BallotSetup {
    /// @dev {CityBallots.MAX_OPTIONS} and {CityBallots.MAX_DISTRICTS}.
    uint8 private constant _MAX_OPTIONS = 64;
    uint256 private constant _MAX_DISTRICTS = 64;
    /// @dev {CityBallots}' mode bits.
    uint8 private constant _SEALED = 1;
    uint8 private constant _BINDING = 2;
    uint8 private constant _APPROVAL = 4;
    uint8 private constant _DISTRICTS = 8;
    uint16 private constant _BPS = 10_000;
    uint8 private constant _REFERENDUM_OPTIONS = 3;

    /**
     * @notice Records ballot `ballotId` (a fresh number) from `p`, checked against every creation rule, with its
     * snapshot the second before now and its electorate counted by `registry` at the snapshot; `petitionId` is the
     * petition whose threshold opened it (0 if none). Emits {ICityBallots-BallotCreated}.
     */
    function create(
        mapping(uint256 => ICityBallots.BallotConfig) storage configs,
        mapping(uint256 => ICityBallots.BallotTally) storage tallies,
        mapping(uint256 => mapping(uint32 => bool)) storage inDistricts,
        ICityRegistry registry,
        uint256 ballotId,
        ICityBallots.BallotParams memory p,
        uint256 petitionId
    ) public {
        _validate(p);
        if (p.kind == ICityBallots.BallotKind.Referendum) p.optionCount = _REFERENDUM_OPTIONS;
        if (p.kind == ICityBallots.BallotKind.Petition) p.optionCount = 1;
        uint48 snapshot = uint48(block.timestamp - 1);

        uint8 mode = (p.sealed_ ? _SEALED : 0) | (p.binding ? _BINDING : 0) | (p.approval ? _APPROVAL : 0);
        if (p.districts.length != 0) mode |= _DISTRICTS;
        configs[ballotId] = ICityBallots.BallotConfig({
            snapshot: snapshot,
            opensAt: p.opensAt,
            closesAt: p.closesAt,
            revealWindow: p.revealWindow,
            collegeMask: p.collegeMask,
            flagBit: p.flagBit,
            kind: p.kind,
            optionCount: p.optionCount,
            maxApprovals: p.maxApprovals,
            mode: mode
        });
        for (uint256 i = 0; i < p.districts.length; ++i) {
            inDistricts[ballotId][p.districts[i]] = true;
        }
        // Casts are safe: the eligible count is at most the number of members; needed <= electorate + 1.
        uint64 electorate = p.districts.length == 0
            ? uint64(registry.getPastEligibleCount(p.collegeMask, p.flagBit, snapshot))
            : 0;
        uint64 needed;
        if (p.kind == ICityBallots.BallotKind.Petition) {
            needed = uint64((uint256(electorate) * p.thresholdBps + _BPS - 1) / _BPS);
            if (needed == 0) needed = 1;
        }
        tallies[ballotId] = ICityBallots.BallotTally(electorate, needed, 0, 0, p.thresholdBps, false, false);
        emit ICityBallots.BallotCreated(ballotId, p.kind, petitionId, p, snapshot, electorate, needed);
    }

    /**
     * @notice Records petition `petitionId` (a fresh number) from `params`, with its target: a Governor proposal, or a
     * referendum (`opensAt` 0, `closesAt` its duration) checked now against the creation rules as if it opened now,
     * so that it cannot fail when the threshold opens it. Emits {ICityBallots-BallotCreated} and
     * {ICityBallots-PetitionRequested}.
     */
    function createPetition(
        mapping(uint256 => ICityBallots.BallotConfig) storage configs,
        mapping(uint256 => ICityBallots.BallotTally) storage tallies,
        mapping(uint256 => mapping(uint32 => bool)) storage inDistricts,
        mapping(uint256 => uint256) storage petitionProposals,
        mapping(uint256 => ICityBallots.BallotParams) storage petitionReferendums,
        ICityRegistry registry,
        uint256 petitionId,
        ICityBallots.BallotParams calldata params,
        ICityBallots.PetitionTarget calldata target
    ) external {
        if (params.kind != ICityBallots.BallotKind.Petition) {
            revert ICityBallots.CityBallotsInvalidOptions(params.kind, params.optionCount, params.maxApprovals);
        }
        ICityBallots.BallotParams memory r = target.referendum;
        uint256 proposalId = target.proposalId;
        if (proposalId == 0) {
            if (r.kind != ICityBallots.BallotKind.Referendum) revert ICityBallots.CityBallotsInvalidPetitionTarget(0, r.kind);
            if (r.opensAt != 0 || r.closesAt == 0) revert ICityBallots.CityBallotsInvalidSchedule(r.opensAt, r.closesAt, r.revealWindow);
            uint48 duration = r.closesAt;
            r.opensAt = uint48(block.timestamp);
            r.closesAt = r.opensAt + duration;
            _validate(r);
            (r.opensAt, r.closesAt) = (0, duration);
        } else if (r.closesAt != 0 || r.districts.length != 0 || r.questionHash != 0) {
            revert ICityBallots.CityBallotsInvalidPetitionTarget(proposalId, r.kind);
        }
        create(configs, tallies, inDistricts, registry, petitionId, params, 0);
        petitionProposals[petitionId] = proposalId;
        if (proposalId == 0) petitionReferendums[petitionId] = r;
        emit ICityBallots.PetitionRequested(petitionId, proposalId, r);
    }

    /// @dev Every creation rule, for ballots created now and for a petition's referendum checked ahead.
    function _validate(ICityBallots.BallotParams memory p) private view {
        bool consultation = p.kind == ICityBallots.BallotKind.Consultation;
        bool badOptions = consultation
            ? p.optionCount < 2 ||
                p.optionCount > _MAX_OPTIONS ||
                (p.approval ? p.maxApprovals == 0 || p.maxApprovals > p.optionCount : p.maxApprovals != 0)
            : p.approval || p.maxApprovals != 0 || (p.optionCount != 0 && p.optionCount != _optionsOf(p.kind));
        if (badOptions || (p.kind == ICityBallots.BallotKind.Petition && p.sealed_)) {
            revert ICityBallots.CityBallotsInvalidOptions(p.kind, p.optionCount, p.maxApprovals);
        }
        if (p.thresholdBps > _BPS || (p.kind == ICityBallots.BallotKind.Petition && p.thresholdBps == 0)) {
            revert ICityBallots.CityBallotsInvalidThreshold(p.kind, p.thresholdBps);
        }
        if (p.collegeMask == 0) revert ICityBallots.CityBallotsEmptyElectorate();
        if (p.flagBit > MemberFlags.COUNTED_BITS) revert ICityBallots.CityBallotsFlagOutOfRange(p.flagBit, MemberFlags.COUNTED_BITS);
        if (p.opensAt < block.timestamp || p.closesAt <= p.opensAt || (p.sealed_ != (p.revealWindow != 0))) {
            revert ICityBallots.CityBallotsInvalidSchedule(p.opensAt, p.closesAt, p.revealWindow);
        }
        if (p.districts.length > _MAX_DISTRICTS) revert ICityBallots.CityBallotsTooManyDistricts(p.districts.length, _MAX_DISTRICTS);
        // The registry counts members per college and flag, not per district: a district ballot has no
        // electorate count on chain to take a share of.
        if (p.districts.length != 0 && p.thresholdBps != 0) {
            revert ICityBallots.CityBallotsUncountedElectorate(p.districts.length, p.thresholdBps);
        }
    }

    function _optionsOf(ICityBallots.BallotKind kind) private pure returns (uint8) {
        return kind == ICityBallots.BallotKind.Referendum ? _REFERENDUM_OPTIONS : 1;
    }
}
