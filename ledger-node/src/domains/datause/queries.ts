/** Typed reads of the data-use projection (conventions: projections/reads.ts). */
import type { Address, Hex } from "viem";
import type { BatchFact, DataUseFacts } from "@cityledger/sdk/datause";
import type { DomainRead } from "../domain";
import { normalizeAddress, paged, type Page, type PageRequest } from "../../projections/reads";
import { batchKey, type BatchRecord, type ConsentChangeRecord, type DataUseOrigin, type DataUseState, type ProcessorRecord, type PurposeRecord, type PurposeVersionRecord } from "./projection";

/** The GDPR art. 6(1) bases by the contract's enum index. */
export const LEGAL_BASES = ["consent", "contract", "legal-obligation", "vital-interest", "public-task", "legitimate-interest"] as const;
export type LegalBasisName = (typeof LEGAL_BASES)[number];

export interface DataUseOriginView {
  seq: number;
  block: bigint;
  timestamp: number;
  txHash: Hex;
}

export interface ProcessorView extends DataUseOriginView {
  id: bigint;
  account: Address;
  nameHash: Hex;
  contactUri: string;
  active: boolean;
  changed?: DataUseOriginView;
}

export interface PurposeVersionView extends DataUseOriginView {
  version: number;
  consentEpoch: number;
  material: boolean;
  descriptionHash: Hex;
  legalBasis: LegalBasisName;
  categories: number;
  retention: number;
  recipients: Hex[];
}

/** A purpose: its current terms at the top, every version (oldest first) below. */
export interface PurposeView extends Omit<PurposeVersionView, keyof DataUseOriginView> {
  id: bigint;
  processorId: bigint;
  active: boolean;
  /** Members whose consent counts now. */
  consents: number;
  versions: PurposeVersionView[];
  retired?: DataUseOriginView;
}

/** A member's consent to a purpose now. */
export interface ConsentView {
  purposeId: bigint;
  member: Address;
  /** Whether it counts now. */
  granted: boolean;
  /** A grant that a material change of the purpose lapsed (`since` is that change's block). */
  lapsed: boolean;
  /** The block from which `granted` holds. */
  since: bigint;
  /** The purpose version the member last acted on. */
  version: number;
  epoch: number;
}

export interface ConsentChangeView extends DataUseOriginView {
  purposeId: bigint;
  member: Address;
  granted: boolean;
  version: number;
  epoch: number;
}

export interface BatchView extends DataUseOriginView {
  processorId: bigint;
  period: number;
  root: Hex;
  recordCount: number;
  saltHash: Hex;
  salt?: Hex;
  revealed?: DataUseOriginView;
}

export interface DataUseQueries {
  processor(id: bigint): ProcessorView | undefined;
  processors(page?: PageRequest): Page<ProcessorView>;
  purpose(id: bigint): PurposeView | undefined;
  /** Purposes in id order, of one processor when `processorId` is given. */
  purposes(filter?: { processorId?: bigint }, page?: PageRequest): Page<PurposeView>;
  /** `member`'s consent to `purposeId` now (never granted: undefined). */
  consent(purposeId: bigint, member: string): ConsentView | undefined;
  /** `member`'s consent to every purpose it ever acted on, in purpose id order. */
  consents(member: string, page?: PageRequest): Page<ConsentView>;
  /** `member`'s grants and withdrawals in log order. */
  consentHistory(member: string, page?: PageRequest): Page<ConsentChangeView>;
  batch(processorId: bigint, period: number): BatchView | undefined;
  /** Batches in log order, of one processor when `processorId` is given. */
  batches(filter?: { processorId?: bigint }, page?: PageRequest): Page<BatchView>;
  /** Next seq the projections will apply: the facts below reflect the log's first `seq()` entries. */
  seq(): number;
  /** The log's facts a bulletin is computed from (the SDK's `computeBulletin`), batches without their records. */
  facts(): Omit<DataUseFacts, "log" | "batches"> & { batches: Omit<BatchFact, "records">[] };
}

export function datauseQueries({ state, cs, seq }: DomainRead<DataUseState>): DataUseQueries {
  const origin = (o: DataUseOrigin): DataUseOriginView => ({ seq: o.seq, block: o.block, timestamp: o.timestamp, txHash: o.txHash as Hex });
  const optional = <K extends string>(key: K, o: DataUseOrigin | undefined) => (o ? ({ [key]: origin(o) } as Record<K, DataUseOriginView>) : {});

  const processorView = (p: ProcessorRecord): ProcessorView => ({
    id: p.id,
    account: cs(p.account),
    nameHash: p.nameHash as Hex,
    contactUri: p.contactUri,
    active: p.active,
    ...origin(p),
    ...optional("changed", p.changed),
  });

  const termsView = (v: PurposeVersionRecord) => ({
    version: v.version,
    consentEpoch: v.consentEpoch,
    material: v.material,
    descriptionHash: v.descriptionHash as Hex,
    legalBasis: LEGAL_BASES[v.legalBasis]!,
    categories: v.categories,
    retention: v.retention,
    recipients: v.recipients as Hex[],
  });

  const purposeView = (p: PurposeRecord): PurposeView => ({
    id: p.id,
    processorId: p.processorId,
    active: p.active,
    consents: p.consents,
    ...termsView(p.versions[p.versions.length - 1]!),
    versions: p.versions.map((v) => ({ ...termsView(v), ...origin(v) })),
    ...optional("retired", p.retired),
  });

  const consentView = (s: DataUseState, purposeId: string, member: string): ConsentView | undefined => {
    const c = s.consents.get(member)?.get(purposeId);
    const current = s.purposes.get(purposeId)?.versions.at(-1);
    if (!c || !current) return undefined;
    const lapsed = c.granted && c.epoch !== current.consentEpoch;
    return {
      purposeId: BigInt(purposeId),
      member: cs(member),
      granted: c.granted && !lapsed,
      lapsed,
      since: lapsed ? epochStart(s.purposes.get(purposeId)!, c.epoch + 1) : c.since,
      version: c.version,
      epoch: c.epoch,
    };
  };

  const changeView = (c: ConsentChangeRecord): ConsentChangeView => ({
    purposeId: c.purposeId,
    member: cs(c.member),
    granted: c.granted,
    version: c.version,
    epoch: c.epoch,
    ...origin(c),
  });

  const batchView = (b: BatchRecord): BatchView => ({
    processorId: b.processorId,
    period: b.period,
    root: b.root as Hex,
    recordCount: b.recordCount,
    saltHash: b.saltHash as Hex,
    ...(b.salt === undefined ? {} : { salt: b.salt as Hex }),
    ...origin(b),
    ...optional("revealed", b.revealed),
  });

  const byId = <T extends { id: bigint }>(list: Iterable<T>) => [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  return {
    processor(id) {
      const p = state().processors.get(id.toString());
      return p && processorView(p);
    },
    processors(page) {
      return paged(byId(state().processors.values()), { order: "asc", ...page }, processorView);
    },
    purpose(id) {
      const p = state().purposes.get(id.toString());
      return p && purposeView(p);
    },
    purposes(filter, page) {
      const all = byId(state().purposes.values()).filter((p) => filter?.processorId === undefined || p.processorId === filter.processorId);
      return paged(all, { order: "asc", ...page }, purposeView);
    },
    consent(purposeId, member) {
      const m = normalizeAddress(member);
      return m === undefined ? undefined : consentView(state(), purposeId.toString(), m);
    },
    consents(member, page) {
      const s = state();
      const m = normalizeAddress(member);
      const ids = m === undefined ? [] : [...(s.consents.get(m)?.keys() ?? [])].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
      return paged(ids, { order: "asc", ...page }, (id) => consentView(s, id, m!)!);
    },
    consentHistory(member, page) {
      const s = state();
      const m = normalizeAddress(member);
      const mine = (m === undefined ? undefined : s._changesByMember.get(m)) ?? [];
      return paged(mine, page, (i) => changeView(s.consentChanges[i]!));
    },
    batch(processorId, period) {
      const b = state().batches.get(batchKey(processorId, period));
      return b && batchView(b);
    },
    batches(filter, page) {
      const list = state()._batchList.filter((b) => filter?.processorId === undefined || b.processorId === filter.processorId);
      return paged(list, page, batchView);
    },
    seq,
    facts() {
      const s = state();
      return {
        processors: byId(s.processors.values()).map((p) => ({ id: p.id, nameHash: p.nameHash as Hex, contactUri: p.contactUri })),
        purposes: byId(s.purposes.values()).map((p) => ({
          id: p.id,
          processorId: p.processorId,
          versions: p.versions.map((v) => ({ version: v.version, consentEpoch: v.consentEpoch, material: v.material, legalBasis: v.legalBasis, categories: v.categories, timestamp: v.timestamp })),
        })),
        consents: s.consentChanges.map((c) => ({ purposeId: c.purposeId, member: c.member, granted: c.granted, epoch: c.epoch, timestamp: c.timestamp })),
        members: [...s.members].sort(([a], [b]) => (a < b ? -1 : 1)).map(([member, m]) => ({ member, active: m.active, since: m.since })),
        batches: s._batchList.map((b) => ({ processorId: b.processorId, period: b.period, root: b.root as Hex, recordCount: b.recordCount, ...(b.salt === undefined ? {} : { salt: b.salt as Hex }) })),
      };
    },
  };
}

/** The block consent epoch `epoch` of the purpose began: the material version's that opened it. */
function epochStart(p: PurposeRecord, epoch: number): bigint {
  return p.versions.find((v) => v.consentEpoch === epoch)!.block;
}
