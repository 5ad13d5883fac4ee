/**
 * Typed reads of the currency projection (conventions: projections/reads.ts).
 */
import type { Address, Hex } from "viem";
import type { DomainRead } from "../domain";
import { normalizeAddress, pageWindow, paged, type Page, type PageRequest } from "../../projections/reads";
import { TRANSFER_KINDS, type CurrencyState, type RedemptionRecord, type TransferRecord } from "./projection";

/**
 * How a balance change came about: a plain transfer, an issue (mint), the burned part of a redemption, the fee of a
 * redemption (sent to the community fund), or a balance moved by a key migration.
 */
export type TransferKind = "transfer" | "issue" | "redeem" | "fee" | "migration";

export interface TransferView {
  seq: number;
  txHash: Hex;
  logIndex: number;
  /** Zero address for an issue. */
  from: Address;
  /** Zero address for a redemption burn. */
  to: Address;
  amount: bigint;
  kind: TransferKind;
}

export interface AccountView {
  address: Address;
  balance: bigint;
  /** Mirrored membership in CityCoin (MembershipMirrored). */
  member: boolean;
  cityAccount: boolean;
  /** Page of the account's transfers (both directions). */
  history: TransferView[];
  /** Transfers of the account in all. */
  total: number;
  offset: number;
  limit: number;
}

export interface ReserveView {
  reserve: bigint;
  reportHash: Hex;
  /** Supply when the reserve was attested. */
  supply: bigint;
  seq: number;
  txHash: Hex;
}

export interface SupplyView {
  totalSupply: bigint;
  /** Σ issued (Issued events). */
  issued: bigint;
  /** Σ burned by redemptions (the payouts). */
  redeemed: bigint;
  /** Σ redemption fees sent to the community fund. */
  fees: bigint;
  /** Last attestation, if any. */
  reserve?: ReserveView;
  redemptionFeeBps: number;
  paused: boolean;
  policy: "membersOnly" | "open";
  communityFund?: Address;
  cityAccounts: Address[];
  redemptionCount: number;
  /** Redemptions not yet settled and the euros they still owe. */
  pendingRedemptions: number;
  pendingPayout: bigint;
  /** Holders with a non-zero balance. */
  holders: number;
}

export interface RedemptionView {
  id: bigint;
  account: Address;
  amount: bigint;
  fee: bigint;
  payout: bigint;
  settled: boolean;
  payoutRef?: Hex;
  seq: number;
  txHash: Hex;
  settledSeq?: number;
}

export interface CurrencyQueries {
  /** Balance and a page of the transfers of `address` (a zero balance and empty page for an unknown address). */
  account(address: string, page?: PageRequest): AccountView;
  supply(): SupplyView;
  redemption(id: bigint): RedemptionView | undefined;
  /** Redemptions, newest first by default; `account` filters on the redeemer. */
  redemptions(page?: PageRequest & { account?: string; settled?: boolean }): Page<RedemptionView>;
}

export function currencyQueries({ state, cs }: DomainRead<CurrencyState>): CurrencyQueries {
  const transferView = (t: TransferRecord): TransferView => ({
    seq: t.seq,
    txHash: t.txHash as Hex,
    logIndex: t.logIndex,
    from: cs(t.from),
    to: cs(t.to),
    amount: t.amount,
    kind: TRANSFER_KINDS[t.kind],
  });

  const redemptionView = (r: RedemptionRecord): RedemptionView => {
    const view: RedemptionView = {
      id: r.id,
      account: cs(r.account),
      amount: r.amount,
      fee: r.fee,
      payout: r.payout,
      settled: r.settled,
      seq: r.seq,
      txHash: r.txHash as Hex,
    };
    if (r.payoutRef !== undefined) view.payoutRef = r.payoutRef as Hex;
    if (r.settledSeq !== undefined) view.settledSeq = r.settledSeq;
    return view;
  };

  return {
    account(address, page) {
      const a = normalizeAddress(address);
      const s = state();
      const rec = a === undefined ? undefined : s.accounts.get(a);
      const history = rec?._history ?? [];
      const w = pageWindow(history.length, page);
      return {
        address: a === undefined ? (address as Address) : cs(a),
        balance: rec?.balance ?? 0n,
        member: rec?.member ?? false,
        cityAccount: rec?.cityAccount ?? false,
        history: w.indices.map((i) => transferView(s.transfers[history[i]])),
        total: history.length,
        offset: w.offset,
        limit: w.limit,
      };
    },
    supply() {
      const s = state();
      const cityAccounts: string[] = [];
      for (const [address, a] of s.accounts) if (a.cityAccount) cityAccounts.push(address);
      const view: SupplyView = {
        totalSupply: s.supply,
        issued: s.issued,
        redeemed: s.redeemed,
        fees: s.fees,
        redemptionFeeBps: s.redemptionFeeBps,
        paused: s.paused,
        policy: s.policy === 0 ? "membersOnly" : "open",
        cityAccounts: cityAccounts.sort().map(cs),
        redemptionCount: s.redemptions.size,
        pendingRedemptions: s.pendingRedemptions,
        pendingPayout: s.pendingPayout,
        holders: s.holders,
      };
      if (s.reserve) view.reserve = { ...s.reserve, reportHash: s.reserve.reportHash as Hex, txHash: s.reserve.txHash as Hex };
      if (s.communityFund) view.communityFund = cs(s.communityFund);
      return view;
    },
    redemption(id) {
      const r = state().redemptions.get(id.toString());
      return r && redemptionView(r);
    },
    redemptions(page = {}) {
      let list: readonly RedemptionRecord[] = state()._redemptionList;
      if (page.account !== undefined || page.settled !== undefined) {
        const a = page.account === undefined ? undefined : normalizeAddress(page.account) ?? "";
        list = list.filter((r) => (a === undefined || r.account === a) && (page.settled === undefined || r.settled === page.settled));
      }
      return paged(list, page, redemptionView);
    },
  };
}
