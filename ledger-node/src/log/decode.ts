import { decodeEventLog, type Abi, type Address } from "viem";
import type { DecodedEvent, RawLog } from "../types";

/** The part of a deployment record the decoder needs: each contract's address and ABI. */
export interface DecoderDeployment {
  contracts: Record<string, { address: string; abi: readonly unknown[] }>;
}

/**
 * Decodes raw logs with the ABIs of the deployment, by emitter address. A log no ABI explains stays in the log
 * (the log is ABI-free) and simply has no decoded event.
 */
export class EventDecoder {
  private readonly byAddress = new Map<string, { contract: string; abi: Abi }>();

  constructor(deployment: DecoderDeployment) {
    for (const [contract, { address, abi }] of Object.entries(deployment.contracts)) {
      this.byAddress.set(address.toLowerCase(), { contract, abi: abi as Abi });
    }
  }

  /** The city's contract addresses: what the follower asks the RPC for. */
  get addresses(): Address[] {
    return [...this.byAddress.keys()] as Address[];
  }

  contractAt(address: string): string | undefined {
    return this.byAddress.get(address.toLowerCase())?.contract;
  }

  decode(log: Pick<RawLog, "address" | "topics" | "data">): DecodedEvent | undefined {
    const target = this.byAddress.get(log.address.toLowerCase());
    if (!target || log.topics.length === 0) return undefined;
    try {
      const { eventName, args } = decodeEventLog({
        abi: target.abi,
        topics: log.topics as [`0x${string}`, ...`0x${string}`[]],
        data: log.data,
        strict: true,
      });
      return { contract: target.contract, name: String(eventName), args: (args ?? {}) as Record<string, unknown> };
    } catch {
      return undefined;
    }
  }
}
