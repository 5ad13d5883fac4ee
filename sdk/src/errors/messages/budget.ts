/** The SDK's explanations of the custom errors of ParticipatoryBudget: rounds, projects, ballots, tallies, tranches. */
import type { CityErrorMessageTable } from "./types";
import { BUDGET_BALLOT_RULES, BUDGET_GREEDY_RULES, BUDGET_PHASES, BUDGET_WINNER_RULES, city, short, time } from "./format";

/**
 * How the custom errors of ParticipatoryBudget read (see `CityErrorExplanation`).
 * @example `budgetMessages.ParticipatoryBudgetZeroAddress.message(args, {})`
 */
export const budgetMessages = {
  ParticipatoryBudgetZeroAddress: {
    message: () => "the treasury cannot be the zero address",
    hint: () => "Pass the city account that funds budget winners.",
  },
  ParticipatoryBudgetInvalidSchedule: {
    message: ([snapshot, proposalsEnd, supportEnd, reviewEnd, voteEnd]) =>
      `the schedule (snapshot ${time(snapshot)}, proposals until ${time(proposalsEnd)}, support until ${time(supportEnd)}, review until ${time(reviewEnd)}, vote until ${time(voteEnd)}) is not in order`,
    hint: () => "Proposals must end in the future; support ends no earlier, review and vote strictly later; the snapshot comes before the vote opens.",
  },
  ParticipatoryBudgetInvalidBallotRule: {
    message: ([rule, maxApprovals]) => `a ${BUDGET_BALLOT_RULES[rule] ?? rule} ballot with at most ${maxApprovals} approvals is not valid`,
    hint: () => "Approval ballots need maxApprovals ≥ 1; knapsack ballots take 0.",
  },
  ParticipatoryBudgetMinSpendTooHigh: {
    message: ([bps]) => `a minimum share of ${bps} bps is over 100%`,
    hint: () => "Use 0 (no minimum) to 10,000 basis points.",
  },
  ParticipatoryBudgetEmptyElectorate: {
    message: () => "the round's electorate names no college",
    hint: () => "Set at least one bit of collegeMask.",
  },
  ParticipatoryBudgetEnvelopeLengthMismatch: {
    message: ([districts, amounts]) => `${districts} districts but ${amounts} district amounts`,
    hint: () => "Give one amount per district envelope.",
  },
  ParticipatoryBudgetTooManyEnvelopes: {
    message: ([count, max]) => `${count} district envelopes are more than the ${max} a round may have`,
  },
  ParticipatoryBudgetDuplicateDistrict: {
    message: ([district]) => `district ${district} has two envelopes`,
    hint: () => "List each district once.",
  },
  ParticipatoryBudgetUnknownRound: {
    message: ([roundId]) => `budget round ${roundId} does not exist`,
    hint: () => "Round ids run from 1 to getBudgetRoundCount().",
  },
  ParticipatoryBudgetWrongPhase: {
    message: ([roundId, current, expected]) =>
      `round ${roundId} is in its ${BUDGET_PHASES[current] ?? current} phase, not ${BUDGET_PHASES[expected] ?? expected}`,
    hint: () => "Read the round's deadlines and phase with getBudgetRound().",
  },
  ParticipatoryBudgetNotAMember: {
    message: ([account]) => `account ${account} is not a member`,
    hint: () => "Only registered, active members take part in budget rounds.",
  },
  ParticipatoryBudgetMemberSuspended: {
    message: ([account]) => `member ${account} is suspended`,
    hint: () => "A suspended member cannot propose, support or vote until reinstated.",
  },
  ParticipatoryBudgetNotInElectorate: {
    message: ([account]) => `member ${account} is not in the round's electorate`,
    hint: () => "The electorate is the members active at the round's snapshot in one of its colleges; joining later gives no vote.",
  },
  ParticipatoryBudgetUnknownEnvelope: {
    message: ([roundId, envelope]) => `round ${roundId} has no envelope ${envelope}`,
    hint: () => "Envelope 0 is city-wide; 1..n are the districts in the order the round lists them.",
  },
  ParticipatoryBudgetInvalidCost: {
    message: ([cost, amount]) => `a cost of ${city(cost)} is not between 0 and the envelope's ${city(amount)}`,
    hint: () => "A project costs something, and no more than its envelope.",
  },
  ParticipatoryBudgetUnknownProject: {
    message: ([roundId, projectId]) => `round ${roundId} has no project ${projectId}`,
  },
  ParticipatoryBudgetAlreadySupported: {
    message: ([roundId, projectId, account]) => `account ${account} already supports project ${projectId} of round ${roundId}`,
  },
  ParticipatoryBudgetNotAdvanced: {
    message: ([roundId, projectId, supports, threshold]) =>
      `project ${projectId} of round ${roundId} has ${supports} supports, fewer than the ${threshold} needed for review`,
  },
  ParticipatoryBudgetAlreadyReviewed: {
    message: ([roundId, projectId]) => `project ${projectId} of round ${roundId} was already reviewed`,
  },
  ParticipatoryBudgetNotFeasible: {
    message: ([roundId, projectId]) => `project ${projectId} of round ${roundId} is not a feasible project on the ballot`,
    hint: () => "Only feasible projects' costs can be revised, during the review phase.",
  },
  ParticipatoryBudgetBallotFull: {
    message: ([roundId, max]) => `the ballot of round ${roundId} already holds ${max} projects`,
  },
  ParticipatoryBudgetEmptyBallot: {
    message: () => "the ballot selects no project",
    hint: () => "Select at least one project (budgetSelection([...ballot indexes])).",
  },
  ParticipatoryBudgetNotOnBallot: {
    message: ([roundId, ballotIndex]) => `ballot index ${ballotIndex} is not a project on round ${roundId}'s ballot`,
    hint: () => "Ballot indexes run from 0 to the round's ballotCount - 1.",
  },
  ParticipatoryBudgetOutsideDistrict: {
    message: ([projectId, district]) => `project ${projectId} is not in the envelope of the voter's district ${district}`,
    hint: () => "A member votes in the city-wide envelope and in their own district's (as registered at the snapshot).",
  },
  ParticipatoryBudgetOverEnvelope: {
    message: ([envelope, cost, amount]) => `the selected projects cost ${city(cost)}, more than envelope ${envelope}'s ${city(amount)}`,
    hint: () => "Select projects whose costs fit the envelope.",
  },
  ParticipatoryBudgetTooManyApprovals: {
    message: ([envelope, count, max]) => `${count} projects selected in envelope ${envelope}, more than the ${max} allowed`,
  },
  ParticipatoryBudgetUnderMinimumSpend: {
    message: ([envelope, cost, minimum]) => `the selected projects of envelope ${envelope} cost ${city(cost)}, less than the round's minimum of ${city(minimum)}`,
    hint: () => "Select more of the envelope, or nothing in it.",
  },
  ParticipatoryBudgetWrongWinnerRule: {
    message: ([roundId, rule]) => `round ${roundId}'s winner rule is ${BUDGET_WINNER_RULES[rule] ?? rule}`,
    hint: ([, rule]) => (BUDGET_GREEDY_RULES.includes(rule) ? "A greedy round is tallied on chain with tallyRound()." : "An Equal Shares round takes a posted result: postEqualSharesResult()."),
  },
  ParticipatoryBudgetLogHeadMismatch: {
    message: ([expected, given]) => `the result was computed from ballot log ${short(given)}, not the round's ${short(expected)}`,
    hint: () => "Read the whole ballot log again (getBudgetBallotLog) after the vote closed and recompute.",
  },
  ParticipatoryBudgetAlreadyFunded: {
    message: ([roundId]) => `round ${roundId} is already funded`,
  },
  ParticipatoryBudgetNotFunded: {
    message: ([roundId, projectId]) => `project ${projectId} of round ${roundId} has no escrow (not a winner, not funded yet, or closed)`,
  },
  ParticipatoryBudgetZeroAmount: {
    message: () => "the amount is zero",
    hint: () => "Release a positive amount.",
  },
  ParticipatoryBudgetExceedsEscrow: {
    message: ([roundId, projectId, amount, escrow]) =>
      `releasing ${city(amount)} from project ${projectId} of round ${roundId} exceeds its escrow of ${city(escrow)}`,
  },
  ParticipatoryBudgetChallengeWindowOpen: {
    message: ([roundId, end]) => `the result of round ${roundId} may be challenged until ${end}: it cannot be funded yet`,
    hint: () => "Fund after the challenge window ends.",
  },
  ParticipatoryBudgetResultChallenged: {
    message: ([roundId]) => `the result of round ${roundId} is challenged: the council must resolve it before funding`,
  },
  ParticipatoryBudgetNotChallengeable: {
    message: ([roundId, end]) => `the result of round ${roundId} cannot be challenged now (window end ${end}, once, before funding)`,
  },
  ParticipatoryBudgetSameResult: {
    message: ([roundId]) => `the challenge names the very winners posted for round ${roundId}`,
    hint: () => "A challenge states the winners your recomputation found, which differ from the posted ones.",
  },
  ParticipatoryBudgetNotChallenged: {
    message: ([roundId]) => `the result of round ${roundId} is not challenged`,
  },
  ParticipatoryBudgetNothingHeld: {
    message: ([account]) => `nothing is held for ${account}`,
  },
  ParticipatoryBudgetNotRemoved: {
    message: ([account]) => `${account} is not a removed member: what is held for them stays theirs`,
  },
  ParticipatoryBudgetNotRegistry: {
    message: ([caller]) => `${caller} is not the city's registry: only it reports membership changes`,
  },
} satisfies CityErrorMessageTable;
