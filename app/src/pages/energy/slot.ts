import type { MessageKey } from "../../i18n";
import type { SlotJson } from "./types";

export const SLOT_SECONDS = 900;

/** Where a slot stands, from what the log recorded: open for orders, cleared (a price, deliveries to settle), settled. */
export type SlotState = "open" | "cleared" | "settled";

export const slotState = (s: SlotJson): SlotState => (s.settled ? "settled" : s.cleared ? "cleared" : "open");

export const STATE_KEYS: Record<SlotState, MessageKey> = {
  open: "energy.stateOpen",
  cleared: "energy.stateCleared",
  settled: "energy.stateSettled",
};

export const STATE_BADGES: Record<SlotState, string> = { open: "badge badge-ok", cleared: "badge badge-warn", settled: "badge" };

/** kWh from Wh, for people (the node counts in Wh, integers). */
export const kwh = (wh: string | number): number => Number(wh) / 1000;
