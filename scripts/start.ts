/**
 * `npm start`: the whole city on this machine, in one process, on loopback.
 *
 * 1. a Hardhat network JSON-RPC server (HTTP and WebSocket) on CITY_HOST:CITY_PORT (default 127.0.0.1:8545),
 *    chain id 31337;
 * 2. the city's contracts, deployed by deployCity from Hardhat account #0, roles granted to fixed Hardhat accounts;
 * 3. deployments/31337.json (or CITY_DEPLOYMENTS_DIR/31337.json) for the SDK, the ledger node and auditors;
 * 4. the governance next to it (timelock, charter, governor, agenda, citizens' veto; the deployer stays admin), and a
 *    demo city showing every domain (scripts/lib/demo.ts): members, coins, payments, basic income, governance
 *    proposals, ballots, participatory-budget rounds, the energy market, parking;
 * 5. a summary on stdout, then it serves until Ctrl-C or SIGTERM and shuts down cleanly.
 *
 * Progress goes to stderr; the summary and the ready line (`cityledger ready on <url>`) go to stdout.
 */
import hre from "hardhat";
import { HDNodeWallet } from "ethers";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { TASK_NODE_CREATE_SERVER } from "hardhat/builtin-tasks/task-names";
import type { JsonRpcServer } from "hardhat/types";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { formatCity } from "@cityledger/sdk";
import { CITY_CONTRACTS, deployCity, type DeploymentRecord } from "./lib/deploy";
import { writeDeployment } from "./lib/deployments";
import { demoStepCount, demoSummaryLines, seedDemoCity, submitDemoRecords, writeDemoCity, type DemoCity } from "./lib/demo";
import { GOVERNANCE_CONTRACTS, deployGovernance } from "./lib/governance";
import { Progress } from "./lib/progress";
import { ensureAppBuilt } from "./lib/app-build";
import { COLLEGES, PERMISSIONS, type RoleName } from "./lib/roles";
import { ConfigError, parseNodeConfig } from "../ledger-node/src/config";
import { startLedgerNode as startLedgerNode_ } from "../ledger-node/src/node";
import { POOL_KEY_PATH, poolAccounts } from "../ledger-node/src/relay/pool";

const CHAIN_ID = 31337;
const SHUTDOWN_GRACE_MS = 5_000;

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

/**
 * The ledger node, in this process: follows the chain just started (finality depth 0 on this dev chain), keeps the
 * verifiable log under `.city-data/dev` (wiped at each start: the chain itself starts from genesis every time) and
 * serves the API on CITY_NODE_HOST:CITY_NODE_PORT (default 127.0.0.1:8787).
 */
async function startLedgerNode(city: RunningCity): Promise<AttachedService> {
  const dataDir = path.resolve(process.env.CITY_DATA_DIR || ".city-data/dev");
  fs.rmSync(dataDir, { recursive: true, force: true });
  // Dev keys from Hardhat's public test mnemonic: the deployer sends anchors, the RELAYER account relays members'
  // signed requests, accounts #8 and #9 witness.
  const keyFile = (name: string, index: number) => {
    const file = path.join(dataDir, "keys", `${name}.key`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, devPrivateKey(index).slice(2) + "\n", { mode: 0o600 });
    return file;
  };
  const config = parseNodeConfig([], {
    ...process.env,
    CITY_RPC_URL: city.rpcUrl,
    CITY_DEPLOYMENT: city.deploymentFile,
    CITY_DATA_DIR: dataDir,
    CITY_FINALITY: "0",
    CITY_POLL_MS: process.env.CITY_POLL_MS || "500",
    // Anchors go from the deployer's account: any funded account may send them (the witnesses' signatures are the
    // authority), and the relayer's key stays the relayer's alone so its nonces are never raced.
    CITY_ANCHOR_KEY_FILE: keyFile("anchor", ACCOUNTS.deployer),
    CITY_RELAY_KEY_FILE: keyFile("relayer", ACCOUNTS.RELAYER),
    CITY_RELAY_KEYS: String(RELAY_KEYS),
    CITY_LOCAL_WITNESS_KEY_FILES: [keyFile("witness-a", ACCOUNTS.witnessA), keyFile("witness-b", ACCOUNTS.witnessB)].join(","),
    CITY_ANCHOR_EVERY_ENTRIES: process.env.CITY_ANCHOR_EVERY_ENTRIES || "100",
    CITY_ANCHOR_EVERY_SECONDS: process.env.CITY_ANCHOR_EVERY_SECONDS || "10",
    CITY_APP_DIR: city.appDir ?? "",
    CITY_DEMO_MEMBERS: String(city.demoMembers),
  });
  try {
    const node = await startLedgerNode_(config, { logger: { info: () => {}, warn: console.warn, error: console.error } });
    return { name: "ledger node", url: node.url, close: () => node.close() };
  } catch (error) {
    if (error instanceof ConfigError || /in use|not an address/.test((error as Error).message)) {
      throw new StartError(`The ledger node could not start: ${(error as Error).message}`, "Set CITY_NODE_PORT to a free port, e.g. CITY_NODE_PORT=8788 npm start");
    }
    throw error;
  }
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

/** Private key of Hardhat account `index` (the network's configured mnemonic, publicly known test keys). */
/** The dev relayer's keys, #6 first: what the node derives from the key file it is given. */
function relayPool() {
  return poolAccounts(devPrivateKey(ACCOUNTS.RELAYER) as `0x${string}`, RELAY_KEYS);
}

function devPrivateKey(index: number): string {
  const accounts = hre.network.config.accounts as { mnemonic: string; path: string };
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

/** Starts Hardhat's JSON-RPC server (what `hardhat node` runs) on the in-process network. */
async function startRpcServer(host: string, port: number): Promise<{ server: JsonRpcServer; url: string }> {
  await assertCanListen(host, port);
  const server: JsonRpcServer = await hre.run(TASK_NODE_CREATE_SERVER, {
    hostname: host,
    port,
    provider: hre.network.provider,
  });
  // The server does not report listen errors; one can still happen if the port was taken right after the probe.
  const onListenError = (err: NodeJS.ErrnoException) => {
    fail(listenError(err, host, port));
  };
  process.once("uncaughtException", onListenError);
  const address = await server.listen();
  process.removeListener("uncaughtException", onListenError);
  const shownHost = address.address.includes(":") ? `[${address.address}]` : address.address;
  return { server, url: `http://${host === "localhost" ? "localhost" : shownHost}:${address.port}` };
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
  if (hre.network.name !== "hardhat") {
    throw new StartError(
      `npm start runs its own chain; it cannot use --network ${hre.network.name}.`,
      `To deploy to another chain: npx hardhat run scripts/deploy.ts --network ${hre.network.name}`,
    );
  }
  const { host, port } = readEndpoint();
  installSignalHandlers();
  const webApp = buildWebApp(); // never rejects: awaited before the node starts

  const { server, url } = await startRpcServer(host, port);
  closers.push(() => server.close());
  const { chainId } = await hre.ethers.provider.getNetwork();
  if (Number(chainId) !== CHAIN_ID) {
    throw new StartError(`The Hardhat network has chain id ${chainId}, expected ${CHAIN_ID}.`, "Check networks.hardhat in hardhat.config.ts.");
  }

  const signers = await hre.ethers.getSigners();
  const account = (index: number): HardhatEthersSigner => signers[index];
  const deployer = account(ACCOUNTS.deployer);
  const grants = Object.fromEntries(GRANTED.map((role) => [role, [account(ACCOUNTS[role as keyof typeof ACCOUNTS]).address]]));
  // Every key of the relayer's pool holds RELAYER, so that the role table says who sends relayed transactions.
  grants.RELAYER = relayPool().map((a) => a.address);

  const deploySteps = CITY_CONTRACTS.length + Object.keys(PERMISSIONS).length + 2 + GOVERNANCE_CONTRACTS.length + 1;
  progress = new Progress(deploySteps + demoStepCount());
  progress.begin("deploying the city contracts");
  const city = await deployCity(hre, deployer, {
    grants,
    communityFund: account(ACCOUNTS.communityFund).address,
    witnesses: { addresses: [account(ACCOUNTS.witnessA).address, account(ACCOUNTS.witnessB).address], threshold: 2 },
    onStep: (detail) => progress!.step(detail),
  });
  // Not handed over: the deployer stays admin so the demo can configure the city directly.
  const governance = await deployGovernance(hre, city, deployer, { onStep: (detail) => progress!.step(detail) });
  Object.assign(city.record.contracts, governance.record);
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
  progress.finish(`city deployed, demo city seeded in ${demo.seconds.toFixed(1)} s`);
  writeDemoCity(demo, deploymentFile);

  const app = await webApp;
  for (const line of app.lines) process.stderr.write(`${line}\n`);
  const ledgerNode = await startLedgerNode({ rpcUrl: url, deployment: city.record, deploymentFile, appDir: app.appDir, demoMembers: demo.members.length });
  closers.push(() => ledgerNode.close());
  // The processors' access records live off chain: they hand them to the node, which checks them against their roots.
  await submitDemoRecords(ledgerNode.url, demo.dataUse);

  printSummary({ url, record: city.record, deploymentFile, demo, signers, ledgerNode, appBuilt: app.appDir !== undefined });
  process.stdout.write(`\ncityledger ready on ${url} (pid ${process.pid}). Ctrl-C stops it.\n`);
}

/** A CityCoin amount for the summary, e.g. "€12.5": the SDK's formatter, the one every command uses. */
function euros(baseUnits: bigint): string {
  return `€${formatCity(baseUnits)}`;
}

function printSummary(s: {
  url: string;
  record: DeploymentRecord;
  deploymentFile: string;
  demo: DemoCity;
  signers: HardhatEthersSigner[];
  ledgerNode: AttachedService;
  /** Whether the node serves a built web app. */
  appBuilt: boolean;
}): void {
  const wsUrl = s.url.replace(/^http/, "ws");
  const rel = path.relative(process.cwd(), s.deploymentFile);
  const shownFile = rel.startsWith("..") ? s.deploymentFile : rel;
  const lines: string[] = [];
  lines.push("", "cityledger — local dev city", "");
  lines.push(`  JSON-RPC        ${s.url}  (WebSocket ${wsUrl})`);
  lines.push(`  chain id        ${s.record.chainId}  (Hardhat network, in this process; state is lost on stop)`);
  lines.push(`  deployment      ${shownFile}  (what the demo seed made: ${shownFile.replace(/\.json$/, ".demo.json")})`);
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
  who("witness (node)", ACCOUNTS.witnessA);
  who("witness (node)", ACCOUNTS.witnessB);
  const d = s.demo;
  const colleges = COLLEGES.map((name, i) => `${name} ${d.byCollege[i]}`).join(", ");
  lines.push("", "  demo city");
  lines.push(`    members         ${d.members.length} (${colleges}) in ${d.districts} districts`);
  lines.push(`    member keys     keccak256("cityledger demo member " + i), i = 0..${d.members.length - 1}`);
  lines.push(`    currency        ${euros(d.issued)} issued against ${d.deposits} deposits, reserve ${euros(d.reserve)} attested`);
  lines.push(`    payments        ${d.payments} between members (${d.relayedPayments} relayed through CityForwarder)`);
  const days = d.program.periodLength / 86_400;
  lines.push(
    `    basic income    program #${d.program.id}: ${euros(d.program.amountPerPeriod)} per ${days}-day period to ` +
      `${d.program.eligible} resident citizens; ${d.program.claims} claimed period 0`,
  );
  lines.push(`    parking         ${d.parking.spots} spots listed by parking owners, ${d.parking.bookings} bookings in escrow`);
  lines.push(...demoSummaryLines(d));
  lines.push("");
  lines.push(`  ledger node     ${s.ledgerNode.url}  (API docs ${s.ledgerNode.url}/docs, checkpoint ${s.ledgerNode.url}/v1/checkpoint)`);
  lines.push(`  web app         ${s.ledgerNode.url}/  ${s.appBuilt ? "(the explorer: open it in a browser)" : "(not built: see the warning above)"}`);
  process.stdout.write(lines.join("\n") + "\n");
}

main().catch(fail);
