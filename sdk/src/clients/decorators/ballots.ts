import type { CityContext } from "../../types";
import { getBallotCount, type GetBallotCountParameters, type GetBallotCountReturnType } from "../../actions/ballots/getBallotCount";
import { getBallot, type GetBallotParameters, type GetBallotReturnType } from "../../actions/ballots/getBallot";
import { getBallotState, type GetBallotStateParameters, type GetBallotStateReturnType } from "../../actions/ballots/getBallotState";
import { getResults, type GetResultsParameters, type GetResultsReturnType } from "../../actions/ballots/getResults";
import { getChoice, type GetChoiceParameters, type GetChoiceReturnType } from "../../actions/ballots/getChoice";
import { getCommitment, type GetCommitmentParameters, type GetCommitmentReturnType } from "../../actions/ballots/getCommitment";
import { getPetitionOutcome, type GetPetitionOutcomeParameters, type GetPetitionOutcomeReturnType } from "../../actions/ballots/getPetitionOutcome";
import { createBallot, type CreateBallotParameters, type CreateBallotReturnType } from "../../actions/ballots/createBallot";
import { createPetition, type CreatePetitionParameters, type CreatePetitionReturnType } from "../../actions/ballots/createPetition";
import { vote, type VoteParameters, type VoteReturnType } from "../../actions/ballots/vote";
import { commitVote, type CommitVoteParameters, type CommitVoteReturnType } from "../../actions/ballots/commitVote";
import { revealVote, type RevealVoteParameters, type RevealVoteReturnType } from "../../actions/ballots/revealVote";
import { signPetition, type SignPetitionParameters, type SignPetitionReturnType } from "../../actions/ballots/signPetition";
import { finalizeBallot, type FinalizeBallotParameters, type FinalizeBallotReturnType } from "../../actions/ballots/finalizeBallot";
import { finalizeBallotPage, type FinalizeBallotPageParameters, type FinalizeBallotPageReturnType } from "../../actions/ballots/finalizeBallotPage";
import { getFinalizationProgress, type GetFinalizationProgressParameters, type GetFinalizationProgressReturnType } from "../../actions/ballots/getFinalizationProgress";
import { openPetition, type OpenPetitionParameters, type OpenPetitionReturnType } from "../../actions/ballots/openPetition";
import { verifyBallotReceipt, type VerifyBallotReceiptParameters, type VerifyBallotReceiptReturnType } from "../../actions/ballots/verifyBallotReceipt";

/**
 * The ballot actions (CityBallots), bound to a city client: `city.ballots.vote({ ballotId, choice })`. Changing a
 * vote is voting again; a sealed vote is `commitVote` then, after close, `revealVote` (with a salt store).
 *
 * @example
 * ```ts
 * const ballots: BallotsActions = city.ballots;
 * await ballots.vote({ ballotId: 1n, choice: referendumOptions.yes });
 * ```
 */
export interface BallotsActions {
  /** {@link getBallotCount} */
  getBallotCount: (parameters?: GetBallotCountParameters) => Promise<GetBallotCountReturnType>;
  /** {@link getBallot} */
  getBallot: (parameters: GetBallotParameters) => Promise<GetBallotReturnType>;
  /** {@link getBallotState} */
  getBallotState: (parameters: GetBallotStateParameters) => Promise<GetBallotStateReturnType>;
  /** {@link getResults} */
  getResults: (parameters: GetResultsParameters) => Promise<GetResultsReturnType>;
  /** {@link getChoice} */
  getChoice: (parameters: GetChoiceParameters) => Promise<GetChoiceReturnType>;
  /** {@link getCommitment} */
  getCommitment: (parameters: GetCommitmentParameters) => Promise<GetCommitmentReturnType>;
  /** {@link getPetitionOutcome} */
  getPetitionOutcome: (parameters: GetPetitionOutcomeParameters) => Promise<GetPetitionOutcomeReturnType>;
  /** {@link createBallot} (ORCHESTRATOR) */
  createBallot: (parameters: CreateBallotParameters) => Promise<CreateBallotReturnType>;
  /** {@link createPetition} (ORCHESTRATOR) */
  createPetition: (parameters: CreatePetitionParameters) => Promise<CreatePetitionReturnType>;
  /** {@link openPetition} (an active member) */
  openPetition: (parameters: OpenPetitionParameters) => Promise<OpenPetitionReturnType>;
  /** {@link vote} */
  vote: (parameters: VoteParameters) => Promise<VoteReturnType>;
  /** {@link commitVote} */
  commitVote: (parameters: CommitVoteParameters) => Promise<CommitVoteReturnType>;
  /** {@link revealVote} */
  revealVote: (parameters: RevealVoteParameters) => Promise<RevealVoteReturnType>;
  /** {@link signPetition} */
  signPetition: (parameters: SignPetitionParameters) => Promise<SignPetitionReturnType>;
  /** {@link finalizeBallot} (pages first when needed) */
  finalizeBallot: (parameters: FinalizeBallotParameters) => Promise<FinalizeBallotReturnType>;
  /** {@link finalizeBallotPage} */
  finalizeBallotPage: (parameters: FinalizeBallotPageParameters) => Promise<FinalizeBallotPageReturnType>;
  /** {@link getFinalizationProgress} */
  getFinalizationProgress: (parameters: GetFinalizationProgressParameters) => Promise<GetFinalizationProgressReturnType>;
  /** {@link verifyBallotReceipt} (needs the client's `ledgerUrl`) */
  verifyBallotReceipt: (parameters: VerifyBallotReceiptParameters) => Promise<VerifyBallotReceiptReturnType>;
}

/**
 * Binds the ballot actions to `context`; each throws ContractNotDeployedError if the deployment lacks CityBallots.
 *
 * @example
 * ```ts
 * const ballots = ballotsActions({ publicClient, walletClient, addresses: deployment.addresses });
 * await ballots.signPetition({ petitionId: 2n });
 * ```
 */
export function ballotsActions(context: CityContext): BallotsActions {
  return {
    getBallotCount: (parameters) => getBallotCount(context, parameters),
    getBallot: (parameters) => getBallot(context, parameters),
    getBallotState: (parameters) => getBallotState(context, parameters),
    getResults: (parameters) => getResults(context, parameters),
    getChoice: (parameters) => getChoice(context, parameters),
    getCommitment: (parameters) => getCommitment(context, parameters),
    getPetitionOutcome: (parameters) => getPetitionOutcome(context, parameters),
    createBallot: (parameters) => createBallot(context, parameters),
    createPetition: (parameters) => createPetition(context, parameters),
    openPetition: (parameters) => openPetition(context, parameters),
    vote: (parameters) => vote(context, parameters),
    commitVote: (parameters) => commitVote(context, parameters),
    revealVote: (parameters) => revealVote(context, parameters),
    signPetition: (parameters) => signPetition(context, parameters),
    finalizeBallot: (parameters) => finalizeBallot(context, parameters),
    finalizeBallotPage: (parameters) => finalizeBallotPage(context, parameters),
    getFinalizationProgress: (parameters) => getFinalizationProgress(context, parameters),
    verifyBallotReceipt: (parameters) => verifyBallotReceipt(context, parameters),
  };
}
