/**
 * The relayer against anvil under real block times (one block a second), not Hardhat's automining: a burst of members'
 * requests signed ahead of their nonces, spread over the pool's keys, mined over several blocks with every key's nonces
 * consecutive and every member's requests in its nonce order; a base fee that jumped (`anvil_setNextBlockBaseFeePerGas`)
 * as a request is sent (anvil refuses the transaction: fees read again from the pending block) and while one waits
 * (re-sent with higher fees, the replacement mined); a transaction the chain's node dropped (`anvil_dropTransaction`)
 * broadcast again and mined under its own hash.
 */
import { expect } from "chai";
import hre from "hardhat";
import fs from "node:fs";
import path from "node:path";
import { id } from "ethers";
import { createPublicClient, createWalletClient, encodeFunctionData, http, type Address, type Hex, type PrivateKeyAccount } from "viem";
import { hardhat } from "viem/chains";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { cityCoinAbi, createCityClient, signForwardRequest, waitForRelay, type RelayRecord } from "../../sdk/src";
import { deployCity, type City } from "../../scripts/lib/deploy";
import { Flags, Roles } from "../../scripts/lib/roles";
import { parseNodeConfig } from "../../ledger-node/src/config";
import { poolAccounts } from "../../ledger-node/src/relay/pool";
import { startLedgerNode, type LedgerNode } from "../../ledger-node/src/node";
import { startTestAnvil, type TestAnvil } from "../anvil";
import { eventually, removeTempDirs, tempDir } from "../start-city";
import { coins, freshCredential } from "../fixtures";
import { quiet } from "./helpers/node";

const ACCOUNT = { admin: 0, registrar: 1, issuer: 2, relay: 6 } as const;
/** anvil estimates gas at the wall clock's time between 1-s blocks: the setup's transactions carry a limit. */
const GAS = { gasLimit: 1_000_000n };
const POOL_KEYS = 2;
/** Short, so the fee bump comes within the test; longer than the 2 s after which a forgotten transaction is re-sent. */
const BUMP_AFTER_SECONDS = 6;

describe("The relayer against anvil (1 s blocks): nonces, fee bumps, a dropped transaction re-broadcast", function () {
  this.timeout(180_000);
  let chain: TestAnvil;
  let city: City;
  let node: LedgerNode;
  let members: PrivateKeyAccount[];
  let sink: Address;
  let pool: Address[];

  const publicClient = () => createPublicClient({ chain: hardhat, transport: http(chain.url, { retryCount: 0 }) });
  const transfer = (member: PrivateKeyAccount, amount: bigint, nonce?: bigint) =>
    signForwardRequest(
      createCityClient({
        publicClient: publicClient(),
        walletClient: createWalletClient({ chain: hardhat, transport: http(chain.url, { retryCount: 0 }), account: member }),
        deployment: city.record as never,
        ledgerUrl: node.url,
      }),
      {
        to: city.record.contracts.CityCoin.address as Address,
        data: encodeFunctionData({ abi: cityCoinAbi, functionName: "transfer", args: [sink, amount] }),
        gas: 120_000n,
        nonce,
      },
    );
  const post = async (request: Awaited<ReturnType<typeof transfer>>): Promise<RelayRecord> => {
    const response = await fetch(`${node.url}/v1/relay`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ request }) });
    const body = (await response.json()) as RelayRecord;
    expect(response.status, JSON.stringify(body)).to.be.oneOf([200, 202]);
    return body;
  };
  const metric = async (name: string) =>
    (await (await fetch(`${node.url}/metrics`)).text())
      .split("\n")
      .filter((l) => l.startsWith(`${name}{`))
      .reduce((sum, l) => sum + Number(l.split(" ").pop()), 0);

  /** Sets the base fee of the block anvil builds next (mining paused: it stays the pending block's). */
  const jumpBaseFee = async (): Promise<bigint> => {
    const latest = (await publicClient().getBlock()).baseFeePerGas!;
    // Far above what a reading of the latest block offers (× 1.2), and × 1.2 below the relayer's 500 gwei cap.
    const jumped = 200_000_000_000n;
    expect(latest * 2n < jumped, `latest base fee ${latest}`).to.equal(true);
    await chain.send("anvil_setNextBlockBaseFeePerGas", [`0x${jumped.toString(16)}`]);
    return jumped;
  };

  before(async () => {
    chain = await startTestAnvil({ blockTime: 1 });
    await chain.automine();
    const admin = chain.account(ACCOUNT.admin);
    const relayKey = chain.account(ACCOUNT.relay).privateKey as Hex;
    pool = poolAccounts(relayKey, POOL_KEYS).map((a) => a.address);
    city = await deployCity(hre, admin, {
      grants: { REGISTRAR: [chain.account(ACCOUNT.registrar).address], ISSUER: [chain.account(ACCOUNT.issuer).address], RESERVE_ATTESTER: [admin.address], RELAYER: pool },
    });
    await (await city.coin.connect(admin).attestReserve(coins(1_000_000), id("anvil relay reserve"), GAS)).wait();
    members = Array.from({ length: 3 }, () => privateKeyToAccount(generatePrivateKey()));
    sink = privateKeyToAccount(generatePrivateKey()).address;
    for (const m of [...members.map((x) => x.address), sink]) {
      await (await city.registry.connect(chain.account(ACCOUNT.registrar)).register(m, 1, 2, Flags.RESIDENT, freshCredential(), GAS)).wait();
    }
    for (const m of members) await (await city.coin.connect(chain.account(ACCOUNT.issuer)).issue(m.address, coins(100), id(`anvil relay ${m.address}`), GAS)).wait();
    expect(await city.authority.hasRole(Roles.RELAYER, pool[1]).then((r) => r[0])).to.equal(true);
    await chain.intervalMining(1);

    const dir = tempDir("relay-anvil");
    const keyFile = path.join(dir, "relay.key");
    fs.writeFileSync(keyFile, relayKey.slice(2) + "\n", { mode: 0o600 });
    const deploymentFile = path.join(dir, "deployment.json");
    fs.writeFileSync(deploymentFile, JSON.stringify(city.record));
    node = await startLedgerNode(
      parseNodeConfig([], {
        CITY_RPC_URL: chain.url,
        CITY_DEPLOYMENT: deploymentFile,
        CITY_DATA_DIR: path.join(dir, "data"),
        CITY_NODE_PORT: "0",
        CITY_POLL_MS: "200",
        CITY_RELAY_KEY_FILE: keyFile,
        CITY_RELAY_KEYS: String(POOL_KEYS),
        CITY_RELAY_BUMP_AFTER_SECONDS: String(BUMP_AFTER_SECONDS),
        CITY_RELAY_IP_PER_MINUTE: "100000",
      }),
      { logger: quiet },
    );
    // Key #1 holds no ether until key #0 refills it, at start.
    await eventually(async () => (await publicClient().getBalance({ address: pool[1] })) > 0n, 30_000, "the pool's second key to be refilled");
  });

  after(async () => {
    await node?.close();
    await chain?.close();
    removeTempDirs();
  });

  it("a burst of requests signed ahead of the members' nonces, posted in reverse: all mined, each key's nonces consecutive, each member's in its order", async () => {
    const startNonces = await Promise.all(pool.map((address) => publicClient().getTransactionCount({ address })));
    const PER_MEMBER = 3;
    // Every request signed up front with its nonce, then posted all at once and out of order (the last first).
    const signed = await Promise.all(members.flatMap((m) => Array.from({ length: PER_MEMBER }, (_, i) => transfer(m, BigInt(i + 1), BigInt(i)))));
    const accepted = await Promise.all([...signed].reverse().map(post));
    const finals = await Promise.all(accepted.map((r) => waitForRelay(node.url, r.id, { timeoutMs: 60_000 })));
    expect(finals.map((r) => r.status)).to.deep.equal(finals.map(() => "mined"));

    const transactions = await Promise.all(
      finals.map(async (r) => {
        const hash = r.txHashes[r.txHashes.length - 1];
        const [tx, receipt] = await Promise.all([publicClient().getTransaction({ hash }), publicClient().getTransactionReceipt({ hash })]);
        return { member: r.member, memberNonce: Number(r.nonce), from: tx.from, nonce: tx.nonce, block: receipt.blockNumber, index: receipt.transactionIndex };
      }),
    );
    // Each key's nonces: a run from where it stood, no gap, no reuse.
    for (const [k, key] of pool.entries()) {
      const nonces = transactions.filter((t) => t.from.toLowerCase() === key.toLowerCase()).map((t) => t.nonce).sort((a, b) => a - b);
      const expected = Array.from({ length: nonces.length }, (_, i) => startNonces[k] + i);
      expect(nonces, `key #${k}'s nonces`).to.deep.equal(expected);
      expect(await publicClient().getTransactionCount({ address: key })).to.equal(startNonces[k] + nonces.length);
    }
    // Each member's requests mined in its nonce order, and the forwarder's nonce moved past all of them.
    for (const m of members) {
      const mine = transactions.filter((t) => t.member.toLowerCase() === m.address.toLowerCase()).sort((a, b) => a.memberNonce - b.memberNonce);
      const order = mine.map((t) => [t.block, t.index] as const);
      const sorted = [...order].sort((a, b) => (a[0] === b[0] ? a[1] - b[1] : Number(a[0] - b[0])));
      expect(order, `${m.address}'s requests in nonce order`).to.deep.equal(sorted);
      expect(await city.forwarder.connect(chain.provider).nonces(m.address)).to.equal(BigInt(PER_MEMBER));
    }
    expect(await city.coin.connect(chain.provider).balanceOf(sink)).to.equal(BigInt(members.length * (1 + 2 + 3)));
  });

  it("a transaction left below the base fee once it rose is re-sent with higher fees after --relay-bump-after-seconds, and the replacement is mined", async () => {
    const bumpsBefore = await metric("relay_key_fee_bumps_total");
    // Sent at the current base fee (mining paused: it waits in the pool), then the base fee jumps as blocks resume:
    // its offer is far below, for longer than the bump takes (empty blocks lower the base fee by an eighth each).
    await chain.intervalMining(0);
    let accepted: RelayRecord;
    try {
      accepted = await post(await transfer(members[0], 7n));
      await waitForRelay(node.url, accepted.id, { until: "submitted", timeoutMs: 30_000 });
      await jumpBaseFee();
    } finally {
      await chain.intervalMining(1);
    }
    const final = await waitForRelay(node.url, accepted.id, { timeoutMs: 60_000 });
    expect(final.status).to.equal("mined");
    expect(final.txHashes.length, "hashes sent for it").to.be.at.least(2);
    const minedHash = final.txHashes[final.txHashes.length - 1];
    const [first, mined] = await Promise.all([
      publicClient().getTransaction({ hash: final.txHashes[0] }).catch(() => undefined),
      publicClient().getTransaction({ hash: minedHash }),
    ]);
    // The first offer was never mined; the mined one, on the same nonce of the same key, offers more.
    expect(first?.blockNumber ?? null, "the underpriced transaction was not mined").to.equal(null);
    expect((await publicClient().getTransactionReceipt({ hash: minedHash })).status).to.equal("success");
    expect(mined.from.toLowerCase()).to.equal(accepted.relayer?.toLowerCase() ?? final.relayer!.toLowerCase());
    if (first) expect(mined.maxFeePerGas! > first.maxFeePerGas!).to.equal(true);
    expect(await metric("relay_key_fee_bumps_total")).to.be.above(bumpsBefore);
  });

  it("a request sent as the base fee jumped, refused by anvil as priced below it, is sent with fees read from the block being built", async () => {
    await chain.intervalMining(0);
    try {
      const jumped = await jumpBaseFee();
      const accepted = await post(await transfer(members[2], 3n));
      const submitted = await waitForRelay(node.url, accepted.id, { until: "submitted", timeoutMs: 30_000 });
      expect(submitted.txHashes, "one transaction: anvil gave the refused one no hash").to.have.length(1);
      const tx = await publicClient().getTransaction({ hash: submitted.txHashes[0] });
      expect(tx.maxFeePerGas! >= jumped, `offers ${tx.maxFeePerGas} for a base fee of ${jumped}`).to.equal(true);
      await chain.intervalMining(1);
      const final = await waitForRelay(node.url, accepted.id, { timeoutMs: 30_000 });
      expect(final.status).to.equal("mined");
      expect(final.txHashes).to.deep.equal(submitted.txHashes);
    } finally {
      await chain.intervalMining(1);
    }
  });

  it("a transaction the chain's node dropped is broadcast again and mined under its own hash", async () => {
    const rebroadcastsBefore = await metric("relay_key_rebroadcasts_total");
    await chain.intervalMining(0); // no block: the transaction waits in anvil's pool, where it is dropped
    try {
      const accepted = await post(await transfer(members[1], 5n));
      const submitted = await waitForRelay(node.url, accepted.id, { until: "submitted", timeoutMs: 30_000 });
      const [hash] = submitted.txHashes;
      await chain.send("anvil_dropTransaction", [hash]);
      expect(await chain.send("eth_getTransactionByHash", [hash]), "dropped from anvil's pool").to.equal(null);
      await eventually(async () => (await chain.send("eth_getTransactionByHash", [hash])) !== null, 15_000, "the relayer to broadcast it again");
      expect(await metric("relay_key_rebroadcasts_total")).to.be.above(rebroadcastsBefore);
      await chain.intervalMining(1);
      const final = await waitForRelay(node.url, accepted.id, { timeoutMs: 30_000 });
      expect(final.status).to.equal("mined");
      expect(final.txHashes, "the same transaction, not a replacement").to.deep.equal([hash]);
    } finally {
      await chain.intervalMining(1);
    }
  });
});
