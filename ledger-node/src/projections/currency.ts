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
 * Hot path: one `TransferRecord` per transfer, pushed once; accounts keep indices into the transfer list. No copy of
 * state per entry.
 */
import type { ProjectedEntry } from "../types";
import type { Projection } from "./projection";
import { asArray, asObject, mapToObject, toBig } from "./canonical";
import { ZERO_ADDRESS, addr, big, bool, hex, num } from "./fields";

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
  /** Indices into `CurrencyState.transfers`, in seq order (derived: rebuilt from the transfers on decode). */
  history: number[];
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
  redemptionList: RedemptionRecord[];
  /** Derived counters. */
  holders: number;
  pendingRedemptions: number;
  pendingPayout: bigint;
}

const COIN = "CityCoin";
/** How far back a `Redeemed` or `BalanceMigrated` looks for the transfer it explains. */
const LOOKBACK = 4;

function account(state: CurrencyState, address: string): AccountRecord {
  let a = state.accounts.get(address);
  if (a === undefined) {
    a = { address, balance: 0n, member: false, cityAccount: false, history: [] };
    state.accounts.set(address, a);
  }
  return a;
}

function transfer(state: CurrencyState, entry: ProjectedEntry): void {
  const fromAddress = addr(entry, "from");
  const toAddress = addr(entry, "to");
  const value = big(entry, "value");
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
    a.history.push(index);
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
    if (toAddress !== fromAddress) a.history.push(index);
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
  if (entry.event.contract !== COIN) return state;
  switch (entry.event.name) {
    case "Transfer":
      transfer(state, entry);
      break;
    case "Issued":
      state.issued += big(entry, "amount");
      break;
    case "Redeemed": {
      const id = big(entry, "id");
      const r: RedemptionRecord = {
        id,
        account: addr(entry, "account"),
        amount: big(entry, "amount"),
        fee: big(entry, "fee"),
        payout: big(entry, "payout"),
        settled: false,
        seq: entry.seq,
        txHash: entry.log.transactionHash,
      };
      state.redemptions.set(id.toString(), r);
      state.redemptionList.push(r);
      state.redeemed += r.payout;
      state.fees += r.fee;
      state.pendingRedemptions += 1;
      state.pendingPayout += r.payout;
      if (r.fee !== 0n) relabel(state, entry, r.account, state.communityFund, r.fee, KIND.fee);
      break;
    }
    case "RedemptionSettled": {
      const r = state.redemptions.get(big(entry, "id").toString());
      if (r && !r.settled) {
        r.settled = true;
        r.payoutRef = hex(entry, "payoutRef");
        r.settledSeq = entry.seq;
        state.pendingRedemptions -= 1;
        state.pendingPayout -= r.payout;
      }
      break;
    }
    case "ReserveAttested":
      state.reserve = {
        reserve: big(entry, "reserve"),
        reportHash: hex(entry, "reportHash"),
        supply: big(entry, "supply"),
        seq: entry.seq,
        txHash: entry.log.transactionHash,
      };
      break;
    case "RedemptionFeeSet":
      state.redemptionFeeBps = num(entry, "feeBps");
      break;
    case "CommunityFundSet":
      state.communityFund = addr(entry, "fund");
      break;
    case "CityAccountSet":
      account(state, addr(entry, "account")).cityAccount = bool(entry, "allowed");
      break;
    case "TransferPolicySet":
      state.policy = num(entry, "policy");
      break;
    case "MembershipMirrored":
      account(state, addr(entry, "account")).member = bool(entry, "active");
      break;
    case "BalanceMigrated":
      relabel(state, entry, addr(entry, "from"), addr(entry, "to"), big(entry, "amount"), KIND.migration);
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

// ─── Canonical encoding ──────────────────────────────────────────────────────────────────────────────────────────

function encode(state: CurrencyState): unknown {
  const transfers = new Array<unknown>(state.transfers.length);
  for (let i = 0; i < state.transfers.length; i++) {
    const t = state.transfers[i];
    transfers[i] = [t.seq, t.txHash, t.logIndex, t.from, t.to, t.amount, TRANSFER_KINDS[t.kind]];
  }
  return {
    accounts: mapToObject(state.accounts, (a) => ({ balance: a.balance, member: a.member, cityAccount: a.cityAccount })),
    /** Tuples: [seq, txHash, logIndex, from, to, amount, kind]. */
    transfers,
    supply: state.supply,
    issued: state.issued,
    redeemed: state.redeemed,
    fees: state.fees,
    reserve: state.reserve,
    redemptionFeeBps: state.redemptionFeeBps,
    paused: state.paused,
    policy: state.policy,
    communityFund: state.communityFund,
    redemptions: mapToObject(state.redemptions, (r) => ({
      account: r.account,
      amount: r.amount,
      fee: r.fee,
      payout: r.payout,
      settled: r.settled,
      payoutRef: r.payoutRef,
      seq: r.seq,
      txHash: r.txHash,
      settledSeq: r.settledSeq,
    })),
  };
}

function decode(json: unknown): CurrencyState {
  const o = asObject(json, "currency");
  const state = initial();
  for (const [address, raw] of Object.entries(asObject(o.accounts, "accounts"))) {
    const a = asObject(raw, `account ${address}`);
    const balance = toBig(a.balance, "balance");
    state.accounts.set(address, { address, balance, member: a.member as boolean, cityAccount: a.cityAccount as boolean, history: [] });
    if (balance !== 0n) state.holders += 1;
  }
  const transfers = asArray(o.transfers, "transfers");
  state.transfers = new Array<TransferRecord>(transfers.length);
  for (let i = 0; i < transfers.length; i++) {
    const [seq, txHash, logIndex, from, to, amount, kind] = asArray(transfers[i], "transfer") as [number, string, number, string, string, string, TransferKindName];
    const k = KIND[kind];
    if (k === undefined) throw new TypeError(`projection snapshot: unknown transfer kind ${kind}`);
    const f = from === ZERO_ADDRESS ? undefined : account(state, from);
    const t = to === ZERO_ADDRESS ? undefined : account(state, to);
    state.transfers[i] = new TransferRecord(seq, txHash, logIndex, f?.address ?? ZERO_ADDRESS, t?.address ?? ZERO_ADDRESS, toBig(amount, "amount"), k);
    f?.history.push(i);
    if (t && t !== f) t.history.push(i);
  }
  state.supply = toBig(o.supply, "supply");
  state.issued = toBig(o.issued, "issued");
  state.redeemed = toBig(o.redeemed, "redeemed");
  state.fees = toBig(o.fees, "fees");
  if (o.reserve !== undefined) {
    const r = asObject(o.reserve, "reserve");
    state.reserve = {
      reserve: toBig(r.reserve, "reserve"),
      reportHash: r.reportHash as string,
      supply: toBig(r.supply, "reserve.supply"),
      seq: r.seq as number,
      txHash: r.txHash as string,
    };
  }
  state.redemptionFeeBps = o.redemptionFeeBps as number;
  state.paused = o.paused as boolean;
  state.policy = o.policy as number;
  if (typeof o.communityFund === "string") state.communityFund = o.communityFund;
  for (const [id, raw] of Object.entries(asObject(o.redemptions, "redemptions"))) {
    const r = asObject(raw, `redemption ${id}`);
    const rec: RedemptionRecord = {
      id: BigInt(id),
      account: r.account as string,
      amount: toBig(r.amount, "amount"),
      fee: toBig(r.fee, "fee"),
      payout: toBig(r.payout, "payout"),
      settled: r.settled as boolean,
      seq: r.seq as number,
      txHash: r.txHash as string,
    };
    if (typeof r.payoutRef === "string") rec.payoutRef = r.payoutRef;
    if (typeof r.settledSeq === "number") rec.settledSeq = r.settledSeq;
    state.redemptions.set(id, rec);
    if (!rec.settled) {
      state.pendingRedemptions += 1;
      state.pendingPayout += rec.payout;
    }
  }
  state.redemptionList = [...state.redemptions.values()].sort((a, b) => a.seq - b.seq);
  return state;
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
    redemptionList: [],
    holders: 0,
    pendingRedemptions: 0,
    pendingPayout: 0n,
  };
}

/** The currency projection (CityCoin). */
export const currencyProjection: Projection<CurrencyState> = { name: "currency", initial, reduce, encode, decode };
