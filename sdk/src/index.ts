/**
 * @cityledger/sdk: typed access to a cityledger deployment with viem — members, the city currency, the basic income,
 * parking sharing.
 *
 * Everything is exported from here; each action also lives in its own module (actions/<module>/<action>) so
 * bundlers keep only what an app uses.
 *
 * @example
 * ```ts
 * import { createCityClient, loadDeployment, parseCity, formatCity } from "@cityledger/sdk";
 * const city = createCityClient({ publicClient, walletClient, deployment: loadDeployment(record) });
 * await city.currency.transfer({ to: "0x…", amount: parseCity("12.5") });
 * console.log(formatCity(await city.currency.getBalance({ address: "0x…" })));
 * ```
 * @packageDocumentation
 */

// Clients
export { createCityClient, type CityClient, type CreateCityClientParameters, type CreateCityClientErrorType } from "./clients/createCityClient";
export { membersActions, type MembersActions } from "./clients/decorators/members";
export { currencyActions, type CurrencyActions } from "./clients/decorators/currency";
export { incomeActions, type IncomeActions } from "./clients/decorators/income";
export { parkingActions, type ParkingActions } from "./clients/decorators/parking";
export { energyActions, type EnergyActions } from "./clients/decorators/energy";
export { ballotsActions, type BallotsActions } from "./clients/decorators/ballots";
export { budgetActions, type BudgetActions } from "./clients/decorators/budget";
export { datauseActions, type DatauseActions } from "./clients/decorators/datause";
export type { CityContext, ReadParameters, WriteParameters, WriteReturnType, ReadErrorType, WriteErrorType } from "./types";

// Actions: members
export { cancelMigration, type CancelMigrationParameters, type CancelMigrationReturnType, type CancelMigrationErrorType } from "./actions/members/cancelMigration";
export { approveMigration, type ApproveMigrationParameters, type ApproveMigrationReturnType, type ApproveMigrationErrorType } from "./actions/members/approveMigration";
export { completeMigration, type CompleteMigrationParameters, type CompleteMigrationReturnType, type CompleteMigrationErrorType } from "./actions/members/completeMigration";
export { getCollegeSize, type GetCollegeSizeParameters, type GetCollegeSizeReturnType, type GetCollegeSizeErrorType } from "./actions/members/getCollegeSize";
export { getMember, memberStatuses, type MemberStatus, type GetMemberParameters, type GetMemberReturnType, type GetMemberErrorType } from "./actions/members/getMember";
export { getMigration, type GetMigrationParameters, type GetMigrationReturnType, type GetMigrationErrorType } from "./actions/members/getMigration";
export { getPastProfile, type GetPastProfileParameters, type GetPastProfileReturnType, type GetPastProfileErrorType } from "./actions/members/getPastProfile";
export { getPastVotes, type GetPastVotesParameters, type GetPastVotesReturnType, type GetPastVotesErrorType } from "./actions/members/getPastVotes";
export { getVotes, type GetVotesParameters, type GetVotesReturnType, type GetVotesErrorType } from "./actions/members/getVotes";
export { isActiveMember, type IsActiveMemberParameters, type IsActiveMemberReturnType, type IsActiveMemberErrorType } from "./actions/members/isActiveMember";
export { register, type RegisterParameters, type RegisterReturnType, type RegisterErrorType } from "./actions/members/register";
export { credentialHash, type CredentialHashParameters } from "./actions/members/credential";
export { reinstate, type ReinstateParameters, type ReinstateReturnType, type ReinstateErrorType } from "./actions/members/reinstate";
export { remove, type RemoveParameters, type RemoveReturnType, type RemoveErrorType } from "./actions/members/remove";
export { startMigration, type StartMigrationParameters, type StartMigrationReturnType, type StartMigrationErrorType } from "./actions/members/startMigration";
export { suspend, type SuspendParameters, type SuspendReturnType, type SuspendErrorType } from "./actions/members/suspend";
export { update, type UpdateParameters, type UpdateReturnType, type UpdateErrorType } from "./actions/members/update";

// Actions: currency
export { approve, type ApproveParameters, type ApproveReturnType, type ApproveErrorType } from "./actions/currency/approve";
export { attestReserve, type AttestReserveParameters, type AttestReserveReturnType, type AttestReserveErrorType } from "./actions/currency/attestReserve";
export { getAllowance, type GetAllowanceParameters, type GetAllowanceReturnType, type GetAllowanceErrorType } from "./actions/currency/getAllowance";
export { getBalance, type GetBalanceParameters, type GetBalanceReturnType, type GetBalanceErrorType } from "./actions/currency/getBalance";
export { getReserve, type GetReserveParameters, type GetReserveReturnType, type GetReserveErrorType } from "./actions/currency/getReserve";
export { getTotalSupply, type GetTotalSupplyParameters, type GetTotalSupplyReturnType, type GetTotalSupplyErrorType } from "./actions/currency/getTotalSupply";
export { issue, type IssueParameters, type IssueReturnType, type IssueErrorType } from "./actions/currency/issue";
export { permit, type PermitParameters, type PermitReturnType, type PermitErrorType } from "./actions/currency/permit";
export { redeem, type RedeemParameters, type RedeemReturnType, type RedeemErrorType } from "./actions/currency/redeem";
export { signPermit, type SignedPermit, type SignPermitParameters, type SignPermitReturnType, type SignPermitErrorType } from "./actions/currency/signPermit";
export { relayPermit, type RelayPermitParameters, type RelayPermitReturnType, type RelayPermitErrorType } from "./actions/currency/relayPermit";
export { transfer, type TransferParameters, type TransferReturnType, type TransferErrorType } from "./actions/currency/transfer";
export { transferFrom, type TransferFromParameters, type TransferFromReturnType, type TransferFromErrorType } from "./actions/currency/transferFrom";

// Actions: income
export { claim, type ClaimParameters, type ClaimReturnType, type ClaimErrorType } from "./actions/income/claim";
export { createProgram, type CreateProgramParameters, type CreateProgramReturnType, type CreateProgramErrorType } from "./actions/income/createProgram";
export { fund, type FundParameters, type FundReturnType, type FundErrorType } from "./actions/income/fund";
export { getCurrentPeriod, type GetCurrentPeriodParameters, type GetCurrentPeriodReturnType, type GetCurrentPeriodErrorType } from "./actions/income/getCurrentPeriod";
export { getPeriod, type GetPeriodParameters, type GetPeriodReturnType, type GetPeriodErrorType } from "./actions/income/getPeriod";
export { getProgram, type GetProgramParameters, type GetProgramReturnType, type GetProgramErrorType } from "./actions/income/getProgram";
export { getProgramCount, type GetProgramCountParameters, type GetProgramCountReturnType, type GetProgramCountErrorType } from "./actions/income/getProgramCount";
export { hasClaimed, type HasClaimedParameters, type HasClaimedReturnType, type HasClaimedErrorType } from "./actions/income/hasClaimed";

// Actions: parking
export { getSpot, type GetSpotParameters, type GetSpotReturnType, type GetSpotErrorType } from "./actions/parking/getSpot";
export { getSpotCount, type GetSpotCountParameters, type GetSpotCountReturnType, type GetSpotCountErrorType } from "./actions/parking/getSpotCount";
export { getBooking, bookingStatuses, type BookingStatus, type GetBookingParameters, type GetBookingReturnType, type GetBookingErrorType } from "./actions/parking/getBooking";
export { quote, type QuoteParameters, type QuoteReturnType, type QuoteErrorType } from "./actions/parking/quote";
export { userOf, type UserOfParameters, type UserOfReturnType, type UserOfErrorType } from "./actions/parking/userOf";
export { userExpires, type UserExpiresParameters, type UserExpiresReturnType, type UserExpiresErrorType } from "./actions/parking/userExpires";
export { list, type ParkingSpotTerms, type ListParameters, type ListReturnType, type ListErrorType } from "./actions/parking/list";
export { edit, type EditParameters, type EditReturnType, type EditErrorType } from "./actions/parking/edit";
export { pause, type PauseParameters, type PauseReturnType, type PauseErrorType } from "./actions/parking/pause";
export { resume, type ResumeParameters, type ResumeReturnType, type ResumeErrorType } from "./actions/parking/resume";
export { delist, type DelistParameters, type DelistReturnType, type DelistErrorType } from "./actions/parking/delist";
export { blockDays, type BlockDaysParameters, type BlockDaysReturnType, type BlockDaysErrorType } from "./actions/parking/blockDays";
export { unblockDays, type UnblockDaysParameters, type UnblockDaysReturnType, type UnblockDaysErrorType } from "./actions/parking/unblockDays";
export { book, type BookParameters, type BookReturnType, type BookErrorType } from "./actions/parking/book";
export { bookWithPermit, type BookWithPermitParameters, type BookWithPermitReturnType, type BookWithPermitErrorType } from "./actions/parking/bookWithPermit";
export { cancel, type CancelParameters, type CancelReturnType, type CancelErrorType } from "./actions/parking/cancel";
export { checkIn, type CheckInParameters, type CheckInReturnType, type CheckInErrorType } from "./actions/parking/checkIn";
export { checkOut, type CheckOutParameters, type CheckOutReturnType, type CheckOutErrorType } from "./actions/parking/checkOut";
export { openDispute, type OpenDisputeParameters, type OpenDisputeReturnType, type OpenDisputeErrorType } from "./actions/parking/openDispute";
export { resolveDispute, type ResolveDisputeParameters, type ResolveDisputeReturnType, type ResolveDisputeErrorType } from "./actions/parking/resolveDispute";
export { payout, type PayoutParameters, type PayoutReturnType, type PayoutErrorType } from "./actions/parking/payout";
export { withdrawCredit, type WithdrawCreditParameters, type WithdrawCreditReturnType, type WithdrawCreditErrorType } from "./actions/parking/withdrawCredit";
export { getCredit, type GetCreditParameters, type GetCreditReturnType, type GetCreditErrorType } from "./actions/parking/getCredit";
export { rate, type RateParameters, type RateReturnType, type RateErrorType } from "./actions/parking/rate";

// Actions: energy (EnergyMarket). Exported under energy names where parking already uses the plain ones.
export { ask as askEnergy, type AskParameters, type AskReturnType, type AskErrorType } from "./actions/energy/ask";
export { bid as bidEnergy, type BidParameters, type BidReturnType, type BidErrorType } from "./actions/energy/bid";
export { cancelOrder as cancelEnergyOrder, type CancelOrderParameters, type CancelOrderReturnType, type CancelOrderErrorType } from "./actions/energy/cancelOrder";
export { clear as clearEnergySlot, type ClearParameters, type ClearReturnType, type ClearErrorType } from "./actions/energy/clear";
export { settle as settleEnergySlot, sortReadings, type SettleParameters, type SettleReturnType, type SettleErrorType } from "./actions/energy/settle";
export { deposit as depositEnergy, type DepositParameters, type DepositReturnType, type DepositErrorType } from "./actions/energy/deposit";
export { claimRefund as claimEnergyRefund, type ClaimRefundParameters, type ClaimRefundReturnType, type ClaimRefundErrorType } from "./actions/energy/claimRefund";
export { recordReadings, type RecordReadingsParameters, type RecordReadingsReturnType, type RecordReadingsErrorType } from "./actions/energy/recordReadings";
export { signReading, meterReadingTypes, type MeterReading, type SignReadingParameters, type SignReadingReturnType, type SignReadingErrorType } from "./actions/energy/signReading";
export { getOrder as getEnergyOrder, energyOrderIdOf, type GetOrderParameters, type GetOrderReturnType, type GetOrderErrorType } from "./actions/energy/getOrder";
export { getSlotResult as getEnergySlotResult, type GetSlotResultParameters, type GetSlotResultReturnType, type GetSlotResultErrorType } from "./actions/energy/getSlotResult";
export { getBook as getEnergyBook, type GetBookParameters, type GetBookReturnType, type GetBookErrorType } from "./actions/energy/getBook";
export { getMarketBalance as getEnergyMarketBalance, type GetMarketBalanceParameters, type GetMarketBalanceReturnType, type GetMarketBalanceErrorType } from "./actions/energy/getMarketBalance";

// Deployment
export {
  loadDeployment,
  cityContractNames,
  cityModuleContractNames,
  cityRoleNames,
  type CityAddresses,
  type CityContractDeployment,
  type CityContractName,
  type CityModuleContractName,
  type CityDeployment,
  type CityRoleName,
  type DeploymentRecordJson,
  type LoadDeploymentOptions,
} from "./deployment/loadDeployment";

// Amounts and flags
export { parseCity, formatCity, CITY_DECIMALS, InvalidAmountError, type InvalidAmountErrorType } from "./utils/units";
export { memberFlags, type MemberFlagName } from "./utils/memberFlags";
export { ALL_WEEK, bookingIdOf, dayIndexOf, parseBookingId, weeklyAvailability } from "./utils/parking";

// Errors (the same as @cityledger/sdk/errors)
export * from "./errors";

// The ledger node: checkpoints, entries, proofs, receipts verified against the chain and a signed checkpoint
export { getCheckpoint, type GetCheckpointParameters, type GetCheckpointReturnType } from "./actions/ledger/getCheckpoint";
export { getEntries, getEntry, type GetEntriesParameters, type GetEntriesReturnType, type GetEntryParameters, type LedgerEntry } from "./actions/ledger/getEntry";
export {
  getConsistencyProof,
  getInclusionProof,
  type ConsistencyProof,
  type GetConsistencyProofParameters,
  type GetInclusionProofParameters,
  type InclusionProof,
} from "./actions/ledger/getProofs";
export { ReceiptVerificationError, verifyReceipt, type VerifiedReceipt, type VerifyReceiptParameters } from "./actions/ledger/verifyReceipt";
export { LedgerRequestError } from "./actions/internal/ledger";
export { ledgerActions, type LedgerActions } from "./clients/decorators/ledger";
// Open data of the ledger node: CSV tables (never per member) and the DCAT-AP catalogue
export { openDataActions, type OpenDataActions } from "./clients/decorators/opendata";
export { getOpenDataCatalog, type GetOpenDataCatalogReturnType, type OpenDataNode } from "./actions/opendata/getOpenDataCatalog";
export { getOpenDataTable, type GetOpenDataTableParameters, type GetOpenDataTableReturnType } from "./actions/opendata/getOpenDataTable";
export { parseCsv, CsvSyntaxError } from "./actions/opendata/parseCsv";

// Actions: datause
export { grantConsent, type GrantConsentParameters, type GrantConsentReturnType, type GrantConsentErrorType } from "./actions/datause/grantConsent";
export { withdrawConsent, type WithdrawConsentParameters, type WithdrawConsentReturnType, type WithdrawConsentErrorType } from "./actions/datause/withdrawConsent";
export { getConsent, type GetConsentParameters, type GetConsentReturnType, type GetConsentErrorType } from "./actions/datause/getConsent";
export { getProcessor, type GetProcessorParameters, type GetProcessorReturnType, type GetProcessorErrorType } from "./actions/datause/getProcessor";
export { getPurposes, type GetPurposesParameters, type GetPurposesReturnType, type GetPurposesErrorType } from "./actions/datause/getPurposes";
export { getPurpose, legalBases, dataCategories, type GetPurposeParameters, type GetPurposeReturnType, type GetPurposeErrorType } from "./actions/datause/getPurpose";
export { getMyAccesses, AccessVerificationError, type VerifiedAccess, type GetMyAccessesParameters, type GetMyAccessesReturnType, type GetMyAccessesErrorType } from "./actions/datause/getMyAccesses";
export { getMemberPurposes, type MemberPurpose, type GetMemberPurposesParameters, type GetMemberPurposesReturnType, type GetMemberPurposesErrorType } from "./actions/datause/getMemberPurposes";
export { getBulletin, type GetBulletinParameters, type GetBulletinReturnType, type GetBulletinErrorType } from "./actions/datause/getBulletin";
export { submitAccessRecords, type SubmitAccessRecordsParameters, type SubmitAccessRecordsReturnType, type SubmitAccessRecordsErrorType } from "./actions/datause/submitAccessRecords";

// Gasless: members sign, the ledger node's relayer pays (every write also takes `gasless: true`)
export * from "./relay";

// ABIs
export { basicIncomeAbi, cityAuthorityAbi, cityCoinAbi, cityForwarderAbi, cityRegistryAbi, ledgerAnchorAbi, parkingExchangeAbi } from "./abis";
export { meterRegistryAbi, energyMarketAbi } from "./abis";
export { dataUseRegistryAbi } from "./abis";

// Verifiable log: RFC 6962 hashing and proofs, leaves of raw logs, C2SP checkpoints, witness signatures
export {
  EMPTY_ROOT,
  HASH_SIZE,
  MemoryTree,
  MerkleProofError,
  ProofSizeError,
  RootMismatchError,
  consistencyRanges,
  equalBytes,
  hashChildren,
  hashLeaf,
  hashRange,
  inclusionRanges,
  rangeNodes,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
  type MerkleProofErrorCode,
  type NodeId,
  type NodeReader,
  type Range,
} from "./merkle";
// (the root's deployment `CityContractName` shadows the ledger's event-stream one: import that from "@cityledger/sdk/ledger")
export * from "./ledger";

// Energy: the market's clearing rule (pure)
export { clearSlot, bidCost, askRevenue, type ClearingOrder, type ClearingResult } from "./energy/clearing";
export { settleSlot, apportion, type SettlementOrder, type SettlementInput, type SettlementResult, type AskSettlement, type BidSettlement } from "./energy/settlement";

// Participatory budgets: exact rationals, the greedy rule, the Method of Equal Shares (add1 completions), pabulib .pb
export {
  EQUAL_SHARES_TIE_BREAKING,
  GREEDY_TIE_BREAKING,
  InvalidElectionError,
  PABULIB_SHARE_KEY,
  PabulibError,
  Rational,
  RationalError,
  compareProjectIds,
  electionFromPabulib,
  equalShares,
  equalSharesCompletions,
  formatPabulib,
  gcd,
  greedy,
  isExhaustive,
  budgetRuleName,
  pabulibFromElection,
  pabulibRuleMeta,
  parsePabulib,
  publishedWinners,
  ruleFromPabulib,
  runBudgetRule,
  totalCost,
  type BudgetElection,
  type BudgetRule,
  type BudgetOutcome,
  type BudgetProject,
  type BudgetVoter,
  type EqualSharesCompletion,
  type EqualSharesOptions,
  type EqualSharesResult,
  type GreedyOptions,
  type InvalidElectionErrorType,
  type PabulibErrorType,
  type PabulibFile,
  type PabulibFromElectionOptions,
  type RationalErrorType,
  type TieBreaker,
  type TieBreaking,
} from "./votes";

// Actions: ballots
export { getBallotCount, type GetBallotCountParameters, type GetBallotCountReturnType, type GetBallotCountErrorType } from "./actions/ballots/getBallotCount";
export { getBallot, type GetBallotParameters, type GetBallotReturnType, type GetBallotErrorType } from "./actions/ballots/getBallot";
export { getBallotState, type GetBallotStateParameters, type GetBallotStateReturnType, type GetBallotStateErrorType } from "./actions/ballots/getBallotState";
export { getResults, type GetResultsParameters, type GetResultsReturnType, type GetResultsErrorType } from "./actions/ballots/getResults";
export { getChoice, type GetChoiceParameters, type GetChoiceReturnType, type GetChoiceErrorType } from "./actions/ballots/getChoice";
export { getCommitment, type GetCommitmentParameters, type GetCommitmentReturnType, type GetCommitmentErrorType } from "./actions/ballots/getCommitment";
export { getPetitionOutcome, type GetPetitionOutcomeParameters, type GetPetitionOutcomeReturnType, type GetPetitionOutcomeErrorType } from "./actions/ballots/getPetitionOutcome";
export { createBallot, type CreateBallotParameters, type CreateBallotReturnType, type CreateBallotErrorType } from "./actions/ballots/createBallot";
export { createPetition, type CreatePetitionParameters, type CreatePetitionReturnType, type CreatePetitionErrorType } from "./actions/ballots/createPetition";
export { vote, type VoteParameters, type VoteReturnType, type VoteErrorType } from "./actions/ballots/vote";
export { commitVote, type CommitVoteParameters, type CommitVoteReturnType, type CommitVoteErrorType } from "./actions/ballots/commitVote";
export { revealVote, type RevealVoteParameters, type RevealVoteReturnType, type RevealVoteErrorType } from "./actions/ballots/revealVote";
export { signPetition, type SignPetitionParameters, type SignPetitionReturnType, type SignPetitionErrorType } from "./actions/ballots/signPetition";
export { finalizeBallot, type FinalizeBallotParameters, type FinalizeBallotReturnType, type FinalizeBallotErrorType } from "./actions/ballots/finalizeBallot";
export { finalizeBallotPage, type FinalizeBallotPageParameters, type FinalizeBallotPageReturnType, type FinalizeBallotPageErrorType } from "./actions/ballots/finalizeBallotPage";
export { getFinalizationProgress, type GetFinalizationProgressParameters, type GetFinalizationProgressReturnType, type GetFinalizationProgressErrorType } from "./actions/ballots/getFinalizationProgress";
export { openPetition, type OpenPetitionParameters, type OpenPetitionReturnType, type OpenPetitionErrorType } from "./actions/ballots/openPetition";
export { ballotKinds, ballotStates, referendumOptions, approvalOf, toBallotParams, type BallotKind, type BallotState, type BallotParameters } from "./actions/ballots/params";
export { hashCommitment, randomSalt, memorySaltStore, saltKey, type SaltStore, type SealedVote } from "./actions/ballots/sealed";
export type { BallotConfig, BallotTally } from "./actions/ballots/getBallot";
export { verifyBallotReceipt, type VerifyBallotReceiptParameters, type VerifyBallotReceiptReturnType } from "./actions/ballots/verifyBallotReceipt";

// Actions: participatory budget (ParticipatoryBudget)
export { getBudgetRoundCount, type GetBudgetRoundCountParameters, type GetBudgetRoundCountReturnType, type GetBudgetRoundCountErrorType } from "./actions/budget/getBudgetRoundCount";
export { getBudgetRound, type GetBudgetRoundParameters, type GetBudgetRoundReturnType, type GetBudgetRoundErrorType } from "./actions/budget/getBudgetRound";
export { getBudgetProject, type GetBudgetProjectParameters, type GetBudgetProjectReturnType, type GetBudgetProjectErrorType } from "./actions/budget/getBudgetProject";
export { createRound, type CreateRoundParameters, type CreateRoundReturnType, type CreateRoundErrorType } from "./actions/budget/createRound";
export { submitProject, type SubmitProjectParameters, type SubmitProjectReturnType, type SubmitProjectErrorType } from "./actions/budget/submitProject";
export { supportProject, type SupportProjectParameters, type SupportProjectReturnType, type SupportProjectErrorType } from "./actions/budget/supportProject";
export { reviewProject, type ReviewProjectParameters, type ReviewProjectReturnType, type ReviewProjectErrorType } from "./actions/budget/reviewProject";
export { reviseProjectCost, type ReviseProjectCostParameters, type ReviseProjectCostReturnType, type ReviseProjectCostErrorType } from "./actions/budget/reviseProjectCost";
export { castBudgetBallot, type CastBudgetBallotParameters, type CastBudgetBallotReturnType, type CastBudgetBallotErrorType } from "./actions/budget/castBudgetBallot";
export { tallyRound, type TallyRoundParameters, type TallyRoundReturnType, type TallyRoundErrorType } from "./actions/budget/tallyRound";
export { postEqualSharesResult, type PostEqualSharesResultParameters, type PostEqualSharesResultReturnType, type PostEqualSharesResultErrorType } from "./actions/budget/postEqualSharesResult";
export { fundRound, type FundRoundParameters, type FundRoundReturnType, type FundRoundErrorType } from "./actions/budget/fundRound";
export { releaseTranche, type ReleaseTrancheParameters, type ReleaseTrancheReturnType, type ReleaseTrancheErrorType } from "./actions/budget/releaseTranche";
export { closeBudgetProject, type CloseBudgetProjectParameters, type CloseBudgetProjectReturnType, type CloseBudgetProjectErrorType } from "./actions/budget/closeBudgetProject";
export { getBudgetChallenge, type GetBudgetChallengeParameters, type GetBudgetChallengeReturnType, type GetBudgetChallengeErrorType } from "./actions/budget/getBudgetChallenge";
export { challengeResult, type ChallengeResultParameters, type ChallengeResultReturnType, type ChallengeResultErrorType } from "./actions/budget/challengeResult";
export { resolveChallenge, type ResolveChallengeParameters, type ResolveChallengeReturnType, type ResolveChallengeErrorType } from "./actions/budget/resolveChallenge";
export { getHeldTranches, type GetHeldTranchesParameters, type GetHeldTranchesReturnType, type GetHeldTranchesErrorType } from "./actions/budget/getHeldTranches";
export { withdrawHeld, type WithdrawHeldParameters, type WithdrawHeldReturnType, type WithdrawHeldErrorType } from "./actions/budget/withdrawHeld";
export { forfeitHeld, type ForfeitHeldParameters, type ForfeitHeldReturnType, type ForfeitHeldErrorType } from "./actions/budget/forfeitHeld";
export { getBudgetBallotLog, nextBallotLogHead, BudgetBallotLogMismatchError, type GetBudgetBallotLogParameters, type GetBudgetBallotLogReturnType, type GetBudgetBallotLogErrorType, type BudgetBallotLogEntry, type BudgetBallotProject } from "./actions/budget/getBudgetBallotLog";
export { exportBudgetRound, importBudgetProjects, type ExportBudgetRoundParameters, type ExportBudgetRoundReturnType, type ImportBudgetProjectsParameters, type ImportBudgetProjectsReturnType } from "./actions/budget/pabulib";
export { computeBudgetResult, budgetCompletionOf, budgetRuleOf, type BudgetResult } from "./actions/budget/computeBudgetResult";
export { budgetSelection, ballotIndexesOf, budgetBallotRules, budgetWinnerRules, budgetPhases, type BudgetRoundParams, type BudgetVoteConfig, type BudgetRoundState, type BudgetProjectRecord } from "./actions/budget/types";
export { participatoryBudgetAbi } from "./abis";

// Governance (CityGovernor, CityCharter, CitizensVeto)
export { cityGovernorAbi, cityAgendaAbi, cityCharterAbi, citizensVetoAbi } from "./abis";
export { governanceActions, type GovernanceActions } from "./clients/decorators/governance";
export { proposalStates, type ProposalState, type ProposalCall } from "./actions/internal/governance";
export { propose, type ProposeParameters, type ProposeReturnType, type ProposeErrorType } from "./actions/governance/propose";
export { proposeWithCosigners, type ProposeWithCosignersParameters, type ProposeWithCosignersReturnType, type ProposeWithCosignersErrorType } from "./actions/governance/proposeWithCosigners";
export { signCosign, type SignCosignParameters, type SignCosignReturnType, type SignCosignErrorType } from "./actions/governance/signCosign";
export { getProposalId, type GetProposalIdParameters, type GetProposalIdReturnType, type GetProposalIdErrorType } from "./actions/governance/getProposalId";
export { castVote, type CastVoteParameters, type CastVoteReturnType, type CastVoteErrorType, type VoteSupport } from "./actions/governance/castVote";
export { signBallot, type SignBallotParameters, type SignBallotReturnType, type SignBallotErrorType } from "./actions/governance/signBallot";
export { castVoteBySig, type CastVoteBySigParameters, type CastVoteBySigReturnType, type CastVoteBySigErrorType } from "./actions/governance/castVoteBySig";
export { queue, type QueueParameters, type QueueReturnType, type QueueErrorType } from "./actions/governance/queue";
export { execute, type ExecuteParameters, type ExecuteReturnType, type ExecuteErrorType } from "./actions/governance/execute";
export { cancelProposal, type CancelProposalParameters, type CancelProposalReturnType, type CancelProposalErrorType } from "./actions/governance/cancel";
export { veto, type VetoParameters, type VetoReturnType, type VetoErrorType } from "./actions/governance/veto";
export { signVeto, type SignVetoParameters, type SignVetoReturnType, type SignVetoErrorType } from "./actions/governance/signVeto";
export { vetoBySig, type VetoBySigParameters, type VetoBySigReturnType, type VetoBySigErrorType } from "./actions/governance/vetoBySig";
export { getProposalState, type GetProposalStateParameters, type GetProposalStateReturnType, type GetProposalStateErrorType } from "./actions/governance/getProposalState";
export { getCollegeResults, type GetCollegeResultsParameters, type GetCollegeResultsReturnType, type GetCollegeResultsErrorType, type CollegeResult } from "./actions/governance/getCollegeResults";
export { getVetoProgress, type GetVetoProgressParameters, type GetVetoProgressReturnType, type GetVetoProgressErrorType } from "./actions/governance/getVetoProgress";

// Data use: access records, findings and the bulletin (pure, browser-safe)
export * from "./datause";
