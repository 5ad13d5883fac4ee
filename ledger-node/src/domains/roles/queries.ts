/**
 * Typed reads of the access-control projection (conventions: projections/reads.ts).
 */
import type { Address, Hex } from "viem";
import type { DomainRead } from "../domain";
import { byBigint, normalizeAddress } from "../../projections/reads";
import type { RoleRecord, RolesState, TargetRecord } from "./projection";

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

export interface RolesQueries {
  role(id: bigint): RoleView | undefined;
  roles(): RoleView[];
  /** Roles held by `address`. */
  rolesOf(address: string): bigint[];
  targets(): TargetView[];
}

export function rolesQueries({ state, cs }: DomainRead<RolesState>): RolesQueries {
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

  return {
    role(id) {
      const r = state().roles.get(id.toString());
      return r && roleView(r);
    },
    roles() {
      return [...state().roles.values()].sort((a, b) => byBigint(a.id, b.id)).map(roleView);
    },
    rolesOf(address) {
      const a = normalizeAddress(address);
      if (a === undefined) return [];
      return [...state().roles.values()]
        .filter((r) => r.holders.has(a))
        .map((r) => r.id)
        .sort(byBigint);
    },
    targets() {
      return [...state().targets.values()].sort((a, b) => (a.target < b.target ? -1 : 1)).map(targetView);
    },
  };
}
