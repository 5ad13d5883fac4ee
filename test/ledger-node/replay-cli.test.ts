/**
 * `cityledger replay` (the real bin, as a child process) rebuilds every projection from entry 0 of a stopped node's
 * log and prints the state hash the live node reported; a log with one entry fewer gives another hash (the one of
 * that prefix); and a log a running node holds cannot be replayed: exit code 2 and a message saying to stop the node.
 */
import { expect } from "chai";
import hre from "hardhat";
import fs from "node:fs";
import path from "node:path";
import { createPublicClient, custom, type PublicClient } from "viem";
import { hardhat } from "viem/chains";
import { cityWithActivity } from "./helpers/city";
import { chainLogs, referenceState, startRpcServer, tempDir, writeRecord, CHAIN_ID } from "./helpers/chain";
import { killStarted, startCli } from "./helpers/cli";
import { ORIGIN } from "./helpers/log-check";
import { sleep } from "./helpers/prng";
import { startLedgerNode, type LedgerNode } from "../../ledger-node/src/node";
import { LogStore } from "../../ledger-node/src/log/store";
import type { NodeConfig } from "../../ledger-node/src/config";
import type { DeploymentRecord } from "../../scripts/lib/deploy";
import type { RawLog } from "../../ledger-node/src/types";

interface ReplayJson {
  seq: number;
  stateHash: string;
  domains: Record<string, string>;
  entries: number;
  size: number;
}

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe("cityledger replay (CLI) against the live node", function () {
  this.timeout(180_000);

  let dir: string;
  let record: DeploymentRecord;
  let deploymentFile: string;
  let logs: RawLog[];
  let client: PublicClient;
  const nodes: LedgerNode[] = [];

  function config(dataDir: string): NodeConfig {
    return {
      rpcUrl: "http://127.0.0.1:1", // unused: the node is handed an in-process client
      deploymentFile,
      dataDir,
      host: "127.0.0.1",
      port: 0,
      finality: { depth: 0 },
      keyFile: path.join(dataDir, "node.key"),
      pollIntervalMs: 50,
      maxBlockRange: 5n,
    };
  }

  async function startNode(dataDir: string): Promise<LedgerNode> {
    const node = await startLedgerNode(config(dataDir), { client, logger: quiet });
    nodes.push(node);
    return node;
  }

  async function caughtUp(node: LedgerNode, total: number): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (node.store.size < total || node.projections.engine.seq < total) {
      if (Date.now() > deadline) throw new Error(`node stuck at ${node.store.size}/${total}`);
      await sleep(25);
    }
  }

  before(async () => {
    const f = await cityWithActivity();
    record = f.record;
    dir = tempDir("replay-cli");
    deploymentFile = writeRecord(dir, record);
    logs = await chainLogs(hre, record);
    client = createPublicClient({ chain: hardhat, transport: custom(hre.network.provider) }) as PublicClient;
  });

  after(async () => {
    await killStarted();
    for (const node of nodes) await node.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("prints the live node's state hash; one entry fewer gives another; a locked log exits 2 saying to stop the node", async () => {
    const total = logs.length;
    expect(total).to.be.at.least(30);
    const dataA = path.join(dir, "a");
    const node = await startNode(dataA);
    await caughtUp(node, total);
    const live = node.projections.engine.stateHashes();
    expect(live.seq).to.equal(total);
    expect(live.stateHash, "live = in-memory reduction of the chain's logs").to.equal(referenceState(logs, record).stateHash);
    const res = await fetch(`${node.url}/v1/state`, { headers: { accept: "application/json" } });
    if (res.status === 404) console.log("      (no /v1/state route: the live hash is read from the engine only)");
    else {
      expect(res.status).to.equal(200);
      expect(await res.json(), "GET /v1/state = the engine's hashes").to.deep.equal(live);
    }
    await node.close();

    // B: the same log but its last entry (block by block, as the follower appends).
    const dataB = path.join(dir, "b");
    const source = await LogStore.open({ dir: path.join(dataA, "log"), origin: ORIGIN });
    const entries = await source.entries(0, total);
    await source.close();
    expect(entries.length).to.equal(total);
    const signer = { name: ORIGIN, privateKey: new Uint8Array(32).fill(7) };
    const genesisBlock = BigInt(record.deployBlock - 1);
    const genesisHash = (await client.getBlock({ blockNumber: genesisBlock })).hash;
    const shorter = await LogStore.open({
      dir: path.join(dataB, "log"),
      origin: ORIGIN,
      signer,
      genesis: { block: genesisBlock, blockHash: genesisHash, size: 0 },
    });
    const kept = entries.slice(0, total - 1).map((e) => e.log);
    for (let i = 0; i < kept.length; ) {
      let j = i;
      while (j < kept.length && kept[j].blockNumber === kept[i].blockNumber) j++;
      await shorter.append(kept.slice(i, j), { block: kept[i].blockNumber, blockHash: kept[i].blockHash });
      i = j;
    }
    expect(shorter.size).to.equal(total - 1);
    await shorter.close();

    // C: a copy of A that a running node holds (LevelDB allows one process per database).
    const dataC = path.join(dir, "c");
    fs.cpSync(dataA, dataC, { recursive: true });
    const holder = await startNode(dataC);

    const started = Date.now();
    const replayOf = (dataDir: string) => startCli("replay", ["--data-dir", dataDir, "--deployment", deploymentFile, "--json"], { entry: "bin" });
    const [a, b, c] = [replayOf(dataA), replayOf(dataB), replayOf(dataC)];
    const [exitA, exitB, exitC] = await Promise.all([a.exited, b.exited, c.exited]);
    const seconds = (Date.now() - started) / 1000;
    // A second node on the held data dir: exit 2, saying what to do.
    const rpc = await startRpcServer(hre);
    const second = startCli("node", ["--rpc", rpc.url, "--deployment", deploymentFile, "--data-dir", dataC, "--port", "0"], { entry: "bin" });
    const exitSecond = await second.exited;
    await rpc.close();
    await holder.close();
    expect(exitSecond.code, `a second node on a held data dir:\n${second.stderr()}`).to.equal(2);
    expect(second.stderr()).to.match(/locked by another process.*Stop the other node, or pass another --data-dir/);

    expect(exitA.code, `replay of the stopped node's log:\n${a.stderr()}`).to.equal(0);
    const full = JSON.parse(a.stdout()) as ReplayJson;
    expect(full.stateHash, "replay = live state hash").to.equal(live.stateHash);
    expect(full.domains).to.deep.equal(live.domains);
    expect(full).to.include({ seq: total, entries: total, size: total });

    expect(exitB.code, `replay of the shorter log:\n${b.stderr()}`).to.equal(0);
    const partial = JSON.parse(b.stdout()) as ReplayJson;
    expect(partial).to.include({ seq: total - 1, entries: total - 1, size: total - 1 });
    expect(partial.stateHash, "one entry fewer, another hash").not.to.equal(live.stateHash);
    expect(partial.stateHash, "… the hash of that prefix").to.equal(referenceState(logs.slice(0, total - 1), record).stateHash);

    expect(exitC.code, `replay of a log a node holds:\n${c.stdout()}\n${c.stderr()}`).to.equal(2);
    expect(c.stderr()).to.match(/stop the node/i);
    expect(c.stdout()).to.equal("");
    console.log(`      ${total} entries (chain ${CHAIN_ID}); three replays (full, one fewer, locked) in ${seconds.toFixed(1)} s; state ${live.stateHash.slice(0, 16)}…`);
  });
});
