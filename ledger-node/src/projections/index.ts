/**
 * The ledger node's read models: membership, roles, currency, basic income, parking, energy, ballots, governance and
 * the participatory budget, reduced from the log by a {@link ProjectionEngine}, read through {@link ProjectionQueries},
 * rebuilt by {@link replay}.
 */
export type { Projection } from "./projection";
export * from "./queries";
export { ProjectionEngine, DEFAULT_PROJECTIONS, type StateHashes, type CatchUpOptions, type CatchUpProgress, type LoadOptions } from "./engine";
export { ProjectionStore, type SnapshotMeta } from "./store";
export { LiveProjections, type LiveProjectionsOptions } from "./live";
export { replay, type ReplayOptions, type ReplayResult } from "./replay";
export { ProjectionDecoder } from "./decoder";
export { canonicalJson, canonicalHash, writeCanonical } from "./canonical";
export { membersProjection, MemberStatus, type MembersState, type MemberRecord, type CollegeRecord } from "./members";
export { rolesProjection, type RolesState } from "./roles";
export { currencyProjection, TRANSFER_KINDS, type CurrencyState } from "./currency";
export { incomeProjection, type IncomeState } from "./income";
export { parkingProjection, BookingStatusCode, type ParkingState, type SpotRecord, type BookingRecord } from "./parking";
export { energyProjection, type EnergyState, type EnergyOrderRecord, type EnergySlotRecord, type EnergyMemberRecord, type EnergyDistrictRecord } from "./energy";
export { ballotsProjection, tallyOf, BALLOT_KINDS, type BallotsState, type BallotRecord, type BallotVoter, type BallotKindName } from "./ballots";
export { governanceProjection, type GovernanceState, type GovernanceProposalRecord, type GovernanceStatus, type CharterRecord } from "./governance";
export { budgetProjection, currentKeyOf, BudgetProjectStatus, type BudgetState, type BudgetRoundRecord, type BudgetProjectRecord, type BudgetChallengeRecord } from "./budget";
export { parseLeafInput, readEntries, type LeafInputSource, type LeafInputEntry, type ReplaySource } from "./leaf";
