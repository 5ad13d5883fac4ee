/** The SDK's explanations of the custom errors of governance: CityGovernor, CityCharter, CitizensVeto. */
import type { CityErrorMessageTable } from "./types";
import { PROPOSAL_STATES, short, time } from "./format";

/**
 * How the custom errors of Governance (CityGovernor, CityCharter, CitizensVeto) read (see `CityErrorExplanation`).
 * @example `governanceMessages.CityGovernorAlreadyVoted.message(args, {})`
 */
export const governanceMessages = {
  CityGovernorAlreadyVoted: {
    message: ([proposalId, voter]) => `${voter} already voted on proposal ${proposalId}`,
    hint: () => "A member votes once per proposal; read hasVoted() first.",
  },
  CityGovernorCancelWithoutReason: {
    message: () => "a cancellation needs a reason",
    hint: () => "Pass a non-empty reason: it is published with the cancellation.",
  },
  CityGovernorCollegeNotInCharter: {
    message: ([proposalId, college]) => `college ${college} has no seat in the charter proposal ${proposalId} is counted under`,
    hint: () => "Only members of the charter's colleges vote on it; read getCharter() for them.",
  },
  CityGovernorCosignLengthMismatch: {
    message: ([cosigners, signatures]) => `${cosigners} co-signers but ${signatures} signatures`,
    hint: () => "Give one signature per co-signer, in the same order.",
  },
  CityGovernorCosignatureExpired: {
    message: ([deadline]) => `the co-signatures expired at ${time(deadline)}`,
    hint: () => "Collect new co-signatures with a later deadline.",
  },
  CityGovernorCosignersNotAscending: {
    message: ([cosigner]) => `co-signer ${cosigner} is out of order or repeated`,
    hint: () => "List co-signers once each, sorted by address (ascending).",
  },
  CityGovernorDuplicateSigner: {
    message: ([signer]) => `${signer} is the proposer and cannot co-sign their own proposal`,
    hint: () => "Remove the proposer from the co-signers.",
  },
  CityGovernorInvalidCosignature: {
    message: ([cosigner]) => `the co-signature of ${cosigner} does not match the proposal`,
    hint: () => "Each co-signer signs Cosign(proposalId, deadline) for this exact proposal (signCosign()).",
  },
  CityGovernorInvalidSupport: {
    message: ([support]) => `support ${support} is not a vote (0 against, 1 for, 2 abstain)`,
    hint: () => "Vote 0 (against), 1 (for) or 2 (abstain).",
  },
  CityGovernorNoPetitions: {
    message: () => "the governor has no petitions contract",
    hint: () => "A proposal must first set the petitions contract (setPetitions).",
  },
  CityGovernorNotAMember: {
    message: ([account]) => `${account} is not a member who can take part (not an active member at the snapshot, or since replaced)`,
    hint: () => "Only members active at the proposal's snapshot, with the same membership now, vote or co-sign.",
  },
  CityGovernorNotEnoughCosigners: {
    message: ([signers, needed]) => `${signers} signers, the charter needs ${needed}`,
    hint: () => "Collect more co-signatures from active members.",
  },
  CityGovernorPetitionMismatch: {
    message: ([petitionId, petitionProposalId, proposalId]) => `petition ${petitionId} asks for proposal ${petitionProposalId}, not ${proposalId}`,
    hint: () => "Submit exactly the targets, values, calldatas and description the petition was signed for.",
  },
  CityGovernorPetitionNotReached: {
    message: ([petitionId]) => `petition ${petitionId} has not reached its threshold`,
    hint: () => "Wait until enough members sign the petition.",
  },
  CityGovernorMemberProposal: {
    message: ([proposalId]) => `proposal ${proposalId} was put on the agenda by members (co-signed or petitioned): the orchestrator cannot cancel it`,
    hint: () => "The colleges decide a members' proposal by their vote.",
  },
  CityAgendaNotTheGovernorsAgenda: {
    message: ([governor, governorsAgenda]) => `governor ${governor} names ${governorsAgenda} as its agenda, not this contract`,
    hint: () => "Deploy CityAgenda right after CityGovernor, from the deployer whose next address the governor was given (scripts/lib/governance.ts).",
  },
  CityGovernorNotTheAgenda: {
    message: ([caller]) => `${caller} is not the governor's agenda: only CityAgenda proposes for members and petitions`,
    hint: () => "Send a co-signed proposal or a petition's proposal to the deployment's CityAgenda (proposeWithCosigners, proposeByPetition).",
  },
  CityGovernorTooLateToCancel: {
    message: ([proposalId, state]) => `proposal ${proposalId} is ${PROPOSAL_STATES[Number(state)] ?? state}: only a pending proposal can be cancelled`,
    hint: () => "Once the vote has started, the result belongs to the colleges (citizens may still veto a queued proposal).",
  },
  CityCharterCollegeCount: {
    message: ([count, min, max]) => `a charter has ${min} to ${max} colleges, not ${count}`,
    hint: () => "Cooperative law: at least three colleges.",
  },
  CityCharterCollegeOutOfRange: {
    message: ([college, max]) => `college ${college} is out of range (ids below ${max})`,
    hint: () => "Use the registry's college ids.",
  },
  CityCharterCollegesNotAscending: {
    message: ([college]) => `college ${college} is out of order or repeated`,
    hint: () => "List colleges once each, ascending by id.",
  },
  CityCharterCosignShareOutOfBounds: {
    message: ([share]) => `a co-signature share of ${share} bps is out of bounds (1 to 10,000)`,
  },
  CityCharterEmptyCollege: {
    message: ([college]) => `college ${college} has no active member`,
    hint: () => "Register members in every college of the charter before proposing or adopting it.",
  },
  CityCharterOnlyGovernance: {
    message: ([caller]) => `${caller} is not the governance timelock`,
    hint: () => "The charter changes only through a super-majority proposal.",
  },
  CityCharterQuorumOutOfBounds: {
    message: ([college, quorum]) => `college ${college}'s quorum of ${quorum} bps is out of bounds (1 to 10,000)`,
  },
  CityCharterSuperMajorityOutOfBounds: {
    message: ([value, min, max]) => `a super-majority of ${value} bps is out of bounds (${min} to ${max})`,
    hint: () => "The super-majority is at least 2/3 and at least the approval threshold.",
  },
  CityCharterThresholdOutOfBounds: {
    message: ([value, min, max]) => `an approval threshold of ${value} bps is out of bounds (${min} to ${max})`,
  },
  CityCharterVetoCollegeNotInCharter: {
    message: ([college]) => `veto college ${college} is not one of the charter's`,
    hint: () => "Name a college of the charter (CITIZENS, 1, by default).",
  },
  CityCharterVetoThresholdOutOfBounds: {
    message: ([value, min, max]) => `a veto threshold of ${value} bps is out of bounds (${min} to ${max})`,
  },
  CityCharterWeightOutOfBounds: {
    message: ([college, weight, min, max]) => `college ${college} weighs ${weight} bps, outside ${min} to ${max}`,
    hint: () => "Cooperative law: each college holds between 10% and 50% of the votes.",
  },
  CityCharterWeightsSum: {
    message: ([sum]) => `the colleges' weights sum to ${sum} bps, not 10,000`,
    hint: () => "Weights must add up to exactly 100%.",
  },
  CitizensVetoAlreadySigned: {
    message: ([proposalId, citizen]) => `${citizen} already vetoed proposal ${proposalId}`,
  },
  CitizensVetoInvalidSignature: {
    message: ([citizen]) => `the veto signature does not match ${citizen}`,
    hint: () => "The citizen signs Veto(proposalId, citizen) (signVeto()).",
  },
  CitizensVetoNotACitizen: {
    message: ([proposalId, account]) => `${account} was not a member of proposal ${proposalId}'s veto college at its snapshot`,
  },
  CitizensVetoNotQueued: {
    message: ([proposalId, state]) => `proposal ${proposalId} is ${PROPOSAL_STATES[Number(state)] ?? state}, not waiting in the timelock`,
    hint: () => "A veto is possible only while a passed proposal is queued.",
  },
  GovernorAlreadyCastVote: {
    message: ([voter]) => `${voter} already voted`,
  },
  GovernorAlreadyQueuedProposal: {
    message: ([proposalId]) => `proposal ${proposalId} is already queued`,
  },
  GovernorDisabledDeposit: {
    message: () => "the governor takes no deposits (its timelock holds the city's assets)",
  },
  GovernorInsufficientProposerVotes: {
    message: ([proposer, votes, threshold]) => `${proposer} has ${votes} votes, fewer than the ${threshold} needed to propose`,
  },
  GovernorInvalidProposalLength: {
    message: ([targets, calldatas, values]) => `a proposal needs as many targets (${targets}), calldatas (${calldatas}) and values (${values}), at least one`,
  },
  GovernorInvalidSignature: {
    message: ([voter]) => `the vote signature does not match ${voter} (or its nonce was used)`,
    hint: () => "Sign the ballot again with the voter's current nonce (signBallot()).",
  },
  GovernorInvalidVoteParams: {
    message: () => "the vote's params are not accepted",
  },
  GovernorInvalidVoteType: {
    message: () => "the vote type is not supported",
  },
  GovernorInvalidVotingPeriod: {
    message: ([period]) => `a voting period of ${period} seconds is not allowed`,
  },
  GovernorNonexistentProposal: {
    message: ([proposalId]) => `proposal ${proposalId} does not exist`,
    hint: () => "Check the targets, values, calldatas and description hash.",
  },
  GovernorOnlyExecutor: {
    message: ([account]) => `${account} is not the governance timelock`,
    hint: () => "This changes only through an executed proposal.",
  },
  GovernorProposalQueueingFailed: {
    message: ([proposalId]) => `proposal ${proposalId} could not be queued`,
  },
  GovernorProposalQueueingNotRequired: {
    message: ([proposalId]) => `proposal ${proposalId} does not need queuing`,
  },
  GovernorRestrictedProposer: {
    message: ([proposer]) => `the description reserves this proposal for another proposer than ${proposer}`,
  },
  GovernorUnableToCancel: {
    message: ([proposalId, account]) => `${account} cannot cancel proposal ${proposalId}`,
    hint: () => "Only the orchestrator cancels, with a reason, before the vote starts (cancelWithReason).",
  },
  GovernorUnexpectedProposalState: {
    message: ([proposalId, state]) => `proposal ${proposalId} is ${PROPOSAL_STATES[Number(state)] ?? state}, which does not allow this`,
    hint: () => "Read the proposal's state first (getProposalState()).",
  },

  // ─── The timelock (OpenZeppelin's TimelockController, deployed unmodified) ──────────────────────────────────
  AccessControlBadConfirmation: {
    message: () => "a timelock role can be renounced only by its holder, for itself",
  },
  AccessControlUnauthorizedAccount: {
    message: ([account, neededRole]) => `${account} lacks the timelock role ${short(neededRole)}`,
    hint: () => "Decisions reach the timelock through CityGovernor: propose, vote, then queue and execute the proposal.",
  },
  TimelockInsufficientDelay: {
    message: ([delay, minDelay]) => `a delay of ${delay} s is below the timelock's minimum of ${minDelay} s`,
  },
  TimelockInvalidOperationLength: {
    message: ([targets, payloads, values]) => `the operation has ${targets} targets, ${payloads} calldatas and ${values} values: they must be as many`,
  },
  TimelockUnauthorizedCaller: {
    message: ([caller]) => `${caller} may not call the timelock's own administration: only the timelock itself may`,
  },
  TimelockUnexecutedPredecessor: {
    message: ([predecessorId]) => `operation ${short(predecessorId)} must be executed first`,
  },
  TimelockUnexpectedOperationState: {
    message: ([operationId]) => `operation ${short(operationId)} is not in the state this step needs (scheduled, ready or done)`,
    hint: () => "Queue the proposal after it succeeds, and execute it once the timelock's delay has passed.",
  },
} satisfies CityErrorMessageTable;
