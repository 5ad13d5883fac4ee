import { expect } from "chai";
import hre from "hardhat";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bytesToHex, createPublicClient, custom, getAddress, type Hex, type PublicClient } from "viem";
import { hardhat } from "viem/chains";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { LogStore } from "../../ledger-node/src/log/store";
import { CityEventDecoder } from "@cityledger/sdk/ledger";
import { Follower } from "../../ledger-node/src/follower/follower";
import { UpdateBus } from "../../ledger-node/src/updates";
import { MemoryTree } from "../../sdk/src/merkle";
import { leafFromLog } from "../../sdk/src/ledger";
import type { LedgerUpdate } from "../../ledger-node/src/types";
import { cityFixture, coins, issue, register, type CityFixture } from "../fixtures";

const signer = { name: "cityledger.test/31337", privateKey: new Uint8Array(32).fill(3) };

async function followerFor(
  f: CityFixture,
  dir: string,
  depth: number | "finalized",
  extra: { onAppended?: () => Promise<void> | void; pollIntervalMs?: number } = {},
) {
  const client = createPublicClient({ chain: hardhat, transport: custom(hre.network.provider) }) as PublicClient;
  const genesisBlock = BigInt(f.record.deployBlock - 1);
  const genesis = await client.getBlock({ blockNumber: genesisBlock });
  const store = await LogStore.open({ dir, origin: signer.name, signer, genesis: { block: genesisBlock, blockHash: genesis.hash, size: 0 } });
  const updates = new UpdateBus();
  const seen: LedgerUpdate[] = [];
  updates.subscribe((u) => seen.push(u));
  const follower = new Follower({
    client,
    store,
    decoder: new CityEventDecoder(f.record),
    updates,
    chainId: 31337,
    finality: depth === "finalized" ? "finalized" : { depth },
    maxBlockRange: 3n,
    logger: { error: () => {}, warn: () => {}, info: () => {} },
    ...extra,
  });
  return { client, store, follower, seen, updates };
}

async function syncAll(follower: Follower) {
  for (let i = 0; i < 1000; i++) if ((await follower.syncOnce()).caughtUp) return;
  throw new Error("follower never caught up");
}

/** The log as anyone would re-derive it: every log of the city's contracts from the deploy block. */
async function rederive(f: CityFixture, toBlock: bigint) {
  const addresses = Object.values(f.record.contracts).map((c) => c.address);
  const logs = await hre.ethers.provider.getLogs({ address: addresses, fromBlock: f.record.deployBlock, toBlock: Number(toBlock) });
  const tree = new MemoryTree();
  for (const l of logs) {
    tree.appendHash(
      leafFromLog({
        chainId: 31337,
        blockNumber: BigInt(l.blockNumber),
        blockHash: l.blockHash as Hex,
        transactionHash: l.transactionHash as Hex,
        logIndex: l.index,
        address: getAddress(l.address),
        topics: l.topics as Hex[],
        data: l.data as Hex,
      }),
    );
  }
  return tree;
}

describe("Follower (chain → log)", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "cityledger-follower-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("ingests every log of the city's contracts in order, with depth 0, and its root equals a re-derivation", async () => {
    const f = await loadFixture(cityFixture);
    const { follower, store, seen } = await followerFor(f, dir, 0);
    for (const p of f.people.slice(0, 4)) await register(f, p);
    await issue(f, f.people[0], coins(50));
    await (await f.coin.connect(f.people[0]).transfer(f.people[1].address, coins(5))).wait();
    await syncAll(follower);
    const head = BigInt(await hre.ethers.provider.getBlockNumber());
    const tree = await rederive(f, head);
    expect(store.size).to.equal(tree.size).and.to.be.greaterThan(20);
    expect(bytesToHex(store.root())).to.equal(bytesToHex(tree.root()));
    expect(store.cursor.block).to.equal(head);
    expect(seen.some((u) => u.kind === "checkpoint")).to.equal(true);
    expect(follower.status()).to.deep.include({ state: "following", finalBlock: head });
    await store.close();
  });

  it("with the `finalized` tag, ingests exactly up to the block the RPC calls finalized", async () => {
    const f = await loadFixture(cityFixture);
    const { follower, store, client } = await followerFor(f, dir, "finalized");
    await register(f, f.people[0]);
    await syncAll(follower);
    const finalized = await client.getBlock({ blockTag: "finalized" });
    expect(store.cursor.block).to.equal(finalized.number);
    expect(store.cursor.blockHash).to.equal(finalized.hash);
    await store.close();
  });

  it("keeps logs above the finality depth out of the log, serves them as tentative, follows a shallow reorg, and halts on a deep one", async () => {
    const f = await loadFixture(cityFixture);
    const { follower, store } = await followerFor(f, dir, 2);
    for (const p of f.people.slice(0, 3)) await register(f, p);
    await syncAll(follower);
    const finalSize = store.size;
    const head = BigInt(await hre.ethers.provider.getBlockNumber());
    expect(store.cursor.block).to.equal(head - 2n);
    expect(follower.tentative().length).to.be.greaterThan(0);

    // A competing fork within the finality depth: the tentative view follows it, the log does not move.
    const fork = await hre.network.provider.send("evm_snapshot");
    await register(f, f.people[5]);
    await syncAll(follower);
    const before = follower.tentative().map((t) => t.log.transactionHash);
    await hre.network.provider.send("evm_revert", [fork]);
    await issue(f, f.people[0], coins(1));
    await syncAll(follower);
    const after = follower.tentative().map((t) => t.log.transactionHash);
    expect(after).to.not.deep.equal(before);
    expect(follower.tentative().every((t) => t.event !== undefined)).to.equal(true);

    // Now a reorg below the cursor: replace blocks already in the log.
    const deep = await hre.network.provider.send("evm_snapshot");
    for (let i = 0; i < 6; i++) await hre.network.provider.send("evm_mine");
    await syncAll(follower);
    const sizeBeforeReorg = store.size;
    const rootBeforeReorg = bytesToHex(store.root());
    await hre.network.provider.send("evm_revert", [deep]);
    await hre.network.provider.send("hardhat_mine", ["0x10"]);
    // The chain now has different blocks at heights the log already covers.
    await follower.syncOnce();
    const status = follower.status();
    expect(status.state).to.equal("halted");
    if (status.state === "halted") expect(status.reason).to.match(/reorg deeper than finality/);
    expect(store.size).to.equal(sizeBeforeReorg);
    expect(bytesToHex(store.root())).to.equal(rootBeforeReorg);
    expect(store.size).to.be.gte(finalSize);
    await store.close();
  });

  it("halts, its log unchanged, when the chain goes back below the log (a chain restarted from an older state), after waiting out two low reads", async () => {
    const f = await loadFixture(cityFixture);
    const { follower, store, seen } = await followerFor(f, dir, 0);
    const older = await hre.network.provider.send("evm_snapshot");
    for (const p of f.people.slice(0, 2)) await register(f, p);
    await syncAll(follower);
    const [size, root, cursor] = [store.size, bytesToHex(store.root()), store.cursor];
    expect(size).to.be.above(0);

    // The chain loses the blocks the log holds (the state anvil reloads after a crash predates them).
    await hre.network.provider.send("evm_revert", [older]);
    const head = BigInt(await hre.ethers.provider.getBlockNumber());
    expect(head).to.be.below(cursor.block);
    // Two low reads: an RPC behind a load balancer can lag, so the follower waits without appending.
    for (let i = 0; i < 2; i++) {
      expect(await follower.syncOnce()).to.deep.equal({ appended: 0, caughtUp: true });
      expect(follower.status().state).to.not.equal("halted");
    }
    await follower.syncOnce();
    const status = follower.status();
    expect(status).to.deep.include({ state: "halted", atBlock: cursor.block, expectedHash: cursor.blockHash });
    if (status.state === "halted") {
      expect(status.reason).to.include(`the chain went back below the log: its head is block ${head} but the log already holds block ${cursor.block}`);
      expect(status).to.not.have.property("actualHash");
    }
    expect(seen.filter((u) => u.kind === "halted")).to.have.length(1);

    // New blocks that climb past the cursor do not resume it: the halt stands, nothing is appended.
    for (const p of f.people.slice(3, 6)) await register(f, p);
    expect(await follower.syncOnce()).to.deep.equal({ appended: 0, caughtUp: true });
    expect([store.size, bytesToHex(store.root()), store.cursor]).to.deep.equal([size, root, cursor]);
    await store.close();
  });

  it("does not halt when a low read of the chain's head is followed by one that reaches the cursor (a lagging RPC)", async () => {
    const f = await loadFixture(cityFixture);
    const { follower, store, client } = await followerFor(f, dir, 0);
    await register(f, f.people[0]);
    await syncAll(follower);
    const cursor = store.cursor.block;
    const real = client.getBlockNumber.bind(client);
    let lagging = 2;
    client.getBlockNumber = (async (args?: Parameters<typeof real>[0]) => (lagging-- > 0 ? cursor - 1n : real(args))) as typeof real;
    await follower.syncOnce();
    await follower.syncOnce();
    await register(f, f.people[1]);
    await syncAll(follower);
    expect(follower.status().state).to.equal("following");
    expect(store.cursor.block).to.be.above(cursor);
    await store.close();
  });

  it("with a finality depth above the chain's height, serves every log after the cursor as tentative (no negative block)", async () => {
    const f = await loadFixture(cityFixture);
    await register(f, f.people[0]);
    const { follower, store } = await followerFor(f, dir, 10_000);
    const { caughtUp } = await follower.syncOnce();
    expect(caughtUp).to.equal(true);
    expect(store.size).to.equal(0);
    const head = BigInt(await hre.ethers.provider.getBlockNumber());
    const tree = await rederive(f, head);
    expect(follower.tentative().length).to.equal(tree.size).and.to.be.greaterThan(0);
    await store.close();
  });

  it("never serves as tentative a log already in the log (the final head below the cursor: finality raised, a lagging RPC)", async () => {
    const f = await loadFixture(cityFixture);
    for (const p of f.people.slice(0, 3)) await register(f, p);
    const first = await followerFor(f, dir, 0);
    await syncAll(first.follower);
    const size = first.store.size;
    expect(size).to.be.greaterThan(0);
    await first.store.close();
    // Restarted with a deeper finality: the cursor is now above the final head.
    const second = await followerFor(f, dir, 4);
    await syncAll(second.follower);
    expect(second.store.size).to.equal(size);
    const inLog = new Set((await second.store.entries(0, size)).map((e) => `${e.log.transactionHash}/${e.log.logIndex}`));
    const overlap = second.follower.tentative().filter((t) => inLog.has(`${t.log.transactionHash}/${t.log.logIndex}`));
    expect(overlap, "tentative entries that are already final").to.have.length(0);
    await second.store.close();
  });

  it("publishes entries and checkpoint updates even when the projections hook fails (SSE and anchoring must not stall)", async () => {
    const f = await loadFixture(cityFixture);
    await register(f, f.people[0]);
    const { follower, store, seen } = await followerFor(f, dir, 0, {
      onAppended: () => {
        throw new Error("reducer bug");
      },
    });
    for (let i = 0; i < 1000 && !(store.size > 0); i++) await follower.syncOnce().catch(() => undefined);
    expect(store.size).to.be.greaterThan(0);
    const entries = seen.filter((u) => u.kind === "entries");
    expect(entries.length, "entries updates").to.be.greaterThan(0);
    expect(seen.some((u) => u.kind === "checkpoint" && u.checkpoint.size === store.size)).to.equal(true);
    await store.close();
  });

  it("stop() leaves no timer behind (a long poll interval must not keep the process alive)", async () => {
    const f = await loadFixture(cityFixture);
    const { follower, store } = await followerFor(f, dir, 0, { pollIntervalMs: 3_600_000 });
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const before = timers();
    follower.start();
    for (let i = 0; i < 200 && follower.status().state === "starting"; i++) await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 50));
    await follower.stop();
    await new Promise((r) => setImmediate(r));
    expect(timers()).to.be.at.most(before);
    // Stopped while a sync runs (not while it waits): stop() must not wait out the poll interval.
    follower.start();
    const started = Date.now();
    await follower.stop();
    expect(Date.now() - started).to.be.below(5_000);
    await store.close();
  });

  it("does not append logs of a block that was replaced between reading the logs and reading the range's end block", async () => {
    const f = await loadFixture(cityFixture);
    const provider = hre.network.provider;
    const base = createPublicClient({ chain: hardhat, transport: custom(provider) }) as PublicClient;
    const synced = await followerFor(f, dir, 0);
    await syncAll(synced.follower);
    const size = synced.store.size;
    await synced.store.close();

    // A block with city logs, then a reorg that replaces it by an empty block right after eth_getLogs read it.
    const fork = await provider.send("evm_snapshot");
    await register(f, f.people[6]);
    const head = await base.getBlockNumber();
    let reorged = false;
    const client = createPublicClient({
      chain: hardhat,
      transport: custom({
        async request({ method, params }: { method: string; params?: unknown[] }) {
          const answer = await provider.request({ method, params });
          if (method === "eth_getLogs" && !reorged && (answer as unknown[]).length > 0) {
            reorged = true;
            await provider.send("evm_revert", [fork]);
            await provider.send("evm_mine");
          }
          return answer;
        },
      }),
    }) as PublicClient;
    const genesisBlock = BigInt(f.record.deployBlock - 1);
    const store = await LogStore.open({ dir, origin: signer.name, signer, genesis: { block: genesisBlock, blockHash: `0x${"00".repeat(32)}`, size: 0 } });
    const follower = new Follower({
      client,
      store,
      decoder: new CityEventDecoder(f.record),
      updates: new UpdateBus(),
      chainId: 31337,
      finality: { depth: 0 },
      maxBlockRange: 3n,
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      logger: { error: () => {}, warn: () => {}, info: () => {} },
    });
    for (let i = 0; i < 20; i++) await follower.syncOnce().catch(() => undefined);
    expect(reorged).to.equal(true);
    expect(await base.getBlockNumber()).to.equal(head);
    // The log holds exactly the canonical chain's logs: the replaced block's logs never went in.
    const tree = await rederive(f, head);
    expect(store.size).to.equal(tree.size).and.to.equal(size);
    expect(bytesToHex(store.root())).to.equal(bytesToHex(tree.root()));
    expect(follower.status().state).to.equal("following");
    await store.close();
  });

  it("stop() does not wait out the RPC retries of a sync whose RPC is down", async () => {
    const store = await LogStore.open({ dir, origin: signer.name, signer, genesis: { block: 0n, blockHash: `0x${"00".repeat(32)}`, size: 0 } });
    const down = createPublicClient({
      chain: hardhat,
      transport: custom({
        async request() {
          throw new Error("connection refused");
        },
      }, { retryCount: 0 }),
    }) as PublicClient;
    const follower = new Follower({
      client: down,
      store,
      decoder: new CityEventDecoder({ contracts: {} }),
      updates: new UpdateBus(),
      chainId: 31337,
      finality: { depth: 0 },
      retry: { attempts: 8, baseDelayMs: 2_000, maxDelayMs: 5_000 },
      logger: { error: () => {}, warn: () => {}, info: () => {} },
    });
    let retries = 0;
    follower.start();
    while (follower.counters.rpcRetries === 0 && retries++ < 200) await new Promise((r) => setTimeout(r, 5));
    const started = Date.now();
    await follower.stop();
    expect(Date.now() - started).to.be.below(500);
    await store.close();
  });
});
