/**
 * For API tests of routes that need no log entries: a node context over an empty log in a temp dir (the routes read
 * only its identity, origin and key, or nothing of it), and the problem assertion.
 */
import fs from "node:fs";
import { expect } from "chai";
import { PROBLEM_BASE } from "../../../ledger-node/src/api/problems";
import type { Hex } from "viem";
import { CityEventDecoder, verifierKey } from "@cityledger/sdk/ledger";
import { cityContractNames, cityRoleNames, loadDeployment, type CityDeployment } from "@cityledger/sdk";
import { LogStore } from "../../../ledger-node/src/log/store";
import { UpdateBus } from "../../../ledger-node/src/updates";
import type { NodeContext } from "../../../ledger-node/src/context";
import { tempDir } from "./chain";

export const EMPTY_LOG_SIGNER = { name: "cityledger.test/31337", privateKey: new Uint8Array(32).fill(7) };

export async function openEmptyContext(prefix: string): Promise<{ ctx: NodeContext; close(): Promise<void> }> {
  const dir = tempDir(prefix);
  const signer = EMPTY_LOG_SIGNER;
  const store = await LogStore.open({ dir, origin: signer.name, signer, genesis: { block: 0n, blockHash: `0x${"00".repeat(32)}` as Hex, size: 0 } });
  const follower = { status: () => ({ state: "starting" as const }), tentative: () => [] };
  const ctx: NodeContext = {
    store,
    decoder: new CityEventDecoder({ contracts: {} }),
    follower,
    updates: new UpdateBus(),
    verifierKey: verifierKey(signer),
    chainId: 31337,
  };
  return {
    ctx,
    async close() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What the assertions read of an answer: `app.inject`'s, or a raw HTTP response's. */
export interface Answer {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  json(): Record<string, unknown>;
}

/** A response's status, media type and problem `type`, with no stack trace in it; returns the problem document. */
export function expectProblemOf(res: Answer, status: number, kind: string): Record<string, unknown> {
  expect(res.statusCode, res.body).to.equal(status);
  expect(res.headers["content-type"]).to.match(/^application\/problem\+json/);
  const body = res.json();
  expect(body).to.include({ type: `${PROBLEM_BASE}${kind}`, status });
  expect(res.body).to.not.match(/\n\s+at /);
  return body;
}

/** A deployment naming every core contract (at made-up addresses, deployed in block 1) and every role. */
export function madeUpDeployment(deployer: string): CityDeployment {
  return loadDeployment({
    chainId: 31337,
    deployer,
    deployBlock: 1,
    contracts: Object.fromEntries(cityContractNames.map((name, i) => [name, { address: `0x${(i + 1).toString(16).padStart(40, "0")}`, blockNumber: 1 }])),
    roles: Object.fromEntries(cityRoleNames.map((name, i) => [name, String(i)])),
  });
}
