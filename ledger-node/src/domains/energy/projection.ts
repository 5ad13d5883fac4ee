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
 *   readings on their own, before or after the slot's settlement; so do the meters (registered, replaced, revoked,
 *   moved to a member's new key with its membership), as MeterRegistry holds them.
 *
 * District balance, per slot, from its recorded readings grouped by the meter's district: `producedWh` and
 * `consumedWh` summed; `localWh = min(produced, consumed)` is consumed within the district (self-consumption),
 * `gridImportWh = consumed − local` came from the grid, `gridExportWh = produced − local` went to it. Slots add up;
 * a reading arriving later updates its slot's share.
 */
import type { ProjectedEntry } from "../../types";
import type { CityEventOf, ContractEvent } from "@cityledger/sdk/ledger";
import { defineProjection } from "../../projections/projection";

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

/** `IMeterRegistry.MeterKind` by code. */
export const METER_KINDS = ["none", "production", "consumption", "both"] as const;
export type MeterKindName = (typeof METER_KINDS)[number];
export type MeterStatusName = "active" | "replaced" | "revoked";

export interface MeterRecord {
  meter: string;
  /** The member it measures for (after a key recovery, the new key: active meters follow the membership). */
  member: string;
  kind: MeterKindName;
  district: number;
  status: MeterStatusName;
  /** Unix seconds it became active. */
  registeredAt: number;
  registeredSeq: number;
  /** The meter it took over from, if it was a replacement. */
  replaces?: string;
  /** The meter that took over from it, once replaced. */
  replacedBy?: string;
  /** Unix seconds it was replaced or revoked. */
  endedAt?: number;
  /** Why it was revoked. */
  reasonHash?: string;
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
  /** Meters by lower-case address, whatever their status. */
  meters: Map<string, MeterRecord>;
  /** Meter → slots of its recorded readings (derived). */
  _readingSlots: Map<string, number[]>;
  /** Meter → its demand-response records, the members' own (derived). */
  _reductions: Map<string, EnergyReductionRecord[]>;
  /** What EnergyMarket holds: Σ balances + Σ locked of orders neither cancelled nor settled. */
  held: bigint;
}

/** Appends `item` to the list of `key` in `map`. */
function push<K, V>(map: Map<K, V[]>, key: K, item: V): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

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

function orderOf(state: EnergyState, entry: ProjectedEntry, orderId: bigint): EnergyOrderRecord {
  const o = state.orders.get(orderId.toString());
  if (!o) throw new TypeError(`projections: EnergyMarket.${entry.event.name} at seq ${entry.seq} names unknown order ${orderId}`);
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

type Settled = CityEventOf<"EnergyMarket", "AskSettled" | "BidSettled">;

function settleOrder(state: EnergyState, entry: ProjectedEntry, { args }: Settled, fields: Partial<EnergyOrderRecord>): void {
  const o = orderOf(state, entry, args.orderId);
  Object.assign(o, fields, { status: "settled", deliveredWh: BigInt(args.deliveredWh), credit: args.credit, closedSeq: entry.seq });
  // Settlement moves no CityCoin: what the slot's orders locked is redistributed into balances (held is unchanged).
  // The event names the account credited: the order's trader, or the key its membership moved to.
  memberOf(state, args.trader.toLowerCase()).balance += args.credit;
}

/** MeterRegistry's events: meters, readings, baselines, peak flags, demand response, meters following a key recovery. */
function reduceMeters(state: EnergyState, e: ContractEvent<"MeterRegistry">, seq: number): EnergyState {
  switch (e.name) {
    case "MeterRegistered": {
      const meter = e.args.meter.toLowerCase();
      const replacement = state.meters.get(meter);
      state.meters.set(meter, {
        meter,
        member: e.args.member.toLowerCase(),
        kind: METER_KINDS[e.args.kind] ?? "none",
        district: e.args.district,
        status: "active",
        registeredAt: e.args.registeredAt,
        registeredSeq: replacement?.registeredSeq ?? seq,
        ...(replacement?.replaces === undefined ? {} : { replaces: replacement.replaces }),
      });
      break;
    }
    case "MeterReplaced": {
      const oldMeter = e.args.oldMeter.toLowerCase();
      const newMeter = e.args.newMeter.toLowerCase();
      const old = state.meters.get(oldMeter);
      if (old) Object.assign(old, { status: "replaced", replacedBy: newMeter, endedAt: e.args.replacedAt });
      // The MeterRegistered of the new meter follows in the same transaction.
      state.meters.set(newMeter, {
        meter: newMeter,
        member: e.args.member.toLowerCase(),
        kind: METER_KINDS[e.args.kind] ?? "none",
        district: e.args.district,
        status: "active",
        registeredAt: e.args.replacedAt,
        registeredSeq: seq,
        replaces: oldMeter,
      });
      break;
    }
    case "MeterRevoked": {
      const m = state.meters.get(e.args.meter.toLowerCase());
      if (m) Object.assign(m, { status: "revoked", endedAt: e.args.revokedAt, reasonHash: e.args.reasonHash.toLowerCase() });
      break;
    }
    case "BaselineSet":
      state.baselines.set(e.args.meter.toLowerCase(), BigInt(e.args.baselineWh));
      break;
    case "PeakSlotFlagged":
      slotOf(state, e.args.slot).peak = true;
      break;
    case "ReadingAccepted": {
      const slot = slotOf(state, e.args.slot);
      const reading = {
        meter: e.args.meter.toLowerCase(),
        member: e.args.member.toLowerCase(),
        district: e.args.district,
        producedWh: BigInt(e.args.producedWh),
        consumedWh: BigInt(e.args.consumedWh),
      };
      slot.readings.push(reading);
      push(state._readingSlots, reading.meter, slot.slot);
      addReading(state, slot, reading);
      break;
    }
    case "DemandReduced": {
      const m = memberOf(state, e.args.member.toLowerCase());
      m.demandReductionWh = e.args.total;
      const reduction = {
        slot: e.args.slot,
        meter: e.args.meter.toLowerCase(),
        baselineWh: BigInt(e.args.baselineWh),
        consumedWh: BigInt(e.args.consumedWh),
        reducedWh: BigInt(e.args.reducedWh),
      };
      m.reductions.push(reduction);
      push(state._reductions, reduction.meter, reduction);
      break;
    }
    case "MetersMigrated": {
      const fromAddress = e.args.from.toLowerCase();
      const toAddress = e.args.to.toLowerCase();
      const from = memberOf(state, fromAddress);
      const to = memberOf(state, toAddress);
      to.demandReductionWh += from.demandReductionWh;
      from.demandReductionWh = 0n;
      // The active meters move with the membership; replaced and revoked ones stay on the old key's record.
      for (const m of state.meters.values()) if (m.member === fromAddress && m.status === "active") m.member = toAddress;
      break;
    }
  }
  return state;
}

function reduce(state: EnergyState, entry: ProjectedEntry): EnergyState {
  const e = entry.event;
  if (e.contract === "MeterRegistry") return reduceMeters(state, e, entry.seq);
  if (e.contract !== "EnergyMarket") return state;
  const p = state.params;
  switch (e.name) {
    case "GateClosureSet":
      p.gateClosure = e.args.gateClosure;
      break;
    case "MaxOrdersPerSlotSet":
      p.maxOrdersPerSlot = e.args.maxOrders;
      break;
    case "MaxOrdersPerTraderSet":
      p.maxOrdersPerTrader = e.args.maxOrders;
      break;
    case "MinOrderWhSet":
      p.minOrderWh = e.args.minWh;
      break;
    case "GridPriceSet":
      p.gridPrice = BigInt(e.args.price);
      break;
    case "SettlementWindowSet":
      p.settlementWindow = e.args.window;
      break;
    case "MinOrderValueSet":
      p.minOrderValue = BigInt(e.args.minValue);
      break;
    case "BalanceMigrated":
      memberOf(state, e.args.from.toLowerCase()).balance -= e.args.amount;
      memberOf(state, e.args.to.toLowerCase()).balance += e.args.amount;
      break;
    case "Deposited": {
      const m = memberOf(state, e.args.account.toLowerCase());
      state.held += e.args.amount;
      m.balance = e.args.balance;
      break;
    }
    case "RefundClaimed": {
      const m = memberOf(state, e.args.account.toLowerCase());
      m.balance -= e.args.amount;
      m.claimed += e.args.amount;
      state.held -= e.args.amount;
      break;
    }
    case "OrderPlaced": {
      const { orderId: id, slot, locked } = e.args;
      const trader = e.args.trader.toLowerCase();
      state.orders.set(id.toString(), {
        id,
        slot,
        side: e.args.side === 0 ? "ask" : "bid",
        trader,
        meter: e.args.meter.toLowerCase(),
        wh: BigInt(e.args.wh),
        price: BigInt(e.args.price),
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
      const o = orderOf(state, entry, e.args.orderId);
      Object.assign(o, { status: e.name === "OrderCancelled" ? "cancelled" : "evicted", credit: e.args.refund, closedSeq: entry.seq });
      memberOf(state, e.args.trader.toLowerCase()).balance += e.args.refund;
      break;
    }
    case "SlotCleared":
      Object.assign(slotOf(state, e.args.slot), {
        cleared: true,
        price: BigInt(e.args.price),
        volume: e.args.volume,
        orderCount: e.args.orderCount,
        clearedSeq: entry.seq,
      });
      break;
    case "OrderCleared": {
      const o = orderOf(state, entry, e.args.orderId);
      o.status = "cleared";
      o.filledWh = BigInt(e.args.filledWh);
      break;
    }
    case "AskSettled":
      settleOrder(state, entry, e, { revenue: e.args.revenue, imbalance: e.args.imbalance });
      break;
    case "BidSettled":
      settleOrder(state, entry, e, { cost: e.args.cost, compensation: e.args.compensation });
      break;
    case "SlotSettled":
      Object.assign(slotOf(state, e.args.slot), {
        settled: true,
        deliveredWh: e.args.deliveredWh,
        payments: e.args.payments,
        imbalance: e.args.imbalance,
        settledSeq: entry.seq,
      });
      break;
  }
  return state;
}

/** The derived indexes: each meter's reading slots and demand-response records. */
function rebuild(state: EnergyState): void {
  for (const slot of state.slots.values()) for (const r of slot.readings) push(state._readingSlots, r.meter, slot.slot);
  for (const m of state.members.values()) for (const r of m.reductions) push(state._reductions, r.meter, r);
}

function initial(): EnergyState {
  return {
    params: { gateClosure: 0, maxOrdersPerSlot: 0, maxOrdersPerTrader: 0, minOrderWh: 0, gridPrice: 0n, settlementWindow: 0, minOrderValue: 0n },
    orders: new Map(),
    slots: new Map(),
    members: new Map(),
    districts: new Map(),
    baselines: new Map(),
    meters: new Map(),
    _readingSlots: new Map(),
    _reductions: new Map(),
    held: 0n,
  };
}

/** The energy projection (EnergyMarket and MeterRegistry). */
export const energyProjection = defineProjection<EnergyState>({ name: "energy", initial, reduce, rebuild });

