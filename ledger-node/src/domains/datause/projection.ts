/**
 * Data-use read model, from DataUseRegistry's events alone: processors, purposes with every version of their terms,
 * each member's consent per purpose with its history, and the processors' access-record batches with their salts once
 * revealed. Mirrors the contract's epoch rule: a consent counts only while its epoch is its purpose's, and a material
 * change moves the purpose's epoch (the projection writes nothing per member then either). It also follows who is a
 * member when (CityRegistry's registrations, suspensions, removals, reinstatements and key migrations): the bulletin's
 * eligible members, and the addresses an access record's pseudonym may belong to.
 */
import type { ProjectedEntry } from "../../types";
import { defineProjection } from "../../projections/projection";

/** Where an event sits in the chain and the log. */
export interface DataUseOrigin {
  seq: number;
  block: bigint;
  /** Block timestamp, unix seconds, from the event's `at` (0 for events that carry none: the log has no block times). */
  timestamp: number;
  txHash: string;
}

export interface ProcessorRecord extends DataUseOrigin {
  id: bigint;
  /** Lower-case publishing account. */
  account: string;
  nameHash: string;
  contactUri: string;
  active: boolean;
  /** Origin of the last update or retirement (absent while never changed). */
  changed?: DataUseOrigin;
}

/** One version of a purpose's terms (DataUseRegistry's PurposeTerms) and where it was set. */
export interface PurposeVersionRecord extends DataUseOrigin {
  version: number;
  consentEpoch: number;
  /** Whether this version lapsed the consents of the previous ones (false for version 1). */
  material: boolean;
  descriptionHash: string;
  /** GDPR art. 6(1) basis, the contract's enum index (0 = consent … 5 = legitimate interests). */
  legalBasis: number;
  categories: number;
  /** Seconds. */
  retention: number;
  recipients: string[];
}

export interface PurposeRecord {
  id: bigint;
  processorId: bigint;
  active: boolean;
  /** Oldest first: the last is the current terms. */
  versions: PurposeVersionRecord[];
  /** Members whose consent counts now (grants at the current epoch, less withdrawals). */
  consents: number;
  retired?: DataUseOrigin;
}

/** A member's consent to one purpose, as the contract stores it: it counts only while `epoch` is the purpose's. */
export interface ConsentRecord {
  granted: boolean;
  epoch: number;
  version: number;
  /** Block of the last grant or withdrawal. */
  since: bigint;
}

/** One grant or withdrawal. */
export interface ConsentChangeRecord extends DataUseOrigin {
  purposeId: bigint;
  /** Lower-case. */
  member: string;
  granted: boolean;
  version: number;
  epoch: number;
}

export interface BatchRecord extends DataUseOrigin {
  processorId: bigint;
  /** YYYYMM. */
  period: number;
  root: string;
  recordCount: number;
  saltHash: string;
  /** Once revealed. */
  salt?: string;
  revealed?: DataUseOrigin;
}

/** A member as the bulletin needs it: whether active now, and the registration time of its membership. */
export interface DataUseMemberRecord {
  active: boolean;
  /** Unix seconds (CityRegistry's `since`: a migration keeps the membership's). */
  since: number;
}

export interface DataUseState {
  /** By decimal id. */
  processors: Map<string, ProcessorRecord>;
  /** By decimal id. */
  purposes: Map<string, PurposeRecord>;
  /** Member (lower-case) → decimal purpose id → consent. */
  consents: Map<string, Map<string, ConsentRecord>>;
  /** Every grant and withdrawal, in log order. */
  consentChanges: ConsentChangeRecord[];
  /** Indices into `consentChanges` by member (derived). */
  _changesByMember: Map<string, number[]>;
  /** By `batchKey(processorId, period)`. */
  batches: Map<string, BatchRecord>;
  /** Batches in log order (derived). */
  _batchList: BatchRecord[];
  /** Lower-case address → its membership now: every address CityRegistry ever registered or migrated to. */
  members: Map<string, DataUseMemberRecord>;
}

/** A batch's key: one batch per processor and period. */
export const batchKey = (processorId: bigint, period: number): string => `${processorId}/${period}`;

function originOf(entry: ProjectedEntry): DataUseOrigin {
  return { seq: entry.seq, block: entry.log.blockNumber, timestamp: entry.timestamp, txHash: entry.log.transactionHash };
}

function indexChange(state: DataUseState, change: ConsentChangeRecord, index: number): void {
  const mine = state._changesByMember.get(change.member);
  if (mine) mine.push(index);
  else state._changesByMember.set(change.member, [index]);
}

/** CityRegistry's events that change who is an active member (the log carries no time for a suspension: none is kept). */
function reduceMembership(state: DataUseState, entry: ProjectedEntry): void {
  const e = entry.event;
  if (e.contract !== "CityRegistry") return;
  const set = (account: string, active: boolean) => {
    const m = state.members.get(account.toLowerCase());
    if (m) m.active = active;
  };
  switch (e.name) {
    case "MemberRegistered":
      state.members.set(e.args.account.toLowerCase(), { active: true, since: Number(e.args.since) });
      break;
    case "MemberReinstated":
      set(e.args.account, true);
      break;
    case "MemberSuspended":
    case "MemberRemoved":
      set(e.args.account, false);
      break;
    case "MigrationCompleted": {
      // The same person and membership under a new key.
      const from = state.members.get(e.args.from.toLowerCase());
      if (from) {
        state.members.set(e.args.to.toLowerCase(), { ...from });
        from.active = false;
      }
      break;
    }
  }
}

function reduce(state: DataUseState, entry: ProjectedEntry): DataUseState {
  const e = entry.event;
  if (e.contract === "CityRegistry") reduceMembership(state, entry);
  if (e.contract !== "DataUseRegistry") return state;
  const origin = originOf(entry);
  switch (e.name) {
    case "ProcessorRegistered": {
      const { processorId: id, account, nameHash, contactUri } = e.args;
      state.processors.set(id.toString(), { id, account: account.toLowerCase(), nameHash, contactUri, active: true, ...origin });
      break;
    }
    case "ProcessorUpdated": {
      const p = state.processors.get(e.args.processorId.toString());
      if (p) Object.assign(p, { account: e.args.account.toLowerCase(), nameHash: e.args.nameHash, contactUri: e.args.contactUri, changed: origin });
      break;
    }
    case "ProcessorRetired": {
      const p = state.processors.get(e.args.processorId.toString());
      if (p) Object.assign(p, { active: false, changed: origin });
      break;
    }
    case "PurposeDeclared": {
      const { purposeId: id, processorId, terms, at } = e.args;
      const first: PurposeVersionRecord = { version: 1, consentEpoch: 1, material: false, ...termsOf(terms), ...origin, timestamp: Number(at) };
      state.purposes.set(id.toString(), { id, processorId, active: true, versions: [first], consents: 0 });
      break;
    }
    case "PurposeUpdated": {
      const p = state.purposes.get(e.args.purposeId.toString());
      if (!p) break;
      const { version, consentEpoch, material, terms, at } = e.args;
      p.versions.push({ version, consentEpoch, material, ...termsOf(terms), ...origin, timestamp: Number(at) });
      if (material) p.consents = 0;
      break;
    }
    case "PurposeRetired": {
      const p = state.purposes.get(e.args.purposeId.toString());
      if (p) Object.assign(p, { active: false, retired: origin });
      break;
    }
    case "ConsentGranted":
    case "ConsentWithdrawn": {
      const { purposeId, member, version, consentEpoch: epoch, at } = e.args;
      const granted = e.name === "ConsentGranted";
      const who = member.toLowerCase();
      let mine = state.consents.get(who);
      if (!mine) state.consents.set(who, (mine = new Map()));
      mine.set(purposeId.toString(), { granted, epoch, version, since: origin.block });
      const p = state.purposes.get(purposeId.toString());
      // The contract takes both only at the purpose's current epoch.
      if (p) p.consents += granted ? 1 : -1;
      const change: ConsentChangeRecord = { purposeId, member: who, granted, version, epoch, ...origin, timestamp: Number(at) };
      state.consentChanges.push(change);
      indexChange(state, change, state.consentChanges.length - 1);
      break;
    }
    case "BatchPublished": {
      const { processorId, period, root, recordCount, saltHash } = e.args;
      const batch: BatchRecord = { processorId, period, root, recordCount, saltHash, ...origin };
      state.batches.set(batchKey(processorId, period), batch);
      state._batchList.push(batch);
      break;
    }
    case "SaltRevealed": {
      const batch = state.batches.get(batchKey(e.args.processorId, e.args.period));
      if (batch) Object.assign(batch, { salt: e.args.salt, revealed: origin });
      break;
    }
  }
  return state;
}

function termsOf(terms: { descriptionHash: string; legalBasis: number; categories: number; retention: number; recipients: readonly string[] }) {
  const { descriptionHash, legalBasis, categories, retention, recipients } = terms;
  return { descriptionHash, legalBasis, categories, retention, recipients: [...recipients] };
}

function initial(): DataUseState {
  return {
    processors: new Map(),
    purposes: new Map(),
    consents: new Map(),
    consentChanges: [],
    _changesByMember: new Map(),
    batches: new Map(),
    _batchList: [],
    members: new Map(),
  };
}

/** The data-use projection (DataUseRegistry). */
export const datauseProjection = defineProjection<DataUseState>({
  name: "datause",
  initial,
  reduce,
  rebuild(state) {
    state.consentChanges.forEach((change, i) => indexChange(state, change, i));
    state._batchList = [...state.batches.values()].sort((a, b) => a.seq - b.seq);
  },
});
