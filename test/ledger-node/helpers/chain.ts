/**
 * The chain side of the ledger-node robustness tests: the development chain of scripts/lib/devchain.ts (shared with
 * the benches: the in-process Hardhat network over JSON-RPC, a contract that emits many events cheaply, deployment
 * records in temp files), and the independent re-derivation of the log (eth_getLogs → leaf → Merkle tree, and →
 * projections state hash).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { getAddress, toHex } from "viem";
import { MemoryTree } from "../../../sdk/src/merkle";
import { leafFromLog, leafLogOfRpcLog, type RpcLog } from "../../../sdk/src/ledger";
import { ProjectionEngine, type StateHashes } from "../../../ledger-node/src/projections";
import { CityEventDecoder } from "@cityledger/sdk/ledger";
import type { LogEntry, RawLog } from "../../../ledger-node/src/types";
import type { DeploymentRecord } from "../../../scripts/lib/deploy";
import type { NodeRecord } from "../../../scripts/lib/devchain";

export const CHAIN_ID = 31337;

export {
  deploySpammer,
  spam,
  startRpcServer,
  tempDir,
  withContracts,
  writeRecord,
  type NodeRecord,
  type RpcServer,
  type Spammer,
} from "../../../scripts/lib/devchain";

/** Where a chain is read: the in-process network (its runtime environment), or any EIP-1193 provider (anvil's). */
export type ChainSource = HardhatRuntimeEnvironment | { request(args: { method: string; params?: unknown[] }): Promise<unknown> };

function providerOf(source: ChainSource) {
  return "network" in source ? source.network.provider : source;
}

export async function headBlock(source: ChainSource): Promise<number> {
  return Number(await providerOf(source).request({ method: "eth_blockNumber", params: [] }));
}


/**
 * Every log of the record's contracts from its deploy block to `toBlock` (default: the head), in (block, logIndex)
 * order, read with eth_getLogs straight from the chain: the log as anyone re-derives it.
 */
export async function chainLogs(source: ChainSource, record: NodeRecord | DeploymentRecord, toBlock?: number): Promise<RawLog[]> {
  const to = toBlock ?? (await headBlock(source));
  const addresses = Object.values(record.contracts).map((c) => c.address);
  const logs = (await providerOf(source).request({
    method: "eth_getLogs",
    params: [{ address: addresses, fromBlock: toHex(record.deployBlock), toBlock: toHex(to) }],
  })) as RpcLog[];
  return logs
    .filter((l) => !l.removed)
    .map((l): RawLog => ({ ...leafLogOfRpcLog(CHAIN_ID, l), address: getAddress(l.address) }))
    .sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
}

/** The RFC 6962 tree of `logs`, built with the SDK only (leafFromLog → MemoryTree). */
export function treeOf(logs: readonly RawLog[]): MemoryTree {
  const tree = new MemoryTree();
  for (const log of logs) tree.appendHash(leafFromLog(log));
  return tree;
}

/** The projections' state hash after `logs`, reduced in memory (no log store, no follower involved). */
export function referenceState(logs: readonly RawLog[], record: NodeRecord | DeploymentRecord): StateHashes {
  const engine = new ProjectionEngine();
  const empty = new Uint8Array();
  engine.applyLog(
    logs.map((log, seq): LogEntry => ({ seq, log, leafInput: empty, leafHash: empty })),
    new CityEventDecoder(record),
  );
  return engine.stateHashes();
}
