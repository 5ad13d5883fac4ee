/**
 * Currency read model, from CityCoin's events alone: balances, total supply, issued / redeemed / fee totals, the last
 * reserve attestation, redemptions, every account's transfer history and the currency's parameters.
 *
 * Balances follow the ERC-20 `Transfer` events (CityCoin emits one for every balance change, the key-migration move
 * included). A transfer's kind comes from its context in the same transaction:
 * - `Transfer(0, to)` is an issue, `Transfer(from, 0)` the burned part of a redemption;
 * - the `Transfer(account, fund, fee)` that precedes `Redeemed(id, account, amount, fee, payout)` is a fee;
 * - the `Transfer(from, to, amount)` that precedes `BalanceMigrated(from, to, amount)` is a migration.
 * The relabelling looks back a few records only: CityCoin emits them next to each other.
 *
 * Allowances are not projected: OpenZeppelin 5's `transferFrom` spends allowances without an `Approval` event, so
 * events alone cannot give them.
 *
 * Hot path: one `TransferRecord` per transfer, pushed once; accounts keep indices into the transfer list (derived:
 * rebuilt from the transfers after a load). No copy of state per entry.
 */
import type { ProjectedEntry } from "../../types";
import type { CityEventOf } from "@cityledger/sdk/ledger";
import { defineProjection } from "../../projections/projection";

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

export const TRANSFER_KINDS = ["transfer", "issue", "redeem", "fee", "migration"] as const;
export type TransferKindName = (typeof TRANSFER_KINDS)[number];
const KIND = { transfer: 0, issue: 1, redeem: 2, fee: 3, migration: 4 } as const;

/** One balance change. `kind` indexes {@link TRANSFER_KINDS}. Addresses lower-case. */
export class TransferRecord {
  constructor(
    public readonly seq: number,
    public readonly txHash: string,
    public readonly logIndex: number,
    public readonly from: string,
    public readonly to: string,
    public readonly amount: bigint,
    public kind: number,
  ) {}
}

export interface AccountRecord {
  /** Lower-case address (the one string every transfer record of this account shares). */
  address: string;
  balance: bigint;
  /** CityCoin's membership mirror. */
  member: boolean;
  cityAccount: boolean;
  /** Indices into `CurrencyState.transfers`, in seq order (derived). */
  _history: number[];
}

export interface RedemptionRecord {
  id: bigint;
  account: string;
  amount: bigint;
  fee: bigint;
  payout: bigint;
  settled: boolean;
  payoutRef?: string;
  seq: number;
  txHash: string;
  settledSeq?: number;
}

export interface ReserveRecord {
  reserve: bigint;
  reportHash: string;
  supply: bigint;
  seq: number;
  txHash: string;
}

export interface CurrencyState {
  accounts: Map<string, AccountRecord>;
  transfers: TransferRecord[];
  supply: bigint;
  issued: bigint;
  redeemed: bigint;
  fees: bigint;
  reserve?: ReserveRecord;
  redemptionFeeBps: number;
  paused: boolean;
  /** `ICityCoin.TransferPolicy`: 0 = MembersOnly, 1 = Open. */
  policy: number;
  communityFund?: string;
  /** Redemptions by decimal id. */
  redemptions: Map<string, RedemptionRecord>;
  /** Redemptions in order (derived). */
  _redemptionList: RedemptionRecord[];
  /** Accounts with a non-zero balance. */
  holders: number;
  pendingRedemptions: number;
  pendingPayout: bigint;
}

/** How far back a `Redeemed` or `BalanceMigrated` looks for the transfer it explains. */
const LOOKBACK = 4;

function account(state: CurrencyState, address: string): AccountRecord {
  let a = state.accounts.get(address);
  if (a === undefined) {
    a = { address, balance: 0n, member: false, cityAccount: false, _history: [] };
    state.accounts.set(address, a);
  }
  return a;
}

function transfer(state: CurrencyState, entry: ProjectedEntry, { args }: CityEventOf<"CityCoin", "Transfer">): void {
  const fromAddress = args.from.toLowerCase();
  const toAddress = args.to.toLowerCase();
  const value = args.value;
  const index = state.transfers.length;
  // Records hold the accounts' own address strings: one string per account, not two per transfer.
  let from = ZERO_ADDRESS;
  let to = ZERO_ADDRESS;
  let kind: number = KIND.transfer;
  if (fromAddress === ZERO_ADDRESS) {
    state.supply += value;
    kind = KIND.issue;
  } else {
    const a = account(state, fromAddress);
    const before = a.balance;
    a.balance = before - value;
    if (before !== 0n && a.balance === 0n) state.holders -= 1;
    a._history.push(index);
    from = a.address;
  }
  if (toAddress === ZERO_ADDRESS) {
    state.supply -= value;
    if (kind === KIND.transfer) kind = KIND.redeem;
  } else {
    const a = account(state, toAddress);
    const before = a.balance;
    a.balance = before + value;
    if (before === 0n && a.balance !== 0n) state.holders += 1;
    if (toAddress !== fromAddress) a._history.push(index);
    to = a.address;
  }
  state.transfers.push(new TransferRecord(entry.seq, entry.log.transactionHash, entry.log.logIndex, from, to, value, kind));
}

/** Relabels the transfer of the same transaction that matches, most recent first. */
function relabel(state: CurrencyState, entry: ProjectedEntry, from: string, to: string | undefined, amount: bigint, kind: number): void {
  const t = state.transfers;
  for (let i = t.length - 1; i >= 0 && i >= t.length - LOOKBACK; i--) {
    const r = t[i];
    if (r.txHash !== entry.log.transactionHash) return;
    if (r.kind === KIND.transfer && r.from === from && (to === undefined || r.to === to) && r.amount === amount) {
      r.kind = kind;
      return;
    }
  }
}

function reduce(state: CurrencyState, entry: ProjectedEntry): CurrencyState {
  const e = entry.event;
  if (e.contract !== "CityCoin") return state;
  switch (e.name) {
    case "Transfer":
      transfer(state, entry, e);
      break;
    case "Issued":
      state.issued += e.args.amount;
      break;
    case "Redeemed": {
      const { id, amount, fee, payout } = e.args;
      const r: RedemptionRecord = { id, account: e.args.account.toLowerCase(), amount, fee, payout, settled: false, seq: entry.seq, txHash: entry.log.transactionHash };
      state.redemptions.set(id.toString(), r);
      state._redemptionList.push(r);
      state.redeemed += r.payout;
      state.fees += r.fee;
      state.pendingRedemptions += 1;
      state.pendingPayout += r.payout;
      if (r.fee !== 0n) relabel(state, entry, r.account, state.communityFund, r.fee, KIND.fee);
      break;
    }
    case "RedemptionSettled": {
      const r = state.redemptions.get(e.args.id.toString());
      if (r && !r.settled) {
        r.settled = true;
        r.payoutRef = e.args.payoutRef.toLowerCase();
        r.settledSeq = entry.seq;
        state.pendingRedemptions -= 1;
        state.pendingPayout -= r.payout;
      }
      break;
    }
    case "ReserveAttested":
      state.reserve = {
        reserve: e.args.reserve,
        reportHash: e.args.reportHash.toLowerCase(),
        supply: e.args.supply,
        seq: entry.seq,
        txHash: entry.log.transactionHash,
      };
      break;
    case "RedemptionFeeSet":
      state.redemptionFeeBps = e.args.feeBps;
      break;
    case "CommunityFundSet":
      state.communityFund = e.args.fund.toLowerCase();
      break;
    case "CityAccountSet":
      account(state, e.args.account.toLowerCase()).cityAccount = e.args.allowed;
      break;
    case "TransferPolicySet":
      state.policy = e.args.policy;
      break;
    case "MembershipMirrored":
      account(state, e.args.account.toLowerCase()).member = e.args.active;
      break;
    case "BalanceMigrated":
      relabel(state, entry, e.args.from.toLowerCase(), e.args.to.toLowerCase(), e.args.amount, KIND.migration);
      break;
    case "Paused":
      state.paused = true;
      break;
    case "Unpaused":
      state.paused = false;
      break;
  }
  return state;
}

/** The derived indexes: each account's transfers and the redemptions in order. */
function rebuild(state: CurrencyState): void {
  for (const a of state.accounts.values()) a._history = [];
  state.transfers.forEach((t, i) => {
    const from = state.accounts.get(t.from);
    const to = state.accounts.get(t.to);
    from?._history.push(i);
    if (to && to !== from) to._history.push(i);
  });
  state._redemptionList = [...state.redemptions.values()].sort((a, b) => a.seq - b.seq);
}

function initial(): CurrencyState {
  return {
    accounts: new Map(),
    transfers: [],
    supply: 0n,
    issued: 0n,
    redeemed: 0n,
    fees: 0n,
    redemptionFeeBps: 0,
    paused: false,
    policy: 0,
    redemptions: new Map(),
    _redemptionList: [],
    holders: 0,
    pendingRedemptions: 0,
    pendingPayout: 0n,
  };
}

/** The currency projection (CityCoin). */
export const currencyProjection = defineProjection<CurrencyState>({ name: "currency", initial, reduce, rebuild });
