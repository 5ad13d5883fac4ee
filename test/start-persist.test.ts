/**
 * The persistent local city: `npm start` run as a user runs it, killed and started again on the same data directory.
 * The chain (anvil) comes back from its state file, the ledger node from its log; a chain that lost blocks the node had
 * logged makes the node halt loudly, its log untouched.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { JsonRpcProvider, Wallet } from "ethers";
import { bytesToHex } from "viem";
import { CityCoin__factory } from "../typechain-types";
import { LogStore } from "../ledger-node/src/log/store";
import type { DeploymentRecord } from "../scripts/lib/deploy";
import { eventually, getJson, hardhatRun, isAlive, killGroup, portAcceptsConnections, removeTempDirs, rpc, startCity, tempDir, type StartedCity } from "./start-city";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..");
/** Anchors every 2 s once the log grew, so a city goes quiet soon after a payment. */
const ENV = { CITY_ANCHOR_EVERY_SECONDS: "2" };

interface Snapshot {
  size: number;
  root: string;
  stateHash: string;
  balances: string[];
  nodeBalances: string[];
  addresses: Record<string, string>;
}

function anvilPid(city: StartedCity): number {
  const match = /\(anvil, pid (\d+)\)/.exec(city.run.output());
  if (!match) throw new Error(`no anvil pid in the summary:\n${city.run.output()}`);
  return Number(match[1]);
}

function readyIn(output: string): { seconds: number; how: string } {
  const match = /ready in ([\d.]+) s \((seeded|restarted)\)/.exec(output);
  if (!match) throw new Error(`no "ready in" line:\n${output}`);
  return { seconds: Number(match[1]), how: match[2] };
}

/** Waits until the chain has mined nothing for `quietMs` and the node has followed its head (anchoring done). */
async function quiet(city: StartedCity, quietMs = 4_000): Promise<void> {
  let last = -1;
  let since = Date.now();
  await eventually(
    async () => {
      const head = Number(await rpc(city.rpcUrl, "eth_blockNumber"));
      if (head !== last) [last, since] = [head, Date.now()];
      const health = await getJson<{ cursor: { block: string } }>(`${city.nodeUrl}/v1/health`);
      return Number(health.cursor.block) === head && Date.now() - since >= quietMs;
    },
    60_000,
    "the city to go quiet",
  );
}

async function snapshot(city: StartedCity, who: string[]): Promise<Snapshot> {
  const record = JSON.parse(fs.readFileSync(city.deploymentFile, "utf8")) as DeploymentRecord;
  const provider = new JsonRpcProvider(city.rpcUrl, 31337, { staticNetwork: true });
  try {
    const coin = CityCoin__factory.connect(record.contracts.CityCoin.address, provider);
    const checkpoint = await getJson<{ size: number; root: string }>(`${city.nodeUrl}/v1/checkpoint`);
    const state = await getJson<{ seq: number; stateHash: string }>(`${city.nodeUrl}/v1/state`);
    expect(state.seq).to.equal(checkpoint.size);
    return {
      size: checkpoint.size,
      root: checkpoint.root,
      stateHash: state.stateHash,
      balances: await Promise.all(who.map(async (a) => (await coin.balanceOf(a)).toString())),
      nodeBalances: await Promise.all(who.map(async (a) => (await getJson<{ balance: string }>(`${city.nodeUrl}/v1/accounts/${a}`)).balance)),
      addresses: Object.fromEntries(Object.entries(record.contracts).map(([name, c]) => [name, c.address])),
    };
  } finally {
    provider.destroy();
  }
}

/** A member pays another; resolves once the node has logged the payment. */
async function pay(city: StartedCity, from: number, to: number, amount: bigint): Promise<string> {
  const record = JSON.parse(fs.readFileSync(city.deploymentFile, "utf8")) as DeploymentRecord;
  const provider = new JsonRpcProvider(city.rpcUrl, 31337, { staticNetwork: true });
  try {
    const payer = new Wallet(city.demo.members[from].key, provider);
    const coin = CityCoin__factory.connect(record.contracts.CityCoin.address, payer);
    const receipt = (await (await coin.transfer(city.demo.members[to].address, amount)).wait())!;
    await eventually(
      async () => BigInt((await getJson<{ cursor: { block: string } }>(`${city.nodeUrl}/v1/health`)).cursor.block) >= BigInt(receipt.blockNumber),
      30_000,
      "the node to log the payment",
    );
    return receipt.hash;
  } finally {
    provider.destroy();
  }
}

async function gone(pids: number[], ports: number[]): Promise<void> {
  await eventually(() => pids.every((pid) => !isAlive(pid)), 15_000, `processes ${pids.join(", ")} to exit`);
  for (const port of ports) expect(await portAcceptsConnections(port), `port ${port} closed`).to.equal(false);
}

function ports(city: StartedCity): number[] {
  return [Number(new URL(city.rpcUrl).port), Number(new URL(city.nodeUrl).port)];
}

after(removeTempDirs);

describe("npm start keeps the city across restarts", function () {
  this.timeout(600_000);
  const cities: StartedCity[] = [];
  afterEach(async () => {
    for (const city of cities.splice(0)) {
      await city.stop();
      const anvil = /\(anvil, pid (\d+)\)/.exec(city.run.output());
      if (anvil && isAlive(Number(anvil[1]))) process.kill(Number(anvil[1]), "SIGKILL");
    }
  });

  it("comes back after a crash (SIGKILL) with the payment, balances, log size and root, and a state hash equal to a replay; halts loudly when the chain lost its tail; --fresh starts over", async () => {
    const data = path.join(tempDir("persist"), "data");
    const env = { ...ENV, CITY_DATA_DIR: data };
    const stateFile = path.join(data, "chain", "state.json");

    // First start, through `npm start` itself: seeds.
    const first = await startCity("persist-1", env, "npm start");
    cities.push(first);
    const seeded = readyIn(first.run.output());
    expect(seeded.how).to.equal("seeded");
    // The summary says where the city is kept and how to wipe it.
    expect(first.run.output()).to.include(`data            ${data}  (seeded now), kept across restarts:`);
    expect(first.run.output()).to.include(`chain state ${stateFile}, ledger node ${path.join(data, "node")}`);
    expect(first.run.output()).to.include(`to wipe it and start from an empty city: npm start -- --fresh  (or CITY_FRESH=1, or delete ${data})`);
    const members = first.demo.members;
    const who = [members[3].address, members[4].address];
    const payment = await pay(first, 3, 4, 1_230_000n);
    await quiet(first);
    const before = await snapshot(first, who);
    const stateBytes = fs.statSync(stateFile).size;

    // A crash: `npm start`'s whole process group (npm, the script, the watchdog and anvil) killed at once, without a
    // chance to write anything. anvil's state is then what its last periodic dump wrote (the city has been quiet for
    // longer than the dump's interval).
    const firstPids = [first.run.child.pid!, first.pid, anvilPid(first)];
    killGroup(first.run, "SIGKILL");
    await gone(firstPids, ports(first));
    cities.splice(0);
    await first.run.exited;

    // Second start on the same data: nothing seeded, the same city.
    const second = await startCity("persist-2", env, "npm start");
    cities.push(second);
    const restarted = readyIn(second.run.output());
    expect(restarted.how).to.equal("restarted");
    expect(second.run.output()).to.not.include("deploying the city contracts");
    expect(second.run.output()).to.include(`data            ${data}  (restarted; seeded `);
    expect(second.run.output()).to.include("npm start -- --fresh");
    const receipt = (await rpc(second.rpcUrl, "eth_getTransactionReceipt", [payment])) as { status: string } | null;
    expect(receipt?.status, "the payment is on the chain").to.equal("0x1");
    const after = await snapshot(second, who);
    expect(after).to.deep.equal(before);
    expect(second.demo).to.deep.equal(first.demo);
    // The chain's clock resumed after the seed's last block: a new block is not older than the last one.
    const last = (await rpc(second.rpcUrl, "eth_getBlockByNumber", ["latest", false])) as { timestamp: string };
    await pay(second, 4, 3, 10_000n);
    const next = (await rpc(second.rpcUrl, "eth_getBlockByNumber", ["latest", false])) as { timestamp: string };
    expect(Number(next.timestamp)).to.be.above(Number(last.timestamp));
    await quiet(second);
    const grown = await snapshot(second, who);

    // The node's state hash equals a replay of its log from entry 0 (the node stopped: LevelDB allows one process).
    expect(await second.stop()).to.deep.equal({ code: 0, signal: null });
    cities.splice(0);
    await gone([anvilPid(second)], ports(second));
    const replay = await run(process.execPath, ["scripts/bin/cityledger.js", "replay", "--data-dir", path.join(data, "node"), "--deployment", second.deploymentFile, "--json"], { cwd: ROOT });
    const replayed = JSON.parse(replay.stdout) as { stateHash: string; size: number };
    expect([replayed.size, replayed.stateHash]).to.deep.equal([grown.size, grown.stateHash]);

    // The chain loses its tail: an older state file, while the node's log holds a payment made after it.
    const older = `${stateFile}.older`;
    fs.copyFileSync(stateFile, older);
    const third = await startCity("persist-3", env);
    cities.push(third);
    await pay(third, 5, 6, 2_000_000n);
    await quiet(third);
    const logged = await snapshot(third, who);
    expect(logged.size).to.be.above(grown.size);
    // `npm start` killed alone: its watchdog stops anvil (which writes its state on the way out).
    process.kill(third.pid, "SIGKILL");
    await gone([third.pid, anvilPid(third)], ports(third));
    cities.splice(0);
    fs.copyFileSync(older, stateFile);

    const portsDir = tempDir("persist-4");
    const [rpcPort, nodePort] = ports(third);
    const fourth = hardhatRun(
      "scripts/start.ts",
      { ...env, CITY_PORT: String(rpcPort), CITY_NODE_PORT: String(nodePort), CITY_DEPLOYMENTS_DIR: portsDir },
      "localhost",
    );
    const exit = await fourth.exited;
    const output = fourth.output();
    expect(exit.code, output).to.not.equal(0);
    expect(output).to.not.match(/cityledger ready on/);
    expect(output).to.include("error: The ledger node halted: the chain went back below the log");
    expect(output).to.include(`the log already holds block`);
    expect(output).to.include("npm start -- --fresh");
    expect(output).to.not.match(/\n\s+at /, "no stack trace");
    await eventually(async () => !(await portAcceptsConnections(rpcPort)), 15_000, "anvil to stop");

    // The node's log is untouched: the size and root it had before the chain went back.
    const store = await LogStore.open({ dir: path.join(data, "node", "log"), origin: "cityledger.local/31337" });
    try {
      expect([store.size, bytesToHex(store.root())]).to.deep.equal([logged.size, logged.root]);
    } finally {
      await store.close();
    }

    const nodeBytes = dirBytes(path.join(data, "node"));

    // The recovery the error names: a fresh city on the same data directory, seeded again (CITY_FRESH=1 is what
    // `npm start -- --fresh` sets). A new chain: the wiped city's payment is not on it; the seed's addresses are the
    // same (fixed keys and nonces).
    const fresh = await startCity("persist-5", { ...env, CITY_FRESH: "1" });
    cities.push(fresh);
    expect(readyIn(fresh.run.output()).how).to.equal("seeded");
    expect(fresh.run.output()).to.include("asked for a fresh city");
    expect(await rpc(fresh.rpcUrl, "eth_getTransactionReceipt", [payment])).to.equal(null);
    expect(fs.readFileSync(fresh.deploymentFile, "utf8")).to.equal(fs.readFileSync(first.deploymentFile, "utf8"));

    console.log(
      `      ready: ${seeded.seconds} s seeding, ${restarted.seconds} s restarting; chain state ${(stateBytes / 1e6).toFixed(1)} MB, ` +
        `node data ${(nodeBytes / 1e6).toFixed(1)} MB`,
    );
  });
});

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(file) : fs.statSync(file).size;
  }
  return total;
}
