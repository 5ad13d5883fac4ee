/**
 * The dashboard's figures that need a history the node's read models do not keep (members per college and district,
 * the currency's supply against its attested reserve, payments), derived from the log's decoded events. Pure: the
 * same entries give the same figures. Amounts stay bigint base units; only the charts take numbers.
 */
import type { EntryJson } from "../../api/types";

const ZERO = "0x0000000000000000000000000000000000000000";

export interface MembersFigure {
  /** College number → name, as CollegeConfigured named it. */
  colleges: Map<number, string>;
  /** Active members per (district, college). */
  counts: { district: number; college: number; members: number }[];
  total: number;
}

/** Membership replayed: registered, updated (college or district), removed; suspended members still count. */
export function membersOf(entries: readonly EntryJson[]): MembersFigure {
  const colleges = new Map<number, string>();
  const members = new Map<string, { college: number; district: number }>();
  for (const e of entries) {
    if (e.event?.contract !== "CityRegistry") continue;
    const a = e.event.args as { account?: string; college?: number; district?: number; name?: string };
    switch (e.event.name) {
      case "CollegeConfigured":
        colleges.set(a.college!, a.name!);
        break;
      case "MemberRegistered":
      case "MemberUpdated":
        members.set(a.account!, { college: a.college!, district: a.district! });
        break;
      case "MemberRemoved":
        members.delete(a.account!);
        break;
      case "MigrationCompleted": {
        const m = e.event.args as { from: string; to: string };
        const moved = members.get(m.from);
        if (moved) {
          members.delete(m.from);
          members.set(m.to, moved);
        }
        break;
      }
    }
  }
  const cells = new Map<string, { district: number; college: number; members: number }>();
  for (const { college, district } of members.values()) {
    const key = `${district}/${college}`;
    const cell = cells.get(key) ?? { district, college, members: 0 };
    cell.members++;
    cells.set(key, cell);
  }
  const counts = [...cells.values()].sort((x, y) => x.district - y.district || x.college - y.college);
  return { colleges, counts, total: members.size };
}

export interface MoneyPoint {
  seq: number;
  block: number;
  supply: bigint;
  /** The last attested reserve at that point (undefined before the first attestation). */
  reserve: bigint | undefined;
}

export interface MoneyFigure {
  /** One point per entry that changed the supply or attested the reserve. */
  points: MoneyPoint[];
  supply: bigint;
  reserve: bigint | undefined;
  /** Transfers between two accounts (not issuance or redemption). */
  payments: number;
  paymentsVolume: bigint;
}

/** CityCoin's supply (mints and burns are Transfers from or to the zero address) and its attested reserve. */
export function moneyOf(entries: readonly EntryJson[]): MoneyFigure {
  let supply = 0n;
  let reserve: bigint | undefined;
  let payments = 0;
  let paymentsVolume = 0n;
  const points: MoneyPoint[] = [];
  for (const e of entries) {
    if (e.event?.contract !== "CityCoin") continue;
    const point = () => points.push({ seq: e.seq, block: Number(e.log.blockNumber), supply, reserve });
    if (e.event.name === "Transfer") {
      const { from, to, value } = e.event.args as { from: string; to: string; value: string };
      if (from === ZERO) supply += BigInt(value);
      else if (to === ZERO) supply -= BigInt(value);
      else {
        payments++;
        paymentsVolume += BigInt(value);
        continue;
      }
      point();
    } else if (e.event.name === "ReserveAttested") {
      reserve = BigInt((e.event.args as { reserve: string }).reserve);
      point();
    }
  }
  return { points, supply, reserve, payments, paymentsVolume };
}

/** Base units → euros, for chart scales only (the tables and texts format the exact amounts). */
export const euros = (units: bigint | string): number => Number(BigInt(units)) / 1e6;
