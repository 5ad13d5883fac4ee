/**
 * `npm run bench:relay`: relayed member requests per second, end to end on the local chain (the member signs a
 * ForwardRequest, POST /v1/relay checks and sends it, the receipt is polled through GET /v1/relay/:id), against the
 * baseline measured in the same run: the same CityCoin transfers sent directly by funded members (sign, send, wait
 * for the receipt) through the same JSON-RPC server. Writes `bench/results/relay.json`.
 *
 * Both run with the same concurrency (each member sends its requests one after another, all members at once), on
 * Hardhat's automining network, alternating rounds so that machine load hits both alike.
 */
import hre from "hardhat";
import fs from "node:fs";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createPublicClient, createWalletClient, encodeFunctionData, http, parseEther, type Address, type PrivateKeyAccount } from "viem";
import { hardhat } from "viem/chains";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { deployCity } from "../scripts/lib/deploy";
import { Roles } from "../scripts/lib/roles";
import { parseNodeConfig } from "../ledger-node/src/config";
import { startLedgerNode } from "../ledger-node/src/node";
import { cityCoinAbi, createCityClient, postRelay, signForwardRequest, waitForRelay } from "@cityledger/sdk";
import { startRpcServer, tempDir, writeRecord } from "../scripts/lib/devchain";
import { machineInfo, progress, ratio, round } from "./ledger/report";

const MEMBERS = 20;
const PER_MEMBER = 10;
const ROUNDS = 3;
/** Relayer keys sending side by side (issue 19's target: ≥ 0.6× direct with 4). */
const POOL = 4;
const latencies = { relayed: [] as number[], direct: [] as number[] };
/** JSON-RPC calls the chain answered during each side's rounds, by method: how many, and the chain's time on them. */
const rpcCalls = { relayed: new Map<string, { calls: number; ms: number }>(), direct: new Map<string, { calls: number; ms: number }>() };
let side: keyof typeof rpcCalls | undefined;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))], 1);
};

async function main() {
  const machine = machineInfo();
  const signers = await hre.ethers.getSigners();
  const [admin, registrar, issuer] = signers;
  const city = await deployCity(hre, admin, { grants: { REGISTRAR: [registrar.address], ISSUER: [issuer.address], RESERVE_ATTESTER: [admin.address] } });
  await (await city.coin.connect(admin).attestReserve(10n ** 15n, hre.ethers.id("bench reserve"))).wait();
  const relayerKey = generatePrivateKey();
  const relayer = privateKeyToAccount(relayerKey);
  await hre.network.provider.send("hardhat_setBalance", [relayer.address, `0x${parseEther("1000").toString(16)}`]);
  await (await city.authority.connect(admin).grantRole(Roles.RELAYER, relayer.address, 0)).wait();

  // Two groups of members with coins: the relayed ones hold no ETH, the direct ones are funded.
  const group = async (funded: boolean) => {
    const out: PrivateKeyAccount[] = [];
    for (let i = 0; i < MEMBERS; i++) {
      const account = privateKeyToAccount(generatePrivateKey());
      await (await city.registry.connect(registrar).register(account.address, 1, 1, 1n, hre.ethers.id(`bench-${funded}-${i}`))).wait();
      await (await city.coin.connect(issuer).issue(account.address, 1_000_000_000n, hre.ethers.id(`bench-deposit-${funded}-${i}`))).wait();
      if (funded) await hre.network.provider.send("hardhat_setBalance", [account.address, `0x${parseEther("10").toString(16)}`]);
      out.push(account);
    }
    return out;
  };
  const relayed = await group(false);
  const direct = await group(true);
  const sink = direct[0].address;

  // The network's provider, counting what the JSON-RPC server asks of it (the node's calls and the members' alike).
  const provider = hre.network.provider;
  const counting = new Proxy(provider, {
    get(target, property) {
      if (property === "request") {
        return async (args: { method: string; params?: unknown[] }) => {
          const t0 = performance.now();
          try {
            return await target.request(args);
          } finally {
            const tally = side && rpcCalls[side];
            if (tally) {
              const entry = tally.get(args.method) ?? { calls: 0, ms: 0 };
              tally.set(args.method, { calls: entry.calls + 1, ms: entry.ms + performance.now() - t0 });
            }
          }
        };
      }
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const rpc = await startRpcServer(hre, counting);
  const dir = tempDir("bench-relay");
  const keyFile = path.join(dir, "relayer.key");
  fs.writeFileSync(keyFile, relayerKey.slice(2));
  const node = await startLedgerNode(
    parseNodeConfig([], {
      CITY_RPC_URL: rpc.url,
      CITY_DEPLOYMENT: writeRecord(dir, city.record),
      CITY_DATA_DIR: path.join(dir, "data"),
      CITY_NODE_PORT: "0",
      CITY_POLL_MS: "20",
      CITY_RELAY_KEY_FILE: keyFile,
      CITY_RELAY_KEYS: String(POOL),
      CITY_RELAY_REQUESTS_PER_DAY: String(ROUNDS * PER_MEMBER * 2),
      // Every member of the bench shares one IP (loopback): the per-IP limit would measure itself, not the relayer.
      CITY_RELAY_IP_PER_MINUTE: "1000000",
    }),
    { logger: { info: () => {}, warn: () => {}, error: console.error } },
  );
  const transport = http(rpc.url, { retryCount: 0 });
  const publicClient = createPublicClient({ chain: hardhat, transport, pollingInterval: 20 });
  const clientOf = (account: PrivateKeyAccount) =>
    createCityClient({
      publicClient,
      walletClient: createWalletClient({ chain: hardhat, transport, account }),
      deployment: city.record as never,
      ledgerUrl: node.url,
    });
  const coin = city.record.contracts.CityCoin.address as Address;
  const data = encodeFunctionData({ abi: cityCoinAbi, functionName: "transfer", args: [sink, 1n] });

  const runRelayed = async () => {
    const start = performance.now();
    await Promise.all(
      relayed.map(async (account) => {
        const client = clientOf(account);
        for (let i = 0; i < PER_MEMBER; i++) {
          const t0 = performance.now();
          const request = await signForwardRequest(client, { to: coin, data, gas: 100_000n });
          const record = await postRelay(node.url, { chainId: 31337, request });
          await waitForRelay(node.url, record.id, { pollMs: 10 });
          latencies.relayed.push(performance.now() - t0);
        }
      }),
    );
    return (MEMBERS * PER_MEMBER) / ((performance.now() - start) / 1000);
  };
  const runDirect = async () => {
    const start = performance.now();
    await Promise.all(
      direct.map(async (account) => {
        const wallet = createWalletClient({ chain: hardhat, transport, account });
        for (let i = 0; i < PER_MEMBER; i++) {
          const t0 = performance.now();
          const hash = await wallet.writeContract({ address: coin, abi: cityCoinAbi, functionName: "transfer", args: [sink, 1n] });
          await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 10 });
          latencies.direct.push(performance.now() - t0);
        }
      }),
    );
    return (MEMBERS * PER_MEMBER) / ((performance.now() - start) / 1000);
  };

  const rounds: { relayed: number; direct: number }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    progress(`relay bench: round ${r + 1}/${ROUNDS}`);
    side = "relayed";
    const relayedRate = await runRelayed();
    side = "direct";
    const directRate = await runDirect();
    side = undefined;
    rounds.push({ relayed: round(relayedRate, 1), direct: round(directRate, 1) });
  }
  await node.close();
  await rpc.close();
  fs.rmSync(dir, { recursive: true, force: true });

  const requests = ROUNDS * MEMBERS * PER_MEMBER;
  const perRequest = (tally: Map<string, { calls: number; ms: number }>) => {
    const rows = [...tally.entries()].sort((a, b) => b[1].ms - a[1].ms);
    return {
      calls: round(rows.reduce((n, [, t]) => n + t.calls, 0) / requests, 2),
      chainMs: round(rows.reduce((n, [, t]) => n + t.ms, 0) / requests, 2),
      byMethod: Object.fromEntries(rows.map(([method, t]) => [method, { calls: round(t.calls / requests, 2), chainMs: round(t.ms / requests, 2) }])),
    };
  };
  const best = (key: "relayed" | "direct") => Math.max(...rounds.map((r) => r[key]));
  const value = best("relayed");
  const baseline = best("direct");
  const results = {
    machine: { ...machine, note: "Hardhat's in-process automining network over its JSON-RPC server; both sides alternate rounds in one process." },
    "relay.requestsPerSecond": {
      value,
      unit: "requests/s",
      baseline,
      baselineWhat: `the same CityCoin transfers sent directly by ${MEMBERS} funded members (sign, send, wait for the receipt)`,
      ratio: ratio(value, baseline),
      ratioMeans: "relayed throughput as a share of direct sending (higher is better; the relayer adds its checks and a simulation, and sends through its pool of keys)",
      detail: {
        relayerKeys: POOL,
        members: MEMBERS,
        requestsPerMemberPerRound: PER_MEMBER,
        rounds,
        rpcPerRequest: {
          what: "JSON-RPC calls the chain answered during each side's rounds per request sent (the members', the relayer's and the ledger node's follower alike), and the chain's time answering them (ms, summed over concurrent calls)",
          relayed: perRequest(rpcCalls.relayed),
          direct: perRequest(rpcCalls.direct),
        },
        latencyMs: {
          what: "from the member starting to sign (relayed) or to send (direct) to its receipt, every request of every round",
          relayed: { p50: percentile(latencies.relayed, 50), p99: percentile(latencies.relayed, 99) },
          direct: { p50: percentile(latencies.direct, 50), p99: percentile(latencies.direct, 99) },
        },
      },
    },
  };
  const out = path.join(__dirname, "results");
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, "relay.json"), JSON.stringify(results, null, 2) + "\n");
  console.table(rounds);
  progress(`relay: ${value} requests/s relayed vs ${baseline} direct (ratio ${ratio(value, baseline)})`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
