/**
 * Typed reads of the energy projection (conventions: projections/reads.ts): slots, members' trades, districts, and
 * MeterRegistry's meters with their readings and demand-response records.
 */
import type { Address, Hex } from "viem";
import type { DomainRead } from "../domain";
import { normalizeAddress, paged, type Page, type PageRequest } from "../../projections/reads";
import type {
  EnergyDistrictRecord,
  EnergyOrderRecord,
  EnergyReductionRecord,
  EnergySlotRecord,
  EnergyState,
  MeterKindName,
  MeterRecord,
  MeterStatusName,
} from "./projection";

/** An order as the projection holds it, with checksummed addresses. */
export type EnergyOrderView = Omit<EnergyOrderRecord, "trader" | "meter"> & { trader: Address; meter: Address };

export interface EnergyReadingView {
  meter: Address;
  member: Address;
  district: number;
  producedWh: bigint;
  consumedWh: bigint;
}

export interface EnergySlotView {
  slot: number;
  /** Unix seconds: the slot is [start, start + 900). */
  start: number;
  peak: boolean;
  cleared: boolean;
  price: bigint;
  volume: bigint;
  settled: boolean;
  deliveredWh: bigint;
  payments: bigint;
  imbalance: bigint;
  /** Every order placed in the slot, by id (cancelled ones included, with their status). */
  orders: EnergyOrderView[];
  readings: EnergyReadingView[];
}

export interface EnergyMemberView {
  address: Address;
  balance: bigint;
  claimed: bigint;
  demandReductionWh: bigint;
  reductions: { slot: number; meter: Address; baselineWh: bigint; consumedWh: bigint; reducedWh: bigint }[];
  /** Orders newest first, with their fills and settlements. */
  orders: EnergyOrderView[];
}

export type EnergyDistrictView = EnergyDistrictRecord;

export interface MeterView {
  meter: Address;
  member: Address;
  kind: MeterKindName;
  district: number;
  status: MeterStatusName;
  registeredAt: number;
  registeredSeq: number;
  replaces: Address | null;
  replacedBy: Address | null;
  /** Unix seconds it was replaced or revoked. */
  endedAt: number | null;
  reasonHash: Hex | null;
  /** Consumption baseline per slot the operator set, or null. */
  baselineWh: bigint | null;
  /** Readings recorded. */
  readings: number;
  /** Σ reduced below its baseline in peak slots. */
  demandReductionWh: bigint;
}

export interface MeterReadingView {
  slot: number;
  /** Unix seconds: the slot is [start, start + 900). */
  start: number;
  member: Address;
  district: number;
  producedWh: bigint;
  consumedWh: bigint;
}

export interface MeterReductionView {
  slot: number;
  start: number;
  baselineWh: bigint;
  consumedWh: bigint;
  reducedWh: bigint;
}

export interface MeterQuery extends PageRequest {
  member?: string;
  district?: number;
  status?: MeterStatusName;
}

export type EnergyQueries = ReturnType<typeof energyQueries>;

const SLOT_SECONDS = 900;

export function energyQueries({ state, cs }: DomainRead<EnergyState>) {
  const orderView = (o: EnergyOrderRecord): EnergyOrderView => ({ ...o, trader: cs(o.trader), meter: cs(o.meter) });
  const byId = (a: EnergyOrderRecord, b: EnergyOrderRecord) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const orders = (ids: readonly string[]) => ids.map((id) => state().orders.get(id)!).filter(Boolean);
  const bySlot = (a: { slot: number }, b: { slot: number }) => a.slot - b.slot;
  const reductionsOf = (meter: string): readonly EnergyReductionRecord[] => state()._reductions.get(meter) ?? [];
  const nullable = <T, U>(v: T | undefined, f: (v: T) => U): U | null => (v === undefined ? null : f(v));

  const meterView = (m: MeterRecord): MeterView => ({
    meter: cs(m.meter),
    member: cs(m.member),
    kind: m.kind,
    district: m.district,
    status: m.status,
    registeredAt: m.registeredAt,
    registeredSeq: m.registeredSeq,
    replaces: nullable(m.replaces, cs),
    replacedBy: nullable(m.replacedBy, cs),
    endedAt: m.endedAt ?? null,
    reasonHash: (m.reasonHash as Hex | undefined) ?? null,
    baselineWh: state().baselines.get(m.meter) ?? null,
    readings: state()._readingSlots.get(m.meter)?.length ?? 0,
    demandReductionWh: reductionsOf(m.meter).reduce((sum, r) => sum + r.reducedWh, 0n),
  });

  const slotView = (s: EnergySlotRecord): EnergySlotView => ({
    slot: s.slot,
    start: s.slot * SLOT_SECONDS,
    peak: s.peak,
    cleared: s.cleared,
    price: s.price,
    volume: s.volume,
    settled: s.settled,
    deliveredWh: s.deliveredWh,
    payments: s.payments,
    imbalance: s.imbalance,
    orders: orders(s.orders).sort(byId).map(orderView),
    readings: s.readings.map((r) => ({ ...r, meter: cs(r.meter), member: cs(r.member) })),
  });

  return {
    /** A slot's book, auction result, readings and settlement, or undefined if nothing happened in it. */
    slot(slot: number): EnergySlotView | undefined {
      const s = state().slots.get(slot);
      return s && slotView(s);
    },
    /** Slots in which anything happened (an order, a flag, a reading), latest slot first by default. */
    slots(page?: PageRequest): Page<EnergySlotView> {
      return paged([...state().slots.values()].sort(bySlot), page, slotView);
    },
    /** Every district with recorded readings, by district number. */
    districts(): EnergyDistrictView[] {
      return [...state().districts.values()].sort((a, b) => a.district - b.district).map((d) => ({ ...d }));
    },
    /** A member's market balance, trades and settlements, and demand-response record, or undefined if none. */
    member(address: string): EnergyMemberView | undefined {
      const m = state().members.get(address.toLowerCase());
      if (!m) return undefined;
      return {
        address: cs(m.address),
        balance: m.balance,
        claimed: m.claimed,
        demandReductionWh: m.demandReductionWh,
        reductions: m.reductions.map((r) => ({ ...r, meter: cs(r.meter) })),
        orders: orders(m.orders).sort(byId).reverse().map(orderView),
      };
    },
    /** A district's energy balance over its slots with recorded readings, or undefined if no reading came from it. */
    district(district: number): EnergyDistrictView | undefined {
      const d = state().districts.get(district);
      return d && { ...d };
    },
    /** A meter (any status) with its baseline and totals, or undefined if never registered. */
    meter(address: string): MeterView | undefined {
      const a = normalizeAddress(address);
      const m = a === undefined ? undefined : state().meters.get(a);
      return m && meterView(m);
    },
    /** Meters in registration order by default, optionally of one member, district or status. */
    meters(query: MeterQuery = {}): Page<MeterView> {
      const member = query.member === undefined ? undefined : normalizeAddress(query.member) ?? "";
      const list = [...state().meters.values()]
        .filter(
          (m) =>
            (member === undefined || m.member === member) &&
            (query.district === undefined || m.district === query.district) &&
            (query.status === undefined || m.status === query.status),
        )
        .sort((a, b) => a.registeredSeq - b.registeredSeq || (a.meter < b.meter ? -1 : 1));
      return paged(list, { ...query, order: query.order ?? "asc" }, meterView);
    },
    /** A meter's recorded readings by slot, newest first by default; undefined if the meter was never registered. */
    meterReadings(address: string, page?: PageRequest): Page<MeterReadingView> | undefined {
      const a = normalizeAddress(address);
      if (a === undefined || !state().meters.has(a)) return undefined;
      const slots = [...(state()._readingSlots.get(a) ?? [])].sort((x, y) => x - y);
      return paged(slots, page, (slot) => {
        const r = state().slots.get(slot)!.readings.find((x) => x.meter === a)!;
        return { slot, start: slot * SLOT_SECONDS, member: cs(r.member), district: r.district, producedWh: r.producedWh, consumedWh: r.consumedWh };
      });
    },
    /** A meter's demand-response records (peak slots it drew below its baseline), newest first by default. */
    meterReductions(address: string, page?: PageRequest): Page<MeterReductionView> | undefined {
      const a = normalizeAddress(address);
      if (a === undefined || !state().meters.has(a)) return undefined;
      return paged([...reductionsOf(a)].sort(bySlot), page, (r) => ({
        slot: r.slot,
        start: r.slot * SLOT_SECONDS,
        baselineWh: r.baselineWh,
        consumedWh: r.consumedWh,
        reducedWh: r.reducedWh,
      }));
    },
  };
}
