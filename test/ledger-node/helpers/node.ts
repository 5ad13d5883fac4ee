/**
 * A ledger node over the in-process Hardhat network for a test file: the JSON-RPC server, the deployment record in a
 * temp dir, the node on a free port; `close` stops both and removes the dir. Extra CITY_* settings (relay key…) go
 * through the same parser as the CLI.
 */
import fs from "node:fs";
import path from "node:path";
import hre from "hardhat";
import { parseNodeConfig } from "../../../ledger-node/src/config";
import { startLedgerNode, type LedgerNode } from "../../../ledger-node/src/node";
import type { DeploymentRecord } from "../../../scripts/lib/deploy";
import { startRpcServer, tempDir, writeRecord, type NodeRecord, type RpcServer } from "./chain";

export interface TestNode {
  rpc: RpcServer;
  node: LedgerNode;
  dir: string;
  deploymentFile: string;
  /** Stops the node and starts it again on the same data (the same settings). */
  restart(): Promise<LedgerNode>;
  close(): Promise<void>;
}

export const quiet = { info: () => {}, warn: () => {}, error: () => {} };

export async function startTestNode(record: DeploymentRecord | NodeRecord, env: Record<string, string> = {}, prefix = "node"): Promise<TestNode> {
  const rpc = await startRpcServer(hre);
  const dir = tempDir(prefix);
  const deploymentFile = writeRecord(dir, record);
  const config = () =>
    parseNodeConfig([], {
      CITY_RPC_URL: rpc.url,
      CITY_DEPLOYMENT: deploymentFile,
      CITY_DATA_DIR: path.join(dir, "data"),
      CITY_NODE_PORT: "0",
      CITY_POLL_MS: "50",
      ...env,
    });
  const handle: TestNode = {
    rpc,
    dir,
    deploymentFile,
    node: await startLedgerNode(config(), { logger: quiet }),
    async restart() {
      await handle.node.close();
      handle.node = await startLedgerNode(config(), { logger: quiet });
      return handle.node;
    },
    async close() {
      await handle.node?.close();
      await rpc.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return handle;
}
