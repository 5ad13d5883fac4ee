import { Level } from "level";
import type { Address, Hex } from "viem";
import { KeyedSerial } from "../serial";

/**
 * Where a relayed request stands:
 * - `queued`: valid, waiting for the member's earlier nonces to be relayed first;
 * - `submitted`: sent, not yet mined (possibly re-sent with higher fees);
 * - `mined`: included and succeeded; `reverted`: included and reverted (the member's nonce is not consumed);
 * - `rejected`: refused after acceptance (its turn came and the simulation failed, or it waited too long);
 * - `failed`: the relayer could not get it mined (the cause is in `error`).
 */
export type RelayStatus = "queued" | "submitted" | "mined" | "reverted" | "rejected" | "failed";

export interface RelayRecord {
  /** The EIP-712 digest the member signed: unique per request, so a second copy is a replay. */
  id: Hex;
  kind: "forward" | "permit";
  status: RelayStatus;
  /** The member (ForwardRequest `from`, permit `owner`). */
  member: Address;
  /** Contract called, and the function. */
  to: Address;
  functionName: string;
  /** The member's nonce the request was signed with. */
  nonce: string;
  /**
   * Gas charged to the member's quota for it: an upper bound of the relayer transaction's gas on acceptance
   * (intrinsic gas of its calldata, the forwarder's overhead and the request's `gas`), the sent transaction's gas
   * limit once sent, its `gasUsed` once mined, 0 when refused before sending.
   */
  reservedGas: string;
  acceptedAt: number;
  /** The relayer transaction: every hash sent for it (fee bumps replace the same nonce), the mined one last. */
  txHashes: Hex[];
  /** The pool key that sent it (absent in records from before pools: the relay key), and its nonce. */
  relayer?: Address;
  relayerNonce?: number;
  blockNumber?: string;
  gasUsed?: string;
  /** Wei the city paid for it. */
  cost?: string;
  /** Why it was rejected, reverted or failed: a problem type and a sentence (and the decoded custom error). */
  error?: { type: string; detail: string; revert?: { name: string; args: string[] } };
  updatedAt: number;
}

/** A member's use of the relayer on one UTC day. */
export interface QuotaUse {
  /** Requests that passed the signature check, accepted or refused. */
  requests: number;
  /** Gas charged: what the relayer's transactions used (or may use, while in flight). */
  gas: bigint;
  /** Requests refused after the signature check (simulation, replay, conflict, front-running …). */
  refused: number;
}

/** Members' daily use kept in memory at most (see {@link RelayStore}). */
const QUOTAS_KEPT = 50_000;

/** The UTC day of `ms` as YYYY-MM-DD: quotas and costs are per day. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The relayer's own LevelDB: request records (`r:<id>`), per-member daily use (`q:<day>:<member>`) and the city's
 * daily cost (`c:<day>`). Separate from the log: the log holds only what the chain says.
 */
export class RelayStore {
  /**
   * Members' daily use as last read or written, by key: every request reads it two or three times (the checks,
   * the reservation, the receipt's charge). This process is the store's only writer (LevelDB locks its directory),
   * so what it wrote is what a read would return; written through, never only here.
   */
  private readonly quotas = new Map<string, QuotaUse>();
  /** Cost additions, one at a time (see addCost). */
  private readonly costWrites = new KeyedSerial();

  private constructor(private readonly db: Level<string, string>) {}

  static async open(dir: string): Promise<RelayStore> {
    const db = new Level<string, string>(dir, { keyEncoding: "utf8", valueEncoding: "utf8" });
    await db.open();
    return new RelayStore(db);
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  async get(id: Hex): Promise<RelayRecord | undefined> {
    const raw = await this.db.get(`r:${id.toLowerCase()}`);
    return raw === undefined ? undefined : (JSON.parse(raw) as RelayRecord);
  }

  async put(record: RelayRecord): Promise<void> {
    await this.db.put(`r:${record.id.toLowerCase()}`, JSON.stringify(record));
  }

  /** Records in `statuses` (the relayer resumes them after a restart). */
  async list(statuses: RelayStatus[]): Promise<RelayRecord[]> {
    const out: RelayRecord[] = [];
    for await (const value of this.db.values({ gte: "r:", lt: "r;" })) {
      const record = JSON.parse(value) as RelayRecord;
      if (statuses.includes(record.status)) out.push(record);
    }
    return out;
  }

  async quota(day: string, member: Address): Promise<QuotaUse> {
    const key = `q:${day}:${member.toLowerCase()}`;
    const known = this.quotas.get(key);
    if (known) return { ...known };
    const raw = await this.db.get(key);
    if (raw === undefined) return { requests: 0, gas: 0n, refused: 0 };
    const { requests, gas, refused } = JSON.parse(raw) as { requests: number; gas: string; refused?: number };
    return { requests, gas: BigInt(gas), refused: refused ?? 0 };
  }

  async setQuota(day: string, member: Address, use: QuotaUse): Promise<void> {
    const key = `q:${day}:${member.toLowerCase()}`;
    const value = { requests: use.requests, gas: use.gas, refused: use.refused };
    try {
      await this.db.put(key, JSON.stringify({ requests: use.requests, gas: use.gas.toString(), refused: use.refused }));
    } catch (error) {
      this.quotas.delete(key); // unknown whether it was written: read it again
      throw error;
    }
    // Kept once written; the oldest dropped past the bound (read from LevelDB again when needed).
    this.quotas.delete(key);
    this.quotas.set(key, value);
    if (this.quotas.size > QUOTAS_KEPT) this.quotas.delete(this.quotas.keys().next().value!);
  }

  /**
   * Adds `wei` and `gas` to the city's cost of `day`. One addition at a time, in call order: receipts of several keys
   * arrive together, and two read-add-writes side by side would each write their own sum, losing the other's.
   */
  addCost(day: string, wei: bigint, gas: bigint): Promise<void> {
    return this.costWrites.run("cost", async () => {
      const current = await this.cost(day);
      await this.db.put(`c:${day}`, JSON.stringify({ wei: (current.wei + wei).toString(), gas: (current.gas + gas).toString(), txs: current.txs + 1 }));
    });
  }

  async cost(day: string): Promise<{ wei: bigint; gas: bigint; txs: number }> {
    const raw = await this.db.get(`c:${day}`);
    if (raw === undefined) return { wei: 0n, gas: 0n, txs: 0 };
    const { wei, gas, txs } = JSON.parse(raw) as { wei: string; gas: string; txs: number };
    return { wei: BigInt(wei), gas: BigInt(gas), txs };
  }

  /** The city's cost per day, most recent `days` days that have any. */
  async costs(days: number): Promise<{ day: string; wei: bigint; gas: bigint; txs: number }[]> {
    const out: { day: string; wei: bigint; gas: bigint; txs: number }[] = [];
    for await (const [key, value] of this.db.iterator({ gte: "c:", lt: "c;", reverse: true, limit: days })) {
      const { wei, gas, txs } = JSON.parse(value) as { wei: string; gas: string; txs: number };
      out.push({ day: key.slice(2), wei: BigInt(wei), gas: BigInt(gas), txs });
    }
    return out;
  }
}
