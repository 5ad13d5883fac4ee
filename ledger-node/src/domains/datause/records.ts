/**
 * The access records processors submit (POST /v1/datause/batches/{processorId}/{period}/records), kept in their own
 * LevelDB beside the log: one value per batch, the records in the processor's order, written once. Nothing here is
 * trusted for what it says: a batch is stored only after its records hash to the root the processor published on
 * chain (the log's BatchPublished), so whoever sends them — the processor, a member, an auditor holding a copy — is
 * as good as any other. They are public commitments: pseudonyms, never addresses.
 */
import { createHash } from "node:crypto";
import { Level } from "level";
import type { Hex } from "viem";
import { treeHasher } from "@cityledger/sdk/merkle";
import { accessRecordsRoot, type AccessRecord } from "@cityledger/sdk/datause";
import { NodeError } from "../../errors";

/** Most records one batch may hold here: what one request carries under the route's body limit. */
export const MAX_BATCH_RECORDS = 10_000;

/** Records that do not hash to the batch's published root, or not as many as it says. */
export class RecordsMismatchError extends NodeError {
  override name = "RecordsMismatchError";
}

interface StoredRecord {
  pseudonym: Hex;
  purposeId: string;
  category: number;
  count: number;
  timeBucket: number;
}

const keyOf = (processorId: bigint, period: number) => `b/${processorId}/${period}`;

/** The node's native SHA-256 under the SDK's RFC 6962 hashing (same roots as the portable one). */
const hasher = treeHasher((...parts) => {
  const h = createHash("sha256");
  for (const part of parts) h.update(part);
  return h.digest();
});

/**
 * Accepted batches of access records, all held in memory too (the bulletin reads every one); `version` moves on
 * every new batch, so what is computed from them can be cached against it.
 */
export class AccessRecordStore {
  private readonly batches = new Map<string, readonly AccessRecord[]>();
  private _version = 0;

  private constructor(private readonly db: Level<string, string> | undefined) {}

  /** Opens (or creates) the store in `dir`; without `dir`, a store held in memory only (tests, replay). */
  static async open(dir?: string): Promise<AccessRecordStore> {
    const db = dir === undefined ? undefined : new Level<string, string>(dir, { valueEncoding: "utf8" });
    const store = new AccessRecordStore(db);
    if (db) {
      await db.open();
      for await (const [key, value] of db.iterator()) store.batches.set(key, (JSON.parse(value) as StoredRecord[]).map(fromStored));
    }
    store._version = store.batches.size;
    return store;
  }

  get version(): number {
    return this._version;
  }

  /** The accepted records of `processorId`'s batch of `period`, undefined when none were submitted. */
  get(processorId: bigint, period: number): readonly AccessRecord[] | undefined {
    return this.batches.get(keyOf(processorId, period));
  }

  /**
   * Stores `records` for the batch if they hash to `batch.root` and number `batch.recordCount`; throws
   * {@link RecordsMismatchError} otherwise (and `InvalidAccessRecordError` for a record out of range). Returns false
   * when the same batch was already stored (an idempotent re-submission: same root, so the same records).
   */
  async put(processorId: bigint, period: number, records: readonly AccessRecord[], batch: { root: string; recordCount: number }): Promise<boolean> {
    if (records.length !== batch.recordCount) {
      throw new RecordsMismatchError(`batch ${processorId}/${period} commits to ${batch.recordCount} records, ${records.length} were sent`);
    }
    const root = accessRecordsRoot(records, hasher);
    if (root !== batch.root.toLowerCase()) {
      throw new RecordsMismatchError(`these records hash to ${root}, but batch ${processorId}/${period} was published with root ${batch.root}: they are not the committed records (order matters)`);
    }
    const key = keyOf(processorId, period);
    if (this.batches.has(key)) return false;
    await this.db?.put(key, JSON.stringify(records.map(toStored)));
    this.batches.set(key, [...records]);
    this._version += 1;
    return true;
  }

  async close(): Promise<void> {
    await this.db?.close();
  }
}

function toStored(r: AccessRecord): StoredRecord {
  return { pseudonym: r.pseudonym, purposeId: r.purposeId.toString(), category: r.category, count: r.count, timeBucket: r.timeBucket };
}

function fromStored(r: StoredRecord): AccessRecord {
  return { pseudonym: r.pseudonym, purposeId: BigInt(r.purposeId), category: r.category, count: r.count, timeBucket: r.timeBucket };
}
