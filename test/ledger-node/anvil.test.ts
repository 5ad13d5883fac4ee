/**
 * The ledger node against a second EVM implementation: anvil, started here on a free port with one block a second,
 * `safe` and `finalized` lagging the head. The node follows it with a confirmation depth (and anchors its checkpoints
 * with two witnesses) and with the `finalized` tag; a reorg produced on anvil (`anvil_reorg`) is followed when it stays
 * above finality and halts the node, its log frozen and nothing more anchored, when it goes below.
 */
import { expect } from "chai";
import hre from "hardhat";
import fs from "node:fs";
import path from "node:path";
import { Wallet, id, type ContractTransactionResponse } from "ethers";
import { bytesToHex } from "viem";
import { deployCity, type City } from "../../scripts/lib/deploy";
import { parseNodeConfig } from "../../ledger-node/src/config";
import { startLedgerNode, type LedgerNode } from "../../ledger-node/src/node";
import { startTestAnvil, type TestAnvil } from "../anvil";
import { eventually, tempDir, removeTempDirs } from "../start-city";
import { coins, freshCredential } from "../fixtures";
import { chainLogs, treeOf, writeRecord } from "./helpers/chain";
import { quiet } from "./helpers/node";
import { startFaultyProxy } from "./helpers/rpc-proxy";

/** anvil's `finalized` is two epochs below its head: with epochs of 2 blocks, 4 blocks (4 s) behind. */
const SLOTS_IN_AN_EPOCH = 2;
/** The depth-following node's confirmations: a reorg of up to this many blocks stays above its log. */
const DEPTH = 4;
/** The widest eth_getLogs the range-limiting proxy serves: below the node's tentative span (DEPTH blocks and more). */
const RANGE_LIMIT = 3;
/**
 * A gas limit for the tests' transactions, as the `localhost` network of hardhat.config.ts sets one: anvil estimates at
 * the wall clock's time while blocks come a second apart, so an estimate can miss the cost of a new timestamp-keyed
 * votes checkpoint and the registration runs out of gas (seen on a loaded machine).
 */
const GAS = { gasLimit: 1_000_000n };
const ACCOUNT = { admin: 0, registrar: 1, issuer: 2, anchor: 5, witnessA: 8, witnessB: 9 } as const;

describe("The ledger node against anvil (1 s blocks, finality by depth and by tag, a reorg)", function () {
  this.timeout(300_000);
  let chain: TestAnvil;
  let city: City;
  let deploymentFile: string;
  /** Follows with a depth of DEPTH and anchors. */
  let byDepth: LedgerNode;
  /** Follows anvil's `finalized` tag. */
  let byTag: LedgerNode;

  /** Registers `count` new members and issues them coins; resolves with the block of the last transaction. */
  async function activity(count: number): Promise<number> {
    const registry = city.registry.connect(chain.account(ACCOUNT.registrar));
    const coin = city.coin.connect(chain.account(ACCOUNT.issuer));
    const members = Array.from({ length: count }, () => Wallet.createRandom().address);
    let last: ContractTransactionResponse | undefined;
    // Sent without waiting (nonces from the pending pool), several to a block; issued once registered.
    for (const m of members) last = await registry.register(m, 1, 2, 1n, freshCredential(), GAS);
    await last!.wait();
    for (const m of members) last = await coin.issue(m, coins(10), id(`anvil ${m}`), GAS);
    return (await last!.wait())!.blockNumber;
  }

  /** The log as anyone re-derives it from anvil up to `block`: its size and root. */
  async function rederived(block: bigint): Promise<[number, string]> {
    const tree = treeOf(await chainLogs(chain, city.record, Number(block)));
    return [tree.size, bytesToHex(tree.root())];
  }

  async function startNode(label: string, env: Record<string, string>): Promise<LedgerNode> {
    const dir = tempDir(`anvil-${label}`);
    const key = (name: string, index: number) => {
      const file = path.join(dir, `${name}.key`);
      fs.writeFileSync(file, chain.account(index).privateKey.slice(2) + "\n", { mode: 0o600 });
      return file;
    };
    const withKeys = env.CITY_ANCHOR_EVERY_ENTRIES
      ? { CITY_ANCHOR_KEY_FILE: key("anchor", ACCOUNT.anchor), CITY_LOCAL_WITNESS_KEY_FILES: [key("wa", ACCOUNT.witnessA), key("wb", ACCOUNT.witnessB)].join(",") }
      : {};
    return startLedgerNode(
      parseNodeConfig([], {
        CITY_RPC_URL: chain.url,
        CITY_DEPLOYMENT: deploymentFile,
        CITY_DATA_DIR: path.join(dir, "data"),
        CITY_NODE_PORT: "0",
        CITY_POLL_MS: "100",
        ...withKeys,
        ...env,
      }),
      { logger: quiet },
    );
  }

  before(async () => {
    chain = await startTestAnvil({ blockTime: 1, slotsInAnEpoch: SLOTS_IN_AN_EPOCH });
    // The city is set up a transaction a block; the tests run on one block a second.
    await chain.automine();
    const admin = chain.account(ACCOUNT.admin);
    city = await deployCity(hre, admin, {
      grants: { REGISTRAR: [chain.account(ACCOUNT.registrar).address], ISSUER: [chain.account(ACCOUNT.issuer).address], RESERVE_ATTESTER: [admin.address] },
      witnesses: { addresses: [chain.account(ACCOUNT.witnessA).address, chain.account(ACCOUNT.witnessB).address], threshold: 2 },
    });
    await (await city.coin.connect(admin).attestReserve(coins(1_000_000), id("anvil reserve"))).wait();
    await chain.intervalMining(1);
    deploymentFile = writeRecord(tempDir("anvil-record"), city.record);
    byDepth = await startNode("depth", { CITY_FINALITY: String(DEPTH), CITY_ANCHOR_EVERY_ENTRIES: "4", CITY_ANCHOR_EVERY_SECONDS: "1" });
    byTag = await startNode("tag", { CITY_FINALITY: "finalized" });
  });

  after(async () => {
    await byDepth?.close();
    await byTag?.close();
    await chain?.close();
    removeTempDirs();
  });

  it("follows with a depth of confirmations under real block times: the log re-derives from the chain, anchored with both witnesses", async () => {
    const last = await activity(3);
    await eventually(() => byDepth.store.cursor.block >= BigInt(last), 60_000, "the node to log the activity");
    // The cursor is always DEPTH blocks or more below the head (the head read after it only grew).
    const [size, cursor] = [byDepth.store.size, byDepth.store.cursor];
    expect(cursor.block).to.be.at.most(BigInt((await chain.head()) - DEPTH));
    expect([size, bytesToHex(await byDepth.store.rootAt(size))]).to.deep.equal(await rederived(cursor.block));
    const block = (await chain.provider.getBlock(Number(cursor.block)))!;
    expect(cursor.blockHash).to.equal(block.hash);
    // What is above the cursor is served apart, as tentative.
    for (const t of byDepth.follower.tentative()) expect(t.log.blockNumber).to.be.above(cursor.block);

    // Anchored on anvil with the two witnesses' cosignatures: the chain holds the node's root at the anchored size.
    await eventually(async () => Number((await city.ledgerAnchor.connect(chain.provider).latestAnchor()).size) > 0, 60_000, "an anchor");
    const anchored = await city.ledgerAnchor.connect(chain.provider).latestAnchor();
    expect(anchored.root).to.equal(bytesToHex(await byDepth.store.rootAt(Number(anchored.size))));
    const [event] = await city.ledgerAnchor.connect(chain.provider).queryFilter(city.ledgerAnchor.filters.Anchored(), city.record.deployBlock);
    expect([...event.args.signers]).to.have.members([chain.account(ACCOUNT.witnessA).address, chain.account(ACCOUNT.witnessB).address]);
  });

  it("follows anvil's `finalized` tag: its cursor is a finalized block, never above it, and the log re-derives", async () => {
    const last = await activity(2);
    await eventually(() => byTag.store.cursor.block >= BigInt(last), 60_000, "the tag-following node to log the activity");
    const [size, cursor] = [byTag.store.size, byTag.store.cursor];
    const finalized = (await chain.provider.getBlock("finalized"))!;
    expect(cursor.block).to.be.at.most(BigInt(finalized.number));
    expect(BigInt(finalized.number)).to.be.at.most(BigInt((await chain.head()) - 2 * SLOTS_IN_AN_EPOCH));
    expect(cursor.blockHash).to.equal((await chain.provider.getBlock(Number(cursor.block)))!.hash);
    expect([size, bytesToHex(await byTag.store.rootAt(size))]).to.deep.equal(await rederived(cursor.block));
  });

  it("follows through an RPC that caps eth_getLogs at 3 blocks (\"query exceeds max block range\"): same log, tentative view kept", async () => {
    const proxy = await startFaultyProxy({
      upstream: chain.url,
      seed: 18,
      rates: { drop: 0, lose: 0, truncate: 0, http5xx: 0, delay: 0, rangeLimit: 1 },
      rangeLimitBlocks: RANGE_LIMIT,
      rangeLimitMessage: `query exceeds max block range ${RANGE_LIMIT}`,
    });
    const capped = await startNode("capped", { CITY_RPC_URL: proxy.url, CITY_FINALITY: String(DEPTH) });
    try {
      // Caught up from the deployment block (tens of blocks) by ranges the proxy accepts.
      const head = await chain.head();
      await eventually(() => capped.store.cursor.block >= BigInt(head - DEPTH), 60_000, "the capped node to catch up");
      const last = await activity(2);
      // Above finality, the new block is served as tentative: read in ranges the proxy accepts too.
      await eventually(() => capped.follower.tentative().some((t) => t.log.blockNumber === BigInt(last)), 30_000, "the activity as tentative");
      await eventually(() => capped.store.cursor.block >= BigInt(last), 60_000, "the capped node to log the activity");
      const [size, cursor] = [capped.store.size, capped.store.cursor];
      expect([size, bytesToHex(await capped.store.rootAt(size))]).to.deep.equal(await rederived(cursor.block));
      expect(proxy.stats.rangeLimit, "eth_getLogs refused by the proxy").to.be.greaterThan(0);
      expect(capped.follower.counters.rangeSplits, "ranges split by the follower").to.be.greaterThan(0);
      expect(capped.follower.status().state).to.equal("following");
    } finally {
      await capped.close();
      await proxy.close();
    }
  });

  it("follows a reorg produced on anvil above finality, and halts on one below it: the log frozen, nothing more anchored", async () => {
    const registry = city.registry.connect(chain.account(ACCOUNT.registrar));
    // A registration seen as tentative, then replaced by another in a reorg shallower than DEPTH.
    const replaced = await (await registry.register(Wallet.createRandom().address, 1, 3, 1n, freshCredential(), GAS)).wait();
    await chain.intervalMining(0); // no block while the reorg is laid out: it must stay above the node's cursor
    const head = await chain.head();
    const depth = head - replaced!.blockNumber + 1;
    expect(depth, "the replaced block is still above the node's finality depth").to.be.at.most(DEPTH);
    const newcomer = Wallet.createRandom().address;
    const data = city.registry.interface.encodeFunctionData("register", [newcomer, 1, 4, 1n, freshCredential()]);
    const tx = { from: chain.account(ACCOUNT.registrar).address, to: await city.registry.getAddress(), data, gas: "0x100000" };
    await chain.send("anvil_reorg", [depth, [[tx, 0]]]);
    await chain.intervalMining(1);
    expect(await chain.provider.getTransactionReceipt(replaced!.hash), "the first registration left the chain").to.equal(null);
    await eventually(async () => (await city.registry.connect(chain.provider).isActiveMember(newcomer)) === true, 30_000, "the reorg's registration");
    const newcomerBlock = await chain.head();
    await eventually(() => byDepth.store.cursor.block >= BigInt(newcomerBlock), 60_000, "the node to log past the reorg");
    expect(byDepth.follower.status().state).to.equal("following");
    const [size, cursor] = [byDepth.store.size, byDepth.store.cursor];
    expect([size, bytesToHex(await byDepth.store.rootAt(size))], "the log is the reorged chain's").to.deep.equal(await rederived(cursor.block));

    // A reorg deeper than the node's finality: blocks it logged are replaced (from the one below its cursor on).
    const deep = (await chain.head()) - Number(byDepth.store.cursor.block) + 2;
    const other = city.registry.interface.encodeFunctionData("register", [Wallet.createRandom().address, 1, 5, 1n, freshCredential()]);
    await chain.send("anvil_reorg", [deep, [[{ ...tx, data: other }, 0]]]);
    await eventually(() => byDepth.follower.status().state === "halted", 30_000, "the node to halt");
    const status = byDepth.follower.status();
    expect(status.state === "halted" && status.reason).to.match(/reorg deeper than finality/);
    const health = await fetch(`${byDepth.url}/v1/health`);
    expect(health.status).to.equal(503);
    expect(((await health.json()) as { type: string }).type).to.match(/follower-halted$/);
    // The log keeps the block the chain lost, as the evidence of what it held.
    const { block: lost, blockHash } = byDepth.store.cursor;
    expect((await chain.provider.getBlock(Number(lost)))!.hash).to.not.equal(blockHash);
    // More activity: the log stays as it was, and nothing is anchored any more (an anchor sent as the reorg came has
    // had time to land).
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const frozen = [byDepth.store.size, bytesToHex(byDepth.store.root())];
    const anchors = await city.ledgerAnchor.connect(chain.provider).anchorCount();
    await activity(2);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect([byDepth.store.size, bytesToHex(byDepth.store.root())]).to.deep.equal(frozen);
    expect(await city.ledgerAnchor.connect(chain.provider).anchorCount()).to.equal(anchors);
  });
});
