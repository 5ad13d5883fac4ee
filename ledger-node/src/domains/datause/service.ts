/**
 * What the data-use routes need beyond the projection: the submitted access records, the node's signature for
 * bulletins, and the computations over both (members' accesses with proofs, violations, bulletins), cached per log
 * position and record-store version since every one of them matches pseudonyms against every member.
 */
import { bytesToHex, type Hex } from "viem";
import {
  accessRecordsTree,
  computeBulletin,
  recordFindings,
  type DataUseBulletin,
  type DataUseFacts,
  type RecordFinding,
} from "@cityledger/sdk/datause";
import type { AccessRecordStore } from "./records";
import type { DataUseQueries } from "./queries";

/** The node's data-use service (NodeContext.datause). */
export interface DataUseService {
  records: AccessRecordStore;
  /** The node's signed note over `bulletin` (SDK `signBulletin` with the checkpoint key). */
  sign(bulletin: DataUseBulletin): string;
}

/** An access of one member: its record, where it sits in its batch, and its inclusion proof to the batch's root. */
export interface MemberAccess extends RecordFinding {
  root: Hex;
  recordCount: number;
  salt: Hex;
  proof: Hex[];
}

/** The facts at the projections' current position, records included; `rootAt` gives the log root at a size. */
export async function currentFacts(queries: DataUseQueries, records: AccessRecordStore, rootAt: (size: number) => Promise<Uint8Array>): Promise<DataUseFacts> {
  const facts = queries.facts();
  const size = queries.seq();
  return {
    ...facts,
    log: { size, root: bytesToHex(await rootAt(size)) },
    batches: facts.batches.map((b) => ({ ...b, records: records.get(b.processorId, b.period) })),
  };
}

/** Caches what is computed from the facts, against the log position and the record store's version. */
export class DataUseComputations {
  private key = "";
  private findings?: RecordFinding[];
  private readonly bulletins = new Map<number, DataUseBulletin>();

  constructor(
    private readonly records: AccessRecordStore,
    private readonly rootAt: (size: number) => Promise<Uint8Array>,
  ) {}

  private async facts(queries: DataUseQueries): Promise<DataUseFacts> {
    const key = `${queries.seq()}/${this.records.version}`;
    if (key !== this.key) {
      this.key = key;
      this.findings = undefined;
      this.bulletins.clear();
    }
    return currentFacts(queries, this.records, this.rootAt);
  }

  /** Every record of every revealed batch with records, with its member and violation. */
  async allFindings(queries: DataUseQueries): Promise<RecordFinding[]> {
    const facts = await this.facts(queries);
    return (this.findings ??= recordFindings(facts));
  }

  async bulletin(queries: DataUseQueries, period: number): Promise<DataUseBulletin> {
    const facts = await this.facts(queries);
    let bulletin = this.bulletins.get(period);
    if (!bulletin) this.bulletins.set(period, (bulletin = computeBulletin(facts, period)));
    return bulletin;
  }

  /** `member`'s accesses (EIP-55 or lower-case), each with its inclusion proof. */
  async accessesOf(queries: DataUseQueries, member: string): Promise<MemberAccess[]> {
    const who = member.toLowerCase();
    const mine = (await this.allFindings(queries)).filter((f) => f.member?.toLowerCase() === who);
    const trees = new Map<string, ReturnType<typeof accessRecordsTree>>();
    return mine.map((f) => {
      const batch = queries.batch(f.processorId, f.period)!;
      const key = `${f.processorId}/${f.period}`;
      let tree = trees.get(key);
      if (!tree) trees.set(key, (tree = accessRecordsTree(this.records.get(f.processorId, f.period)!)));
      return { ...f, root: batch.root, recordCount: batch.recordCount, salt: batch.salt!, proof: tree.inclusionProof(f.index).map((h) => bytesToHex(h)) };
    });
  }
}
