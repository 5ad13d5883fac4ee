/**
 * `npm start`: the whole city on this machine, on loopback, kept across restarts.
 *
 * 1. an anvil chain (JSON-RPC over HTTP and WebSocket) on CITY_HOST:CITY_PORT (default 127.0.0.1:8545), chain id
 *    31337, its state in `<data>/chain/state.json` (written on stop and every CITY_STATE_INTERVAL seconds, default 1);
 *    `<data>` is CITY_DATA_DIR, default `.city-data/city`;
 * 2. on the first start (or with `--fresh` / CITY_FRESH=1, which first wipes `<data>`): the city's contracts,
 *    deployed by deployCity from account #0, roles granted to fixed dev accounts; the governance next to it (timelock,
 *    charter, governor, agenda, citizens' veto; the deployer stays admin), and a demo city showing every domain
 *    (scripts/lib/demo.ts). What the seed made is kept in `<data>` (city.json, deployment.json, demo.json);
 *    on a later start the chain comes back from its state file, with the same addresses, and nothing is seeded;
 * 3. deployments/31337.json (or CITY_DEPLOYMENTS_DIR/31337.json) for the SDK, the ledger node and auditors, written
 *    on every start from `<data>`;
 * 4. the ledger node, its log and projections in `<data>/node`, resuming from its cursor; if the chain went back
 *    below what the node logged (a crash lost the chain's last seconds), the node halts and this script exits
 *    non-zero, the node's log untouched. With CITY_OPERATORS=N (`cityledger start --operators N`, 2 to 5, chosen when
 *    the city is seeded) N operators' nodes instead, a federation (scripts/lib/federation.ts) on CITY_NODE_PORT and
 *    the next ports, each in `<data>/operators/operator-<n>` with its own checkpoint key, witnessing the others, and
 *    LedgerAnchor taking a majority of their witness signatures;
 * 5. a summary on stdout, then it serves until Ctrl-C or SIGTERM and shuts down cleanly (anvil writes its state).
 *
 * Run it as `npm start` (or `cityledger start`): `hardhat run --network localhost scripts/start.ts`.
 * Progress goes to stderr; the summary and the ready line (`cityledger ready on <url>`) go to stdout.
 */
import hre from "hardhat";
import { HDNodeWallet } from "ethers";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { Hex } from "viem";
import { formatCity } from "@cityledger/sdk";
import { CITY_CONTRACTS, deployCity, type DeploymentRecord } from "./lib/deploy";
import { writeDeployment } from "./lib/deployments";
import { demoStepCount, demoSummaryLines, seedDemoCity, submitDemoRecords, writeDemoCity, type DemoCity } from "./lib/demo";
import { startAnvil, stateFileIn, type Anvil } from "./lib/anvil";
import { GOVERNANCE_CONTRACTS, deployGovernance } from "./lib/governance";
import { Progress } from "./lib/progress";
import { ensureAppBuilt } from "./lib/app-build";
import { COLLEGES, PERMISSIONS, type RoleName } from "./lib/roles";
import { ConfigError, parseNodeConfig } from "../ledger-node/src/config";
import { startLedgerNode as startLedgerNode_, type LedgerNode } from "../ledger-node/src/node";
import { POOL_KEY_PATH, poolAccounts } from "../ledger-node/src/relay/pool";
import { operatorArgs, planFederation, writeKeyFile } from "./lib/federation";

const CHAIN_ID = 31337;
const SHUTDOWN_GRACE_MS = 10_000;
/** Dev accounts anvil unlocks (Hardhat's default count): the roles above use the first twelve. */
const DEV_ACCOUNTS = 20;

/** Fixed Hardhat accounts (default mnemonic) and what they do in the dev city. */
const ACCOUNTS = {
  deployer: 0,
  REGISTRAR: 1,
  ISSUER: 2,
  COUNCIL: 3,
  ORCHESTRATOR: 4,
  GUARDIAN: 5,
  RELAYER: 6,
  communityFund: 7,
  /** The two witnesses of the dev ledger node (threshold 2), held by the node itself. */
  witnessA: 8,
  witnessB: 9,
  /** Attests the reserve: never the issuer. */
  RESERVE_ATTESTER: 10,
  METER_OPERATOR: 11,
} as const;
/**
 * A federation's operators (CITY_OPERATORS=N): operator n's witness is account FEDERATION_WITNESSES[n-1] and its
 * anchors go from FEDERATION_ANCHORS[n-1] (each its own sender: no shared nonces). Operator 1 keeps the single node's.
 */
const FEDERATION_WITNESSES = [ACCOUNTS.witnessA, ACCOUNTS.witnessB, 12, 15, 16];
const FEDERATION_ANCHORS = [ACCOUNTS.deployer, 13, 14, 17, 18];
const MAX_OPERATORS = FEDERATION_WITNESSES.length;
const GRANTED: RoleName[] = ["REGISTRAR", "ISSUER", "RESERVE_ATTESTER", "COUNCIL", "ORCHESTRATOR", "GUARDIAN", "RELAYER", "METER_OPERATOR"];
/**
 * The dev relayer's pool: account #6 and 3 keys the node derives from it (BIP-32 children of #6's key, see
 * ledger-node/src/relay/pool.ts), which hold no ether until #6 refills them when the node starts.
 */
const RELAY_KEYS = 4;

/** A failure the user can fix: printed as `error: <message>` and `<hint>`, without a stack trace. */
class StartError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** What a service started next to the chain hands back, so it joins the summary and the shutdown. */
interface AttachedService {
  name: string;
  url: string;
  close(): Promise<void>;
}

/** What such a service is started from. */
interface RunningCity {
  rpcUrl: string;
  deployment: DeploymentRecord;
  deploymentFile: string;
  /** The built web app the node serves at `/` (absent when its build failed). */
  appDir?: string;
  /** How many demo members the seed registered with public keys (the app offers to sign in as one of them). */
  demoMembers: number;
}

/** What a ledger node started by this script hands back: a service of the summary, and the node (its follower is watched). */
type StartedNode = AttachedService & { node: LedgerNode; dataDir: string };

/** What every node of the dev city shares: finality depth 0 on this dev chain, its polling and anchoring cadence, the web app. */
function devNodeEnv(city: RunningCity): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CITY_FINALITY: "0",
    CITY_POLL_MS: process.env.CITY_POLL_MS || "500",
    CITY_ANCHOR_EVERY_ENTRIES: process.env.CITY_ANCHOR_EVERY_ENTRIES || "100",
    CITY_ANCHOR_EVERY_SECONDS: process.env.CITY_ANCHOR_EVERY_SECONDS || "10",
    CITY_APP_DIR: city.appDir ?? "",
  };
}

/** Writes dev account `index`'s key to `<dataDir>/keys/<name>.key` (mode 0600), for a node flag naming a key file. */
function devKeyFile(dataDir: string, name: string, index: number): string {
  return writeKeyFile(dataDir, name, devPrivateKey(index));
}

/** Starts a node in this process; a port taken or a bad setting is a StartError saying what to set. */
async function runNode(name: string, config: ReturnType<typeof parseNodeConfig>, dataDir: string, portHint: string): Promise<StartedNode> {
  try {
    const node = await startLedgerNode_(config, { logger: { info: () => {}, warn: console.warn, error: console.error } });
    return { name, url: node.url, close: () => node.close(), node, dataDir };
  } catch (error) {
    if (error instanceof ConfigError || /in use|not an address/.test((error as Error).message)) {
      throw new StartError(`The ${name} could not start: ${(error as Error).message}`, portHint);
    }
    throw error;
  }
}

/**
 * The ledger node, in this process: follows the chain, keeps the verifiable log in `dataDir` (kept with the chain's
 * state: it resumes from its cursor) and serves the API on CITY_NODE_HOST:CITY_NODE_PORT (default 127.0.0.1:8787).
 */
async function startLedgerNode(city: RunningCity, dataDir: string): Promise<StartedNode> {
  // Dev keys from Hardhat's public test mnemonic: the deployer sends anchors, the RELAYER account relays members'
  // signed requests, accounts #8 and #9 witness.
  const config = parseNodeConfig([], {
    ...devNodeEnv(city),
    CITY_RPC_URL: city.rpcUrl,
    CITY_DEPLOYMENT: city.deploymentFile,
    CITY_DATA_DIR: dataDir,
    // Anchors go from the deployer's account: any funded account may send them (the witnesses' signatures are the
    // authority), and the relayer's key stays the relayer's alone so its nonces are never raced.
    CITY_ANCHOR_KEY_FILE: devKeyFile(dataDir, "anchor", ACCOUNTS.deployer),
    CITY_RELAY_KEY_FILE: devKeyFile(dataDir, "relayer", ACCOUNTS.RELAYER),
    CITY_RELAY_KEYS: String(RELAY_KEYS),
    CITY_LOCAL_WITNESS_KEY_FILES: [devKeyFile(dataDir, "witness-a", ACCOUNTS.witnessA), devKeyFile(dataDir, "witness-b", ACCOUNTS.witnessB)].join(","),
    CITY_DEMO_MEMBERS: String(city.demoMembers),
  });
  return runNode("ledger node", config, dataDir, "Set CITY_NODE_PORT to a free port, e.g. CITY_NODE_PORT=8788 npm start");
}

/** M of a federation of N: a majority, so two disjoint groups of operators can never both anchor. */
const federationThreshold = (operators: number) => Math.floor(operators / 2) + 1;

/**
 * A federation in this process: `operators` ledger nodes on CITY_NODE_PORT, +1, … (default 8787…), each in
 * `<dir>/operator-<n>` with its own checkpoint key (created on the first start, kept after), witness and anchor
 * sender, witnessing the others over HTTP. Operator 1 also relays and offers the demo members' keys: one relayer,
 * since two nodes relaying from the same accounts would race their nonces. Every node serves the web app.
 */
async function startFederation(city: RunningCity, operators: number, dir: string): Promise<StartedNode[]> {
  const host = process.env.CITY_NODE_HOST || "127.0.0.1";
  const rawPort = process.env.CITY_NODE_PORT || "8787";
  const basePort = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || basePort < 1 || basePort + operators - 1 > 65535) {
    throw new StartError(`CITY_NODE_PORT must be a port number leaving room for ${operators} nodes, got "${rawPort}".`, "Example: CITY_NODE_PORT=8790 npm start");
  }
  const federation = planFederation({
    origin: `cityledger.local/${CHAIN_ID}`,
    host,
    ports: Array.from({ length: operators }, (_, i) => basePort + i),
    dataDir: dir,
    witnessKeys: FEDERATION_WITNESSES.slice(0, operators).map((i) => devPrivateKey(i) as Hex),
    anchorKeys: FEDERATION_ANCHORS.slice(0, operators).map((i) => devPrivateKey(i) as Hex),
  });
  const started: StartedNode[] = [];
  try {
    for (const operator of federation) {
      const relaying =
        operator.n === 1
          ? { CITY_RELAY_KEY_FILE: devKeyFile(operator.dataDir, "relayer", ACCOUNTS.RELAYER), CITY_RELAY_KEYS: String(RELAY_KEYS), CITY_DEMO_MEMBERS: String(city.demoMembers) }
          : { CITY_RELAY_KEY_FILE: "", CITY_DEMO_MEMBERS: "" };
      const config = parseNodeConfig(operatorArgs(operator, federation, { rpcUrl: city.rpcUrl, deploymentFile: city.deploymentFile }), { ...devNodeEnv(city), ...relaying });
      const hint = `Set CITY_NODE_PORT so that ports ${basePort}–${basePort + operators - 1} are free, e.g. CITY_NODE_PORT=${basePort + 10} npm start`;
      started.push(await runNode(`ledger node ${operator.n}/${operators}`, config, operator.dataDir, hint));
    }
  } catch (error) {
    await Promise.all(started.map((s) => s.close()));
    throw error;
  }
  return started;
}

/**
 * The web app the node serves at `/`: CITY_APP_DIR as given, else app/ built into app/dist when its inputs changed
 * since the last build (scripts/lib/app-build.ts). It builds while the city deploys (Vite runs as a child process),
 * so its lines wait for the progress bar to end. A failed build does not stop the city: `/` then says how to build.
 */
async function buildWebApp(): Promise<{ appDir?: string; lines: string[] }> {
  if (process.env.CITY_APP_DIR) return { appDir: path.resolve(process.env.CITY_APP_DIR), lines: [] };
  const lines: string[] = [];
  try {
    const { outDir } = await ensureAppBuilt({ log: (line) => lines.push(line) });
    return { appDir: outDir, lines };
  } catch (error) {
    lines.push(`warning: ${(error as Error).message}`, "The city starts without its web app; the node's / says how to build it.");
    return { lines };
  }
}

/** The dev relayer's keys, #6 first: what the node derives from the key file it is given. */
function relayPool() {
  return poolAccounts(devPrivateKey(ACCOUNTS.RELAYER) as `0x${string}`, RELAY_KEYS);
}

/** The dev accounts' mnemonic and derivation path: Hardhat's network's (its public test mnemonic), which anvil unlocks. */
function devAccounts(): { mnemonic: string; path: string } {
  return hre.config.networks.hardhat.accounts as { mnemonic: string; path: string };
}

/** Private key of dev account `index` (publicly known test keys). */
function devPrivateKey(index: number): string {
  const accounts = devAccounts();
  return HDNodeWallet.fromPhrase(accounts.mnemonic, undefined, `${accounts.path}/${index}`).privateKey;
}

function readEndpoint(): { host: string; port: number } {
  const host = process.env.CITY_HOST || "127.0.0.1";
  const rawPort = process.env.CITY_PORT || "8545";
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65535) {
    throw new StartError(`CITY_PORT must be a port number (0-65535), got "${rawPort}".`, "Example: CITY_PORT=8546 npm start");
  }
  return { host, port };
}

/** Fails with a clear message when host:port cannot be bound (taken, or a host that is not this machine). */
async function assertCanListen(host: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (err: NodeJS.ErrnoException) => reject(listenError(err, host, port)));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  if (err.code === "EADDRINUSE") {
    return new StartError(
      `Port ${port} on ${host} is already in use (another \`npm start\` or \`hardhat node\`?).`,
      `Stop that process, or run on another port: CITY_PORT=${port + 1} npm start`,
    );
  }
  if (err.code === "EADDRNOTAVAIL" || err.code === "ENOTFOUND" || err.code === "EACCES") {
    return new StartError(
      `Cannot listen on ${host}:${port} (${err.code}).`,
      "Set CITY_HOST to an address of this machine (default 127.0.0.1) and CITY_PORT to a free port above 1023.",
    );
  }
  return err;
}

/** Starts anvil on host:port with the city's state file (loaded when it exists). */
async function startChain(host: string, port: number, data: CityData): Promise<Anvil> {
  const rawInterval = process.env.CITY_STATE_INTERVAL || "1";
  if (!/^[1-9]\d*$/.test(rawInterval)) {
    throw new StartError(`CITY_STATE_INTERVAL must be a whole number of seconds (at least 1), got "${rawInterval}".`, "Example: CITY_STATE_INTERVAL=5 npm start");
  }
  try {
    return await startAnvil({
      host,
      port,
      chainId: CHAIN_ID,
      mnemonic: devAccounts().mnemonic,
      accounts: DEV_ACCOUNTS,
      stateFile: stateFileIn(data.chainDir),
      stateIntervalSeconds: Number(rawInterval),
      logFile: path.join(data.chainDir, "anvil.log"),
    });
  } catch (error) {
    if (/in use|Address already in use/i.test((error as Error).message)) throw listenError(Object.assign(new Error("in use"), { code: "EADDRINUSE" }), host, port);
    throw new StartError(`The chain (anvil) could not start: ${(error as Error).message}`, `Its log is ${path.join(data.chainDir, "anvil.log")}. To start from an empty city: npm start -- --fresh`);
  }
}

/** Where a city's data lives (CITY_DATA_DIR, default .city-data/city): the chain's state, the node's log, the seed. */
interface CityData {
  dir: string;
  chainDir: string;
  nodeDir: string;
  /** A federation's nodes' data, one directory per operator. */
  operatorsDir: string;
  /** What the first start recorded; present once a seed completed. */
  manifest: string;
  deployment: string;
  demo: string;
}

function cityData(): CityData {
  const dir = path.resolve(process.env.CITY_DATA_DIR || path.join(".city-data", "city"));
  return {
    dir,
    chainDir: path.join(dir, "chain"),
    nodeDir: path.join(dir, "node"),
    operatorsDir: path.join(dir, "operators"),
    manifest: path.join(dir, "city.json"),
    deployment: path.join(dir, "deployment.json"),
    demo: path.join(dir, "demo.json"),
  };
}

/** What the first start records beside the chain's state, so later starts need not seed again. */
interface CityManifest {
  version: 1;
  /** When the seed completed (wall clock, ISO 8601). */
  seededAt: string;
  /** The chain's clock minus the wall clock when the seed completed (seconds): the seed lays out days of history. */
  clockOffset: number;
  /** How many demo members the seed registered with public keys. */
  demoMembers: number;
  /** How many operators' nodes run the city (LedgerAnchor's witnesses were set for them); absent in older cities: 1. */
  operators?: number;
  /** The summary's lines about the demo city, as the seed made it. */
  demoLines: string[];
}

/** Whether this start must seed: asked to (`--fresh`, CITY_FRESH=1), or no completed seed and chain state are kept. */
function mustSeed(data: CityData): { fresh: boolean; why: string } {
  if (process.env.CITY_FRESH && process.env.CITY_FRESH !== "0") return { fresh: true, why: "asked for a fresh city" };
  if (!fs.existsSync(data.manifest)) return { fresh: true, why: `no city kept in ${shown(data.dir)} yet` };
  if (!fs.existsSync(path.join(data.chainDir, "state.json"))) return { fresh: true, why: `${shown(data.dir)} has no chain state` };
  return { fresh: false, why: "" };
}

/** The number of operators asked for (CITY_OPERATORS, `cityledger start --operators N`), undefined when not asked. */
function requestedOperators(): number | undefined {
  const raw = process.env.CITY_OPERATORS;
  if (raw === undefined || raw === "") return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_OPERATORS) {
    throw new StartError(`CITY_OPERATORS must be a number of operators from 1 to ${MAX_OPERATORS}, got "${raw}".`, "Example: cityledger start --operators 3 (or CITY_OPERATORS=3 npm start)");
  }
  return Number(raw);
}

/**
 * How many operators' nodes this start runs: a fresh city takes the number asked for (default 1); a kept city keeps
 * the number it was seeded for, its LedgerAnchor's witness set, and asking for another is an error saying how to change.
 */
function operatorCount(data: CityData, fresh: boolean): number {
  const requested = requestedOperators();
  if (fresh) return requested ?? 1;
  const kept = (JSON.parse(fs.readFileSync(data.manifest, "utf8")) as CityManifest).operators ?? 1;
  if (requested !== undefined && requested !== kept) {
    throw new StartError(
      `The city kept in ${shown(data.dir)} was seeded for ${kept} operator${kept === 1 ? "" : "s"}: its LedgerAnchor takes their witnesses' signatures, set when it was deployed.`,
      `Start it as it is (without --operators), or start an empty city for ${requested}: cityledger start --fresh --operators ${requested}`,
    );
  }
  return kept;
}

/** Removes what a city keeps in its data directory, and only that (CITY_DATA_DIR may name a directory with more). */
function wipe(data: CityData): void {
  for (const entry of [data.manifest, data.deployment, data.demo, data.chainDir, data.nodeDir, data.operatorsDir]) fs.rmSync(entry, { recursive: true, force: true });
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2) + "\n");
  fs.renameSync(tmp, file);
}

/** A path as the summary shows it: relative to the working directory when inside it. */
function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") ? rel : file;
}

/** The latest block's timestamp (unix seconds). */
async function chainNow(): Promise<number> {
  return (await hre.ethers.provider.getBlock("latest"))!.timestamp;
}

/**
 * anvil's state file keeps the blocks but not the clock's offset from the wall clock, which the seed moved days ahead:
 * without this the next block would be older than the last. The clock resumes where the seed left it relative to the
 * wall clock (time passes while the city is stopped), never before the last block.
 */
async function restoreClock(manifest: CityManifest): Promise<void> {
  const target = Math.max((await chainNow()) + 1, Math.floor(Date.now() / 1000) + manifest.clockOffset);
  await hre.ethers.provider.send("evm_setTime", [target]);
}

let stopping = false;
const closers: (() => Promise<void>)[] = [];

/** Closes everything started so far (last started, first closed) and exits. */
async function shutdown(reason: string, code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (code === 0) process.stderr.write(`\nstopping (${reason})…\n`);
  const timer = setTimeout(() => {
    process.stderr.write(`some connections did not close within ${SHUTDOWN_GRACE_MS / 1000} s; exiting anyway\n`);
    process.exit(code);
  }, SHUTDOWN_GRACE_MS);
  timer.unref();
  for (const close of closers.reverse()) {
    try {
      await close();
    } catch (err) {
      process.stderr.write(`while stopping: ${(err as Error).message}\n`);
    }
  }
  if (code === 0) process.stdout.write("cityledger stopped\n");
  process.exit(code);
}

let progress: Progress | undefined;

function fail(err: unknown): void {
  progress?.abort();
  if (err instanceof StartError) {
    process.stderr.write(`\nerror: ${err.message}\n${err.hint}\n`);
  } else {
    process.stderr.write(`\nerror: npm start failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  void shutdown("error", 1);
}

function installSignalHandlers(): void {
  process.once("SIGINT", () => void shutdown("Ctrl-C"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  // `hardhat run` forks this script; if that parent goes away (killed), stop instead of holding the port as an orphan.
  if (process.send) process.once("disconnect", () => void shutdown("parent process exited"));
}

async function main(): Promise<void> {
  if (hre.network.name !== "localhost") {
    throw new StartError(
      `npm start runs the city on its own anvil chain, the \`localhost\` network; it cannot use --network ${hre.network.name}.`,
      `Start it with \`npm start\` (or npx hardhat run --network localhost scripts/start.ts). To deploy to another chain: npx hardhat run scripts/deploy.ts --network ${hre.network.name}`,
    );
  }
  const readyTimer = Date.now();
  const { host, port } = readEndpoint();
  installSignalHandlers();
  // Before touching the data directory: a second `npm start` on a taken port must not wipe or load anything.
  await assertCanListen(host, port);
  const data = cityData();
  const { fresh, why } = mustSeed(data);
  const operators = operatorCount(data, fresh);
  if (fresh) wipe(data);
  fs.mkdirSync(data.chainDir, { recursive: true });
  process.stderr.write(fresh ? `a fresh city in ${shown(data.dir)} (${why})\n` : `the city kept in ${shown(data.dir)}: restarting it\n`);
  const webApp = buildWebApp(); // never rejects: awaited before the node starts

  const chain = await startChain(host, port, data);
  closers.push(() => chain.close());
  const url = chain.url;
  const { chainId } = await hre.ethers.provider.getNetwork();
  if (Number(chainId) !== CHAIN_ID) {
    throw new StartError(`The chain has chain id ${chainId}, expected ${CHAIN_ID}.`, "Check networks.localhost in hardhat.config.ts.");
  }
  const signers = await hre.ethers.getSigners();
  const seeded = fresh ? await seed(signers, data, operators) : await restore(data);

  const app = await webApp;
  for (const line of app.lines) process.stderr.write(`${line}\n`);
  const running: RunningCity = { rpcUrl: url, deployment: seeded.record, deploymentFile: seeded.deploymentFile, appDir: app.appDir, demoMembers: seeded.manifest.demoMembers };
  const nodes = operators > 1 ? await startFederation(running, operators, data.operatorsDir) : [await startLedgerNode(running, data.nodeDir)];
  for (const node of nodes) closers.push(() => node.close());
  const ledgerNode = nodes[0];
  if (seeded.demo) {
    // The processors' access records live off chain: they hand them to the node, which checks them against their roots.
    await submitDemoRecords(ledgerNode.url, seeded.demo.dataUse);
    // Recorded last: a start stopped before this point seeds again next time.
    writeJson(data.manifest, seeded.manifest);
  }
  for (const node of nodes) await watchFollower(node, data);

  printSummary({ url, record: seeded.record, deploymentFile: seeded.deploymentFile, manifest: seeded.manifest, signers, nodes, appBuilt: app.appDir !== undefined, data, chain, fresh });
  process.stdout.write(`\nready in ${((Date.now() - readyTimer) / 1000).toFixed(1)} s (${fresh ? "seeded" : "restarted"})\n`);
  process.stdout.write(`\ncityledger ready on ${url} (pid ${process.pid}). Ctrl-C stops it.\n`);
}

interface SeededCity {
  record: DeploymentRecord;
  deploymentFile: string;
  manifest: CityManifest;
  /** What the seed made: only on the start that seeded. */
  demo?: DemoCity;
}

/** The first start: deploys the city and its governance and seeds the demo city. */
async function seed(signers: HardhatEthersSigner[], data: CityData, operators: number): Promise<SeededCity> {
  const account = (index: number): HardhatEthersSigner => signers[index];
  const deployer = account(ACCOUNTS.deployer);
  const grants = Object.fromEntries(GRANTED.map((role) => [role, [account(ACCOUNTS[role as keyof typeof ACCOUNTS]).address]]));
  // Every key of the relayer's pool holds RELAYER, so that the role table says who sends relayed transactions.
  grants.RELAYER = relayPool().map((a) => a.address);

  // Every block of the seed one second after the last (or where the timeline jumps): anvil otherwise stamps a block
  // with the wall clock, so blocks mined in the same second share a timestamp and how many do depends on the machine's
  // speed. Timestamps then differ between two seeds, and with them the gas of timestamp-keyed checkpoints (ERC-5805
  // votes), the base fee, and the signed transactions' fee fields and hashes. Hardhat's network gives each block a
  // distinct second, which is what the seed's timeline counts on.
  await hre.ethers.provider.send("anvil_setBlockTimestampInterval", [1]);
  const deploySteps = CITY_CONTRACTS.length + Object.keys(PERMISSIONS).length + 2 + GOVERNANCE_CONTRACTS.length + 1;
  progress = new Progress(deploySteps + demoStepCount());
  progress.begin("deploying the city contracts");
  const city = await deployCity(hre, deployer, {
    grants,
    communityFund: account(ACCOUNTS.communityFund).address,
    // One node holds both witnesses (2 of 2); a federation's operators hold one each, a majority of them anchors.
    witnesses:
      operators > 1
        ? { addresses: FEDERATION_WITNESSES.slice(0, operators).map((i) => account(i).address), threshold: federationThreshold(operators) }
        : { addresses: [account(ACCOUNTS.witnessA).address, account(ACCOUNTS.witnessB).address], threshold: 2 },
    onStep: (detail) => progress!.step(detail),
  });
  // Not handed over: the deployer stays admin so the demo can configure the city directly.
  const governance = await deployGovernance(hre, city, deployer, { onStep: (detail) => progress!.step(detail) });
  Object.assign(city.record.contracts, governance.record);
  writeJson(data.deployment, city.record);
  const deploymentFile = writeDeployment(city.record);

  const demo = await seedDemoCity(
    hre,
    city,
    governance,
    {
      registrar: account(ACCOUNTS.REGISTRAR),
      issuer: account(ACCOUNTS.ISSUER),
      attester: account(ACCOUNTS.RESERVE_ATTESTER),
      council: account(ACCOUNTS.COUNCIL),
      orchestrator: account(ACCOUNTS.ORCHESTRATOR),
      meterOperator: account(ACCOUNTS.METER_OPERATOR),
      relayer: account(ACCOUNTS.RELAYER),
      treasury: account(ACCOUNTS.communityFund),
    },
    {
      onPhase: (phase) => progress!.begin(phase),
      onStep: (detail) => progress!.step(detail),
      onMoreSteps: (count) => progress!.addSteps(count),
    },
  );
  // From here the chain's clock runs with the wall clock again, from the seed's last block (not from where the
  // timeline last jumped, which the blocks since may have passed: the clock would stand still until the wall clock
  // caught up).
  await hre.ethers.provider.send("anvil_removeBlockTimestampInterval", []);
  await hre.ethers.provider.send("evm_setTime", [await chainNow()]);
  progress.finish(`city deployed, demo city seeded in ${demo.seconds.toFixed(1)} s`);
  writeDemoCity(demo, deploymentFile);
  fs.copyFileSync(deploymentFile.replace(/\.json$/, ".demo.json"), data.demo);
  const manifest: CityManifest = {
    version: 1,
    seededAt: new Date().toISOString(),
    clockOffset: (await chainNow()) - Math.floor(Date.now() / 1000),
    demoMembers: demo.members.length,
    operators,
    demoLines: demoLines(demo),
  };
  return { record: city.record, deploymentFile, manifest, demo };
}

/** A later start: the chain came back from its state file; checks it holds the city recorded, resumes its clock. */
async function restore(data: CityData): Promise<SeededCity> {
  const manifest = JSON.parse(fs.readFileSync(data.manifest, "utf8")) as CityManifest;
  const record = JSON.parse(fs.readFileSync(data.deployment, "utf8")) as DeploymentRecord;
  const authority = record.contracts.CityAuthority.address;
  if ((await hre.ethers.provider.getCode(authority)) === "0x") {
    throw new StartError(
      `The chain state in ${shown(data.chainDir)} does not hold the city recorded in ${shown(data.deployment)} (no CityAuthority at ${authority}).`,
      "Start from an empty city: npm start -- --fresh (or CITY_FRESH=1 npm start)",
    );
  }
  await restoreClock(manifest);
  const deploymentFile = writeDeployment(record);
  fs.copyFileSync(data.demo, deploymentFile.replace(/\.json$/, ".demo.json"));
  return { record, deploymentFile, manifest };
}

/**
 * Waits for the node's first look at the chain, then keeps watching: a halted follower (the chain went back below
 * its log, or a reorg deeper than finality) stops the city with a non-zero exit, the node's log untouched.
 */
async function watchFollower({ node, name, dataDir }: StartedNode, data: CityData): Promise<void> {
  const halted = (): Error | undefined => {
    const status = node.follower.status();
    if (status.state !== "halted") return undefined;
    return new StartError(
      `The ${name} halted: ${status.reason}`,
      `The node's log in ${shown(dataDir)} is kept as it was; the chain's state is in ${shown(data.chainDir)}.\n` +
        "This happens when the chain lost blocks the node had already logged (a crash before anvil's last state dump).\n" +
        `Keep a copy of ${shown(data.dir)} if you need the node's log as evidence, then start from an empty city: npm start -- --fresh`,
    );
  };
  const deadline = Date.now() + 60_000;
  while (node.follower.status().state === "starting" && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const first = halted();
  if (first) throw first;
  const timer = setInterval(() => {
    const error = halted();
    if (error) {
      clearInterval(timer);
      fail(error);
    }
  }, 500);
  timer.unref();
  closers.push(async () => clearInterval(timer));
}

/** A CityCoin amount for the summary, e.g. "€12.5": the SDK's formatter, the one every command uses. */
function euros(baseUnits: bigint): string {
  return `€${formatCity(baseUnits)}`;
}

/** The summary's lines about the demo city the seed made (kept in the city's manifest for later starts). */
function demoLines(d: DemoCity): string[] {
  const colleges = COLLEGES.map((name, i) => `${name} ${d.byCollege[i]}`).join(", ");
  const days = d.program.periodLength / 86_400;
  return [
    `    members         ${d.members.length} (${colleges}) in ${d.districts} districts`,
    `    member keys     keccak256("cityledger demo member " + i), i = 0..${d.members.length - 1}`,
    `    currency        ${euros(d.issued)} issued against ${d.deposits} deposits, reserve ${euros(d.reserve)} attested`,
    `    payments        ${d.payments} between members (${d.relayedPayments} relayed through CityForwarder)`,
    `    basic income    program #${d.program.id}: ${euros(d.program.amountPerPeriod)} per ${days}-day period to ` +
      `${d.program.eligible} resident citizens; ${d.program.claims} claimed period 0`,
    `    parking         ${d.parking.spots} spots listed by parking owners, ${d.parking.bookings} bookings in escrow`,
    ...demoSummaryLines(d),
  ];
}

function printSummary(s: {
  url: string;
  record: DeploymentRecord;
  deploymentFile: string;
  manifest: CityManifest;
  signers: HardhatEthersSigner[];
  /** The ledger nodes: one, or a federation's, operator 1 first. */
  nodes: StartedNode[];
  /** Whether the node serves a built web app. */
  appBuilt: boolean;
  data: CityData;
  chain: Anvil;
  /** Whether this start seeded the city (else it came back from the data directory). */
  fresh: boolean;
}): void {
  const wsUrl = s.url.replace(/^http/, "ws");
  const shownFile = shown(s.deploymentFile);
  const lines: string[] = [];
  lines.push("", "cityledger — local dev city", "");
  lines.push(`  JSON-RPC        ${s.url}  (WebSocket ${wsUrl})`);
  lines.push(`  chain id        ${s.record.chainId}  (anvil, pid ${s.chain.pid})`);
  lines.push(`  deployment      ${shownFile}  (what the demo seed made: ${shownFile.replace(/\.json$/, ".demo.json")})`);
  lines.push(`  data            ${shown(s.data.dir)}  (${s.fresh ? "seeded now" : `restarted; seeded ${s.manifest.seededAt.slice(0, 16).replace("T", " ")} UTC`}), kept across restarts:`);
  lines.push(`                  chain state ${shown(path.join(s.data.chainDir, "state.json"))}, ledger node${s.nodes.length > 1 ? "s" : ""} ${shown(s.nodes.length > 1 ? s.data.operatorsDir : s.data.nodeDir)}`);
  lines.push(`                  to wipe it and start from an empty city: npm start -- --fresh  (or CITY_FRESH=1, or delete ${shown(s.data.dir)})`);
  lines.push("", "  contracts");
  for (const name of [...CITY_CONTRACTS, ...GOVERNANCE_CONTRACTS]) {
    const c = (s.record.contracts as Record<string, { address: string; blockNumber: number }>)[name];
    lines.push(`    ${name.padEnd(15)} ${c.address}  (block ${c.blockNumber})`);
  }
  lines.push("", "  accounts (Hardhat's test mnemonic: publicly known keys, never use them on a real chain)");
  const who = (label: string, index: number) =>
    lines.push(`    ${label.padEnd(17)} #${String(index).padEnd(2)} ${s.signers[index].address}`);
  who("deployer (ADMIN)", ACCOUNTS.deployer);
  for (const role of GRANTED) who(role, ACCOUNTS[role as keyof typeof ACCOUNTS]);
  const pool = relayPool();
  lines.push(
    `    relayer pool      #6 and ${pool.length - 1} keys derived from it (BIP-32 ${POOL_KEY_PATH}/i, #6's key as seed), refilled by #6:`,
    ...pool.slice(1).map((a, i) => `${" ".repeat(26)}${a.address}  (key #${i + 1})`),
  );
  who("community fund", ACCOUNTS.communityFund);
  if (s.nodes.length === 1) {
    who("witness (node)", ACCOUNTS.witnessA);
    who("witness (node)", ACCOUNTS.witnessB);
  } else {
    s.nodes.forEach((_, i) => {
      who(`witness (op. ${i + 1})`, FEDERATION_WITNESSES[i]);
      who(`anchors (op. ${i + 1})`, FEDERATION_ANCHORS[i]);
    });
  }
  lines.push("", "  demo city", ...s.manifest.demoLines);
  lines.push("");
  const [first] = s.nodes;
  if (s.nodes.length === 1) {
    lines.push(`  ledger node     ${first.url}  (API docs ${first.url}/docs, checkpoint ${first.url}/v1/checkpoint)`);
  } else {
    const n = s.nodes.length;
    lines.push(`  ledger nodes    ${n} operators, each witnessing the others; LedgerAnchor takes ${federationThreshold(n)} of their ${n} witness signatures`);
    for (const [i, { url, node }] of s.nodes.entries()) {
      lines.push(`    operator ${i + 1}    ${url}  (checkpoint key ${node.verifierKey})${i === 0 ? ", relays" : ""}`);
    }
    lines.push(`                  API docs ${first.url}/docs, checkpoint ${first.url}/v1/checkpoint (each node the same paths)`);
  }
  lines.push(`  web app         ${first.url}/  ${s.appBuilt ? "(the explorer: open it in a browser)" : "(not built: see the warning above)"}`);
  process.stdout.write(lines.join("\n") + "\n");
}

main().catch(fail);
