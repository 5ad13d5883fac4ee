/**
 * A development chain for benchmarks and tests: the in-process Hardhat network served over JSON-RPC (so a ledger node
 * or an auditor in a child process can follow it), a contract that emits many events cheaply
 * (contracts/test/EventSpammer.sol), and deployment records written where a node reads them. Shared by bench/ and
 * test/ (the benches measure what the tests check, on the same setup).
 */
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { HardhatRuntimeEnvironment, JsonRpcServer } from "hardhat/types";
import { TASK_NODE_CREATE_SERVER } from "hardhat/builtin-tasks/task-names";
import { encodeFunctionData, getAddress, toHex, type Abi, type Address, type Hex } from "viem";
import type { DeploymentRecord } from "./deploy";

/** A deployment record as the node reads it: the city's contracts plus any test-only ones. */
export type NodeRecord = Omit<DeploymentRecord, "contracts"> & {
  contracts: Record<string, { address: string; blockNumber: number; abi: unknown[] }>;
};

export interface RpcServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Hardhat's JSON-RPC server (what `hardhat node` runs) on the in-process network, on 127.0.0.1 and a port the OS
 * picks (port 0: no race with other tests for a "free" port). `provider` stands in for the network's own provider
 * (a bench wraps it to count the calls the server answers).
 */
export async function startRpcServer(hre: HardhatRuntimeEnvironment, provider = hre.network.provider): Promise<RpcServer> {
  const server: JsonRpcServer = await hre.run(TASK_NODE_CREATE_SERVER, { hostname: "127.0.0.1", port: 0, provider });
  const address = await server.listen();
  return { url: `http://127.0.0.1:${address.port}`, close: () => server.close() };
}

export interface Spammer {
  name: string;
  address: Address;
  blockNumber: number;
  abi: Abi;
}

/** Deploys contracts/test/EventSpammer.sol from `from` (an unlocked Hardhat account). */
export async function deploySpammer(hre: HardhatRuntimeEnvironment, from: string, name = "EventSpammer"): Promise<Spammer> {
  const artifact = await hre.artifacts.readArtifact("EventSpammer");
  const hash = (await hre.network.provider.request({
    method: "eth_sendTransaction",
    params: [{ from, data: artifact.bytecode, gas: toHex(1_000_000) }],
  })) as Hex;
  const receipt = (await hre.network.provider.request({ method: "eth_getTransactionReceipt", params: [hash] })) as {
    contractAddress: Address;
    blockNumber: Hex;
    status: Hex;
  };
  if (receipt.status !== "0x1") throw new Error("EventSpammer deployment reverted");
  return { name, address: getAddress(receipt.contractAddress), blockNumber: Number(receipt.blockNumber), abi: artifact.abi as Abi };
}

/**
 * Mines `blocks` blocks, each holding one transaction that emits `perTx` Spam events (automine: one block per
 * transaction). Raw eth_sendTransaction with a fixed gas limit: no estimation round trip, ~2× faster than ethers.
 */
export async function spam(hre: HardhatRuntimeEnvironment, spammer: Spammer, from: string, blocks: number, perTx: number): Promise<void> {
  const data = encodeFunctionData({ abi: spammer.abi, functionName: "spam", args: [BigInt(perTx)] });
  const gas = toHex(60_000 + 6_000 * perTx);
  for (let i = 0; i < blocks; i++) {
    await hre.network.provider.request({ method: "eth_sendTransaction", params: [{ from, to: spammer.address, data, gas }] });
  }
}

/** `record` with `extra` test-only contracts added: the node follows (and decodes) every contract of its record. */
export function withContracts(record: DeploymentRecord | NodeRecord, ...extra: Spammer[]): NodeRecord {
  const contracts: NodeRecord["contracts"] = { ...(record.contracts as NodeRecord["contracts"]) };
  for (const c of extra) contracts[c.name] = { address: c.address, blockNumber: c.blockNumber, abi: c.abi as unknown[] };
  return { ...record, contracts };
}

/** A TCP port free on 127.0.0.1 right now (for a server that cannot listen on port 0 and say which it got: anvil). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A fresh temp directory (mkdtemp under the OS temp dir). */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `cityledger-${prefix}-`));
}

/** Writes `record` as JSON to `<dir>/deployment.json`; returns the path. */
export function writeRecord(dir: string, record: NodeRecord | DeploymentRecord): string {
  const file = path.join(dir, "deployment.json");
  fs.writeFileSync(file, JSON.stringify(record, null, 2) + "\n");
  return file;
}
