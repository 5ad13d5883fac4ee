import type { CityContext } from "../../types";
import { getBudgetRoundCount, type GetBudgetRoundCountParameters, type GetBudgetRoundCountReturnType } from "../../actions/budget/getBudgetRoundCount";
import { getBudgetRound, type GetBudgetRoundParameters, type GetBudgetRoundReturnType } from "../../actions/budget/getBudgetRound";
import { getBudgetProject, type GetBudgetProjectParameters, type GetBudgetProjectReturnType } from "../../actions/budget/getBudgetProject";
import { getBudgetBallotLog, type GetBudgetBallotLogParameters, type GetBudgetBallotLogReturnType } from "../../actions/budget/getBudgetBallotLog";
import {
  exportBudgetRound,
  importBudgetProjects,
  type ExportBudgetRoundParameters,
  type ExportBudgetRoundReturnType,
  type ImportBudgetProjectsParameters,
  type ImportBudgetProjectsReturnType,
} from "../../actions/budget/pabulib";
import { createRound, type CreateRoundParameters, type CreateRoundReturnType } from "../../actions/budget/createRound";
import { submitProject, type SubmitProjectParameters, type SubmitProjectReturnType } from "../../actions/budget/submitProject";
import { supportProject, type SupportProjectParameters, type SupportProjectReturnType } from "../../actions/budget/supportProject";
import { reviewProject, type ReviewProjectParameters, type ReviewProjectReturnType } from "../../actions/budget/reviewProject";
import { reviseProjectCost, type ReviseProjectCostParameters, type ReviseProjectCostReturnType } from "../../actions/budget/reviseProjectCost";
import { castBudgetBallot, type CastBudgetBallotParameters, type CastBudgetBallotReturnType } from "../../actions/budget/castBudgetBallot";
import { tallyRound, type TallyRoundParameters, type TallyRoundReturnType } from "../../actions/budget/tallyRound";
import { postEqualSharesResult, type PostEqualSharesResultParameters, type PostEqualSharesResultReturnType } from "../../actions/budget/postEqualSharesResult";
import { fundRound, type FundRoundParameters, type FundRoundReturnType } from "../../actions/budget/fundRound";
import { releaseTranche, type ReleaseTrancheParameters, type ReleaseTrancheReturnType } from "../../actions/budget/releaseTranche";
import { closeBudgetProject, type CloseBudgetProjectParameters, type CloseBudgetProjectReturnType } from "../../actions/budget/closeBudgetProject";
import { challengeResult, type ChallengeResultParameters, type ChallengeResultReturnType } from "../../actions/budget/challengeResult";
import { resolveChallenge, type ResolveChallengeParameters, type ResolveChallengeReturnType } from "../../actions/budget/resolveChallenge";
import { withdrawHeld, type WithdrawHeldParameters, type WithdrawHeldReturnType } from "../../actions/budget/withdrawHeld";
import { forfeitHeld, type ForfeitHeldParameters, type ForfeitHeldReturnType } from "../../actions/budget/forfeitHeld";
import { getHeldTranches, type GetHeldTranchesParameters, type GetHeldTranchesReturnType } from "../../actions/budget/getHeldTranches";
import { getBudgetChallenge, type GetBudgetChallengeParameters, type GetBudgetChallengeReturnType } from "../../actions/budget/getBudgetChallenge";

/**
 * The participatory budget actions (ParticipatoryBudget), bound to a city client: `city.budget.castBudgetBallot(…)`.
 * Changing a ballot is casting it again; {@link getBudgetBallotLog} reads every ballot back for the Equal Shares
 * computation ({@link computeBudgetResult}).
 *
 * @example
 * ```ts
 * const budget: BudgetActions = city.budget;
 * await budget.castBudgetBallot({ roundId: 1n, selection: budgetSelection([0, 4]) });
 * ```
 */
export interface BudgetActions {
  /** {@link getBudgetRoundCount} */
  getBudgetRoundCount: (parameters?: GetBudgetRoundCountParameters) => Promise<GetBudgetRoundCountReturnType>;
  /** {@link getBudgetRound} */
  getBudgetRound: (parameters: GetBudgetRoundParameters) => Promise<GetBudgetRoundReturnType>;
  /** {@link getBudgetProject} */
  getBudgetProject: (parameters: GetBudgetProjectParameters) => Promise<GetBudgetProjectReturnType>;
  /** {@link getBudgetBallotLog} */
  getBudgetBallotLog: (parameters: GetBudgetBallotLogParameters) => Promise<GetBudgetBallotLogReturnType>;
  /** {@link exportBudgetRound}: the round as pabulib `.pb` files */
  exportBudgetRound: (parameters: ExportBudgetRoundParameters) => Promise<ExportBudgetRoundReturnType>;
  /** {@link importBudgetProjects}: a `.pb` file's projects submitted to a round */
  importBudgetProjects: (parameters: ImportBudgetProjectsParameters) => Promise<ImportBudgetProjectsReturnType>;
  /** {@link createRound} (ORCHESTRATOR) */
  createRound: (parameters: CreateRoundParameters) => Promise<CreateRoundReturnType>;
  /** {@link submitProject} */
  submitProject: (parameters: SubmitProjectParameters) => Promise<SubmitProjectReturnType>;
  /** {@link supportProject} */
  supportProject: (parameters: SupportProjectParameters) => Promise<SupportProjectReturnType>;
  /** {@link reviewProject} (ORCHESTRATOR) */
  reviewProject: (parameters: ReviewProjectParameters) => Promise<ReviewProjectReturnType>;
  /** {@link reviseProjectCost} (ORCHESTRATOR) */
  reviseProjectCost: (parameters: ReviseProjectCostParameters) => Promise<ReviseProjectCostReturnType>;
  /** {@link castBudgetBallot} */
  castBudgetBallot: (parameters: CastBudgetBallotParameters) => Promise<CastBudgetBallotReturnType>;
  /** {@link tallyRound} */
  tallyRound: (parameters: TallyRoundParameters) => Promise<TallyRoundReturnType>;
  /** {@link postEqualSharesResult} (ORCHESTRATOR) */
  postEqualSharesResult: (parameters: PostEqualSharesResultParameters) => Promise<PostEqualSharesResultReturnType>;
  /** {@link fundRound} (ORCHESTRATOR) */
  fundRound: (parameters: FundRoundParameters) => Promise<FundRoundReturnType>;
  /** {@link releaseTranche} (ORCHESTRATOR) */
  releaseTranche: (parameters: ReleaseTrancheParameters) => Promise<ReleaseTrancheReturnType>;
  /** {@link closeBudgetProject} (ORCHESTRATOR) */
  closeBudgetProject: (parameters: CloseBudgetProjectParameters) => Promise<CloseBudgetProjectReturnType>;
  /** {@link getBudgetChallenge} */
  getBudgetChallenge: (parameters: GetBudgetChallengeParameters) => Promise<GetBudgetChallengeReturnType>;
  /** {@link challengeResult} (an active member) */
  challengeResult: (parameters: ChallengeResultParameters) => Promise<ChallengeResultReturnType>;
  /** {@link resolveChallenge} (COUNCIL) */
  resolveChallenge: (parameters: ResolveChallengeParameters) => Promise<ResolveChallengeReturnType>;
  /** {@link getHeldTranches} */
  getHeldTranches: (parameters: GetHeldTranchesParameters) => Promise<GetHeldTranchesReturnType>;
  /** {@link withdrawHeld} (an active member) */
  withdrawHeld: (parameters?: WithdrawHeldParameters) => Promise<WithdrawHeldReturnType>;
  /** {@link forfeitHeld} (COUNCIL) */
  forfeitHeld: (parameters: ForfeitHeldParameters) => Promise<ForfeitHeldReturnType>;
}

/**
 * Binds the budget actions to `context`; each throws ContractNotDeployedError if the deployment lacks
 * ParticipatoryBudget.
 *
 * @example
 * ```ts
 * const budget = budgetActions({ publicClient, walletClient, addresses: deployment.addresses });
 * ```
 */
export function budgetActions(context: CityContext): BudgetActions {
  return {
    getBudgetRoundCount: (parameters = {}) => getBudgetRoundCount(context, parameters),
    getBudgetRound: (parameters) => getBudgetRound(context, parameters),
    getBudgetProject: (parameters) => getBudgetProject(context, parameters),
    getBudgetBallotLog: (parameters) => getBudgetBallotLog(context, parameters),
    exportBudgetRound: (parameters) => exportBudgetRound(context, parameters),
    importBudgetProjects: (parameters) => importBudgetProjects(context, parameters),
    createRound: (parameters) => createRound(context, parameters),
    submitProject: (parameters) => submitProject(context, parameters),
    supportProject: (parameters) => supportProject(context, parameters),
    reviewProject: (parameters) => reviewProject(context, parameters),
    reviseProjectCost: (parameters) => reviseProjectCost(context, parameters),
    castBudgetBallot: (parameters) => castBudgetBallot(context, parameters),
    tallyRound: (parameters) => tallyRound(context, parameters),
    postEqualSharesResult: (parameters) => postEqualSharesResult(context, parameters),
    fundRound: (parameters) => fundRound(context, parameters),
    releaseTranche: (parameters) => releaseTranche(context, parameters),
    closeBudgetProject: (parameters) => closeBudgetProject(context, parameters),
    getBudgetChallenge: (parameters) => getBudgetChallenge(context, parameters),
    challengeResult: (parameters) => challengeResult(context, parameters),
    resolveChallenge: (parameters) => resolveChallenge(context, parameters),
    getHeldTranches: (parameters) => getHeldTranches(context, parameters),
    withdrawHeld: (parameters = {}) => withdrawHeld(context, parameters),
    forfeitHeld: (parameters) => forfeitHeld(context, parameters),
  };
}
