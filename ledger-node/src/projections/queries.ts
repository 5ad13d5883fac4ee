/**
 * Typed reads of the projections, what the REST routes call. Every big integer is a `bigint` (the API serialises it
 * as a decimal string); small counters, seqs, colleges, districts and unix times are `number`. Addresses come back
 * checksummed; inputs may be any case. Reads are synchronous: the projections live in memory.
 *
 * The `ProjectionQueries` interface is stable: the API is written against it.
 */
import type { Address, Hex } from "viem";

// ─── Paging ──────────────────────────────────────────────────────────────────────────────────────────────────────

export interface PageRequest {
  /** Items to skip (default 0). */
  offset?: number;
  /** Items to return (default 50, at most 1,000). */
  limit?: number;
  /** "desc" (default) = newest first, by seq; "asc" = oldest first. */
  order?: "asc" | "desc";
}

export interface Page<T> {
  items: T[];
  /** Items in the whole list. */
  total: number;
  offset: number;
  limit: number;
}

// ─── Members ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** `ICityRegistry.MemberStatus`, lower-cased. */
export type MemberStatusName = "none" | "active" | "suspended" | "removed";

/** One change of a membership, in log order. */
export interface MemberChangeView {
  seq: number;
  txHash: Hex;
  /** Event that made the change: "MemberRegistered", "MemberUpdated", "MemberSuspended", "MemberReinstated",
   * "MemberRemoved", "MigrationCompleted". */
  event: string;
  /** Status after the change. */
  status: MemberStatusName;
  /** Reason hash of a suspension or removal. */
  reasonHash?: Hex;
  /** Counterpart of a migration (the new key on the old record, the old key on the new one). */
  counterpart?: Address;
}

export interface MemberView {
  address: Address;
  status: MemberStatusName;
  college: number;
  district: number;
  flags: bigint;
  /** Registration time (unix seconds), carried over by a key migration. */
  since: number;
  credentialHash: Hex;
  /** Votes of the account in the registry (1 while active, else 0), from DelegateVotesChanged. */
  votes: bigint;
  /** A pending key-recovery migration away from this address. */
  pendingMigration?: MigrationView;
  /** Set on a record whose membership moved to a new key. */
  migratedTo?: Address;
  /** Set on a record that received its membership from an old key. */
  migratedFrom?: Address;
  /** Seq of the entry that first created this record. */
  firstSeq: number;
  history: MemberChangeView[];
}

export interface MigrationView {
  from: Address;
  to: Address;
  readyAt: number;
  startedSeq: number;
}

export interface CollegeView {
  id: number;
  name: string;
  enabled: boolean;
  /** Active members now (what `CityRegistry.getCollegeSize` returns). */
  size: number;
  suspended: number;
  /** Records ever registered in (or moved into) this college, whatever their status now. */
  registered: number;
}

export interface MemberFilter {
  college?: number;
  status?: MemberStatusName;
}

// ─── Roles ───────────────────────────────────────────────────────────────────────────────────────────────────────

export interface RoleMemberView {
  account: Address;
  /** Unix time from which the grant acts (AccessManager `since`). */
  since: number;
  /** Execution delay of the holder, seconds. */
  delay: number;
  grantedSeq: number;
}

export interface RoleView {
  id: bigint;
  label?: string;
  admin?: bigint;
  guardian?: bigint;
  /** Latest grant delay set for the role (seconds) and when it takes effect. */
  grantDelay?: { delay: number; since: number };
  members: RoleMemberView[];
}

export interface TargetView {
  target: Address;
  closed: boolean;
  adminDelay?: { delay: number; since: number };
  /** Function selector → role id allowed to call it. */
  functions: { selector: Hex; roleId: bigint }[];
}

// ─── Currency ────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * How a balance change came about: a plain transfer, an issue (mint), the burned part of a redemption, the fee of a
 * redemption (sent to the community fund), or a balance moved by a key migration.
 */
export type TransferKind = "transfer" | "issue" | "redeem" | "fee" | "migration";

export interface TransferView {
  seq: number;
  txHash: Hex;
  logIndex: number;
  /** Zero address for an issue. */
  from: Address;
  /** Zero address for a redemption burn. */
  to: Address;
  amount: bigint;
  kind: TransferKind;
}

export interface AccountView {
  address: Address;
  balance: bigint;
  /** Mirrored membership in CityCoin (MembershipMirrored). */
  member: boolean;
  cityAccount: boolean;
  /** Page of the account's transfers (both directions). */
  history: TransferView[];
  /** Transfers of the account in all. */
  total: number;
  offset: number;
  limit: number;
}

export interface ReserveView {
  reserve: bigint;
  reportHash: Hex;
  /** Supply when the reserve was attested. */
  supply: bigint;
  seq: number;
  txHash: Hex;
}

export interface SupplyView {
  totalSupply: bigint;
  /** Σ issued (Issued events). */
  issued: bigint;
  /** Σ burned by redemptions (the payouts). */
  redeemed: bigint;
  /** Σ redemption fees sent to the community fund. */
  fees: bigint;
  /** Last attestation, if any. */
  reserve?: ReserveView;
  redemptionFeeBps: number;
  paused: boolean;
  policy: "membersOnly" | "open";
  communityFund?: Address;
  cityAccounts: Address[];
  redemptionCount: number;
  /** Redemptions not yet settled and the euros they still owe. */
  pendingRedemptions: number;
  pendingPayout: bigint;
  /** Holders with a non-zero balance. */
  holders: number;
}

export interface RedemptionView {
  id: bigint;
  account: Address;
  amount: bigint;
  fee: bigint;
  payout: bigint;
  settled: boolean;
  payoutRef?: Hex;
  seq: number;
  txHash: Hex;
  settledSeq?: number;
}

// ─── Basic income ────────────────────────────────────────────────────────────────────────────────────────────────

export interface IncomePeriodView {
  period: number;
  amount: bigint;
  eligible: number;
  claimed: number;
  /** Eligibility snapshot (unix seconds). */
  snapshot: number;
  settled: boolean;
  /** What the period paid, once settled. */
  paid?: bigint;
  openedSeq: number;
}

export interface IncomeProgramView {
  id: bigint;
  collegeMask: number;
  /** 0 = no flag requirement, else 1 + the required flag bit. */
  flagBit: number;
  start: number;
  periodLength: number;
  periodCount: number;
  amountPerPeriod: bigint;
  funded: bigint;
  spent: bigint;
  /** Last opened period + 1 (0 = none opened). */
  openPeriods: number;
  /** Σ IncomeClaimed amounts (settled or not). */
  claimedTotal: bigint;
  claims: number;
  /** Σ returned by withdrawRemaining. */
  withdrawn: bigint;
  ended: boolean;
  createdSeq: number;
  periods: IncomePeriodView[];
}

export interface IncomeClaimView {
  programId: bigint;
  period: number;
  account: Address;
  amount: bigint;
  seq: number;
  txHash: Hex;
}

// ─── The interface ───────────────────────────────────────────────────────────────────────────────────────────────

export interface ProjectionQueries {
  /** Next seq the projections will apply: every entry below it is reflected. */
  seq(): number;

  /** A membership record (any status), or undefined if the address never was a member. */
  member(address: string): MemberView | undefined;
  /** Members in order of first appearance, optionally filtered. */
  members(filter?: MemberFilter, page?: PageRequest): Page<MemberView>;
  college(id: number): CollegeView | undefined;
  colleges(): CollegeView[];
  /** Pending key-recovery migrations. */
  migrations(): MigrationView[];

  role(id: bigint): RoleView | undefined;
  roles(): RoleView[];
  /** Roles held by `address`. */
  rolesOf(address: string): bigint[];
  targets(): TargetView[];

  /** Balance and a page of the transfers of `address` (a zero balance and empty page for an unknown address). */
  account(address: string, page?: PageRequest): AccountView;
  supply(): SupplyView;
  redemption(id: bigint): RedemptionView | undefined;
  /** Redemptions, newest first by default; `account` filters on the redeemer. */
  redemptions(page?: PageRequest & { account?: string; settled?: boolean }): Page<RedemptionView>;

  incomeProgram(id: bigint): IncomeProgramView | undefined;
  incomePrograms(): IncomeProgramView[];
  /** Claims of `address` across every program. */
  incomeClaims(address: string, page?: PageRequest): Page<IncomeClaimView>;
}

/** Default and maximum page sizes. */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1_000;
