/**
 * The city's events, decoded from the re-derived log with the ABIs of the deployment record (never the node's
 * decoder): one contract at a time, on first use, so a log of 100,000 spam events costs nothing to a check that
 * reads only CityCoin.
 */
import { decodeEventLog, getAddress, toEventSelector, type Abi, type AbiEvent, type Hex } from "viem";
import type { RawLog } from "../../ledger-node/src/types";

/** One decoded event and where it is in the log. */
export interface AuditEvent {
  seq: number;
  name: string;
  args: Record<string, unknown>;
  log: RawLog;
}

export class EventIndex {
  private readonly cache = new Map<string, AuditEvent[]>();
  private byAddress?: Map<string, number[]>;

  constructor(
    private readonly logs: readonly RawLog[],
    private readonly contracts: Record<string, { address: string; abi: readonly unknown[] }>,
  ) {}

  has(contract: string): boolean {
    return contract in this.contracts;
  }

  address(contract: string): `0x${string}` {
    const c = this.contracts[contract];
    if (!c) throw new Error(`the deployment has no ${contract}`);
    return getAddress(c.address);
  }

  abi(contract: string): Abi {
    return this.contracts[contract].abi as Abi;
  }

  /**
   * Every event of `contract`, in log order. A log its ABI does not explain is reported as `name: "?"` (a check that
   * meets one says so rather than skipping money it cannot read).
   */
  of(contract: string): AuditEvent[] {
    const hit = this.cache.get(contract);
    if (hit) return hit;
    const abi = this.abi(contract);
    const selectors = new Map<Hex, AbiEvent>();
    for (const item of abi) if (item.type === "event") selectors.set(toEventSelector(item), item);
    const seqs = this.indexByAddress().get(this.address(contract).toLowerCase()) ?? [];
    const out: AuditEvent[] = seqs.map((seq) => {
      const log = this.logs[seq];
      const event = log.topics[0] ? selectors.get(log.topics[0]) : undefined;
      if (!event) return { seq, name: "?", args: {}, log };
      try {
        const decoded = decodeEventLog({ abi: [event], topics: log.topics as [Hex, ...Hex[]], data: log.data, strict: true });
        return { seq, name: decoded.eventName, args: decoded.args as Record<string, unknown>, log };
      } catch {
        return { seq, name: "?", args: {}, log };
      }
    });
    this.cache.set(contract, out);
    return out;
  }

  private indexByAddress(): Map<string, number[]> {
    if (this.byAddress) return this.byAddress;
    const map = new Map<string, number[]>();
    this.logs.forEach((log, seq) => {
      const key = log.address.toLowerCase();
      let list = map.get(key);
      if (!list) map.set(key, (list = []));
      list.push(seq);
    });
    return (this.byAddress = map);
  }
}
