/**
 * Typed reads of the energy projection (see queries.ts for the conventions: bigints for amounts and Wh, numbers for
 * slots, districts and counts, checksummed addresses).
 */
import type { Address } from "viem";
import type { ProjectionEngine } from "./engine";
import {
  energyProjection,
  type EnergyDistrictRecord,
  type EnergyOrderRecord,
} from "./energy";

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

export function createEnergyQueries(engine: ProjectionEngine, cs: (a: string) => Address) {
  const state = () => engine.state(energyProjection);

  const orderView = (o: EnergyOrderRecord): EnergyOrderView => ({ ...o, trader: cs(o.trader), meter: cs(o.meter) });
  const byId = (a: EnergyOrderRecord, b: EnergyOrderRecord) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const orders = (ids: readonly string[]) => ids.map((id) => state().orders.get(id)!).filter(Boolean);

  return {
    /** A slot's book, auction result, readings and settlement, or undefined if nothing happened in it. */
    energySlot(slot: number): EnergySlotView | undefined {
      const s = state().slots.get(slot);
      if (!s) return undefined;
      return {
        slot: s.slot,
        start: s.slot * 900,
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
      };
    },
    /** A member's market balance, trades and settlements, and demand-response record, or undefined if none. */
    energyMember(address: string): EnergyMemberView | undefined {
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
    energyDistrict(district: number): EnergyDistrictView | undefined {
      const d = state().districts.get(district);
      return d && { ...d };
    },
  };
}
