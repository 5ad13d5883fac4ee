/** The energy routes' JSON (ledger-node/src/domains/energy/routes.ts): Wh and base units as decimal strings. */
import type { Address } from "viem";

export interface OrderJson {
  id: string;
  slot: number;
  side: "ask" | "bid";
  trader: Address;
  meter: Address;
  wh: string;
  /** Per kWh, base units. */
  price: string;
  locked: string;
  status: "open" | "cancelled" | "cleared" | "settled" | "evicted";
  placedSeq: number;
  filledWh?: string;
  deliveredWh?: string;
  revenue?: string;
  imbalance?: string;
  cost?: string;
  compensation?: string;
  credit?: string;
}

export interface ReadingJson {
  meter: Address;
  member: Address;
  district: number;
  producedWh: string;
  consumedWh: string;
}

export interface SlotJson {
  slot: number;
  start: number;
  peak: boolean;
  cleared: boolean;
  price: string;
  volume: string;
  settled: boolean;
  deliveredWh: string;
  payments: string;
  imbalance: string;
  orders: OrderJson[];
  readings: ReadingJson[];
}

export interface DistrictJson {
  district: number;
  slots: number;
  producedWh: string;
  consumedWh: string;
  localWh: string;
  gridImportWh: string;
  gridExportWh: string;
}

export interface ListJson<T> {
  items: T[];
  total: number;
}

export interface Page<T> extends ListJson<T> {
  offset: number;
  limit: number;
}
