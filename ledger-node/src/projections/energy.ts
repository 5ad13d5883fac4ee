/**
 * Energy read model, from EnergyMarket's and MeterRegistry's events alone: the council's parameters, every order
 * (placed, cancelled, evicted, cleared with its fill, settled with its delivery and money), each slot's book, auction
 * result, readings and settlement, each member's market balance and demand-response record, and the energy balance of
 * each district.
 *
 * Mirrors EnergyMarket:
 * - an order's id is `slot << 32 | sequence`; `locked` is what it took from the trader's market balance (a bid's
 *   escrow, an ask's collateral); a member's `balance` follows `Deposited` (its new balance), `OrderPlaced` (minus
 *   locked), `OrderCancelled`/`OrderEvicted` (plus the refund), `AskSettled`/`BidSettled` (plus the credit),
 *   `BalanceMigrated` (moved to the new key) and `RefundClaimed` (to zero); the account these events name is the one
 *   credited (after a key recovery, the new key), so `held` = Σ balances + Σ locked of orders neither cancelled,
 *   evicted nor settled is the market's CityCoin balance;
 * - readings (`ReadingAccepted`), baselines, peak flags and demand response come from MeterRegistry, which records
 *   readings on their own, before or after the slot's settlement.
 *
 * District balance, per slot, from its recorded readings grouped by the meter's district: `producedWh` and
 * `consumedWh` summed; `localWh = min(produced, consumed)` is consumed within the district (self-consumption),
 * `gridImportWh = consumed − local` came from the grid, `gridExportWh = produced − local` went to it. Slots add up;
 * a reading arriving later updates its slot's share.
 */
import type { ProjectedEntry } from "../types";
import type { Projection } from "./projection";
import { addr, big, num } from "./fields";

export type EnergySide = "ask" | "bid";
export type EnergyOrderStatus = "open" | "cancelled" | "cleared" | "settled" | "evicted";

export interface EnergyOrderRecord {
  id: bigint;
  slot: number;
  side: EnergySide;
  trader: string;
  meter: string;
  wh: bigint;
  /** The ask's minimum or the bid's maximum, per kWh, base units. */
  price: bigint;
  locked: bigint;
  status: EnergyOrderStatus;
  placedSeq: number;
  filledWh?: bigint;
  deliveredWh?: bigint;
  /** Ask: paid for delivered energy. */
  revenue?: bigint;
  /** Ask: paid for the shortfall at the grid price. */
  imbalance?: bigint;
  /** Bid: paid for delivered energy. */
  cost?: bigint;
  /** Bid: its share of the sellers' imbalance payments. */
  compensation?: bigint;
  /** What went back to the trader's market balance when cancelled or evicted (refund) or settled (credit). */
  credit?: bigint;
  closedSeq?: number;
}

export interface EnergyReadingRecord {
  meter: string;
  member: string;
  district: number;
  producedWh: bigint;
  consumedWh: bigint;
}

export interface EnergySlotRecord {
  slot: number;
  /** Decimal ids of the slot's orders, in placement order (cancelled ones included). */
  orders: string[];
  peak: boolean;
  cleared: boolean;
  price: bigint;
  volume: bigint;
  orderCount: number;
  settled: boolean;
  deliveredWh: bigint;
  payments: bigint;
  imbalance: bigint;
  readings: EnergyReadingRecord[];
  clearedSeq?: number;
  settledSeq?: number;
}

export interface EnergyReductionRecord {
  slot: number;
  meter: string;
  baselineWh: bigint;
  consumedWh: bigint;
  reducedWh: bigint;
}

export interface EnergyMemberRecord {
  address: string;
  /** Decimal ids of the member's orders, in placement order. */
  orders: string[];
  /** Market balance: free for orders or a claim. */
  balance: bigint;
  claimed: bigint;
  demandReductionWh: bigint;
  reductions: EnergyReductionRecord[];
}

export interface EnergyDistrictRecord {
  district: number;
  slots: number;
  producedWh: bigint;
  consumedWh: bigint;
  localWh: bigint;
  gridImportWh: bigint;
  gridExportWh: bigint;
}

export interface EnergyParams {
  gateClosure: number;
  maxOrdersPerSlot: number;
  maxOrdersPerTrader: number;
  minOrderWh: number;
  gridPrice: bigint;
  settlementWindow: number;
  /** The least an order locks, base units. */
  minOrderValue: bigint;
}

export interface EnergyState {
  params: EnergyParams;
  orders: Map<string, EnergyOrderRecord>;
  slots: Map<number, EnergySlotRecord>;
  members: Map<string, EnergyMemberRecord>;
  districts: Map<number, EnergyDistrictRecord>;
  /** Meter → consumption baseline (Wh per slot) the operator set. */
  baselines: Map<string, bigint>;
  /** What EnergyMarket holds: Σ balances + Σ locked of orders neither cancelled nor settled. */
  held: bigint;
}

const MARKET = "EnergyMarket";
const METERS = "MeterRegistry";

function slotOf(state: EnergyState, slot: number): EnergySlotRecord {
  let s = state.slots.get(slot);
  if (!s) {
    s = {
      slot,
      orders: [],
      peak: false,
      cleared: false,
      price: 0n,
      volume: 0n,
      orderCount: 0,
      settled: false,
      deliveredWh: 0n,
      payments: 0n,
      imbalance: 0n,
      readings: [],
    };
    state.slots.set(slot, s);
  }
  return s;
}

function memberOf(state: EnergyState, address: string): EnergyMemberRecord {
  let m = state.members.get(address);
  if (!m) {
    m = { address, orders: [], balance: 0n, claimed: 0n, demandReductionWh: 0n, reductions: [] };
    state.members.set(address, m);
  }
  return m;
}

function orderOf(state: EnergyState, entry: ProjectedEntry): EnergyOrderRecord {
  const id = big(entry, "orderId").toString();
  const o = state.orders.get(id);
  if (!o) throw new TypeError(`projections: ${MARKET}.${entry.event.name} at seq ${entry.seq} names unknown order ${id}`);
  return o;
}

function districtOf(state: EnergyState, district: number): EnergyDistrictRecord {
  let d = state.districts.get(district);
  if (!d) {
    d = { district, slots: 0, producedWh: 0n, consumedWh: 0n, localWh: 0n, gridImportWh: 0n, gridExportWh: 0n };
    state.districts.set(district, d);
  }
  return d;
}

/** Adds one reading of `slot` (already in its readings) to its district's balance: the slot's share is recomputed. */
function addReading(state: EnergyState, slot: EnergySlotRecord, reading: EnergyReadingRecord): void {
  let produced = 0n;
  let consumed = 0n;
  let count = 0;
  for (const r of slot.readings) {
    if (r.district !== reading.district) continue;
    produced += r.producedWh;
    consumed += r.consumedWh;
    count += 1;
  }
  const min = (a: bigint, b: bigint) => (a < b ? a : b);
  const before = min(produced - reading.producedWh, consumed - reading.consumedWh);
  const after = min(produced, consumed);
  const d = districtOf(state, reading.district);
  if (count === 1) d.slots += 1;
  d.producedWh += reading.producedWh;
  d.consumedWh += reading.consumedWh;
  d.localWh += after - before;
  d.gridImportWh += reading.consumedWh - (after - before);
  d.gridExportWh += reading.producedWh - (after - before);
}

function settleOrder(state: EnergyState, entry: ProjectedEntry, fields: Partial<EnergyOrderRecord>): void {
  const o = orderOf(state, entry);
  Object.assign(o, fields, { status: "settled", deliveredWh: big(entry, "deliveredWh"), credit: big(entry, "credit"), closedSeq: entry.seq });
  // Settlement moves no CityCoin: what the slot's orders locked is redistributed into balances (held is unchanged).
  // The event names the account credited: the order's trader, or the key its membership moved to.
  memberOf(state, addr(entry, "trader")).balance += o.credit!;
}

/** MeterRegistry's events: readings, baselines, peak flags, demand response, meters following a key recovery. */
function reduceMeters(state: EnergyState, entry: ProjectedEntry): EnergyState {
  switch (entry.event.name) {
    case "BaselineSet":
      state.baselines.set(addr(entry, "meter"), big(entry, "baselineWh"));
      break;
    case "PeakSlotFlagged":
      slotOf(state, num(entry, "slot")).peak = true;
      break;
    case "ReadingAccepted": {
      const slot = slotOf(state, num(entry, "slot"));
      const reading = {
        meter: addr(entry, "meter"),
        member: addr(entry, "member"),
        district: num(entry, "district"),
        producedWh: big(entry, "producedWh"),
        consumedWh: big(entry, "consumedWh"),
      };
      slot.readings.push(reading);
      addReading(state, slot, reading);
      break;
    }
    case "DemandReduced": {
      const m = memberOf(state, addr(entry, "member"));
      m.demandReductionWh = big(entry, "total");
      m.reductions.push({
        slot: num(entry, "slot"),
        meter: addr(entry, "meter"),
        baselineWh: big(entry, "baselineWh"),
        consumedWh: big(entry, "consumedWh"),
        reducedWh: big(entry, "reducedWh"),
      });
      break;
    }
    case "MetersMigrated": {
      const from = memberOf(state, addr(entry, "from"));
      const to = memberOf(state, addr(entry, "to"));
      to.demandReductionWh += from.demandReductionWh;
      from.demandReductionWh = 0n;
      break;
    }
    default:
      break;
  }
  return state;
}

function reduce(state: EnergyState, entry: ProjectedEntry): EnergyState {
  if (entry.event.contract === METERS) return reduceMeters(state, entry);
  if (entry.event.contract !== MARKET) return state;
  const p = state.params;
  switch (entry.event.name) {
    case "GateClosureSet":
      p.gateClosure = num(entry, "gateClosure");
      break;
    case "MaxOrdersPerSlotSet":
      p.maxOrdersPerSlot = num(entry, "maxOrders");
      break;
    case "MaxOrdersPerTraderSet":
      p.maxOrdersPerTrader = num(entry, "maxOrders");
      break;
    case "MinOrderWhSet":
      p.minOrderWh = num(entry, "minWh");
      break;
    case "GridPriceSet":
      p.gridPrice = big(entry, "price");
      break;
    case "SettlementWindowSet":
      p.settlementWindow = num(entry, "window");
      break;
    case "MinOrderValueSet":
      p.minOrderValue = big(entry, "minValue");
      break;
    case "BalanceMigrated": {
      const amount = big(entry, "amount");
      memberOf(state, addr(entry, "from")).balance -= amount;
      memberOf(state, addr(entry, "to")).balance += amount;
      break;
    }
    case "Deposited": {
      const m = memberOf(state, addr(entry, "account"));
      state.held += big(entry, "amount");
      m.balance = big(entry, "balance");
      break;
    }
    case "RefundClaimed": {
      const m = memberOf(state, addr(entry, "account"));
      const amount = big(entry, "amount");
      m.balance -= amount;
      m.claimed += amount;
      state.held -= amount;
      break;
    }
    case "OrderPlaced": {
      const id = big(entry, "orderId");
      const slot = num(entry, "slot");
      const trader = addr(entry, "trader");
      const locked = big(entry, "locked");
      state.orders.set(id.toString(), {
        id,
        slot,
        side: num(entry, "side") === 0 ? "ask" : "bid",
        trader,
        meter: addr(entry, "meter"),
        wh: big(entry, "wh"),
        price: big(entry, "price"),
        locked,
        status: "open",
        placedSeq: entry.seq,
      });
      slotOf(state, slot).orders.push(id.toString());
      const m = memberOf(state, trader);
      m.orders.push(id.toString());
      m.balance -= locked;
      break;
    }
    case "OrderCancelled":
    case "OrderEvicted": {
      const o = orderOf(state, entry);
      const refund = big(entry, "refund");
      Object.assign(o, { status: entry.event.name === "OrderCancelled" ? "cancelled" : "evicted", credit: refund, closedSeq: entry.seq });
      memberOf(state, addr(entry, "trader")).balance += refund;
      break;
    }
    case "SlotCleared": {
      const s = slotOf(state, num(entry, "slot"));
      Object.assign(s, { cleared: true, price: big(entry, "price"), volume: big(entry, "volume"), orderCount: num(entry, "orderCount"), clearedSeq: entry.seq });
      break;
    }
    case "OrderCleared": {
      const o = orderOf(state, entry);
      o.status = "cleared";
      o.filledWh = big(entry, "filledWh");
      break;
    }
    case "AskSettled":
      settleOrder(state, entry, { revenue: big(entry, "revenue"), imbalance: big(entry, "imbalance") });
      break;
    case "BidSettled":
      settleOrder(state, entry, { cost: big(entry, "cost"), compensation: big(entry, "compensation") });
      break;
    case "SlotSettled": {
      const s = slotOf(state, num(entry, "slot"));
      Object.assign(s, {
        settled: true,
        deliveredWh: big(entry, "deliveredWh"),
        payments: big(entry, "payments"),
        imbalance: big(entry, "imbalance"),
        settledSeq: entry.seq,
      });
      break;
    }
    default:
      break;
  }
  return state;
}

// ─── Encoding: bigints as "n:<decimal>" so that decode restores them without a schema per field ────────────────

const BIG = "n:";

function toJson(value: unknown): unknown {
  if (typeof value === "bigint") return BIG + value.toString();
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[String(k)] = toJson(v);
    return out;
  }
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJson(v);
    return out;
  }
  return value;
}

function fromJson(value: unknown): unknown {
  if (typeof value === "string" && value.startsWith(BIG)) return BigInt(value.slice(BIG.length));
  if (Array.isArray(value)) return value.map(fromJson);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = fromJson(v);
    return out;
  }
  return value;
}

function encode(state: EnergyState): unknown {
  return toJson(state);
}

function decode(json: unknown): EnergyState {
  const o = fromJson(json) as Record<string, Record<string, unknown>>;
  const map = <K, V>(obj: Record<string, unknown>, key: (k: string) => K) =>
    new Map<K, V>(Object.entries(obj).map(([k, v]) => [key(k), v as V]));
  return {
    params: o.params as unknown as EnergyParams,
    orders: map<string, EnergyOrderRecord>(o.orders!, (k) => k),
    slots: map<number, EnergySlotRecord>(o.slots!, Number),
    members: map<string, EnergyMemberRecord>(o.members!, (k) => k),
    districts: map<number, EnergyDistrictRecord>(o.districts!, Number),
    baselines: map<string, bigint>(o.baselines!, (k) => k),
    held: o.held as unknown as bigint,
  };
}

function initial(): EnergyState {
  return {
    params: { gateClosure: 0, maxOrdersPerSlot: 0, maxOrdersPerTrader: 0, minOrderWh: 0, gridPrice: 0n, settlementWindow: 0, minOrderValue: 0n },
    orders: new Map(),
    slots: new Map(),
    members: new Map(),
    districts: new Map(),
    baselines: new Map(),
    held: 0n,
  };
}

/** The energy projection (EnergyMarket). */
export const energyProjection: Projection<EnergyState> = { name: "energy", initial, reduce, encode, decode };

