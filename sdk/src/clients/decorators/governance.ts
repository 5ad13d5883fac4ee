import type { CityContext } from "../../types";
import { propose, type ProposeParameters, type ProposeReturnType } from "../../actions/governance/propose";
import { proposeWithCosigners, type ProposeWithCosignersParameters, type ProposeWithCosignersReturnType } from "../../actions/governance/proposeWithCosigners";
import { signCosign, type SignCosignParameters, type SignCosignReturnType } from "../../actions/governance/signCosign";
import { getProposalId, type GetProposalIdParameters, type GetProposalIdReturnType } from "../../actions/governance/getProposalId";
import { castVote, type CastVoteParameters, type CastVoteReturnType } from "../../actions/governance/castVote";
import { signBallot, type SignBallotParameters, type SignBallotReturnType } from "../../actions/governance/signBallot";
import { castVoteBySig, type CastVoteBySigParameters, type CastVoteBySigReturnType } from "../../actions/governance/castVoteBySig";
import { queue, type QueueParameters, type QueueReturnType } from "../../actions/governance/queue";
import { execute, type ExecuteParameters, type ExecuteReturnType } from "../../actions/governance/execute";
import { cancelProposal, type CancelProposalParameters, type CancelProposalReturnType } from "../../actions/governance/cancel";
import { veto, type VetoParameters, type VetoReturnType } from "../../actions/governance/veto";
import { signVeto, type SignVetoParameters, type SignVetoReturnType } from "../../actions/governance/signVeto";
import { vetoBySig, type VetoBySigParameters, type VetoBySigReturnType } from "../../actions/governance/vetoBySig";
import { getProposalState, type GetProposalStateParameters, type GetProposalStateReturnType } from "../../actions/governance/getProposalState";
import { getCollegeResults, type GetCollegeResultsParameters, type GetCollegeResultsReturnType } from "../../actions/governance/getCollegeResults";
import { getVetoProgress, type GetVetoProgressParameters, type GetVetoProgressReturnType } from "../../actions/governance/getVetoProgress";

/**
 * The governance actions (CityGovernor, CitizensVeto, CityCharter), bound to a city client:
 * `city.governance.castVote({ proposalId, support: 1 })`.
 *
 * @example
 * ```ts
 * const governance: GovernanceActions = city.governance;
 * const { colleges } = await governance.getCollegeResults({ proposalId });
 * ```
 */
export interface GovernanceActions {
  /** {@link propose} */
  propose: (parameters: ProposeParameters) => Promise<ProposeReturnType>;
  /** {@link proposeWithCosigners} */
  proposeWithCosigners: (parameters: ProposeWithCosignersParameters) => Promise<ProposeWithCosignersReturnType>;
  /** {@link signCosign} */
  signCosign: (parameters: SignCosignParameters) => Promise<SignCosignReturnType>;
  /** {@link getProposalId} */
  getProposalId: (parameters: GetProposalIdParameters) => Promise<GetProposalIdReturnType>;
  /** {@link castVote} */
  castVote: (parameters: CastVoteParameters) => Promise<CastVoteReturnType>;
  /** {@link signBallot} */
  signBallot: (parameters: SignBallotParameters) => Promise<SignBallotReturnType>;
  /** {@link castVoteBySig} */
  castVoteBySig: (parameters: CastVoteBySigParameters) => Promise<CastVoteBySigReturnType>;
  /** {@link queue} */
  queue: (parameters: QueueParameters) => Promise<QueueReturnType>;
  /** {@link execute} */
  execute: (parameters: ExecuteParameters) => Promise<ExecuteReturnType>;
  /** {@link cancelProposal} */
  cancel: (parameters: CancelProposalParameters) => Promise<CancelProposalReturnType>;
  /** {@link veto} */
  veto: (parameters: VetoParameters) => Promise<VetoReturnType>;
  /** {@link signVeto} */
  signVeto: (parameters: SignVetoParameters) => Promise<SignVetoReturnType>;
  /** {@link vetoBySig} */
  vetoBySig: (parameters: VetoBySigParameters) => Promise<VetoBySigReturnType>;
  /** {@link getProposalState} */
  getProposalState: (parameters: GetProposalStateParameters) => Promise<GetProposalStateReturnType>;
  /** {@link getCollegeResults} */
  getCollegeResults: (parameters: GetCollegeResultsParameters) => Promise<GetCollegeResultsReturnType>;
  /** {@link getVetoProgress} */
  getVetoProgress: (parameters: GetVetoProgressParameters) => Promise<GetVetoProgressReturnType>;
}

/**
 * Binds the governance actions to `context`.
 * @example `const governance = governanceActions(context);`
 */
export function governanceActions(context: CityContext): GovernanceActions {
  return {
    propose: (p) => propose(context, p),
    proposeWithCosigners: (p) => proposeWithCosigners(context, p),
    signCosign: (p) => signCosign(context, p),
    getProposalId: (p) => getProposalId(context, p),
    castVote: (p) => castVote(context, p),
    signBallot: (p) => signBallot(context, p),
    castVoteBySig: (p) => castVoteBySig(context, p),
    queue: (p) => queue(context, p),
    execute: (p) => execute(context, p),
    cancel: (p) => cancelProposal(context, p),
    veto: (p) => veto(context, p),
    signVeto: (p) => signVeto(context, p),
    vetoBySig: (p) => vetoBySig(context, p),
    getProposalState: (p) => getProposalState(context, p),
    getCollegeResults: (p) => getCollegeResults(context, p),
    getVetoProgress: (p) => getVetoProgress(context, p),
  };
}
