import { sha256 } from "@noble/hashes/sha2";
import { getAddress, hexToBytes, type Address, type Hex } from "viem";
import { CityError } from "../errors/base";
import { formatCheckpoint, verifyCheckpoint, type NoteSigner, signNote } from "../ledger/checkpoint";
import { ACCESS_BUCKET_SECONDS, formatPeriod, periodBounds, previousPeriod, pseudonymOf, type AccessRecord } from "./records";

/**
 * The data-use bulletin and the findings behind it, computed from the log's facts (DataUseRegistry's and
 * CityRegistry's events, with their block times) and the access records processors submitted, by one pure function:
 * the node serves it, `cityledger audit` recomputes it from the raw log, and anyone can.
 *
 * Definitions (the README's "Data use" section says the same):
 * - A member's consent to a purpose stands from the block time of its grant until the block time of its withdrawal
 *   ("effective from its block"), or of the material change of the purpose that lapsed it, whichever comes first.
 * - A record covers the hour [timeBucket, timeBucket + 3600). It is lawful under a consent-based purpose when the
 *   member's consent stood at some instant of that hour (the processor's records are no finer: the benefit of the
 *   doubt goes to it); otherwise it is a `no-consent` violation. The purpose's legal basis is the one in force at the
 *   hour's start, or its first terms for an hour before its declaration (a register that opens mid-way covers the
 *   processor's earlier records with the terms it then declares).
 * - A record under a purpose that the log does not hold, or that another processor declared, is an
 *   `undeclared-purpose` violation.
 * - A record's member is found once the batch's salt is revealed: the registered member (any address CityRegistry ever
 *   registered or migrated to) whose pseudonym it is. Records matching no member are counted as unmatched.
 * - Eligible members of a period: members registered before the period's end and active (neither suspended, removed
 *   nor migrated away) at the log position the bulletin names — the log carries the time of a registration, not of a
 *   suspension; the consent rate is the share of them whose consent stands at the period's last second, in basis points.
 */

/** A purpose's terms from a given time (its versions). */
export interface PurposeFact {
  id: bigint;
  processorId: bigint;
  /** Oldest first. */
  versions: { version: number; consentEpoch: number; material: boolean; legalBasis: number; categories: number; timestamp: number }[];
}

/** A grant (granted: true) or a withdrawal of `member`'s consent to `purposeId`, at `timestamp` (the event's `at`). */
export interface ConsentFact {
  purposeId: bigint;
  /** Lower-case address. */
  member: string;
  granted: boolean;
  epoch: number;
  timestamp: number;
}

/** A membership at the log's position: whether active (registered or reinstated, not suspended, removed or migrated away), and its registration time. */
export interface MemberFact {
  /** Lower-case address. */
  member: string;
  active: boolean;
  /** Unix seconds (CityRegistry's `since`; a key migration keeps it). */
  since: number;
}

/** A processor's batch of a month as the log holds it (root, count, salt once revealed), with its submitted records. */
export interface BatchFact {
  processorId: bigint;
  period: number;
  root: Hex;
  recordCount: number;
  salt?: Hex | undefined;
  /** As submitted to the node (checked against the root); undefined when none were. */
  records?: readonly AccessRecord[] | undefined;
}

/** Everything a bulletin is computed from, in log order, and where in the log that is. */
export interface DataUseFacts {
  log: { size: number; root: Hex };
  processors: { id: bigint; nameHash: Hex; contactUri: string }[];
  purposes: PurposeFact[];
  consents: ConsentFact[];
  members: MemberFact[];
  batches: BatchFact[];
}

/** Why a record is unlawful: no consent at any instant of its hour, or a purpose its processor never declared. */
export type ViolationKind = "no-consent" | "undeclared-purpose";

/** What a record of a revealed batch says once matched: its member (when one matches) and whether it was lawful. */
export interface RecordFinding {
  processorId: bigint;
  period: number;
  index: number;
  record: AccessRecord;
  /** EIP-55; undefined when no registered member has this pseudonym. */
  member?: Address | undefined;
  violation?: ViolationKind | undefined;
}

/** GDPR art. 6(1) bases by DataUseRegistry's enum index. */
const CONSENT = 0;
const LEGAL_BASIS_NAMES = ["consent", "contract", "legal-obligation", "vital-interest", "public-task", "legitimate-interest"] as const;
const CATEGORY_NAMES: Record<number, string> = { 1: "identity", 2: "location", 4: "energy", 8: "payments", 16: "mobility" };
/** Months the trend table looks back, the bulletin's own included. */
export const BULLETIN_TREND_MONTHS = 6;

/** When a consent stood: [start, end), and whether a material change (not a withdrawal) ended it. */
export interface ConsentInterval {
  start: number;
  end: number;
  lapsed: boolean;
}

/** The consent intervals of every (purpose, member), by `${purposeId}/${member}`. */
export function consentIntervals(facts: Pick<DataUseFacts, "purposes" | "consents">): Map<string, ConsentInterval[]> {
  const epochStarts = new Map<string, number>();
  for (const p of facts.purposes) for (const v of p.versions) if (v.material) epochStarts.set(`${p.id}/${v.consentEpoch}`, v.timestamp);
  const byKey = new Map<string, ConsentFact[]>();
  for (const c of facts.consents) {
    const key = `${c.purposeId}/${c.member}`;
    const list = byKey.get(key);
    if (list) list.push(c);
    else byKey.set(key, [c]);
  }
  const out = new Map<string, ConsentInterval[]>();
  for (const [key, changes] of byKey) {
    const intervals: ConsentInterval[] = [];
    changes.forEach((c, i) => {
      if (!c.granted) return;
      const next = changes[i + 1];
      // The contract refuses a second grant in the same epoch: what follows a grant is its withdrawal, or a grant after the lapse.
      const lapse = epochStarts.get(`${c.purposeId}/${c.epoch + 1}`) ?? Infinity;
      const withdrawn = next && !next.granted ? next.timestamp : Infinity;
      intervals.push({ start: c.timestamp, end: Math.min(lapse, withdrawn), lapsed: lapse < withdrawn });
    });
    out.set(key, intervals);
  }
  return out;
}

/** Whether an interval meets [from, to). */
const meets = (intervals: ConsentInterval[] | undefined, from: number, to: number) => (intervals ?? []).some((i) => i.start < to && i.end > from);
/** Whether an interval holds instant `t`. */
const holds = (intervals: ConsentInterval[] | undefined, t: number) => (intervals ?? []).some((i) => i.start <= t && t < i.end);

/** Every address CityRegistry registered or migrated to, or that ever consented, lower-case, sorted. */
function candidates(facts: Pick<DataUseFacts, "members" | "consents">): string[] {
  return [...new Set([...facts.members.map((m) => m.member), ...facts.consents.map((c) => c.member)])].sort();
}

/** The terms of `purpose` in force at `t` (its first terms when declared later). */
function termsAt(purpose: PurposeFact, t: number) {
  let terms = purpose.versions[0]!;
  for (const v of purpose.versions) if (v.timestamp <= t) terms = v;
  return terms;
}

/**
 * The findings of every record of `batch` (none until its salt is revealed and its records submitted).
 * @param intervals {@link consentIntervals} of the same facts (computed once by the caller).
 * @param members {@link candidates}: the addresses a pseudonym may belong to.
 */
function batchFindings(facts: DataUseFacts, batch: BatchFact, intervals: Map<string, ConsentInterval[]>, members: string[]): RecordFinding[] {
  if (batch.salt === undefined || batch.records === undefined) return [];
  const salt = batch.salt;
  const purposes = new Map(facts.purposes.map((p) => [p.id, p]));
  const owners = new Map<string, string>();
  for (const purposeId of new Set(batch.records.map((r) => r.purposeId))) {
    for (const m of members) owners.set(pseudonymOf(m as Address, purposeId, salt), m);
  }
  return batch.records.map((record, index) => {
    const owner = owners.get(record.pseudonym);
    const purpose = purposes.get(record.purposeId);
    const end = record.timeBucket + ACCESS_BUCKET_SECONDS;
    let violation: ViolationKind | undefined;
    if (!purpose || purpose.processorId !== batch.processorId) violation = "undeclared-purpose";
    else if (owner !== undefined && termsAt(purpose, record.timeBucket).legalBasis === CONSENT && !meets(intervals.get(`${record.purposeId}/${owner}`), record.timeBucket, end)) {
      violation = "no-consent";
    }
    return { processorId: batch.processorId, period: batch.period, index, record, ...(owner ? { member: getAddress(owner) } : {}), ...(violation ? { violation } : {}) };
  });
}

/**
 * The findings of every revealed batch with records, in log order: each record with its member and violation.
 *
 * @example
 * ```ts
 * const violations = recordFindings(facts).filter((f) => f.violation);
 * ```
 */
export function recordFindings(facts: DataUseFacts): RecordFinding[] {
  const intervals = consentIntervals(facts);
  const members = candidates(facts);
  return facts.batches.flatMap((b) => batchFindings(facts, b, intervals, members));
}

/** One purpose's line of a bulletin. */
export interface BulletinPurposeLine {
  processorId: string;
  purposeId: string;
  /** Terms in force at the period's end. */
  legalBasis: (typeof LEGAL_BASIS_NAMES)[number];
  categories: number;
  /** Accesses (sum of counts) and records in the period's submitted batches. */
  accesses: number;
  records: number;
  /** Distinct members found behind the records (null while a batch of the period is unrevealed or unsubmitted). */
  membersConcerned: number | null;
  /** Eligible members whose consent stands at the period's end (consent-based purposes; null otherwise). */
  consenting: number | null;
  /** consenting / eligible, in basis points, rounded down (null when not consent-based or nobody is eligible). */
  consentRateBp: number | null;
  grants: number;
  withdrawals: number;
  /** Consents a material change of the purpose lapsed during the period. */
  lapsed: number;
  violations: number;
  /** Accesses of the previous month, and the difference. */
  previousAccesses: number;
  change: number;
}

/** A row of the bulletin's `categories` table: one purpose's accesses to one data category. */
export interface BulletinCategoryRow {
  processorId: string;
  purposeId: string;
  category: string;
  accesses: number;
  records: number;
}

/** A row of the bulletin's `violations` table: one unlawful record of the month. */
export interface BulletinViolationRow {
  processorId: string;
  purposeId: string;
  kind: ViolationKind;
  /** Null when the record matches no registered member. */
  member: Address | null;
  pseudonym: Hex;
  category: string;
  count: number;
  timeBucket: number;
  /** The record's leaf index in its batch. */
  index: number;
}

/** A row of the bulletin's `trend` table: one purpose's accesses in one of the last months. */
export interface BulletinTrendRow {
  processorId: string;
  purposeId: string;
  /** "2026-06" … the bulletin's month, oldest first. */
  period: string;
  accesses: number;
  /** False when a batch of that month has no submitted records (its accesses are unknown). */
  complete: boolean;
}

/** A row of the bulletin's `batches` table: one processor's batch of the month. */
export interface BulletinBatchRow {
  processorId: string;
  root: Hex;
  recordCount: number;
  revealed: boolean;
  recordsSubmitted: boolean;
}

/** A month's data-use bulletin: every figure follows from the log at `log` and the submitted records. */
export interface DataUseBulletin {
  kind: "cityledger.datause.bulletin/v1";
  /** "2026-11". */
  period: string;
  /** The log it was computed at: its size and RFC 6962 root. */
  log: { size: number; root: Hex };
  bucketSeconds: number;
  eligibleMembers: number;
  unmatchedRecords: number;
  batches: BulletinBatchRow[];
  purposes: BulletinPurposeLine[];
  categories: BulletinCategoryRow[];
  violations: BulletinViolationRow[];
  trend: BulletinTrendRow[];
}

/** The bulletin's tables, as `?table=` and the CSV files name them. */
export const BULLETIN_TABLES = ["purposes", "categories", "violations", "trend", "batches"] as const;
/** The name of one of the bulletin's tables. */
export type BulletinTable = (typeof BULLETIN_TABLES)[number];

/**
 * The bulletin of `period` (YYYYMM) from `facts` (see the module comment for every definition).
 *
 * @example
 * ```ts
 * const bulletin = computeBulletin(facts, 202611);
 * ```
 */
export function computeBulletin(facts: DataUseFacts, period: number): DataUseBulletin {
  const { start, end } = periodBounds(period);
  const last = end - 1;
  const intervals = consentIntervals(facts);
  const members = candidates(facts);
  const eligible = facts.members.filter((m) => m.active && m.since <= last).map((m) => m.member);

  const months: number[] = [period];
  while (months.length < BULLETIN_TREND_MONTHS) months.unshift(previousPeriod(months[0]!));
  /** Per month: the findings of its batches with records (members unknown while unrevealed), and which processors' accesses or members are unknown. */
  const byMonth = new Map(months.map((m) => [m, { findings: [] as RecordFinding[], noRecords: new Set<bigint>(), unrevealed: new Set<bigint>() }]));
  for (const b of facts.batches) {
    const slot = byMonth.get(b.period);
    if (!slot) continue;
    if (b.records === undefined) slot.noRecords.add(b.processorId);
    else if (b.salt === undefined) {
      slot.unrevealed.add(b.processorId);
      slot.findings.push(...b.records.map((record, index) => ({ processorId: b.processorId, period: b.period, index, record })));
    } else slot.findings.push(...batchFindings(facts, b, intervals, members));
  }
  const own = byMonth.get(period)!;
  const previous = byMonth.get(months[months.length - 2]!)!;
  const accessesOf = (findings: RecordFinding[], purposeId: bigint) =>
    findings.filter((f) => f.record.purposeId === purposeId).reduce((sum, f) => sum + f.record.count, 0);

  const purposes = facts.purposes.filter((p) => p.versions[0]!.timestamp <= last).sort((a, b) => cmp(a.processorId, b.processorId) || cmp(a.id, b.id));
  const lines: BulletinPurposeLine[] = purposes.map((p) => {
    const terms = termsAt(p, last);
    const mine = own.findings.filter((f) => f.record.purposeId === p.id);
    const consentBased = terms.legalBasis === CONSENT;
    const consenting = consentBased ? eligible.filter((m) => holds(intervals.get(`${p.id}/${m}`), last)).length : null;
    const changes = facts.consents.filter((c) => c.purposeId === p.id && c.timestamp >= start && c.timestamp < end);
    let lapsed = 0;
    for (const [key, list] of intervals) if (key.startsWith(`${p.id}/`)) lapsed += list.filter((i) => i.lapsed && i.end >= start && i.end < end).length;
    const unknownMembers = own.noRecords.has(p.processorId) || own.unrevealed.has(p.processorId);
    const accesses = accessesOf(own.findings, p.id);
    const previousAccesses = accessesOf(previous.findings, p.id);
    return {
      processorId: String(p.processorId),
      purposeId: String(p.id),
      legalBasis: LEGAL_BASIS_NAMES[terms.legalBasis]!,
      categories: terms.categories,
      accesses,
      records: mine.length,
      membersConcerned: unknownMembers ? null : new Set(mine.map((f) => f.member).filter((m) => m !== undefined)).size,
      consenting,
      consentRateBp: consenting === null || eligible.length === 0 ? null : Math.floor((consenting * 10_000) / eligible.length),
      grants: changes.filter((c) => c.granted).length,
      withdrawals: changes.filter((c) => !c.granted).length,
      lapsed,
      violations: mine.filter((f) => f.violation).length,
      previousAccesses,
      change: accesses - previousAccesses,
    };
  });

  const categories: BulletinCategoryRow[] = [];
  for (const line of lines) {
    const mine = own.findings.filter((f) => String(f.record.purposeId) === line.purposeId);
    for (const bit of [1, 2, 4, 8, 16]) {
      const rows = mine.filter((f) => f.record.category === bit);
      if (rows.length > 0) categories.push({ processorId: line.processorId, purposeId: line.purposeId, category: CATEGORY_NAMES[bit]!, accesses: rows.reduce((s, f) => s + f.record.count, 0), records: rows.length });
    }
  }

  const violations: BulletinViolationRow[] = own.findings
    .filter((f) => f.violation)
    .map((f) => ({
      processorId: String(f.processorId),
      purposeId: String(f.record.purposeId),
      kind: f.violation!,
      member: f.member ?? null,
      pseudonym: f.record.pseudonym,
      category: CATEGORY_NAMES[f.record.category]!,
      count: f.record.count,
      timeBucket: f.record.timeBucket,
      index: f.index,
    }));

  const trend: BulletinTrendRow[] = lines.flatMap((line) =>
    months.map((month) => ({
      processorId: line.processorId,
      purposeId: line.purposeId,
      period: formatPeriod(month),
      accesses: accessesOf(byMonth.get(month)!.findings, BigInt(line.purposeId)),
      complete: !byMonth.get(month)!.noRecords.has(BigInt(line.processorId)),
    })),
  );

  const batchesOfPeriod = facts.batches.filter((b) => b.period === period);
  return {
    kind: "cityledger.datause.bulletin/v1",
    period: formatPeriod(period),
    log: { size: facts.log.size, root: facts.log.root },
    bucketSeconds: ACCESS_BUCKET_SECONDS,
    eligibleMembers: eligible.length,
    unmatchedRecords: own.findings.filter((f) => f.member === undefined && !own.unrevealed.has(f.processorId)).length,
    batches: batchesOfPeriod.map((b) => ({ processorId: String(b.processorId), root: b.root, recordCount: b.recordCount, revealed: b.salt !== undefined, recordsSubmitted: b.records !== undefined })),
    purposes: lines,
    categories,
    violations,
    trend,
  };
}

const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

// ─── Signature ──────────────────────────────────────────────────────────────────────────────────────────────────

/** The extension line a bulletin's signed note carries after the checkpoint lines. */
const EXTENSION = "cityledger-datause-bulletin";

/** SHA-256 (hex) of the bulletin's JSON text as served (`JSON.stringify`, key order as computed). */
export function bulletinDigest(bulletin: DataUseBulletin): string {
  return Array.from(sha256(new TextEncoder().encode(JSON.stringify(bulletin))), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Signs `bulletin` as a checkpoint: the C2SP note of the log's checkpoint at the bulletin's size and root, with one
 * extension line `cityledger-datause-bulletin <period> <sha-256 of the bulletin>`. Whoever trusts the node's key checks
 * it like a checkpoint, and the log size and root it names are a true statement about the log.
 */
export function signBulletin(bulletin: DataUseBulletin, signer: NoteSigner): string {
  const body = formatCheckpoint({
    origin: signer.name,
    size: bulletin.log.size,
    root: hexToBytes(bulletin.log.root),
    extensions: [`${EXTENSION} ${bulletin.period} ${bulletinDigest(bulletin)}`],
  });
  return signNote(body, signer);
}

/** A bulletin that its note does not vouch for. */
export class BulletinSignatureError extends CityError {
  constructor(shortMessage: string) {
    super(shortMessage, { name: "BulletinSignatureError", metaMessages: ["- Fetch the bulletin and its note again from the node, or recompute it with `cityledger audit`."] });
  }
}

/**
 * Verifies that `note` is the node's signature (verifier key `key`) over `bulletin`: the note verifies as a checkpoint,
 * names the bulletin's log size and root, and its extension line the bulletin's period and SHA-256. Throws
 * `CheckpointError` or {@link BulletinSignatureError}.
 *
 * @example
 * ```ts
 * const { bulletin, note } = await city.datause.getBulletin({ period: "2026-11" });
 * verifyBulletin(bulletin, note, nodeKey);
 * ```
 */
export function verifyBulletin(bulletin: DataUseBulletin, note: string, key: string): void {
  const checkpoint = verifyCheckpoint(note, key);
  const root = `0x${Array.from(checkpoint.root, (b) => b.toString(16).padStart(2, "0")).join("")}`;
  if (checkpoint.size !== bulletin.log.size || root !== bulletin.log.root.toLowerCase()) {
    throw new BulletinSignatureError(`the note is for log size ${checkpoint.size} and root ${root}, the bulletin says ${bulletin.log.size} and ${bulletin.log.root}`);
  }
  const want = `${EXTENSION} ${bulletin.period} ${bulletinDigest(bulletin)}`;
  if (!(checkpoint.extensions ?? []).includes(want)) throw new BulletinSignatureError(`the note does not vouch for this bulletin of ${bulletin.period} (its content differs)`);
}
