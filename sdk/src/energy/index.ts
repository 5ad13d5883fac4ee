/**
 * `@cityledger/sdk/energy`: the energy market's rules, pure and shared by the contracts' tests, the node and apps —
 * the uniform-price double auction that clears a slot, and the settlement of a cleared slot against meter readings.
 * @packageDocumentation
 */
export { askRevenue, bidCost, clearSlot, type ClearingOrder, type ClearingResult } from "./clearing";
export { apportion, settleSlot, type AskSettlement, type BidSettlement, type SettlementInput, type SettlementOrder, type SettlementResult } from "./settlement";
