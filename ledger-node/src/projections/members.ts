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
import type { ProjectedEntry } from "../types";
import type { Projection } from "./projection";
import { asArray, asObject, mapToObject, toBig } from "./canonical";
import { addr, addrs, big, bool, hex, num, str } from "./fields";

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
  /** Records in order of first appearance (derived: rebuilt from `firstSeq` on decode). */
  order: MemberRecord[];
  colleges: Map<number, CollegeRecord>;
  /** Pending migrations by old key. */
  migrations: Map<string, MigrationRecord>;
  migrationDelay: number;
  listeners: string[];
}

const REGISTRY = "CityRegistry";

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
    state.order.push(m);
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
  if (entry.event.contract !== REGISTRY) return state;
  switch (entry.event.name) {
    case "CollegeConfigured": {
      const c = college(state, num(entry, "college"));
      c.name = str(entry, "name");
      c.enabled = bool(entry, "enabled");
      break;
    }
    case "MemberRegistered": {
      const m = record(state, addr(entry, "account"), entry.seq);
      count(state, m, -1); // a registration only follows None or Removed, which count nowhere
      m.status = MemberStatus.Active;
      m.college = num(entry, "college");
      m.district = num(entry, "district");
      m.flags = big(entry, "flags");
      m.credentialHash = hex(entry, "credentialHash");
      m.since = num(entry, "since");
      count(state, m, 1);
      college(state, m.college).registered += 1;
      change(m, entry);
      break;
    }
    case "MemberUpdated": {
      const m = record(state, addr(entry, "account"), entry.seq);
      const to = num(entry, "college");
      count(state, m, -1);
      if (to !== m.college) college(state, to).registered += 1;
      m.college = to;
      m.district = num(entry, "district");
      m.flags = big(entry, "flags");
      m.credentialHash = hex(entry, "credentialHash");
      count(state, m, 1);
      change(m, entry);
      break;
    }
    case "MemberSuspended":
    case "MemberReinstated":
    case "MemberRemoved": {
      const m = record(state, addr(entry, "account"), entry.seq);
      count(state, m, -1);
      m.status =
        entry.event.name === "MemberSuspended"
          ? MemberStatus.Suspended
          : entry.event.name === "MemberReinstated"
            ? MemberStatus.Active
            : MemberStatus.Removed;
      count(state, m, 1);
      change(m, entry, entry.event.name === "MemberReinstated" ? undefined : { reasonHash: hex(entry, "reasonHash") });
      break;
    }
    case "MigrationStarted": {
      const from = addr(entry, "from");
      state.migrations.set(from, {
        from,
        to: addr(entry, "to"),
        readyAt: num(entry, "readyAt"),
        startedSeq: entry.seq,
        startedBy: addr(entry, "by"),
        approvedBy: null,
      });
      break;
    }
    case "MigrationApproved": {
      const pending = state.migrations.get(addr(entry, "from"));
      if (pending) pending.approvedBy = addr(entry, "by");
      break;
    }
    case "MigrationCancelled":
      state.migrations.delete(addr(entry, "from"));
      break;
    case "MigrationCompleted": {
      const fromAddress = addr(entry, "from");
      const toAddress = addr(entry, "to");
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
      const m = state.members.get(addr(entry, "delegate"));
      if (m) m.votes = big(entry, "newVotes");
      break;
    }
    case "MigrationDelaySet":
      state.migrationDelay = num(entry, "delay");
      break;
    case "MembershipListenersSet":
      state.listeners = addrs(entry, "listeners");
      break;
  }
  return state;
}

// ─── Canonical encoding ──────────────────────────────────────────────────────────────────────────────────────────

function encodeChange(c: MemberChange) {
  return { seq: c.seq, txHash: c.txHash, event: c.event, status: c.status, reasonHash: c.reasonHash, counterpart: c.counterpart };
}

function encodeMember(m: MemberRecord) {
  return {
    status: m.status,
    college: m.college,
    district: m.district,
    flags: m.flags,
    since: m.since,
    credentialHash: m.credentialHash,
    votes: m.votes,
    firstSeq: m.firstSeq,
    migratedTo: m.migratedTo,
    migratedFrom: m.migratedFrom,
    history: m.history.map(encodeChange),
  };
}

function encode(state: MembersState): unknown {
  const colleges: Record<string, unknown> = {};
  for (const [id, c] of state.colleges) {
    colleges[String(id)] = { name: c.name, enabled: c.enabled, size: c.size, suspended: c.suspended, registered: c.registered };
  }
  return {
    members: mapToObject(state.members, encodeMember),
    colleges,
    migrations: mapToObject(state.migrations, (g) => ({
      to: g.to,
      readyAt: g.readyAt,
      startedSeq: g.startedSeq,
      startedBy: g.startedBy,
      approvedBy: g.approvedBy,
    })),
    migrationDelay: state.migrationDelay,
    listeners: state.listeners,
  };
}

function decode(json: unknown): MembersState {
  const o = asObject(json, "members");
  const state = initial();
  for (const [address, raw] of Object.entries(asObject(o.members, "members.members"))) {
    const m = asObject(raw, `member ${address}`);
    const rec: MemberRecord = {
      address,
      status: m.status as MemberStatusCode,
      college: m.college as number,
      district: m.district as number,
      flags: toBig(m.flags, "flags"),
      since: m.since as number,
      credentialHash: m.credentialHash as string,
      votes: toBig(m.votes, "votes"),
      firstSeq: m.firstSeq as number,
      history: asArray(m.history, "history").map((h) => {
        const c = asObject(h, "member change");
        const out: MemberChange = { seq: c.seq as number, txHash: c.txHash as string, event: c.event as string, status: c.status as MemberStatusCode };
        if (typeof c.reasonHash === "string") out.reasonHash = c.reasonHash;
        if (typeof c.counterpart === "string") out.counterpart = c.counterpart;
        return out;
      }),
    };
    if (typeof m.migratedTo === "string") rec.migratedTo = m.migratedTo;
    if (typeof m.migratedFrom === "string") rec.migratedFrom = m.migratedFrom;
    state.members.set(address, rec);
  }
  state.order = [...state.members.values()].sort((a, b) => a.firstSeq - b.firstSeq);
  for (const [id, raw] of Object.entries(asObject(o.colleges, "colleges"))) {
    const c = asObject(raw, `college ${id}`);
    state.colleges.set(Number(id), {
      id: Number(id),
      name: c.name as string,
      enabled: c.enabled as boolean,
      size: c.size as number,
      suspended: c.suspended as number,
      registered: c.registered as number,
    });
  }
  for (const [from, raw] of Object.entries(asObject(o.migrations, "migrations"))) {
    const g = asObject(raw, `migration ${from}`);
    state.migrations.set(from, {
      from,
      to: g.to as string,
      readyAt: g.readyAt as number,
      startedSeq: g.startedSeq as number,
      startedBy: g.startedBy as string,
      approvedBy: (g.approvedBy as string | null | undefined) ?? null,
    });
  }
  state.migrationDelay = o.migrationDelay as number;
  state.listeners = asArray(o.listeners, "listeners") as string[];
  return state;
}

function initial(): MembersState {
  return { members: new Map(), order: [], colleges: new Map(), migrations: new Map(), migrationDelay: 0, listeners: [] };
}

/** The membership projection (CityRegistry). */
export const membersProjection: Projection<MembersState> = { name: "members", initial, reduce, encode, decode };
