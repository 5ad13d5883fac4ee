import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import type { Finality } from "./follower/follower";

/** Everything `cityledger node` is configured by: flags first, then environment variables, then defaults. */
export interface NodeConfig {
  rpcUrl: string;
  deploymentFile: string;
  dataDir: string;
  host: string;
  port: number;
  finality: Finality;
  /** 32-byte Ed25519 private key (hex) signing checkpoints; created in the data dir when absent. */
  keyFile: string;
  /** Checkpoint origin; default `cityledger.local/<chainId>`. */
  origin?: string;
  pollIntervalMs: number;
  maxBlockRange: bigint;
}

/** A configuration the user must fix: the message says what and how. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const OPTIONS = {
  rpc: { type: "string", env: "CITY_RPC_URL", help: "JSON-RPC URL of the chain", default: "http://127.0.0.1:8545" },
  deployment: { type: "string", env: "CITY_DEPLOYMENT", help: "deployment record (deployments/<chainId>.json)", default: "deployments/31337.json" },
  "data-dir": { type: "string", env: "CITY_DATA_DIR", help: "where the log, projections and key live", default: ".city-data/ledger" },
  host: { type: "string", env: "CITY_NODE_HOST", help: "API host", default: "127.0.0.1" },
  port: { type: "string", env: "CITY_NODE_PORT", help: "API port", default: "8787" },
  finality: { type: "string", env: "CITY_FINALITY", help: `confirmation depth, or "finalized" for the finalized tag`, default: "0" },
  "key-file": { type: "string", env: "CITY_NODE_KEY_FILE", help: "checkpoint signing key (hex); default <data-dir>/node.key" },
  origin: { type: "string", env: "CITY_ORIGIN", help: "checkpoint origin line; default cityledger.local/<chainId>" },
  "poll-ms": { type: "string", env: "CITY_POLL_MS", help: "poll interval when caught up", default: "1000" },
  "max-block-range": { type: "string", env: "CITY_MAX_BLOCK_RANGE", help: "largest eth_getLogs range", default: "2000" },
} as const;

/** `--help` text of `cityledger node`. */
export function nodeUsage(): string {
  const lines = Object.entries(OPTIONS).map(([name, o]) => {
    const def = "default" in o ? ` (default ${o.default})` : "";
    return `  --${name.padEnd(16)} ${o.help}${def}  [env ${o.env}]`;
  });
  return ["Usage: cityledger node [options]", "", "Follows the city's contracts, keeps the verifiable log and serves the API.", "", ...lines].join("\n");
}

/** Parses flags and environment into a {@link NodeConfig}; throws {@link ConfigError} with a fix on bad input. */
export function parseNodeConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): NodeConfig {
  let values: Record<string, string | boolean | undefined>;
  try {
    const parsed = parseArgs({
      args: argv,
      options: Object.fromEntries(Object.keys(OPTIONS).map((k) => [k, { type: "string" as const }])),
      strict: true,
      allowPositionals: false,
    });
    values = parsed.values;
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}. Run \`cityledger node --help\` for the options.`);
  }
  const get = (name: keyof typeof OPTIONS): string | undefined => {
    const o = OPTIONS[name];
    return (values[name] as string | undefined) ?? env[o.env] ?? ("default" in o ? o.default : undefined);
  };
  const dataDir = path.resolve(get("data-dir")!);
  return {
    rpcUrl: url(get("rpc")!, "--rpc"),
    deploymentFile: path.resolve(get("deployment")!),
    dataDir,
    host: get("host")!,
    port: integer(get("port")!, "--port", 0, 65_535),
    finality: get("finality") === "finalized" ? "finalized" : { depth: integer(get("finality")!, "--finality", 0, 10_000) },
    keyFile: path.resolve(get("key-file") ?? path.join(dataDir, "node.key")),
    origin: get("origin"),
    pollIntervalMs: integer(get("poll-ms")!, "--poll-ms", 10, 3_600_000),
    maxBlockRange: BigInt(integer(get("max-block-range")!, "--max-block-range", 1, 1_000_000)),
  };
}

/**
 * Reads the checkpoint signing key, creating one (random, file mode 0600) on first start. The key identifies this
 * node's checkpoints: keep the file, publish its verifier key.
 */
export function loadOrCreateKey(keyFile: string): Uint8Array {
  if (!fs.existsSync(keyFile)) {
    fs.mkdirSync(path.dirname(keyFile), { recursive: true });
    fs.writeFileSync(keyFile, randomBytes(32).toString("hex") + "\n", { mode: 0o600 });
  }
  const text = fs.readFileSync(keyFile, "utf8").trim().replace(/^0x/, "");
  if (!/^[0-9a-fA-F]{64}$/.test(text)) {
    throw new ConfigError(`${keyFile} must hold a 32-byte Ed25519 private key in hex (64 characters). Delete it to get a new one.`);
  }
  return Uint8Array.from(Buffer.from(text, "hex"));
}

function integer(text: string, flag: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new ConfigError(`${flag} must be a whole number from ${min} to ${max}, got "${text}".`);
  }
  return Number(text);
}

function url(text: string, flag: string): string {
  try {
    const u = new URL(text);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
    return text;
  } catch {
    throw new ConfigError(`${flag} must be an http(s) URL, got "${text}".`);
  }
}
