/**
 * Who may do what, from CityAuthority's (OpenZeppelin AccessManager) events: role holders with their grant time and
 * execution delay, role labels, admins, guardians and grant delays, the role required by every target function,
 * closed targets, and delayed operations.
 */
import type { ProjectedEntry } from "../types";
import type { Projection } from "./projection";
import { asObject, mapToObject, toBig } from "./canonical";
import { addr, big, bool, hex, num, str } from "./fields";

export interface RoleHolder {
  account: string;
  since: number;
  delay: number;
  grantedSeq: number;
}

export interface RoleRecord {
  id: bigint;
  label?: string;
  admin?: bigint;
  guardian?: bigint;
  grantDelay?: { delay: number; since: number };
  /** Holders by lower-case address. */
  holders: Map<string, RoleHolder>;
}

export interface TargetRecord {
  target: string;
  closed: boolean;
  adminDelay?: { delay: number; since: number };
  /** Selector (0x + 8 hex) → role id. */
  functions: Map<string, bigint>;
}

export type OperationStatus = "scheduled" | "executed" | "canceled";

export interface OperationRecord {
  id: string;
  nonce: number;
  schedule: number;
  caller: string;
  target: string;
  data: string;
  status: OperationStatus;
  scheduledSeq: number;
}

export interface RolesState {
  /** Roles by decimal id. */
  roles: Map<string, RoleRecord>;
  targets: Map<string, TargetRecord>;
  operations: Map<string, OperationRecord>;
}

const AUTHORITY = "CityAuthority";

function role(state: RolesState, id: bigint): RoleRecord {
  const key = id.toString();
  let r = state.roles.get(key);
  if (!r) {
    r = { id, holders: new Map() };
    state.roles.set(key, r);
  }
  return r;
}

function target(state: RolesState, address: string): TargetRecord {
  let t = state.targets.get(address);
  if (!t) {
    t = { target: address, closed: false, functions: new Map() };
    state.targets.set(address, t);
  }
  return t;
}

function reduce(state: RolesState, entry: ProjectedEntry): RolesState {
  if (entry.event.contract !== AUTHORITY) return state;
  switch (entry.event.name) {
    case "RoleLabel":
      role(state, big(entry, "roleId")).label = str(entry, "label");
      break;
    case "RoleGranted": {
      const r = role(state, big(entry, "roleId"));
      const account = addr(entry, "account");
      const delay = num(entry, "delay");
      const existing = r.holders.get(account);
      if (bool(entry, "newMember") || !existing) {
        r.holders.set(account, { account, since: num(entry, "since"), delay, grantedSeq: entry.seq });
      } else {
        // Not a new member: only the execution delay changes (from `since` on).
        existing.delay = delay;
      }
      break;
    }
    case "RoleRevoked":
      role(state, big(entry, "roleId")).holders.delete(addr(entry, "account"));
      break;
    case "RoleAdminChanged":
      role(state, big(entry, "roleId")).admin = big(entry, "admin");
      break;
    case "RoleGuardianChanged":
      role(state, big(entry, "roleId")).guardian = big(entry, "guardian");
      break;
    case "RoleGrantDelayChanged":
      role(state, big(entry, "roleId")).grantDelay = { delay: num(entry, "delay"), since: num(entry, "since") };
      break;
    case "TargetClosed":
      target(state, addr(entry, "target")).closed = bool(entry, "closed");
      break;
    case "TargetFunctionRoleUpdated":
      target(state, addr(entry, "target")).functions.set(hex(entry, "selector"), big(entry, "roleId"));
      break;
    case "TargetAdminDelayUpdated":
      target(state, addr(entry, "target")).adminDelay = { delay: num(entry, "delay"), since: num(entry, "since") };
      break;
    case "OperationScheduled": {
      const id = hex(entry, "operationId");
      state.operations.set(id, {
        id,
        nonce: num(entry, "nonce"),
        schedule: num(entry, "schedule"),
        caller: addr(entry, "caller"),
        target: addr(entry, "target"),
        data: hex(entry, "data"),
        status: "scheduled",
        scheduledSeq: entry.seq,
      });
      break;
    }
    case "OperationExecuted":
    case "OperationCanceled": {
      const op = state.operations.get(hex(entry, "operationId"));
      if (op && op.nonce === num(entry, "nonce")) op.status = entry.event.name === "OperationExecuted" ? "executed" : "canceled";
      break;
    }
  }
  return state;
}

function encode(state: RolesState): unknown {
  return {
    roles: mapToObject(state.roles, (r) => ({
      label: r.label,
      admin: r.admin,
      guardian: r.guardian,
      grantDelay: r.grantDelay,
      holders: mapToObject(r.holders, (h) => ({ since: h.since, delay: h.delay, grantedSeq: h.grantedSeq })),
    })),
    targets: mapToObject(state.targets, (t) => ({
      closed: t.closed,
      adminDelay: t.adminDelay,
      functions: mapToObject(t.functions, (id) => id),
    })),
    operations: mapToObject(state.operations, (op) => ({
      nonce: op.nonce,
      schedule: op.schedule,
      caller: op.caller,
      target: op.target,
      data: op.data,
      status: op.status,
      scheduledSeq: op.scheduledSeq,
    })),
  };
}

function delayOf(json: unknown): { delay: number; since: number } | undefined {
  if (json === undefined || json === null) return undefined;
  const d = asObject(json, "delay");
  return { delay: d.delay as number, since: d.since as number };
}

function decode(json: unknown): RolesState {
  const o = asObject(json, "roles");
  const state = initial();
  for (const [key, raw] of Object.entries(asObject(o.roles, "roles.roles"))) {
    const r = asObject(raw, `role ${key}`);
    const rec: RoleRecord = { id: BigInt(key), holders: new Map() };
    if (typeof r.label === "string") rec.label = r.label;
    if (r.admin !== undefined) rec.admin = toBig(r.admin, "admin");
    if (r.guardian !== undefined) rec.guardian = toBig(r.guardian, "guardian");
    const gd = delayOf(r.grantDelay);
    if (gd) rec.grantDelay = gd;
    for (const [account, h] of Object.entries(asObject(r.holders, "holders"))) {
      const x = asObject(h, "holder");
      rec.holders.set(account, { account, since: x.since as number, delay: x.delay as number, grantedSeq: x.grantedSeq as number });
    }
    state.roles.set(key, rec);
  }
  for (const [address, raw] of Object.entries(asObject(o.targets, "targets"))) {
    const t = asObject(raw, `target ${address}`);
    const rec: TargetRecord = { target: address, closed: t.closed as boolean, functions: new Map() };
    const ad = delayOf(t.adminDelay);
    if (ad) rec.adminDelay = ad;
    for (const [selector, id] of Object.entries(asObject(t.functions, "functions"))) rec.functions.set(selector, toBig(id, "roleId"));
    state.targets.set(address, rec);
  }
  for (const [id, raw] of Object.entries(asObject(o.operations, "operations"))) {
    const op = asObject(raw, `operation ${id}`);
    state.operations.set(id, {
      id,
      nonce: op.nonce as number,
      schedule: op.schedule as number,
      caller: op.caller as string,
      target: op.target as string,
      data: op.data as string,
      status: op.status as OperationStatus,
      scheduledSeq: op.scheduledSeq as number,
    });
  }
  return state;
}

function initial(): RolesState {
  return { roles: new Map(), targets: new Map(), operations: new Map() };
}

/** The access-control projection (CityAuthority). */
export const rolesProjection: Projection<RolesState> = { name: "roles", initial, reduce, encode, decode };
