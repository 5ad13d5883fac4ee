/**
 * Typed reads of the membership projection (conventions: projections/reads.ts).
 */
import type { Address, Hex } from "viem";
import type { DomainRead } from "../domain";
import { normalizeAddress, paged, type Page, type PageRequest } from "../../projections/reads";
import type { CollegeRecord, MemberRecord, MemberStatusCode, MembersState, MigrationRecord } from "./projection";

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

const STATUS_NAMES: readonly MemberStatusName[] = ["none", "active", "suspended", "removed"];

export interface MembersQueries {
  /** A membership record (any status), or undefined if the address never was a member. */
  member(address: string): MemberView | undefined;
  /** Members in order of first appearance, optionally filtered. */
  members(filter?: MemberFilter, page?: PageRequest): Page<MemberView>;
  college(id: number): CollegeView | undefined;
  colleges(): CollegeView[];
  /** Pending key-recovery migrations. */
  migrations(): MigrationView[];
}

export function membersQueries({ state, cs }: DomainRead<MembersState>): MembersQueries {
  const status = (s: MemberStatusCode): MemberStatusName => STATUS_NAMES[s];

  const migrationView = (g: MigrationRecord): MigrationView => ({
    from: cs(g.from),
    to: cs(g.to),
    readyAt: g.readyAt,
    startedSeq: g.startedSeq,
    startedBy: cs(g.startedBy),
    approvedBy: g.approvedBy === null ? null : cs(g.approvedBy),
  });

  const memberView = (m: MemberRecord): MemberView => {
    const pending = state().migrations.get(m.address);
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

  const collegeView = (c: CollegeRecord): CollegeView => ({
    id: c.id,
    name: c.name,
    enabled: c.enabled,
    size: c.size,
    suspended: c.suspended,
    registered: c.registered,
  });

  return {
    member(address) {
      const a = normalizeAddress(address);
      const m = a === undefined ? undefined : state().members.get(a);
      return m && memberView(m);
    },
    members(filter = {}, page) {
      let list: readonly MemberRecord[] = state()._order;
      if (filter.college !== undefined || filter.status !== undefined) {
        const code = filter.status === undefined ? undefined : STATUS_NAMES.indexOf(filter.status);
        list = list.filter((m) => (filter.college === undefined || m.college === filter.college) && (code === undefined || m.status === code));
      }
      return paged(list, page, memberView);
    },
    college(id) {
      const c = state().colleges.get(id);
      return c && collegeView(c);
    },
    colleges() {
      return [...state().colleges.values()].sort((a, b) => a.id - b.id).map(collegeView);
    },
    migrations() {
      return [...state().migrations.values()].sort((a, b) => a.startedSeq - b.startedSeq).map(migrationView);
    },
  };
}
