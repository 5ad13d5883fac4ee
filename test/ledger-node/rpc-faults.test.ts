/**
 * RPC faults: a ledger node follows the chain through a proxy that drops connections, loses and truncates answers,
 * delays requests, answers 5xx, and refuses wide eth_getLogs ranges with "query returned more than 10000 results".
 * Ingestion must complete with the log re-derived independently from the chain (same root, no gap, no duplicate),
 * the projections must match, and the follower's counters must show it retried and split ranges.
 *
 * Reproduce a run with CITYLEDGER_RPC_FAULT_SEED=<seed printed by the test>.
 */
import { expect } from "chai";
import hre from "hardhat";
import fs from "node:fs";
import path from "node:path";
import { bytesToHex, createPublicClient, http, type PublicClient } from "viem";
import { cityFixture, coins, issue, register, type CityFixture } from "../fixtures";
import {
  CHAIN_ID,
  chainLogs,
  deploySpammer,
  referenceState,
  spam,
  startRpcServer,
  tempDir,
  treeOf,
  withContracts,
  writeRecord,
  type NodeRecord,
  type RpcServer,
  type Spammer,
} from "./helpers/chain";
import { startFaultyProxy, type FaultyProxy } from "./helpers/rpc-proxy";
import { ORIGIN, checkStoredLog, writeNodeKey } from "./helpers/log-check";
import { LogStore } from "../../ledger-node/src/log/store";
import { CityEventDecoder } from "@cityledger/sdk/ledger";
import { Follower } from "../../ledger-node/src/follower/follower";
import { isRangeLimit, withRetry } from "../../sdk/src/ledger";
import { UpdateBus } from "../../ledger-node/src/updates";
import { seedFrom, sleep } from "./helpers/prng";
import { startLedgerNode, type LedgerNode } from "../../ledger-node/src/node";
import type { NodeConfig } from "../../ledger-node/src/config";

const SEED = seedFrom("CITYLEDGER_RPC_FAULT_SEED", 0x0fa1_7ed5);
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe("ledger node under RPC faults (drops, delays, 5xx, range limits)", function () {
  this.timeout(180_000);

  let f: CityFixture;
  let spammer: Spammer;
  let rpc: RpcServer;
  let proxy: FaultyProxy;
  let dir: string;
  let record: NodeRecord;
  let deploymentFile: string;
  let node: LedgerNode | undefined;

  before(async () => {
    f = await cityFixture();
    const [alice, bob] = f.people;
    await register(f, alice);
    await register(f, bob);
    await issue(f, alice, coins(300));
    spammer = await deploySpammer(hre, f.admin.address);
    await spam(hre, spammer, f.outsider.address, 50, 12);
    record = withContracts(f.record, spammer);
    dir = tempDir("rpc-faults");
    deploymentFile = writeRecord(dir, record);
    rpc = await startRpcServer(hre);
    proxy = await startFaultyProxy({ upstream: rpc.url, seed: SEED, maxDelayMs: 300, rangeLimitBlocks: 2 });
  });

  after(async () => {
    await node?.close();
    await proxy?.close();
    await rpc?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("completes ingestion through the faulty proxy: root = re-derivation, no gap, no duplicate, retries counted", async () => {
    const started = Date.now();
    const warnings: string[] = [];
    const dataDir = path.join(dir, "data");
    const config: NodeConfig = {
      rpcUrl: proxy.url,
      deploymentFile,
      dataDir,
      host: "127.0.0.1",
      port: 0,
      finality: { depth: 0 },
      keyFile: path.join(dataDir, "node.key"),
      pollIntervalMs: 50,
      maxBlockRange: 8n,
    };
    // A fixed key (with no "+" in its base64: see the crash test for keys that have one).
    const verifierKey = writeNodeKey(config.keyFile, { plus: false });
    node = await startLedgerNode(config, {
      logger: { info: () => {}, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) },
    });

    // The chain keeps growing while the node follows through the faults.
    const [alice, bob] = f.people;
    for (let round = 0; round < 4; round++) {
      await spam(hre, spammer, f.outsider.address, 8, 12);
      await (await f.coin.connect(alice).transfer(bob.address, coins(round + 1))).wait();
      await sleep(150);
    }
    const logs = await chainLogs(hre, record);
    const total = logs.length;

    const deadline = Date.now() + 90_000;
    while (node.store.size < total || node.projections.engine.seq < total) {
      if (Date.now() > deadline) {
        throw new Error(`stuck at ${node.store.size}/${total} entries; stats ${JSON.stringify(proxy.stats)}; last warnings:\n${warnings.slice(-5).join("\n")}`);
      }
      await sleep(50);
    }
    const seconds = (Date.now() - started) / 1000;
    await sleep(300); // more polls through the faults: nothing may be appended twice
    expect(node.store.size).to.equal(total);

    const { counters } = node.follower; // live: read after close below
    const metrics = await (await fetch(`${node.url}/metrics`)).text();
    const tree = treeOf(logs);
    expect(bytesToHex(node.store.root()), "live root = re-derived root").to.equal(bytesToHex(tree.root()));
    expect(node.projections.engine.stateHash(), "projections = in-memory reduction").to.equal(referenceState(logs, record).stateHash);
    expect(node.verifierKey).to.equal(verifierKey);
    await node.close();
    node = undefined;

    console.log(
      `      seed ${SEED} (CITYLEDGER_RPC_FAULT_SEED): ${total} events in ${seconds.toFixed(1)} s; proxy ${JSON.stringify(proxy.stats)}; ` +
        `follower ${JSON.stringify(counters)}; ${warnings.length} warnings`,
    );
    // Every kind of fault happened, and the follower saw them: retries and range splits.
    for (const kind of ["drop", "lose", "truncate", "http5xx", "delay", "rangeLimit"] as const) {
      expect(proxy.stats[kind], `faults of kind ${kind}`).to.be.greaterThan(0);
    }
    expect(counters.rpcRetries, "rpc retries").to.be.greaterThan(0);
    expect(counters.rangeSplits, "range splits").to.be.greaterThan(0);
    expect(counters.entries).to.equal(total);
    // /metrics shows the same counters (read a moment earlier: the follower kept polling through faults since).
    const metric = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, "m").exec(metrics)?.[1] ?? NaN);
    expect(metric("ledger_rpc_retries_total")).to.be.greaterThan(0).and.at.most(counters.rpcRetries);
    expect(metric("ledger_rpc_range_splits_total")).to.be.greaterThan(0).and.at.most(counters.rangeSplits);

    await checkStoredLog(dataDir, { logs, tree, verifierKey });
    expect(proxy.stats.widestGetLogs, "no eth_getLogs wider than --max-block-range").to.be.at.most(Number(config.maxBlockRange));
  });

  // The follower halves its range on a range-limit error and doubles it back after each batch. Halving a range that
  // was cut short at the head (7 blocks → 3) and doubling back (3 → 6 → 12) must still stop at maxBlockRange.
  it("never asks eth_getLogs for more than maxBlockRange blocks, even after splitting a range cut short at the head", async () => {
    const strict = await startFaultyProxy({
      upstream: rpc.url,
      seed: SEED,
      rates: { drop: 0, lose: 0, truncate: 0, http5xx: 0, delay: 0, rangeLimit: 1 },
      rangeLimitBlocks: 6,
    });
    try {
      // A log of one spammer deployed now: the follower starts 7 blocks behind the head.
      const own = await deploySpammer(hre, f.admin.address, "WideSpammer");
      await spam(hre, own, f.outsider.address, 6, 3);
      const ownRecord = { chainId: CHAIN_ID, deployer: f.admin.address, deployBlock: own.blockNumber, contracts: {}, roles: {} } as NodeRecord;
      const followed = withContracts(ownRecord, own);
      const client = createPublicClient({ transport: http(strict.url, { retryCount: 0 }) }) as PublicClient;
      const genesisBlock = BigInt(own.blockNumber - 1);
      const genesisHash = (await client.getBlock({ blockNumber: genesisBlock })).hash;
      const store = await LogStore.open({
        dir: path.join(dir, "widest"),
        origin: ORIGIN,
        signer: { name: ORIGIN, privateKey: new Uint8Array(32).fill(9) },
        genesis: { block: genesisBlock, blockHash: genesisHash, size: 0 },
      });
      const follower = new Follower({
        client,
        store,
        decoder: new CityEventDecoder(followed),
        updates: new UpdateBus(),
        chainId: CHAIN_ID,
        finality: { depth: 0 },
        maxBlockRange: 8n,
        logger: quiet,
      });
      const syncAll = async () => {
        for (let i = 0; i < 200; i++) if ((await follower.syncOnce()).caughtUp) return;
        throw new Error("the follower never caught up");
      };
      try {
        await syncAll(); // 7 blocks refused → 3, then 3 + 4 blocks: the range doubles 3 → 6 → 12 unless capped
        await spam(hre, own, f.outsider.address, 30, 3);
        await syncAll();
        const logs = await chainLogs(hre, followed);
        expect(store.size).to.equal(logs.length);
        expect(bytesToHex(store.root())).to.equal(bytesToHex(treeOf(logs).root()));
        expect(follower.counters.rangeSplits, "range splits").to.be.greaterThan(0);
        expect(strict.stats.widestGetLogs, `widest eth_getLogs (blocks); stats ${JSON.stringify(strict.stats)}`).to.be.at.most(8);
      } finally {
        await store.close();
      }
    } finally {
      await strict.close();
    }
  });
});

describe("RPC error classification (range limit vs everything else)", () => {
  it("splits on range-limit answers, but retries rate limits with backoff instead of shrinking the range", async () => {
    for (const message of [
      "query returned more than 10000 results",
      "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range",
      "exceed maximum block range: 5000",
      "block range is too wide",
    ]) {
      expect(isRangeLimit(new Error(message)), message).to.equal(true);
    }
    for (const message of [
      "rate limit exceeded",
      "HTTP request failed. Status: 429 Details: Too Many Requests",
      "You have exceeded the limit of requests per second",
      "daily request count exceeded, request rate limited",
    ]) {
      expect(isRangeLimit(new Error("RPC error", { cause: new Error(message) })), message).to.equal(false);
    }
    let calls = 0;
    const result = await withRetry(
      async () => {
        if (++calls < 3) throw new Error("rate limit exceeded");
        return "ok";
      },
      { attempts: 5, baseDelayMs: 1, maxDelayMs: 2 },
    );
    expect([result, calls]).to.deep.equal(["ok", 3]);
  });
});
