/**
 * Membership read model, from CityRegistry's events alone: members by address (status, college, district, flags,
 * since, credential hash, votes, history of changes), colleges with their live counts, pending key migrations and the
 * registry's parameters.
 *
 * Mirrors CityRegistry exactly:
 * - a college's `size` is its active members (`getCollegeSize`), `suspended` its suspended ones;
 * - `MemberUpdated` keeps the status and moves the member's count between colleges;
 * - `MigrationCompleted` copies the whole record (status included) to the new key and marks the old one removed.
 */
import type { ProjectedEntry } from "../../types";
import { defineProjection } from "../../projections/projection";

/** `ICityRegistry.MemberStatus`. */
export const MemberStatus = { None: 0, Active: 1, Suspended: 2, Removed: 3 } as const;
export type MemberStatusCode = (typeof MemberStatus)[keyof typeof MemberStatus];

export interface MemberChange {
  seq: number;
  txHash: string;
  event: string;
  status: MemberStatusCode;
  reasonHash?: string;
  counterpart?: string;
}

export interface MemberRecord {
  /** Lower-case address. */
  address: string;
  status: MemberStatusCode;
  college: number;
  district: number;
  flags: bigint;
  since: number;
  credentialHash: string;
  votes: bigint;
  firstSeq: number;
  migratedTo?: string;
  migratedFrom?: string;
  history: MemberChange[];
}

export interface CollegeRecord {
  id: number;
  name: string;
  enabled: boolean;
  size: number;
  suspended: number;
  registered: number;
}

export interface MigrationRecord {
  from: string;
  to: string;
  readyAt: number;
  startedSeq: number;
  /** The registrar who started it (who may not approve it). */
  startedBy: string;
  /** Who approved it (the member's old key or a second role), null until then: it completes only once approved. */
  approvedBy: string | null;
}

export interface MembersState {
  members: Map<string, MemberRecord>;
  /** Records in order of first appearance (derived: rebuilt from `firstSeq` after a load). */
  _order: MemberRecord[];
  colleges: Map<number, CollegeRecord>;
  /** Pending migrations by old key. */
  migrations: Map<string, MigrationRecord>;
  migrationDelay: number;
  listeners: string[];
}

function college(state: MembersState, id: number): CollegeRecord {
  let c = state.colleges.get(id);
  if (!c) {
    // A college is always configured before anyone joins it; tolerate the reverse anyway.
    c = { id, name: "", enabled: false, size: 0, suspended: 0, registered: 0 };
    state.colleges.set(id, c);
  }
  return c;
}

function record(state: MembersState, address: string, seq: number): MemberRecord {
  let m = state.members.get(address);
  if (!m) {
    m = {
      address,
      status: MemberStatus.None,
      college: 0,
      district: 0,
      flags: 0n,
      since: 0,
      credentialHash: "0x" + "0".repeat(64),
      votes: 0n,
      firstSeq: seq,
      history: [],
    };
    state.members.set(address, m);
    state._order.push(m);
  }
  return m;
}

/** Moves a member's contribution to the college counts: -1 to take it out, +1 to put it back. */
function count(state: MembersState, m: MemberRecord, delta: 1 | -1): void {
  if (m.status === MemberStatus.Active) college(state, m.college).size += delta;
  else if (m.status === MemberStatus.Suspended) college(state, m.college).suspended += delta;
}

function change(m: MemberRecord, entry: ProjectedEntry, extra?: { reasonHash?: string; counterpart?: string }): void {
  const c: MemberChange = { seq: entry.seq, txHash: entry.log.transactionHash, event: entry.event.name, status: m.status };
  if (extra?.reasonHash !== undefined) c.reasonHash = extra.reasonHash;
  if (extra?.counterpart !== undefined) c.counterpart = extra.counterpart;
  m.history.push(c);
}

function reduce(state: MembersState, entry: ProjectedEntry): MembersState {
  const e = entry.event;
  if (e.contract !== "CityRegistry") return state;
  switch (e.name) {
    case "CollegeConfigured": {
      const c = college(state, e.args.college);
      c.name = e.args.name;
      c.enabled = e.args.enabled;
      break;
    }
    case "MemberRegistered": {
      const m = record(state, e.args.account.toLowerCase(), entry.seq);
      count(state, m, -1); // a registration only follows None or Removed, which count nowhere
      m.status = MemberStatus.Active;
      m.college = e.args.college;
      m.district = e.args.district;
      m.flags = e.args.flags;
      m.credentialHash = e.args.credentialHash.toLowerCase();
      m.since = e.args.since;
      count(state, m, 1);
      college(state, m.college).registered += 1;
      change(m, entry);
      break;
    }
    case "MemberUpdated": {
      const m = record(state, e.args.account.toLowerCase(), entry.seq);
      const to = e.args.college;
      count(state, m, -1);
      if (to !== m.college) college(state, to).registered += 1;
      m.college = to;
      m.district = e.args.district;
      m.flags = e.args.flags;
      m.credentialHash = e.args.credentialHash.toLowerCase();
      count(state, m, 1);
      change(m, entry);
      break;
    }
    case "MemberSuspended":
    case "MemberRemoved": {
      const m = record(state, e.args.account.toLowerCase(), entry.seq);
      count(state, m, -1);
      m.status = e.name === "MemberSuspended" ? MemberStatus.Suspended : MemberStatus.Removed;
      count(state, m, 1);
      change(m, entry, { reasonHash: e.args.reasonHash.toLowerCase() });
      break;
    }
    case "MemberReinstated": {
      const m = record(state, e.args.account.toLowerCase(), entry.seq);
      count(state, m, -1);
      m.status = MemberStatus.Active;
      count(state, m, 1);
      change(m, entry);
      break;
    }
    case "MigrationStarted": {
      const from = e.args.from.toLowerCase();
      state.migrations.set(from, {
        from,
        to: e.args.to.toLowerCase(),
        readyAt: e.args.readyAt,
        startedSeq: entry.seq,
        startedBy: e.args.by.toLowerCase(),
        approvedBy: null,
      });
      break;
    }
    case "MigrationApproved": {
      const pending = state.migrations.get(e.args.from.toLowerCase());
      if (pending) pending.approvedBy = e.args.by.toLowerCase();
      break;
    }
    case "MigrationCancelled":
      state.migrations.delete(e.args.from.toLowerCase());
      break;
    case "MigrationCompleted": {
      const fromAddress = e.args.from.toLowerCase();
      const toAddress = e.args.to.toLowerCase();
      state.migrations.delete(fromAddress);
      const from = record(state, fromAddress, entry.seq);
      const to = record(state, toAddress, entry.seq);
      // The counts stay: the same person, college and status, under a new key.
      to.status = from.status;
      to.college = from.college;
      to.district = from.district;
      to.flags = from.flags;
      to.since = from.since;
      to.credentialHash = from.credentialHash;
      to.migratedFrom = fromAddress;
      from.status = MemberStatus.Removed;
      from.migratedTo = toAddress;
      change(from, entry, { counterpart: toAddress });
      change(to, entry, { counterpart: fromAddress });
      break;
    }
    case "DelegateVotesChanged": {
      const m = state.members.get(e.args.delegate.toLowerCase());
      if (m) m.votes = e.args.newVotes;
      break;
    }
    case "MigrationDelaySet":
      state.migrationDelay = e.args.delay;
      break;
    case "MembershipListenersSet":
      state.listeners = e.args.listeners.map((a) => a.toLowerCase());
      break;
  }
  return state;
}

function initial(): MembersState {
  return { members: new Map(), _order: [], colleges: new Map(), migrations: new Map(), migrationDelay: 0, listeners: [] };
}

/** The membership projection (CityRegistry). */
export const membersProjection = defineProjection<MembersState>({
  name: "members",
  initial,
  reduce,
  rebuild(state) {
    state._order = [...state.members.values()].sort((a, b) => a.firstSeq - b.firstSeq);
  },
});
