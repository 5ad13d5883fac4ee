import { encodeAbiParameters, hexToBytes, keccak256, toHex, type Address, type Hex } from "viem";
import { CityError } from "../errors/base";
import { MemoryTree, hashLeaf, verifyInclusion, type TreeHasher } from "../merkle";

/**
 * Access records: what a data processor commits to each month (DataUseRegistry.publishBatch), one leaf per record of
 * an RFC 6962 (SHA-256) tree whose root goes on chain. The one leaf encoding lives here: the node checks submitted
 * records with it, members verify their accesses with it, the demo and the tests build batches with it.
 */

/** Width of a record's time bucket: accesses are counted per hour, never timed more precisely. */
export const ACCESS_BUCKET_SECONDS = 3600;

/** The data categories (DataUseRegistry's bit flags), one per record. */
export const ACCESS_CATEGORIES = { identity: 1, location: 2, energy: 4, payments: 8, mobility: 16 } as const;
/** A data category's name ("identity", "location", "energy", "payments", "mobility"). */
export type AccessCategoryName = keyof typeof ACCESS_CATEGORIES;

/** One access record: `count` accesses to data of one `category` of the member behind `pseudonym`, for `purposeId`, in the hour from `timeBucket`. */
export interface AccessRecord {
  /** keccak256(abi.encode(member, purposeId, salt)): see {@link pseudonymOf}. */
  pseudonym: Hex;
  purposeId: bigint;
  /** One category bit (1 identity, 2 location, 4 energy, 8 payments, 16 mobility). */
  category: number;
  /** Accesses in the bucket, at least 1. */
  count: number;
  /** Unix seconds of the bucket's start, a multiple of {@link ACCESS_BUCKET_SECONDS}. */
  timeBucket: number;
}

/** A record that cannot be a leaf: a field out of range. */
export class InvalidAccessRecordError extends CityError {
  constructor(
    readonly index: number,
    reason: string,
  ) {
    super(`access record ${index}: ${reason}`, { name: "InvalidAccessRecordError" });
  }
}

const RECORD_PARAMETERS = [
  { type: "bytes32", name: "pseudonym" },
  { type: "uint256", name: "purposeId" },
  { type: "uint16", name: "category" },
  { type: "uint32", name: "count" },
  { type: "uint64", name: "timeBucket" },
] as const;

const CATEGORY_BITS = new Set<number>(Object.values(ACCESS_CATEGORIES));

/** Throws {@link InvalidAccessRecordError} when `record` (the `index`-th of its batch) has a field out of range. */
export function checkAccessRecord(record: AccessRecord, index = 0): void {
  if (!/^0x[0-9a-f]{64}$/.test(record.pseudonym)) throw new InvalidAccessRecordError(index, "pseudonym must be 32 bytes of lower-case 0x-hex");
  if (record.purposeId < 1n || record.purposeId >= 2n ** 256n) throw new InvalidAccessRecordError(index, `purpose id ${record.purposeId} is not a purpose id`);
  if (!CATEGORY_BITS.has(record.category)) throw new InvalidAccessRecordError(index, `category ${record.category} is not one category bit (1, 2, 4, 8 or 16)`);
  if (!(Number.isSafeInteger(record.count) && record.count >= 1 && record.count <= 0xffff_ffff)) throw new InvalidAccessRecordError(index, `count ${record.count} is not in [1, 2^32)`);
  if (!(Number.isSafeInteger(record.timeBucket) && record.timeBucket >= 0 && record.timeBucket % ACCESS_BUCKET_SECONDS === 0)) {
    throw new InvalidAccessRecordError(index, `time bucket ${record.timeBucket} is not unix seconds on the hour`);
  }
}

/**
 * The leaf input of a record: `abi.encode(bytes32 pseudonym, uint256 purposeId, uint16 category, uint32 count, uint64
 * timeBucket)` (160 bytes), so a contract could check a record with `sha256(abi.encodePacked(0x00, abi.encode(…)))`.
 *
 * @example
 * ```ts
 * const leafHash = hashLeaf(encodeAccessRecord(record));
 * ```
 */
export function encodeAccessRecord(record: AccessRecord): Uint8Array {
  return hexToBytes(encodeAbiParameters(RECORD_PARAMETERS, [record.pseudonym, record.purposeId, record.category, record.count, BigInt(record.timeBucket)]));
}

/**
 * The records' tree, leaves in the order given (the processor's order: the root commits to it).
 * @param hasher A native SHA-256 hasher on servers (same results as the default portable one).
 */
export function accessRecordsTree(records: readonly AccessRecord[], hasher?: TreeHasher): MemoryTree {
  const tree = new MemoryTree(hasher);
  records.forEach((record, i) => {
    checkAccessRecord(record, i);
    tree.append(encodeAccessRecord(record));
  });
  return tree;
}

/**
 * The root a processor publishes for `records` (the empty tree's root, SHA-256 of nothing, when there are none).
 *
 * @example
 * ```ts
 * await registry.write.publishBatch([processorId, 202611, accessRecordsRoot(records), records.length, saltHash]);
 * ```
 */
export function accessRecordsRoot(records: readonly AccessRecord[], hasher?: TreeHasher): Hex {
  return toHex(accessRecordsTree(records, hasher).root());
}

/**
 * A member's pseudonym in a batch whose salt is `salt`: `keccak256(abi.encode(member, purposeId, salt))`, as
 * DataUseRegistry.pseudonymOf.
 *
 * @example
 * ```ts
 * const mine = records.filter((r) => r.pseudonym === pseudonymOf(me, r.purposeId, salt));
 * ```
 */
export function pseudonymOf(member: Address, purposeId: bigint, salt: Hex): Hex {
  return keccak256(encodeAbiParameters([{ type: "address" }, { type: "uint256" }, { type: "bytes32" }], [member, purposeId, salt]));
}

/** The salt hash a processor commits to with its batch: `keccak256(abi.encode(salt))`. */
export function saltHashOf(salt: Hex): Hex {
  return keccak256(encodeAbiParameters([{ type: "bytes32" }], [salt]));
}

/**
 * Verifies that `record` is leaf `index` of the `size` records under `root`: recomputes the root from the inclusion
 * proof and compares. Throws {@link InvalidAccessRecordError} or the Merkle errors (`RootMismatchError`,
 * `ProofSizeError`) otherwise.
 *
 * @example
 * ```ts
 * verifyAccessRecord(access.record, access.index, batch.recordCount, access.proof, onChainRoot);
 * ```
 */
export function verifyAccessRecord(record: AccessRecord, index: number, size: number, proof: readonly Hex[], root: Hex): void {
  checkAccessRecord(record, index);
  verifyInclusion(hashLeaf(encodeAccessRecord(record)), index, size, proof.map((h) => hexToBytes(h)), hexToBytes(root));
}

/** The first and last unix second (end exclusive) of a month written YYYYMM, UTC. */
export function periodBounds(period: number): { start: number; end: number } {
  const year = Math.floor(period / 100);
  const month = period % 100;
  if (!(Number.isInteger(period) && month >= 1 && month <= 12 && year >= 2000 && year <= 9999)) {
    throw new CityError(`period ${period} is not a month written YYYYMM`, { name: "InvalidPeriodError" });
  }
  return { start: Date.UTC(year, month - 1, 1) / 1000, end: Date.UTC(year, month, 1) / 1000 };
}

/** `202611` for "2026-11" (what the API and the CLI take), undefined when it is not a month. */
export function parsePeriod(text: string): number | undefined {
  const match = /^([0-9]{4})-(0[1-9]|1[0-2])$/.exec(text);
  return match && Number(match[1]) >= 2000 ? Number(match[1]) * 100 + Number(match[2]) : undefined;
}

/** "2026-11" for `202611`. */
export function formatPeriod(period: number): string {
  return `${Math.floor(period / 100)}-${String(period % 100).padStart(2, "0")}`;
}

/** The month before `period` (YYYYMM). */
export function previousPeriod(period: number): number {
  return period % 100 === 1 ? period - 89 : period - 1;
}

/** The month (YYYYMM) holding unix second `t`. */
export function periodOf(t: number): number {
  const d = new Date(t * 1000);
  return d.getUTCFullYear() * 100 + d.getUTCMonth() + 1;
}
