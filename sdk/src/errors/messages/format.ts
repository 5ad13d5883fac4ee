/** The vocabulary the domain message files share: enum names by code, amounts, times and short hashes. */
import type { Hex } from "viem";
import { formatCity } from "../../utils/units";

/** `ICityBallots.BallotKind`, by code. */
export const BALLOT_KINDS: readonly string[] = ["referendum", "consultation", "petition"];
/** `ICityBallots.BallotState`, by code, as read in a sentence. */
export const BALLOT_STATES: readonly string[] = ["unknown", "not open yet", "open", "in its reveal window", "closed", "finalized"];

/** `IParkingExchange.BookingStatus`, by code, as read in a sentence. */
export const BOOKING_STATUSES: readonly string[] = ["unknown", "booked", "disputed", "cancelled", "paid out", "resolved"];

/** `IParticipatoryBudget.BallotRule`, `WinnerRule` and `Phase`, by code, as read in a sentence. */
export const BUDGET_BALLOT_RULES: readonly string[] = ["knapsack", "approval"];
/** `IParticipatoryBudget.WinnerRule`, by code. */
export const BUDGET_WINNER_RULES: readonly string[] = [
  "greedy",
  "Equal Shares (add1)",
  "Equal Shares (Wieliczka)",
  "Equal Shares (Assen)",
  "greedy without skipping",
  "Equal Shares (add1, exact share)",
  "Equal Shares (Wieliczka, exact share)",
  "Equal Shares (Assen, exact share)",
];
/** The `WinnerRule` codes ParticipatoryBudget tallies on chain (the others are posted). */
export const BUDGET_GREEDY_RULES: readonly number[] = [0, 4];
/** `IParticipatoryBudget.Phase`, by code. */
export const BUDGET_PHASES: readonly string[] = ["unknown", "proposals", "support", "review", "vote", "tally", "funding"];

/** OpenZeppelin's `IGovernor.ProposalState`, by code, as read in a sentence. */
export const PROPOSAL_STATES: readonly string[] = ["pending", "active", "canceled", "defeated", "succeeded", "queued", "expired", "executed"];

/** A CityCoin amount with its unit. */
export function city(units: bigint): string {
  return `${formatCity(units)} CITY`;
}

/** A unix time (seconds) as an ISO date, with the raw value. */
export function time(seconds: bigint | number): string {
  const ms = Number(seconds) * 1000;
  return Number.isSafeInteger(ms) && ms <= 8.64e15 ? `${new Date(ms).toISOString()} (${seconds})` : `${seconds}`;
}

/** The first and last bytes of a 32-byte value. */
export function short(value: Hex): string {
  return value.length > 14 ? `${value.slice(0, 10)}…${value.slice(-4)}` : value;
}
