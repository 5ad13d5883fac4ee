/**
 * Typed reads of the projections, what the REST routes call. Every big integer is a `bigint` (the API serialises it
 * as a decimal string); small counters, seqs, colleges, districts and unix times are `number`. Addresses come back
 * checksummed; inputs may be any case. Reads are synchronous: the projections live in memory.
 *
 * The `ProjectionQueries` interface is stable: the API is written against it.
 */
import { getAddress, type Address, type Hex } from "viem";
import type { ProjectionEngine, StateHashes } from "./engine";
import { membersProjection, type MemberRecord, type MemberStatusCode } from "./members";
import { rolesProjection, type RoleRecord, type TargetRecord } from "./roles";
import { TRANSFER_KINDS, currencyProjection, type RedemptionRecord, type TransferRecord } from "./currency";
import { incomeProjection, keysOf, type ClaimRecord, type ProgramRecord } from "./income";
import {
  createParkingQueries,
  type ParkingBookingQuery,
  type ParkingBookingView,
  type ParkingCalendarView,
  type ParkingSpotQuery,
  type ParkingSpotView,
  type ParkingStatsView,
  type ParkingCreditView,
  type ParkingWindow,
} from "./parkingQueries";
import { createEnergyQueries, type EnergyDistrictView, type EnergyMemberView, type EnergySlotView } from "./energyQueries";
import { createBallotsQueries, type BallotReceiptView, type BallotTurnoutView, type BallotView } from "./ballotsQueries";
import type { BallotKindName } from "./ballots";
import { createGovernanceQueries, type GovernanceCharterView, type GovernanceProposalView } from "./governanceQueries";
import { createBudgetQueries, type BudgetHeldView, type BudgetProjectView, type BudgetRoundView } from "./budgetQueries";
import type { GovernanceStatus } from "./governance";

export * from "./parkingQueries";
export * from "./energyQueries";
export * from "./ballotsQueries";
export * from "./governanceQueries";
export * from "./budgetQueries";

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
  /** The registrar who started it. */
  startedBy: Address;
  /** Who approved it (the member's old key or a second role); null: not yet, it cannot complete. */
  approvedBy: Address | null;
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
  /**
   * The state hash at {@link seq} and each domain's hash (what `cityledger replay` prints). Costs a full encoding of
   * the state when the state changed since the last call: don't call it per request on a busy node. Optional so that
   * test doubles of this interface need not implement it; {@link createQueries} always does.
   */
  stateHash?(): StateHashes;

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
  /** Claims of `address` across every program, and of every key its membership had before (key recoveries). */
  incomeClaims(address: string, page?: PageRequest): Page<IncomeClaimView>;

  // Parking (optional so that test doubles written before it need not implement it; createQueries always does).
  // Windows are [from, to) in unix seconds, whole hours; an invalid window throws a RangeError saying why.

  /** A parking spot (any status), or undefined if never listed. */
  spot?(id: bigint): ParkingSpotView | undefined;
  /**
   * Spots not delisted, in listing order by default, optionally in one district; with a window, only those a booking
   * of the whole window would pass (not paused, offered every hour, no blocked day, no booking overlapping).
   */
  spots?(query?: ParkingSpotQuery): Page<ParkingSpotView>;
  /** A spot's bookings, blocked days and free intervals within a window (at most 90 days), or undefined. */
  spotCalendar?(id: bigint, window: ParkingWindow): ParkingCalendarView | undefined;
  /** The latest booking with this id (a cancelled booking's id may be reused), or undefined. */
  booking?(id: bigint): ParkingBookingView | undefined;
  /** Bookings of `address` as driver or owner, newest first by default. */
  bookings?(address: string, page?: ParkingBookingQuery): Page<ParkingBookingView>;
  /** Bookings, booked hours, cancellations, revenue and turnover per district; occupancy within a window if given. */
  parkingStats?(query?: { district?: number; from?: number; to?: number }): ParkingStatsView;
  /** What ParkingExchange holds for `address` (shares CityCoin refused at settlement), 0 if nothing. */
  parkingCredit?(address: string): ParkingCreditView;

  // Energy (optional, as parking is, for test doubles written before it; createQueries always does).

  /** An energy slot's book, result, readings and settlement, or undefined if nothing happened in it. */
  energySlot?(slot: number): EnergySlotView | undefined;
  /** A member's energy trades, settlements, market balance and demand response, or undefined if it never traded. */
  energyMember?(address: string): EnergyMemberView | undefined;
  /** A district's energy balance over the settled slots, or undefined if no reading came from it. */
  energyDistrict?(district: number): EnergyDistrictView | undefined;

  // Ballots (optional, as parking is, for test doubles written before them; createQueries always does).

  /** A ballot with its live results (and its published ones once finalized), or undefined. */
  ballot?(id: bigint): BallotView | undefined;
  /** Ballots, newest first by default, optionally of one kind. */
  ballots?(query?: PageRequest & { kind?: BallotKindName }): Page<BallotView>;
  /** Turnout of a ballot by college and district, or undefined. */
  ballotTurnout?(id: bigint): BallotTurnoutView | undefined;
  /** A voter's ballot on a ballot (the entries to prove), or undefined. */
  ballotReceipt?(id: bigint, voter: string): BallotReceiptView | undefined;

  // Governance (optional, as ballots are, for test doubles written before it; createQueries always does).

  /** A proposal with its per-college results and veto progress, or undefined. */
  governanceProposal?(id: bigint): GovernanceProposalView | undefined;
  /** Proposals, newest first by default, optionally with one status. */
  governanceProposals?(query?: PageRequest & { status?: GovernanceStatus }): Page<GovernanceProposalView>;
  /** A charter version, or undefined. */
  governanceCharter?(version: number): GovernanceCharterView | undefined;
  /** The constitutional role ids (below 256, ADMIN included), or undefined before the charter's deployment. */
  governanceConstitutionalRoles?(): number[] | undefined;
  /** The single calls the charter names constitutional, in the order they were named. */
  governanceConstitutionalCalls?(): { target: Address; selector: string }[];

  // Participatory budget (optional, as governance is, for test doubles written before it; createQueries always does).

  /** A budget round with its result, challenges, funding and projects, or undefined. */
  budgetRound?(id: bigint): BudgetRoundView | undefined;
  /** A budget project, or undefined. */
  budgetProject?(roundId: bigint, projectId: number): BudgetProjectView | undefined;
  /** Tranches held for `address` (zero if none) and the key its membership holds now. */
  budgetHeld?(address: string): BudgetHeldView;
}

/** Default and maximum page sizes. */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1_000;

// ─── Implementation over a ProjectionEngine ──────────────────────────────────────────────────────────────────────

const STATUS_NAMES: readonly MemberStatusName[] = ["none", "active", "suspended", "removed"];
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Lower-case form of an address given in any case, or undefined if it is not one. */
function normalize(address: string): string | undefined {
  return ADDRESS.test(address) ? address.toLowerCase() : undefined;
}

interface Window {
  offset: number;
  limit: number;
  /** Indices into the full list, in the order asked. */
  indices: number[];
}

function window(total: number, page: PageRequest | undefined): Window {
  const int = (v: number | undefined, fallback: number) => (v !== undefined && Number.isFinite(v) ? Math.floor(v) : fallback);
  const offset = Math.max(0, int(page?.offset, 0));
  const limit = Math.min(MAX_LIMIT, Math.max(0, int(page?.limit, DEFAULT_LIMIT)));
  const indices: number[] = [];
  const desc = (page?.order ?? "desc") === "desc";
  for (let k = offset; k < Math.min(total, offset + limit); k++) indices.push(desc ? total - 1 - k : k);
  return { offset, limit, indices };
}

function paged<S, T>(list: readonly S[], page: PageRequest | undefined, view: (s: S) => T): Page<T> {
  const w = window(list.length, page);
  return { items: w.indices.map((i) => view(list[i])), total: list.length, offset: w.offset, limit: w.limit };
}

/** The typed reads of `engine`'s projections. Views are fresh objects: callers may keep or change them. */
export function createQueries(engine: ProjectionEngine): ProjectionQueries {
  const members = () => engine.state(membersProjection);
  const roles = () => engine.state(rolesProjection);
  const currency = () => engine.state(currencyProjection);
  const income = () => engine.state(incomeProjection);

  // Checksumming costs a keccak: cache it (bounded).
  const checksums = new Map<string, Address>();
  const cs = (a: string): Address => {
    let c = checksums.get(a);
    if (c === undefined) {
      if (checksums.size >= 100_000) checksums.clear();
      c = getAddress(a);
      checksums.set(a, c);
    }
    return c;
  };
  const status = (s: MemberStatusCode): MemberStatusName => STATUS_NAMES[s];

  const migrationView = (g: {
    from: string;
    to: string;
    readyAt: number;
    startedSeq: number;
    startedBy: string;
    approvedBy: string | null;
  }): MigrationView => ({
    from: cs(g.from),
    to: cs(g.to),
    readyAt: g.readyAt,
    startedSeq: g.startedSeq,
    startedBy: cs(g.startedBy),
    approvedBy: g.approvedBy === null ? null : cs(g.approvedBy),
  });

  const memberView = (m: MemberRecord): MemberView => {
    const pending = members().migrations.get(m.address);
    const view: MemberView = {
      address: cs(m.address),
      status: status(m.status),
      college: m.college,
      district: m.district,
      flags: m.flags,
      since: m.since,
      credentialHash: m.credentialHash as Hex,
      votes: m.votes,
      firstSeq: m.firstSeq,
      history: m.history.map((c) => {
        const out: MemberChangeView = { seq: c.seq, txHash: c.txHash as Hex, event: c.event, status: status(c.status) };
        if (c.reasonHash !== undefined) out.reasonHash = c.reasonHash as Hex;
        if (c.counterpart !== undefined) out.counterpart = cs(c.counterpart);
        return out;
      }),
    };
    if (pending) view.pendingMigration = migrationView(pending);
    if (m.migratedTo) view.migratedTo = cs(m.migratedTo);
    if (m.migratedFrom) view.migratedFrom = cs(m.migratedFrom);
    return view;
  };

  const collegeView = (c: { id: number; name: string; enabled: boolean; size: number; suspended: number; registered: number }): CollegeView => ({
    id: c.id,
    name: c.name,
    enabled: c.enabled,
    size: c.size,
    suspended: c.suspended,
    registered: c.registered,
  });

  const roleView = (r: RoleRecord): RoleView => {
    const view: RoleView = {
      id: r.id,
      members: [...r.holders.values()]
        .sort((a, b) => a.grantedSeq - b.grantedSeq)
        .map((h) => ({ account: cs(h.account), since: h.since, delay: h.delay, grantedSeq: h.grantedSeq })),
    };
    if (r.label !== undefined) view.label = r.label;
    if (r.admin !== undefined) view.admin = r.admin;
    if (r.guardian !== undefined) view.guardian = r.guardian;
    if (r.grantDelay !== undefined) view.grantDelay = { ...r.grantDelay };
    return view;
  };

  const targetView = (t: TargetRecord): TargetView => {
    const view: TargetView = {
      target: cs(t.target),
      closed: t.closed,
      functions: [...t.functions].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([selector, roleId]) => ({ selector: selector as Hex, roleId })),
    };
    if (t.adminDelay !== undefined) view.adminDelay = { ...t.adminDelay };
    return view;
  };

  const transferView = (t: TransferRecord): TransferView => ({
    seq: t.seq,
    txHash: t.txHash as Hex,
    logIndex: t.logIndex,
    from: cs(t.from),
    to: cs(t.to),
    amount: t.amount,
    kind: TRANSFER_KINDS[t.kind],
  });

  const redemptionView = (r: RedemptionRecord): RedemptionView => {
    const view: RedemptionView = {
      id: r.id,
      account: cs(r.account),
      amount: r.amount,
      fee: r.fee,
      payout: r.payout,
      settled: r.settled,
      seq: r.seq,
      txHash: r.txHash as Hex,
    };
    if (r.payoutRef !== undefined) view.payoutRef = r.payoutRef as Hex;
    if (r.settledSeq !== undefined) view.settledSeq = r.settledSeq;
    return view;
  };

  const programView = (p: ProgramRecord): IncomeProgramView => ({
    id: p.id,
    collegeMask: p.collegeMask,
    flagBit: p.flagBit,
    start: p.start,
    periodLength: p.periodLength,
    periodCount: p.periodCount,
    amountPerPeriod: p.amountPerPeriod,
    funded: p.funded,
    spent: p.spent,
    openPeriods: p.openPeriods,
    claimedTotal: p.claimedTotal,
    claims: p.claims,
    withdrawn: p.withdrawn,
    ended: p.ended,
    createdSeq: p.createdSeq,
    periods: [...p.periods.values()].map((pd) => {
      const view: IncomePeriodView = {
        period: pd.period,
        amount: pd.amount,
        eligible: pd.eligible,
        claimed: pd.claimed,
        snapshot: pd.snapshot,
        settled: pd.settled,
        openedSeq: pd.openedSeq,
      };
      if (pd.paid !== undefined) view.paid = pd.paid;
      return view;
    }),
  });

  const claimView = (c: ClaimRecord): IncomeClaimView => ({
    programId: c.programId,
    period: c.period,
    account: cs(c.account),
    amount: c.amount,
    seq: c.seq,
    txHash: c.txHash as Hex,
  });

  return {
    seq: () => engine.seq,
    stateHash: () => engine.stateHashes(),
    ...createParkingQueries(engine, cs, paged),
    ...createEnergyQueries(engine, cs),
    ...createBallotsQueries(engine, cs, paged),
    ...createGovernanceQueries(engine, cs, paged),
    ...createBudgetQueries(engine, cs),

    member(address) {
      const a = normalize(address);
      const m = a === undefined ? undefined : members().members.get(a);
      return m && memberView(m);
    },
    members(filter = {}, page) {
      let list: readonly MemberRecord[] = members().order;
      if (filter.college !== undefined || filter.status !== undefined) {
        const code = filter.status === undefined ? undefined : STATUS_NAMES.indexOf(filter.status);
        list = list.filter((m) => (filter.college === undefined || m.college === filter.college) && (code === undefined || m.status === code));
      }
      return paged(list, page, memberView);
    },
    college(id) {
      const c = members().colleges.get(id);
      return c && collegeView(c);
    },
    colleges() {
      return [...members().colleges.values()].sort((a, b) => a.id - b.id).map(collegeView);
    },
    migrations() {
      return [...members().migrations.values()].sort((a, b) => a.startedSeq - b.startedSeq).map(migrationView);
    },

    role(id) {
      const r = roles().roles.get(id.toString());
      return r && roleView(r);
    },
    roles() {
      return [...roles().roles.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(roleView);
    },
    rolesOf(address) {
      const a = normalize(address);
      if (a === undefined) return [];
      return [...roles().roles.values()]
        .filter((r) => r.holders.has(a))
        .map((r) => r.id)
        .sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    },
    targets() {
      return [...roles().targets.values()].sort((a, b) => (a.target < b.target ? -1 : 1)).map(targetView);
    },

    account(address, page) {
      const a = normalize(address);
      const state = currency();
      const rec = a === undefined ? undefined : state.accounts.get(a);
      const history = rec?.history ?? [];
      const w = window(history.length, page);
      return {
        address: a === undefined ? (address as Address) : cs(a),
        balance: rec?.balance ?? 0n,
        member: rec?.member ?? false,
        cityAccount: rec?.cityAccount ?? false,
        history: w.indices.map((i) => transferView(state.transfers[history[i]])),
        total: history.length,
        offset: w.offset,
        limit: w.limit,
      };
    },
    supply() {
      const s = currency();
      const cityAccounts: string[] = [];
      for (const [address, a] of s.accounts) if (a.cityAccount) cityAccounts.push(address);
      const view: SupplyView = {
        totalSupply: s.supply,
        issued: s.issued,
        redeemed: s.redeemed,
        fees: s.fees,
        redemptionFeeBps: s.redemptionFeeBps,
        paused: s.paused,
        policy: s.policy === 0 ? "membersOnly" : "open",
        cityAccounts: cityAccounts.sort().map(cs),
        redemptionCount: s.redemptions.size,
        pendingRedemptions: s.pendingRedemptions,
        pendingPayout: s.pendingPayout,
        holders: s.holders,
      };
      if (s.reserve) view.reserve = { ...s.reserve, reportHash: s.reserve.reportHash as Hex, txHash: s.reserve.txHash as Hex };
      if (s.communityFund) view.communityFund = cs(s.communityFund);
      return view;
    },
    redemption(id) {
      const r = currency().redemptions.get(id.toString());
      return r && redemptionView(r);
    },
    redemptions(page = {}) {
      let list: readonly RedemptionRecord[] = currency().redemptionList;
      if (page.account !== undefined || page.settled !== undefined) {
        const a = page.account === undefined ? undefined : normalize(page.account) ?? "";
        list = list.filter((r) => (a === undefined || r.account === a) && (page.settled === undefined || r.settled === page.settled));
      }
      return paged(list, page, redemptionView);
    },

    incomeProgram(id) {
      const p = income().programs.get(id.toString());
      return p && programView(p);
    },
    incomePrograms() {
      return income().programList.map(programView);
    },
    incomeClaims(address, page) {
      const a = normalize(address);
      const state = income();
      const mine = a === undefined ? [] : keysOf(state, a).flatMap((k) => state.claimsByAccount.get(k) ?? []);
      mine.sort((x, y) => x - y);
      const w = window(mine.length, page);
      return { items: w.indices.map((i) => claimView(state.claims[mine[i]])), total: mine.length, offset: w.offset, limit: w.limit };
    },
  };
}
