/**
 * The city's events, decoded from the re-derived log with the SDK's one decoder (`CityEventDecoder`, viem's path:
 * addresses checksummed) and the SDK's ABIs, never the node's: one contract at a time, on first use, so a log of
 * 100,000 spam events costs nothing to a check that reads only CityCoin. Checks narrow on `name` and read typed
 * arguments.
 */
import { getAddress, type Abi, type Address } from "viem";
import { CityEventDecoder, cityAbis, type CityContractName, type ContractEvent, type RawLog } from "@cityledger/sdk/ledger";

/**
 * One event of contract `C` and where it is in the log. A log its ABI does not explain is `name: "?"` (a check that
 * meets one says so rather than skipping money it cannot read).
 */
export type AuditEvent<C extends CityContractName = CityContractName> = (
  | ContractEvent<C>
  | { contract: C; name: "?"; args: Readonly<Record<string, never>> }
) & { seq: number; log: RawLog };

export class EventIndex {
  private readonly cache = new Map<string, AuditEvent[]>();
  private readonly decoder: CityEventDecoder;
  private byAddress?: Map<string, number[]>;

  constructor(
    private readonly logs: readonly RawLog[],
    private readonly contracts: Readonly<Record<string, { address: string }>>,
  ) {
    this.decoder = new CityEventDecoder({ contracts });
  }

  has(contract: string): boolean {
    return contract in this.contracts;
  }

  address(contract: CityContractName): Address {
    const c = this.contracts[contract];
    if (!c) throw new Error(`the deployment has no ${contract}`);
    return getAddress(c.address);
  }

  /** The SDK's ABI of `contract`. */
  abi(contract: CityContractName): Abi {
    return cityAbis[contract];
  }

  /** Every event of `contract`, in log order. */
  of<C extends CityContractName>(contract: C): AuditEvent<C>[] {
    const hit = this.cache.get(contract);
    if (hit) return hit as AuditEvent<C>[];
    const seqs = this.indexByAddress().get(this.address(contract).toLowerCase()) ?? [];
    const out = seqs.map((seq): AuditEvent => {
      const log = this.logs[seq];
      const event = this.decoder.decode(log);
      return event ? { ...event, seq, log } : { contract, name: "?", args: {}, seq, log };
    });
    this.cache.set(contract, out);
    return out as AuditEvent<C>[];
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
