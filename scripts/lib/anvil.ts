/**
 * anvil (Foundry's EVM node, from the npm package `@foundry-rs/anvil`, like forge) as a child process: the chain of the
 * persistent local city. Its state file (`--state`) is loaded at start and written on exit and every few seconds
 * (`--state-interval`), so the chain comes back as it was after a restart.
 *
 * The binary is resolved from the platform package the npm package depends on (what its `bin.mjs` does), without the
 * Node wrapper and without a postinstall step: signals then reach anvil itself.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** The Foundry platform packages, by `process.platform` and `process.arch` (those `@foundry-rs/anvil` ships). */
const PLATFORM_PACKAGES: Record<string, Record<string, string>> = {
  linux: { x64: "anvil-linux-amd64", arm64: "anvil-linux-arm64" },
  darwin: { x64: "anvil-darwin-amd64", arm64: "anvil-darwin-arm64" },
  win32: { x64: "anvil-win32-amd64" },
};

/** Path of the anvil binary installed by `npm ci` (throws with what to do when this platform has none). */
export function anvilBinary(): string {
  const pkg = PLATFORM_PACKAGES[process.platform]?.[process.arch];
  if (!pkg) throw new Error(`anvil has no build for ${process.platform}/${process.arch} in @foundry-rs/anvil.`);
  const name = process.platform === "win32" ? "anvil.exe" : "anvil";
  try {
    return require.resolve(`@foundry-rs/${pkg}/bin/${name}`);
  } catch {
    throw new Error(`@foundry-rs/${pkg} is not installed (an optional dependency of @foundry-rs/anvil): run \`npm ci\`.`);
  }
}

export interface AnvilOptions {
  host: string;
  port: number;
  chainId: number;
  /** The dev accounts' mnemonic and how many accounts to unlock. */
  mnemonic: string;
  accounts: number;
  /** Loaded when it exists, written on exit and every `stateIntervalSeconds`. Its directory must exist. */
  stateFile?: string;
  stateIntervalSeconds?: number;
  /** Seconds between blocks (interval mining); automine when absent. */
  blockTime?: number;
  /**
   * Blocks per epoch (anvil's default 32): anvil calls `safe` the block one epoch below the head and `finalized` the
   * block two epochs below it.
   */
  slotsInAnEpoch?: number;
  /** Where anvil's own output goes (appended); discarded when absent. */
  logFile?: string;
}

export interface Anvil {
  url: string;
  /** anvil's own process id (not the watchdog's). */
  pid: number;
  /** Resolves when anvil has exited, with its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** Stops anvil (SIGTERM: it writes its state file on the way out), SIGKILL after `graceMs`. Idempotent. */
  close(graceMs?: number): Promise<void>;
}

/**
 * Runs anvil behind a watchdog that holds a pipe from this process: when this process dies in any way (SIGKILL
 * included, which no handler sees), the pipe closes and the watchdog stops anvil with SIGTERM, so no orphan chain
 * keeps the port and the state file. The watchdog exits with anvil.
 */
const WATCHDOG = [
  'anvil="$1"; shift',
  // A background job's stdin is /dev/null unless redirected: keep the pipe on fd 3 for the watcher.
  "exec 3<&0",
  '"$anvil" "$@" </dev/null 3<&- & pid=$!',
  'echo "anvil-pid $pid" >&2',
  '( read -r _ <&3 ; kill -TERM "$pid" 2>/dev/null ) & watcher=$!',
  "exec 3<&-",
  "trap 'kill -TERM \"$pid\" 2>/dev/null' TERM INT HUP",
  'while kill -0 "$pid" 2>/dev/null; do wait "$pid"; status=$?; done',
  'kill "$watcher" 2>/dev/null',
  'exit "${status:-1}"',
].join("\n");

/** Starts anvil and resolves once it answers JSON-RPC; rejects with its output when it exits or does not answer. */
export async function startAnvil(options: AnvilOptions, readyTimeoutMs = 30_000): Promise<Anvil> {
  const args = [
    "--host", options.host,
    "--port", String(options.port),
    "--chain-id", String(options.chainId),
    "--mnemonic", options.mnemonic,
    "--accounts", String(options.accounts),
    "--hardfork", "cancun",
    // Only errors: it would log every JSON-RPC call the node polls with, for as long as the city runs.
    "--silent",
  ];
  if (options.stateFile) args.push("--state", options.stateFile, "--state-interval", String(options.stateIntervalSeconds ?? 1));
  if (options.blockTime !== undefined) args.push("--block-time", String(options.blockTime));
  if (options.slotsInAnEpoch !== undefined) args.push("--slots-in-an-epoch", String(options.slotsInAnEpoch));
  const log = options.logFile ? fs.openSync(options.logFile, "a") : "ignore";
  const child: ChildProcess = spawn("sh", ["-c", WATCHDOG, "anvil-watchdog", anvilBinary(), ...args], {
    stdio: ["pipe", log, "pipe"],
  });
  if (typeof log === "number") fs.closeSync(log);
  let stderr = "";
  let pid = 0;
  const gotPid = new Promise<void>((resolve) =>
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /anvil-pid (\d+)/.exec(stderr);
      if (match && !pid) {
        pid = Number(match[1]);
        resolve();
      }
    }),
  );
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${options.port}`;
  const output = () => {
    const tail = options.logFile && fs.existsSync(options.logFile) ? fs.readFileSync(options.logFile, "utf8").split("\n").slice(-20).join("\n") : "";
    return `${stderr.replace(/anvil-pid \d+\n?/, "")}${tail}`.trim();
  };
  const close = async (graceMs = 10_000) => {
    if (gone) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => {
      if (pid) killQuietly(pid, "SIGKILL");
      child.kill("SIGKILL");
    }, graceMs);
    await exited;
    clearTimeout(timer);
  };

  await gotPid;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (gone) throw new Error(`anvil exited before it was ready: ${output() || "(no output)"}`);
    if (await answers(url)) break;
    if (Date.now() > deadline) {
      await close(1_000);
      throw new Error(`anvil did not answer on ${url} within ${readyTimeoutMs / 1000} s: ${output() || "(no output)"}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, pid, exited, close };
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(2_000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** The state file of a chain kept in `dir` (created). */
export function stateFileIn(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, "state.json");
}
