/**
 * What a movement of the member's money was, from the transfer's kind and its counterparty: CityCoin only knows
 * transfers, but a transfer from BasicIncome is an allowance, to or from ParkingExchange an escrow, and so on.
 */
import type { Address } from "viem";
import type { CityAddresses } from "@cityledger/sdk";

export type MoveKind = "payment" | "income" | "parking" | "energy" | "budget" | "issue" | "redeem" | "fee" | "migration";

export interface TransferJson {
  seq: number;
  txHash: `0x${string}`;
  logIndex: number;
  from: Address;
  to: Address;
  amount: string;
  kind: "transfer" | "issue" | "redeem" | "fee" | "migration";
}

export interface AccountJson {
  address: Address;
  balance: string;
  member: boolean;
  cityAccount: boolean;
  history: TransferJson[];
  total: number;
  offset: number;
  limit: number;
}

export function moveKind(transfer: TransferJson, me: Address, addresses: CityAddresses): MoveKind {
  if (transfer.kind !== "transfer") return transfer.kind;
  const other = (transfer.from.toLowerCase() === me.toLowerCase() ? transfer.to : transfer.from).toLowerCase();
  const is = (address: Address | undefined) => address !== undefined && address.toLowerCase() === other;
  if (is(addresses.basicIncome)) return "income";
  if (is(addresses.parkingExchange)) return "parking";
  if (is(addresses.energyMarket)) return "energy";
  if (is(addresses.participatoryBudget)) return "budget";
  return "payment";
}
