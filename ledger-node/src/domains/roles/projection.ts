/**
 * Who may do what, from CityAuthority's (OpenZeppelin AccessManager) events: role holders with their grant time and
 * execution delay, role labels, admins, guardians and grant delays, the role required by every target function,
 * closed targets, and delayed operations.
 */
import type { ProjectedEntry } from "../../types";
import { defineProjection } from "../../projections/projection";

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
  const e = entry.event;
  if (e.contract !== "CityAuthority") return state;
  switch (e.name) {
    case "RoleLabel":
      role(state, e.args.roleId).label = e.args.label;
      break;
    case "RoleGranted": {
      const r = role(state, e.args.roleId);
      const account = e.args.account.toLowerCase();
      const delay = e.args.delay;
      const existing = r.holders.get(account);
      if (e.args.newMember || !existing) {
        r.holders.set(account, { account, since: e.args.since, delay, grantedSeq: entry.seq });
      } else {
        // Not a new member: only the execution delay changes (from `since` on).
        existing.delay = delay;
      }
      break;
    }
    case "RoleRevoked":
      role(state, e.args.roleId).holders.delete(e.args.account.toLowerCase());
      break;
    case "RoleAdminChanged":
      role(state, e.args.roleId).admin = e.args.admin;
      break;
    case "RoleGuardianChanged":
      role(state, e.args.roleId).guardian = e.args.guardian;
      break;
    case "RoleGrantDelayChanged":
      role(state, e.args.roleId).grantDelay = { delay: e.args.delay, since: e.args.since };
      break;
    case "TargetClosed":
      target(state, e.args.target.toLowerCase()).closed = e.args.closed;
      break;
    case "TargetFunctionRoleUpdated":
      target(state, e.args.target.toLowerCase()).functions.set(e.args.selector.toLowerCase(), e.args.roleId);
      break;
    case "TargetAdminDelayUpdated":
      target(state, e.args.target.toLowerCase()).adminDelay = { delay: e.args.delay, since: e.args.since };
      break;
    case "OperationScheduled": {
      const id = e.args.operationId.toLowerCase();
      state.operations.set(id, {
        id,
        nonce: e.args.nonce,
        schedule: e.args.schedule,
        caller: e.args.caller.toLowerCase(),
        target: e.args.target.toLowerCase(),
        data: e.args.data.toLowerCase(),
        status: "scheduled",
        scheduledSeq: entry.seq,
      });
      break;
    }
    case "OperationExecuted":
    case "OperationCanceled": {
      const op = state.operations.get(e.args.operationId.toLowerCase());
      if (op && op.nonce === e.args.nonce) op.status = e.name === "OperationExecuted" ? "executed" : "canceled";
      break;
    }
  }
  return state;
}

function initial(): RolesState {
  return { roles: new Map(), targets: new Map(), operations: new Map() };
}

/** The access-control projection (CityAuthority). */
export const rolesProjection = defineProjection<RolesState>({ name: "roles", initial, reduce });
