/** The SDK's explanations of the custom errors of CityBallots: referendums, consultations, petitions. */
import type { CityErrorMessageTable } from "./types";
import { BALLOT_KINDS, BALLOT_STATES, time } from "./format";

/**
 * How the custom errors of CityBallots read (see `CityErrorExplanation`).
 * @example `ballotsMessages.CityBallotsUnknownBallot.message(args, {})`
 */
export const ballotsMessages = {
  CityBallotsUnknownBallot: {
    message: ([ballotId]) => `ballot ${ballotId} does not exist`,
    hint: () => "Ballot ids run from 1 to getBallotCount().",
  },
  CityBallotsInvalidSchedule: {
    message: ([opensAt, closesAt, revealWindow]) =>
      `the schedule opens ${time(opensAt)}, closes ${time(closesAt)} with a reveal window of ${revealWindow} s, which is not valid`,
    hint: () =>
      "Open now or later, close after opening; a sealed ballot needs a reveal window, an open one none. A petition's referendum states opensAt 0 and its duration as closesAt.",
  },
  CityBallotsInvalidOptions: {
    message: ([kind, optionCount, maxApprovals]) =>
      `a ${BALLOT_KINDS[kind] ?? kind} of ${optionCount} options (at most ${maxApprovals} approvals) is not valid`,
    hint: () =>
      "Referendums have 3 options, petitions 1 (and are never sealed); consultations 2 to 64, approval ones with 1 ≤ k ≤ options. Petitions go through createPetition.",
  },
  CityBallotsInvalidThreshold: {
    message: ([kind, bps]) => `a threshold of ${bps} bps is not valid for a ${BALLOT_KINDS[kind] ?? kind}`,
    hint: () => "Use 0 to 10,000 basis points; a petition needs at least 1.",
  },
  CityBallotsEmptyElectorate: {
    message: () => "the electorate names no college",
    hint: () => "Set at least one bit of collegeMask.",
  },
  CityBallotsFlagOutOfRange: {
    message: ([flagBit, max]) => `flag bit ${flagBit} is out of range (at most ${max})`,
    hint: () => "Pass 0 for no flag, else 1 + the member flag's bit.",
  },
  CityBallotsTooManyDistricts: {
    message: ([count, max]) => `${count} districts are more than the ${max} a ballot may name`,
  },
  CityBallotsUncountedElectorate: {
    message: ([districts, bps]) => `a threshold of ${bps} bps cannot apply to an electorate restricted to ${districts} districts`,
    hint: () => "The registry counts members per college and flag, not per district: drop the quorum or the districts.",
  },
  CityBallotsInvalidPetitionTarget: {
    message: ([proposalId, kind]) =>
      proposalId === 0n
        ? `a petition can open a referendum, not a ${BALLOT_KINDS[kind] ?? kind}`
        : `a petition for proposal ${proposalId} cannot also carry a referendum`,
    hint: () => "Give either a Governor proposal id, or proposal 0 and a referendum template.",
  },
  CityBallotsWrongState: {
    message: ([ballotId, state]) => `ballot ${ballotId} is ${BALLOT_STATES[state] ?? state}`,
    hint: ([, state]) =>
      state === 1 ? "Wait until it opens." : state === 3 ? "Voting is closed: reveal now, finalize after the window." : "Check getBallotState() first.",
  },
  CityBallotsWrongMode: {
    message: ([ballotId]) => `ballot ${ballotId} does not take this kind of ballot`,
    hint: () => "Sealed ballots take commitVote/revealVote, open ones vote, petitions signPetition.",
  },
  CityBallotsInvalidChoice: {
    message: ([ballotId, choice]) => `choice ${choice} is not valid on ballot ${ballotId}`,
    hint: () => "Give an option index (single choice), or a non-empty bitmap of at most k options (approval).",
  },
  CityBallotsNotAMember: {
    message: ([ballotId, voter]) => `${voter} was not an active member at the snapshot of ballot ${ballotId}`,
    hint: () => "Only members registered before the ballot was created vote on it.",
  },
  CityBallotsMemberSuspended: {
    message: ([ballotId, voter]) => `${voter} is suspended and cannot vote on ballot ${ballotId}`,
  },
  CityBallotsOutsideElectorate: {
    message: ([ballotId, voter]) => `${voter} is outside the electorate of ballot ${ballotId} (college, flag or district)`,
  },
  CityBallotsAlreadySigned: {
    message: ([petitionId, voter]) => `${voter} already signed petition ${petitionId}`,
  },
  CityBallotsNoCommitment: {
    message: ([ballotId, voter]) => `${voter} committed no vote on ballot ${ballotId}`,
  },
  CityBallotsAlreadyRevealed: {
    message: ([ballotId, voter]) => `${voter} already revealed their vote on ballot ${ballotId}`,
  },
  CityBallotsBadReveal: {
    message: ([ballotId, voter]) => `the choice and salt do not match the last commitment of ${voter} on ballot ${ballotId}`,
    hint: () => "Reveal the choice and salt of the last commitment (the SDK's salt store keeps them).",
  },
  CityBallotsNotAPetition: {
    message: ([ballotId]) => `ballot ${ballotId} is not a petition`,
  },
  CityBallotsInvalidCommitment: {
    message: ([ballotId]) => `the commitment on ballot ${ballotId} is empty`,
    hint: () => "Commit hashCommitment(ballotId, voter, choice, salt).",
  },
  CityBallotsNothingToPage: {
    message: ([ballotId, paged, total]) => `ballot ${ballotId} has no district left to page (${paged} of ${total} paged)`,
    hint: () => "Call finalize to complete the result.",
  },
  CityBallotsPagesRemaining: {
    message: ([ballotId, left, max]) =>
      `ballot ${ballotId} still has ${left} districts to sum, more than one finalization transaction takes (${max})`,
    hint: () => "Call finalizePage until at most that many are left, then finalize (finalizeBallot does it for you).",
  },
  CityBallotsPetitionPending: {
    message: ([member, petitionId]) => `${member} already has petition ${petitionId} collecting signatures`,
    hint: () => "A member opens one petition at a time: wait until it closes or reaches its threshold.",
  },
  CityBallotsMemberPetitionTooNarrow: {
    message: ([collegeMask, flagBit, bps]) =>
      `a member's petition must address every college with no flag and need at least 5% of signatures (got colleges ${collegeMask}, flag ${flagBit}, ${bps} bps)`,
    hint: () => "Set collegeMask 0xffff, flagBit 0 and thresholdBps >= MEMBER_PETITION_MIN_BPS.",
  },
} satisfies CityErrorMessageTable;
