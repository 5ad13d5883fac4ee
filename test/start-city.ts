/**
 * `npm start`'s script run as a user runs it: a child process of `hardhat run` (the Hardhat CLI started with node
 * directly, which is what `npx hardhat run` ends up running), on free ports, its deployment record, demo description
 * and ledger data in a temporary directory; and the small clients the tests talk to it with.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { DemoCity, Jsonified } from "../scripts/lib/demo";
import { freePort } from "../scripts/lib/devchain";

export { freePort };

export const ROOT = path.resolve(__dirname, "..");
const HARDHAT_CLI = require.resolve("hardhat/internal/cli/bootstrap.js");
export const READY = /cityledger ready on (\S+) \(pid (\d+)\)/;
const READY_TIMEOUT_MS = 180_000;

export interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `hardhat run <script>` in the repository with `env` added, collecting stdout and stderr. */
export function hardhatRun(script: string, env: Record<string, string>, network?: string): Run {
  const args = [HARDHAT_CLI, "run", "--no-compile", ...(network ? ["--network", network] : []), script];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...withoutHardhatNetwork(process.env), CI: "true", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return collect(child);
}

/**
 * Runs `npm start` itself (npm, then `cityledger start`, then `hardhat run --network localhost`, then the script) in
 * the repository with `env` added, in a process group of its own: {@link killGroup} can then crash all of it at once,
 * anvil included, as a machine that goes down would.
 */
export function npmStart(env: Record<string, string>, args: readonly string[] = []): Run {
  const child = spawn("npm", ["start", ...(args.length > 0 ? ["--", ...args] : [])], {
    cwd: ROOT,
    env: { ...withoutHardhatNetwork(process.env), CI: "true", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  return collect(child);
}

/** Sends `signal` to every process of the group {@link npmStart} made (npm, the script, anvil's watchdog, anvil). */
export function killGroup(run: Run, signal: NodeJS.Signals): void {
  try {
    process.kill(-run.child.pid!, signal);
  } catch {
    // the group is gone already
  }
}

function collect(child: ChildProcess): Run {
  let out = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited };
}

function withoutHardhatNetwork(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.HARDHAT_NETWORK;
  return copy;
}

/** Resolves with the URL and pid of the ready line, or rejects with the output if the process exits or times out. */
export function waitForReady(run: Run): Promise<{ url: string; pid: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no ready line within ${READY_TIMEOUT_MS / 1000} s; output:\n${run.output()}`));
    }, READY_TIMEOUT_MS);
    const onData = () => {
      const match = READY.exec(run.output());
      if (match) {
        cleanup();
        resolve({ url: match[1], pid: Number(match[2]) });
      }
    };
    const onClose = (code: number | null) => {
      cleanup();
      reject(new Error(`exited (${code}) before it was ready; output:\n${run.output()}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      run.child.stdout!.off("data", onData);
      run.child.off("close", onClose);
    };
    run.child.stdout!.on("data", onData);
    run.child.once("close", onClose);
  });
}

/** The first of `count` consecutive free ports (a federation's nodes listen on CITY_NODE_PORT and the next ones). */
export async function freePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const first = await freePort();
    const held: net.Server[] = [];
    const free = await (async () => {
      for (let port = first; port < first + count; port++) {
        const server = net.createServer();
        const bound = await new Promise<boolean>((resolve) => {
          server.once("error", () => resolve(false));
          server.listen({ port, host: "127.0.0.1", exclusive: true }, () => resolve(true));
        });
        if (!bound) return false;
        held.push(server);
      }
      return true;
    })();
    await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
    if (free) return first;
  }
  throw new Error(`no ${count} consecutive free ports found on 127.0.0.1`);
}

export async function portAcceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: unknown };
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

const tempDirs: string[] = [];
export function tempDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cityledger-${label}-`));
  tempDirs.push(dir);
  return dir;
}

/** Removes the directories {@link tempDir} made: call it from the test file's `after`. */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** A city `npm start`'s script serves, in a child process. */
export interface StartedCity {
  run: Run;
  rpcUrl: string;
  nodeUrl: string;
  pid: number;
  deploymentFile: string;
  /** What the seed made (`31337.demo.json`, beside the deployment record). */
  demo: Jsonified<DemoCity>;
  /** Stops it (SIGTERM, then SIGKILL if it lingers) and resolves with how it exited. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `npm start`'s script (under `hardhat run`, or through `npm start` itself) on free ports with everything it
 * writes in a temporary directory, and resolves once it is ready and its ledger node has projected every block the
 * seed mined.
 */
export async function startCity(
  label: string,
  env: Record<string, string> = {},
  how: "hardhat run" | "npm start" = "hardhat run",
  /** `npm start -- <args>` (with how = "npm start"); `--operators N` takes N consecutive node ports. */
  args: readonly string[] = [],
): Promise<StartedCity> {
  const operators = Number(/--operators[= ](\d+)/.exec(args.join(" "))?.[1] ?? env.CITY_OPERATORS ?? 1);
  const [port, nodePort] = [await freePort(), env.CITY_NODE_PORT ? Number(env.CITY_NODE_PORT) : await freePorts(operators)];
  const dir = tempDir(label);
  const cityEnv = { CITY_PORT: String(port), CITY_NODE_PORT: String(nodePort), CITY_DEPLOYMENTS_DIR: dir, CITY_DATA_DIR: path.join(dir, "data"), ...env };
  const run = how === "npm start" ? npmStart(cityEnv, args) : hardhatRun("scripts/start.ts", cityEnv, "localhost");
  const stop = async () => {
    const pid = Number(READY.exec(run.output())?.[2]);
    if (pid && isAlive(pid)) process.kill(pid, "SIGTERM");
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 15_000).unref());
    await Promise.race([run.exited, timeout]);
    if (pid && isAlive(pid)) process.kill(pid, "SIGKILL");
    if (how === "npm start") killGroup(run, "SIGKILL");
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill("SIGKILL");
    return run.exited;
  };
  try {
    const { url, pid } = await waitForReady(run);
    const nodeUrl = `http://127.0.0.1:${nodePort}`;
    const deploymentFile = path.join(dir, "31337.json");
    const demo = JSON.parse(fs.readFileSync(path.join(dir, "31337.demo.json"), "utf8")) as Jsonified<DemoCity>;
    // The node starts after the seed: it is caught up once it has followed (and projected) the seed's last block.
    const seeded = BigInt((await rpc(url, "eth_blockNumber")) as string);
    await eventually(
      async () => {
        const health = await getJson<{ cursor: { block: string }; size: number }>(`${nodeUrl}/v1/health`).catch(() => undefined);
        if (!health || BigInt(health.cursor.block) < seeded) return false;
        return (await getJson<{ seq: number }>(`${nodeUrl}/v1/state`)).seq >= health.size;
      },
      60_000,
      "the ledger node to follow the seeded chain",
    );
    return { run, rpcUrl: url, nodeUrl, pid, deploymentFile, demo, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** GETs `url` and parses its JSON, failing on any status but 200. */
export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: "application/json" } });
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The sources a seeded city's data depends on: the contracts, the seed and start scripts, the node, the SDK. */
const SEED_SOURCES = ["contracts", "scripts", "ledger-node/src", "sdk/src", "hardhat.config.ts"];

/** A digest of {@link SEED_SOURCES}' contents: a template seeded from other sources is never reused. */
function seedSourcesDigest(): string {
  const hash = createHash("sha256");
  const walk = (entry: string) => {
    const full = path.join(ROOT, entry);
    if (fs.statSync(full).isDirectory()) {
      for (const child of fs.readdirSync(full).sort()) if (child !== "node_modules") walk(path.join(entry, child));
    } else {
      hash.update(entry).update("\0").update(fs.readFileSync(full)).update("\0");
    }
  };
  for (const entry of SEED_SOURCES) walk(entry);
  return hash.digest("hex").slice(0, 16);
}

/**
 * Starts a city from a copy of one seeded once for the whole test run (every mocha worker shares it), so that the
 * suites that only need the demo city (the web app's, the examples') take `npm start`'s restart path, ready in
 * seconds, instead of each seeding its own for half a minute. The seed is deterministic (start.test.ts checks it), so
 * the copy is the city a fresh `npm start` makes. The template lives in the system's temporary directory, keyed by a
 * digest of the sources the seed depends on; the first worker to ask seeds it, holding a lock directory, and the
 * others wait for it.
 */
export async function startSharedCity(label: string, env: Record<string, string> = {}): Promise<StartedCity> {
  const template = path.join(os.tmpdir(), `cityledger-city-template-${seedSourcesDigest()}`);
  const ready = path.join(template, "ready");
  if (!fs.existsSync(ready)) await seedTemplate(template, ready);
  const data = path.join(tempDir(label), "data");
  fs.cpSync(path.join(template, "data"), data, { recursive: true });
  return startCity(label, { ...env, CITY_DATA_DIR: data });
}

async function seedTemplate(template: string, ready: string): Promise<void> {
  const lock = `${template}.lock`;
  for (const deadline = Date.now() + 2 * READY_TIMEOUT_MS; !fs.existsSync(ready); ) {
    try {
      fs.mkdirSync(lock);
    } catch {
      // Another worker seeds it (or one that died did: its lock is taken over once older than the seed can take).
      const held = fs.statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > READY_TIMEOUT_MS) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for another worker to seed ${template}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    try {
      if (fs.existsSync(ready)) break; // seeded by the worker whose lock was just released
      fs.rmSync(template, { recursive: true, force: true });
      // Templates of other sources (an earlier checkout) go, with their locks: one city's data is some 10 MB.
      const ours = [path.basename(template), path.basename(lock)];
      for (const old of fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith("cityledger-city-template-") && !ours.includes(n))) {
        fs.rmSync(path.join(os.tmpdir(), old), { recursive: true, force: true });
      }
      const city = await startCity("city-template", { CITY_DATA_DIR: path.join(template, "data") });
      const exit = await city.stop();
      if (exit.code !== 0) throw new Error(`the template city did not stop cleanly (${JSON.stringify(exit)}):\n${city.run.output()}`);
      fs.writeFileSync(ready, new Date().toISOString() + "\n");
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
}
