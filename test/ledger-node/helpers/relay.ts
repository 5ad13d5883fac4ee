/**
 * What the relayer suites share: a ledger node started with a fresh relayer key (granted RELAYER, given ETH, written to
 * a key file) and the pool of keys derived from it (CITY_RELAY_KEYS, the node's default unless the suite sets it; key
 * #0 refills the others' gas at start unless a funding key is given), members who hold coins and no ETH, SDK clients
 * signing as one of them, and the problem+json check every refusal must pass. Each suite keeps its own quotas and
 * scenario.
 */
import fs from "node:fs";
import path from "node:path";
import hre from "hardhat";
import { expect } from "chai";
import { createPublicClient, createWalletClient, encodeFunctionData, http, parseEther, type Address, type Hex, type PrivateKeyAccount } from "viem";
import { hardhat } from "viem/chains";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { cityCoinAbi, createCityClient, type CityClient } from "../../../sdk/src";
import { Flags, Roles } from "../../../scripts/lib/roles";
import { coins, freshCredential, issue, type CityFixture } from "../../fixtures";
import { tempDir } from "./chain";
import { startTestNode, type TestNode } from "./node";

export interface RelayHarness {
  testNode: TestNode;
  relayerKey: Hex;
  /** The pool's keys as GET /v1/relay lists them, the relay key first. */
  relayers: Address[];
  /** Each pool key's nonce and balance: what a refused request must leave as it was. */
  poolSnapshot(): Promise<{ key: Address; nonce: number; balance: bigint }[]>;
  /** Registered members holding €100 and no ETH. */
  members: PrivateKeyAccount[];
  /** One more such member, the usual recipient. */
  sink: PrivateKeyAccount;
  publicClient(): ReturnType<typeof createPublicClient>;
  /** An SDK client signing as `account`, relaying through the node. */
  cityOf(account: PrivateKeyAccount): CityClient;
  /** POST /v1/relay with any body (malformed ones included). */
  post(body: unknown): Promise<Response>;
  close(): Promise<void>;
}

/** Starts the node with `env` (CITY_RELAY_* quotas…) over `f`'s chain, after registering `memberCount` members. */
export async function startRelayHarness(f: CityFixture, memberCount: number, env: Record<string, string>, prefix: string): Promise<RelayHarness> {
  const relayerKey = generatePrivateKey();
  const relayer = privateKeyToAccount(relayerKey);
  await hre.network.provider.send("hardhat_setBalance", [relayer.address, `0x${parseEther("100").toString(16)}`]);
  await (await f.authority.connect(f.admin).grantRole(Roles.RELAYER, relayer.address, 0)).wait();
  const members = Array.from({ length: memberCount }, () => privateKeyToAccount(generatePrivateKey()));
  const sink = privateKeyToAccount(generatePrivateKey());
  for (const m of [...members, sink]) {
    await (await f.registry.connect(f.registrar).register(m.address, 1, 2, Flags.RESIDENT, freshCredential())).wait();
    await issue(f, m, coins(100));
  }
  const keyDir = tempDir(`${prefix}-key`);
  const keyFile = path.join(keyDir, "relayer.key");
  fs.writeFileSync(keyFile, relayerKey.slice(2));
  const testNode = await startTestNode(f.record, { CITY_RELAY_KEY_FILE: keyFile, ...env }, prefix);
  const { rpc } = testNode;
  // The node's URL is read at each call: a suite may restart the node (on another port).
  const publicClient = () => createPublicClient({ chain: hardhat, transport: http(rpc.url, { retryCount: 0 }) });
  const { relayers } = (await (await fetch(`${testNode.node.url}/v1/relay`)).json()) as { relayers: Address[] };
  for (const key of relayers.slice(1)) await (await f.authority.connect(f.admin).grantRole(Roles.RELAYER, key, 0)).wait();
  return {
    testNode,
    relayerKey,
    relayers,
    poolSnapshot: () =>
      Promise.all(
        relayers.map(async (key) => ({
          key,
          nonce: await publicClient().getTransactionCount({ address: key }),
          balance: await publicClient().getBalance({ address: key }),
        })),
      ),
    members,
    sink,
    publicClient,
    cityOf: (account) =>
      createCityClient({
        publicClient: publicClient(),
        walletClient: createWalletClient({ chain: hardhat, transport: http(rpc.url, { retryCount: 0 }), account }),
        deployment: f.record as never,
        ledgerUrl: testNode.node.url,
      }),
    post: (body) => fetch(`${testNode.node.url}/v1/relay`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    async close() {
      await testNode.close();
      fs.rmSync(keyDir, { recursive: true, force: true });
    },
  };
}

/** The calldata of a CityCoin transfer. */
export const transferData = (to: Address, amount: bigint): Hex => encodeFunctionData({ abi: cityCoinAbi, functionName: "transfer", args: [to, amount] });

/** Asserts an RFC 9457 answer of `status` and problem `type`, whose detail is a sentence (never a stack); returns it. */
export async function expectProblem(response: Response, status: number, type: string): Promise<Record<string, unknown>> {
  const body = (await response.json()) as Record<string, unknown>;
  expect(response.status, JSON.stringify(body)).to.equal(status);
  expect(response.headers.get("content-type")).to.match(/^application\/problem\+json/);
  expect(body.type).to.equal(`https://cityledger.dev/problems/${type}`);
  expect(body.detail).to.be.a("string").and.not.match(/at .*\.ts:\d+/);
  return body;
}
