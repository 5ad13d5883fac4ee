/**
 * `npm run bench:relay`: relayed member requests per second, end to end (the member signs a ForwardRequest, POST
 * /v1/relay checks and sends it, the receipt is awaited through GET /v1/relay/:id), against the baseline measured in
 * the same run: the same CityCoin transfers sent directly by funded members (sign, send, wait for the receipt) through
 * the same JSON-RPC server. Writes `bench/results/relay.json`.
 *
 * Both sides run with the same concurrency (each member sends its requests one after another, all members at once),
 * alternating rounds so that machine load hits both alike, on two chains:
 * - Hardhat's in-process automining network (every transaction mined as it arrives): the cost of the relayer's work
 *   itself, the chain never the bound;
 * - anvil with one block a second (`--block-time 1`), as a real chain: a request waits for a block on both sides.
 */
import hre from "hardhat";
import fs from "node:fs";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { HDNodeWallet, JsonRpcProvider, id, type Signer } from "ethers";
import type { HardhatNetworkHDAccountsConfig } from "hardhat/types";
import { createPublicClient, createWalletClient, encodeFunctionData, http, parseEther, type Address, type Hex, type PrivateKeyAccount } from "viem";
import { hardhat } from "viem/chains";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { deployCity } from "../scripts/lib/deploy";
import { startAnvil } from "../scripts/lib/anvil";
import { parseNodeConfig } from "../ledger-node/src/config";
import { startLedgerNode } from "../ledger-node/src/node";
import { poolAccounts } from "../ledger-node/src/relay/pool";
import { cityCoinAbi, createCityClient, postRelay, signForwardRequest, waitForRelay } from "@cityledger/sdk";
import { freePort, startRpcServer, tempDir, writeRecord } from "../scripts/lib/devchain";
import { machineInfo, progress, ratio, round } from "./ledger/report";

/** Relayer keys sending side by side (issue 19's target: ≥ 0.6× direct with 4). */
const POOL = 4;
/**
 * Per chain: members on each side, requests each member sends one after another per round, rounds. On anvil every
 * request waits for a block (1 s), so a round is as many blocks as requests per member: fewer of them.
 */
const LOAD = { hardhat: { members: 20, perMember: 10, rounds: 5 }, anvil: { members: 20, perMember: 5, rounds: 2 } } as const;
type ChainName = keyof typeof LOAD;
type Side = "relayed" | "direct";
/** The setup's transactions carry a gas limit: anvil estimates gas at the wall clock's time between 1-s blocks. */
const GAS = { gasLimit: 1_000_000n };

/** JSON-RPC calls the chain answered during each side's rounds (Hardhat: its provider counts them), by method. */
const rpcCalls = { relayed: new Map<string, { calls: number; ms: number }>(), direct: new Map<string, { calls: number; ms: number }>() };
let counted: Side | undefined;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))], 1);
};

interface Chain {
  name: ChainName;
  /** The JSON-RPC endpoint the members and the ledger node use. */
  url: string;
  admin: Signer;
  registrar: Signer;
  issuer: Signer;
  setBalance(address: string, wei: bigint): Promise<void>;
  /** Called once the city is set up, before the node starts (anvil: back from automining to 1-s blocks). */
  ready(): Promise<void>;
  /** The ledger node's poll (ms): its follower and the relayer's receipt lookups. */
  pollMs: number;
}

interface Measured {
  rounds: { relayed: number; direct: number }[];
  latencies: Record<Side, number[]>;
}

/** Deploys a city on `chain`, two groups of members, a ledger node relaying through {@link POOL} keys; runs the rounds. */
async function measure(chain: Chain, side: (s: Side | undefined) => void = () => {}): Promise<Measured> {
  const { members, perMember, rounds: roundCount } = LOAD[chain.name];
  const relayKey = generatePrivateKey();
  const pool = poolAccounts(relayKey, POOL).map((a) => a.address);
  const adminAddress = await chain.admin.getAddress();
  const city = await deployCity(hre, chain.admin, {
    grants: { REGISTRAR: [await chain.registrar.getAddress()], ISSUER: [await chain.issuer.getAddress()], RESERVE_ATTESTER: [adminAddress], RELAYER: pool },
  });
  await (await city.coin.connect(chain.admin).attestReserve(10n ** 15n, id("bench reserve"), GAS)).wait();
  // Every key of the pool funded up front: refills are not what is measured.
  for (const key of pool) await chain.setBalance(key, parseEther("1000"));

  // Two groups of members with coins: the relayed ones hold no ETH, the direct ones are funded.
  const group = async (funded: boolean) => {
    const out: PrivateKeyAccount[] = [];
    for (let i = 0; i < members; i++) {
      const account = privateKeyToAccount(generatePrivateKey());
      await (await city.registry.connect(chain.registrar).register(account.address, 1, 1, 1n, id(`bench-${funded}-${i}`), GAS)).wait();
      await (await city.coin.connect(chain.issuer).issue(account.address, 1_000_000_000n, id(`bench-deposit-${funded}-${i}`), GAS)).wait();
      if (funded) await chain.setBalance(account.address, parseEther("10"));
      out.push(account);
    }
    return out;
  };
  const relayed = await group(false);
  const direct = await group(true);
  const sink = direct[0].address;
  await chain.ready();

  const dir = tempDir(`bench-relay-${chain.name}`);
  const keyFile = path.join(dir, "relayer.key");
  fs.writeFileSync(keyFile, relayKey.slice(2));
  const node = await startLedgerNode(
    parseNodeConfig([], {
      CITY_RPC_URL: chain.url,
      CITY_DEPLOYMENT: writeRecord(dir, city.record),
      CITY_DATA_DIR: path.join(dir, "data"),
      CITY_NODE_PORT: "0",
      CITY_POLL_MS: String(chain.pollMs),
      CITY_RELAY_KEY_FILE: keyFile,
      CITY_RELAY_KEYS: String(POOL),
      CITY_RELAY_REQUESTS_PER_DAY: String(roundCount * perMember * 2),
      // Every member of the bench shares one IP (loopback): the per-IP limit would measure itself, not the relayer.
      CITY_RELAY_IP_PER_MINUTE: "1000000",
    }),
    { logger: { info: () => {}, warn: () => {}, error: console.error } },
  );
  const transport = http(chain.url, { retryCount: 0 });
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
  const latencies: Measured["latencies"] = { relayed: [], direct: [] };

  const run = async (accounts: PrivateKeyAccount[], one: (account: PrivateKeyAccount) => Promise<() => Promise<void>>, into: number[]) => {
    const start = performance.now();
    await Promise.all(
      accounts.map(async (account) => {
        const send = await one(account);
        for (let i = 0; i < perMember; i++) {
          const t0 = performance.now();
          await send();
          into.push(performance.now() - t0);
        }
      }),
    );
    return (accounts.length * perMember) / ((performance.now() - start) / 1000);
  };
  const relayedRequest = async (account: PrivateKeyAccount) => {
    const client = clientOf(account);
    return async () => {
      const request = await signForwardRequest(client, { to: coin, data, gas: 100_000n });
      const record = await postRelay(node.url, { chainId: 31337, request });
      await waitForRelay(node.url, record.id, { pollMs: 10 });
    };
  };
  const directRequest = async (account: PrivateKeyAccount) => {
    const wallet = createWalletClient({ chain: hardhat, transport, account });
    return async () => {
      const hash: Hex = await wallet.writeContract({ address: coin, abi: cityCoinAbi, functionName: "transfer", args: [sink, 1n] });
      await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 10 });
    };
  };

  const rounds: Measured["rounds"] = [];
  try {
    for (let r = 0; r < roundCount; r++) {
      progress(`relay bench (${chain.name}): round ${r + 1}/${roundCount}`);
      side("relayed");
      const relayedRate = await run(relayed, relayedRequest, latencies.relayed);
      side("direct");
      const directRate = await run(direct, directRequest, latencies.direct);
      side(undefined);
      rounds.push({ relayed: round(relayedRate, 1), direct: round(directRate, 1) });
    }
  } finally {
    await node.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { rounds, latencies };
}

/** Hardhat's in-process network over its JSON-RPC server, its provider counting the calls it answers. */
async function onHardhat(): Promise<Measured> {
  const [admin, registrar, issuer] = await hre.ethers.getSigners();
  const provider = hre.network.provider;
  const counting = new Proxy(provider, {
    get(target, property) {
      if (property === "request") {
        return async (args: { method: string; params?: unknown[] }) => {
          const t0 = performance.now();
          try {
            return await target.request(args);
          } finally {
            const tally = counted && rpcCalls[counted];
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
  try {
    return await measure(
      {
        name: "hardhat",
        url: rpc.url,
        admin,
        registrar,
        issuer,
        setBalance: async (address, wei) => void (await provider.send("hardhat_setBalance", [address, `0x${wei.toString(16)}`])),
        ready: async () => {},
        pollMs: 20,
      },
      (s) => (counted = s),
    );
  } finally {
    await rpc.close();
  }
}

/** anvil on a free port of 127.0.0.1 with `--block-time 1`, automining while the city is set up; stopped at the end. */
async function onAnvil(): Promise<Measured> {
  const dir = tempDir("bench-relay-anvil-chain");
  // anvil unlocks the same dev accounts as Hardhat's network: its test mnemonic.
  const { mnemonic } = hre.config.networks.hardhat.accounts as HardhatNetworkHDAccountsConfig;
  const anvil = await startAnvil({
    host: "127.0.0.1",
    port: await freePort(),
    chainId: 31337,
    mnemonic,
    accounts: 3,
    blockTime: 1,
    logFile: path.join(dir, "anvil.log"),
  });
  const provider = new JsonRpcProvider(anvil.url, 31337, { staticNetwork: true, pollingInterval: 100, cacheTimeout: -1 });
  const send = (method: string, params: unknown[]) => provider.send(method, params);
  const account = (i: number) => HDNodeWallet.fromPhrase(mnemonic, undefined, `m/44'/60'/0'/0/${i}`).connect(provider);
  try {
    await send("evm_setAutomine", [true]);
    return await measure({
      name: "anvil",
      url: anvil.url,
      admin: account(0),
      registrar: account(1),
      issuer: account(2),
      setBalance: async (address, wei) => void (await send("anvil_setBalance", [address, `0x${wei.toString(16)}`])),
      ready: async () => void (await send("evm_setIntervalMining", [1])),
      pollMs: 20,
    });
  } finally {
    provider.destroy();
    await anvil.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const machine = machineInfo();
  const hardhatRun = await onHardhat();
  const anvilRun = await onAnvil();

  const requests = LOAD.hardhat.rounds * LOAD.hardhat.members * LOAD.hardhat.perMember;
  const perRequest = (tally: Map<string, { calls: number; ms: number }>) => {
    const rows = [...tally.entries()].sort((a, b) => b[1].ms - a[1].ms);
    return {
      calls: round(rows.reduce((n, [, t]) => n + t.calls, 0) / requests, 2),
      chainMs: round(rows.reduce((n, [, t]) => n + t.ms, 0) / requests, 2),
      byMethod: Object.fromEntries(rows.map(([method, t]) => [method, { calls: round(t.calls / requests, 2), chainMs: round(t.ms / requests, 2) }])),
    };
  };
  const figure = (name: ChainName, measured: Measured, extra: Record<string, unknown>) => {
    const { members, perMember } = LOAD[name];
    const best = (key: Side) => Math.max(...measured.rounds.map((r) => r[key]));
    const value = best("relayed");
    const baseline = best("direct");
    return {
      value,
      unit: "requests/s",
      baseline,
      baselineWhat: `the same CityCoin transfers sent directly by ${members} funded members (sign, send, wait for the receipt)`,
      ratio: ratio(value, baseline),
      ratioMeans: "relayed throughput as a share of direct sending (higher is better; the relayer adds its checks and a simulation, and sends through its pool of keys)",
      targets: { "≥ 0.6× direct with 4 keys (issue 19)": { want: "ratio >= 0.6", met: value / baseline >= 0.6 } },
      detail: {
        relayerKeys: POOL,
        members,
        requestsPerMemberPerRound: perMember,
        rounds: measured.rounds,
        ...extra,
        latencyMs: {
          what: "from the member starting to sign (relayed) or to send (direct) to its receipt, every request of every round",
          relayed: { p50: percentile(measured.latencies.relayed, 50), p99: percentile(measured.latencies.relayed, 99) },
          direct: { p50: percentile(measured.latencies.direct, 50), p99: percentile(measured.latencies.direct, 99) },
        },
      },
    };
  };
  const results = {
    machine: {
      ...machine,
      note: "Hardhat's in-process automining network over its JSON-RPC server, then anvil (--block-time 1) in its own process; on each, both sides alternate rounds in one process.",
    },
    "relay.requestsPerSecond": figure("hardhat", hardhatRun, {
      chain: "Hardhat's automining network: each transaction is mined as it arrives, so the rate is what the relayer's work (and the members') costs on this machine",
      rpcPerRequest: {
        what: "JSON-RPC calls the chain answered during each side's rounds per request sent (the members', the relayer's and the ledger node's follower alike), and the chain's time answering them (ms, summed over concurrent calls); the relayer batches its calls (one HTTP round trip for the calls made together), each counted here",
        relayed: perRequest(rpcCalls.relayed),
        direct: perRequest(rpcCalls.direct),
      },
    }),
    "relay.anvil.requestsPerSecond": figure("anvil", anvilRun, {
      chain:
        `anvil with one block a second: each member has one request in flight at a time on either side (${LOAD.anvil.members} in flight per side), ` +
        "so each request waits for the next block and both sides are bounded alike by the block time, at most " +
        `${LOAD.anvil.members} transactions a block — far below the block's gas (~${LOAD.anvil.members} × 100k of 30M), so the chain's capacity is not the bound; ` +
        "the ratio says whether relaying makes a request miss the block it would have made sent directly",
    }),
  };
  const out = path.join(__dirname, "results");
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, "relay.json"), JSON.stringify(results, null, 2) + "\n");
  for (const [name, run] of [["hardhat", hardhatRun], ["anvil", anvilRun]] as const) {
    console.table(run.rounds);
    const f = name === "hardhat" ? results["relay.requestsPerSecond"] : results["relay.anvil.requestsPerSecond"];
    progress(`relay (${name}): ${f.value} requests/s relayed vs ${f.baseline} direct (ratio ${f.ratio})`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
