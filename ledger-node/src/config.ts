import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { parseEther } from "viem";
import { parseVerifierKey } from "@cityledger/sdk/ledger";
import { redactUrl } from "@cityledger/sdk/errors";
import { NodeError } from "./errors";
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
  /** Anchoring in LedgerAnchor: on when a submitter key is given. */
  anchor?: {
    /** secp256k1 key (hex) of the account that sends anchor transactions. */
    keyFile: string;
    /** Remote witnesses (their nodes' base URLs). */
    witnessUrls: string[];
    /** Witness keys this node holds itself (dev: a second local witness). */
    localWitnessKeyFiles: string[];
    everyEntries: number;
    everySeconds: number;
  };
  /** Relaying members' signed requests (POST /v1/relay): on when a relayer key is given. */
  relay?: {
    /** secp256k1 key (hex) of the relayer account: holds RELAYER, pays the gas; key #0 of the pool. */
    keyFile: string;
    /** Keys sending relayed transactions: the relay key and `poolSize - 1` keys derived from it (relay/pool.ts). */
    poolSize: number;
    /** secp256k1 key (hex) refilling the pool keys' gas; undefined: key #0 refills the others. */
    fundingKeyFile?: string;
    /** A pool key whose balance falls below this (wei) is refilled up to {@link refillTo}. */
    refillBelow: bigint;
    refillTo: bigint;
    /** A relayed transaction not mined after this long is re-sent with higher fees. */
    bumpAfterMs: number;
    requestsPerDay: number;
    gasPerDay: bigint;
    maxGasPerRequest: bigint;
    /** Requests of a member refused after the signature check per UTC day before all its requests are refused. */
    refusalsPerDay: number;
    /** POST /v1/relay requests per client IP per minute. */
    ipRequestsPerMinute: number;
  };
  /** Open SSE streams per client IP (default 10). */
  streamsPerIp?: number;
  /**
   * Reverse proxies whose `X-Forwarded-For` names the client (comma-separated addresses or CIDRs), so that per-IP
   * limits apply to clients rather than to the proxy. Unset: the socket's address is the client.
   */
  trustProxy?: string;
  /**
   * The chain JSON-RPC URL GET /v1/deployment offers browsers: --public-rpc, else the node's own --rpc when it is a
   * plain loopback http URL (the dev city), else none. Never a URL with credentials.
   */
  publicRpcUrl?: string;
  /** The built web app (app/dist) served at `/`; unset, `/` says how to build and serve it. */
  appDir?: string;
  /**
   * How many demo members (public keys, `keccak256("cityledger demo member " + n)`) the city was seeded with: the local
   * dev city only, so the web app may offer "sign in as demo member n". Unset on any real city.
   */
  demoMembers?: number;
  /** This node as a witness of another node's log. */
  witness?: {
    keyFile: string;
    /**
     * Verifier keys of the operators whose checkpoints it cosigns: one for a log with one operator, the peers' keys in
     * a federation (several operators logging the same chain, one log the witness remembers for them all).
     */
    operatorKeys: string[];
    /** Ed25519 key of its C2SP `cosignature/v1` lines (created on first start, like the checkpoint key). */
    cosignKeyFile: string;
    /** Key name of its cosignatures; default `witness.cityledger.local/<witness address>`. */
    name?: string;
  };
}

/** A configuration the user must fix: the message says what and how. */
export class ConfigError extends NodeError {
  override name = "ConfigError";
}

/**
 * One flag of the `cityledger` commands: how it is parsed, the environment variable that stands in for it, what it is
 * for, and its default. Every command that takes a flag of this table (node, replay, proof) reads it from here:
 * {@link parseArgsOptions} to parse, {@link optionValue} for its value.
 */
export interface OptionSpec {
  readonly type: "string";
  readonly env: string;
  readonly help: string;
  readonly default?: string;
}

/** The flags of `cityledger node`, which `replay` and `proof` share (one definition of each flag). */
export const OPTIONS = {
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
  "anchor-key-file": { type: "string", env: "CITY_ANCHOR_KEY_FILE", help: "key (hex) sending anchor transactions; anchoring is off without it" },
  "witness-urls": { type: "string", env: "CITY_WITNESS_URLS", help: "comma-separated base URLs of witness nodes" },
  "local-witness-key-files": { type: "string", env: "CITY_LOCAL_WITNESS_KEY_FILES", help: "comma-separated witness keys this node holds (dev)" },
  "anchor-every-entries": { type: "string", env: "CITY_ANCHOR_EVERY_ENTRIES", help: "anchor after this many new entries", default: "1000" },
  "anchor-every-seconds": { type: "string", env: "CITY_ANCHOR_EVERY_SECONDS", help: "or after this long, if entries other than anchors arrived", default: "300" },
  "witness-key-file": { type: "string", env: "CITY_WITNESS_KEY_FILE", help: "serve POST /v1/witness/cosign with this key (hex)" },
  "operator-key": { type: "string", env: "CITY_OPERATOR_KEY", help: "verifier key of the log this node witnesses (comma-separated: a federation's operators)" },
  "witness-cosign-key-file": { type: "string", env: "CITY_WITNESS_COSIGN_KEY_FILE", help: "Ed25519 key (hex) of this witness's C2SP cosignatures; default <data-dir>/witness-cosign.key" },
  "witness-name": { type: "string", env: "CITY_WITNESS_NAME", help: "key name of this witness's C2SP cosignatures; default witness.cityledger.local/<witness address>" },
  "relay-key-file": { type: "string", env: "CITY_RELAY_KEY_FILE", help: "relayer key (hex) paying members' gas; POST /v1/relay is off without it" },
  "relay-keys": {
    type: "string",
    env: "CITY_RELAY_KEYS",
    help: "keys sending relayed transactions side by side: the relay key and K-1 keys derived from it (BIP-32 m/44'/60'/0'/0/i, the relay key as seed)",
    default: "4",
  },
  "relay-funding-key-file": { type: "string", env: "CITY_RELAY_FUNDING_KEY_FILE", help: "key (hex) refilling the pool keys' gas; default the relay key refills the others" },
  "relay-refill-below": { type: "string", env: "CITY_RELAY_REFILL_BELOW", help: "refill a pool key whose balance falls below this (ether)", default: "0.1" },
  "relay-refill-to": { type: "string", env: "CITY_RELAY_REFILL_TO", help: "refill it up to this balance (ether)", default: "1" },
  "relay-bump-after-seconds": {
    type: "string",
    env: "CITY_RELAY_BUMP_AFTER_SECONDS",
    help: "re-send a relayed transaction with fees raised by 25% when it is not mined after this long (a few block times)",
    default: "30",
  },
  "relay-requests-per-day": { type: "string", env: "CITY_RELAY_REQUESTS_PER_DAY", help: "relayed requests per member per UTC day", default: "200" },
  "relay-gas-per-day": { type: "string", env: "CITY_RELAY_GAS_PER_DAY", help: "gas a member's relayed requests may ask per UTC day", default: "10000000" },
  "relay-max-gas": { type: "string", env: "CITY_RELAY_MAX_GAS", help: "largest gas one relayed request may ask", default: "1000000" },
  "relay-refusals-per-day": { type: "string", env: "CITY_RELAY_REFUSALS_PER_DAY", help: "refused requests per member per UTC day before all are refused", default: "20" },
  "relay-ip-per-minute": { type: "string", env: "CITY_RELAY_IP_PER_MINUTE", help: "POST /v1/relay requests per client IP per minute", default: "120" },
  "sse-streams-per-ip": { type: "string", env: "CITY_SSE_STREAMS_PER_IP", help: "open /v1/stream connections per client IP", default: "10" },
  "trust-proxy": { type: "string", env: "CITY_TRUST_PROXY", help: "reverse proxies (comma-separated IPs/CIDRs) whose X-Forwarded-For names the client" },
  "demo-members": { type: "string", env: "CITY_DEMO_MEMBERS", help: "the local dev city only: how many public demo keys the seed registered (the web app offers them)" },
  "public-rpc": { type: "string", env: "CITY_PUBLIC_RPC_URL", help: `chain JSON-RPC URL browsers may use ("none": none); default --rpc if it is loopback http` },
  "app-dir": { type: "string", env: "CITY_APP_DIR", help: "built web app (app/dist) to serve at /" },
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;

/**
 * `node:util` `parseArgs` options for the named flags of {@link OPTIONS}.
 * @example `parseArgs({ args, options: { ...parseArgsOptions(["data-dir", "deployment"]), json: { type: "boolean" } } })`
 */
export function parseArgsOptions<N extends OptionName>(names: readonly N[]): { [K in N]: { type: "string" } } {
  return Object.fromEntries(names.map((name) => [name, { type: OPTIONS[name].type }])) as { [K in N]: { type: "string" } };
}

/**
 * A flag's value: the flag as given, else its environment variable, else its default (undefined when it has none).
 * @example `optionValue("data-dir", values)` // ".city-data/ledger" unless --data-dir or CITY_DATA_DIR say otherwise
 */
export function optionValue(name: OptionName, values: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const o: OptionSpec = OPTIONS[name];
  const given = values[name];
  return typeof given === "string" ? given : (env[o.env] ?? o.default);
}

/** `--help` text of `cityledger node`. */
export function nodeUsage(): string {
  const lines = Object.entries(OPTIONS).map(([name, o]: [string, OptionSpec]) => {
    const def = o.default !== undefined ? ` (default ${o.default})` : "";
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
      options: parseArgsOptions(Object.keys(OPTIONS) as OptionName[]),
      strict: true,
      allowPositionals: false,
    });
    values = parsed.values;
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}. Run \`cityledger node --help\` for the options.`);
  }
  const get = (name: OptionName): string | undefined => optionValue(name, values, env);
  const dataDir = path.resolve(get("data-dir")!);
  const list = (name: OptionName) => (get(name) ?? "").split(",").map((x) => x.trim()).filter(Boolean);
  const anchorKey = get("anchor-key-file");
  const relayKey = get("relay-key-file");
  const fundingKey = get("relay-funding-key-file");
  const witnessKey = get("witness-key-file");
  const operatorKeys = list("operator-key");
  if (witnessKey && operatorKeys.length === 0) throw new ConfigError("--witness-key-file needs --operator-key: the verifier key of the log to witness.");
  for (const operatorKey of witnessKey ? operatorKeys : []) {
    try {
      parseVerifierKey(operatorKey);
    } catch (error) {
      // Checked here: a bad key would otherwise refuse every checkpoint as "not signed by the operator".
      throw new ConfigError(
        `--operator-key is not a verifier key (${(error as { shortMessage?: string }).shortMessage ?? (error as Error).message}): ` +
          "pass the operator's key as its node prints it (name+hash+base64 key), several separated by commas.",
      );
    }
  }
  const rpcUrl = url(get("rpc")!, "--rpc");
  const appDir = get("app-dir");
  return {
    rpcUrl,
    deploymentFile: path.resolve(get("deployment")!),
    dataDir,
    host: get("host")!,
    port: integer(get("port")!, "--port", 0, 65_535),
    finality: get("finality") === "finalized" ? "finalized" : { depth: integer(get("finality")!, "--finality", 0, 10_000) },
    keyFile: path.resolve(get("key-file") ?? path.join(dataDir, "node.key")),
    origin: get("origin"),
    pollIntervalMs: integer(get("poll-ms")!, "--poll-ms", 10, 3_600_000),
    maxBlockRange: BigInt(integer(get("max-block-range")!, "--max-block-range", 1, 1_000_000)),
    anchor: anchorKey
      ? {
          keyFile: path.resolve(anchorKey),
          witnessUrls: list("witness-urls").map((u) => url(u, "--witness-urls")),
          localWitnessKeyFiles: list("local-witness-key-files").map((f) => path.resolve(f)),
          everyEntries: integer(get("anchor-every-entries")!, "--anchor-every-entries", 1, 100_000_000),
          everySeconds: integer(get("anchor-every-seconds")!, "--anchor-every-seconds", 1, 30 * 86_400),
        }
      : undefined,
    witness:
      witnessKey
        ? {
            keyFile: path.resolve(witnessKey),
            operatorKeys,
            cosignKeyFile: path.resolve(get("witness-cosign-key-file") ?? path.join(dataDir, "witness-cosign.key")),
            name: keyName(get("witness-name"), "--witness-name"),
          }
        : undefined,
    relay: relayKey
      ? {
          keyFile: path.resolve(relayKey),
          poolSize: integer(get("relay-keys")!, "--relay-keys", 1, 64),
          fundingKeyFile: fundingKey ? path.resolve(fundingKey) : undefined,
          ...refillLevels(get("relay-refill-below")!, get("relay-refill-to")!),
          bumpAfterMs: integer(get("relay-bump-after-seconds")!, "--relay-bump-after-seconds", 1, 3_600) * 1_000,
          requestsPerDay: integer(get("relay-requests-per-day")!, "--relay-requests-per-day", 1, 1_000_000),
          gasPerDay: BigInt(integer(get("relay-gas-per-day")!, "--relay-gas-per-day", 21_000, 1_000_000_000_000)),
          maxGasPerRequest: BigInt(integer(get("relay-max-gas")!, "--relay-max-gas", 21_000, 30_000_000)),
          refusalsPerDay: integer(get("relay-refusals-per-day")!, "--relay-refusals-per-day", 1, 1_000_000),
          ipRequestsPerMinute: integer(get("relay-ip-per-minute")!, "--relay-ip-per-minute", 1, 1_000_000),
        }
      : undefined,
    streamsPerIp: integer(get("sse-streams-per-ip")!, "--sse-streams-per-ip", 1, 100_000),
    trustProxy: get("trust-proxy") || undefined,
    publicRpcUrl: publicRpcUrl(get("public-rpc"), rpcUrl),
    appDir: appDir ? path.resolve(appDir) : undefined,
    demoMembers: get("demo-members") ? integer(get("demo-members")!, "--demo-members", 1, 10_000) : undefined,
  };
}

/**
 * The RPC URL a browser is told to use. An explicit one must be an http(s) URL without user or password (every
 * visitor reads it; an API key in its path is the operator's choice to publish). By default, only the node's own RPC
 * when it is loopback http with nothing `redactUrl` would hide: a local dev chain, never a provider's keyed URL.
 */
function publicRpcUrl(given: string | undefined, rpcUrl: string): string | undefined {
  if (given === "none") return undefined;
  if (given) {
    const u = new URL(url(given, "--public-rpc"));
    if (u.username || u.password) {
      throw new ConfigError(`--public-rpc must not carry credentials: every browser reads it. Got ${redactUrl(given)}.`);
    }
    return given;
  }
  const u = new URL(rpcUrl);
  const loopback = u.hostname === "localhost" || u.hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(u.hostname);
  return u.protocol === "http:" && loopback && redactUrl(rpcUrl) === u.origin ? u.origin : undefined;
}

/** Reads a secp256k1 private key (hex, one line) for anchoring or witnessing. */
export function readSecpKey(file: string): `0x${string}` {
  if (!fs.existsSync(file)) throw new ConfigError(`key file ${file} does not exist.`);
  const text = fs.readFileSync(file, "utf8").trim().replace(/^0x/, "");
  if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new ConfigError(`${file} must hold a 32-byte private key in hex (64 characters).`);
  return `0x${text.toLowerCase()}`;
}

/**
 * Reads the checkpoint signing key, creating one (random, file mode 0600) on first start. The key identifies this
 * node's checkpoints: keep the file, publish its verifier key.
 */
export function loadOrCreateKey(keyFile: string): Uint8Array {
  if (!fs.existsSync(keyFile)) {
    fs.mkdirSync(path.dirname(keyFile), { recursive: true });
    // Written beside and renamed: a crash mid-write never leaves an empty key file that would block the next start.
    const tmp = `${keyFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, randomBytes(32).toString("hex") + "\n", { mode: 0o600 });
    fs.renameSync(tmp, keyFile);
  }
  const text = fs.readFileSync(keyFile, "utf8").trim().replace(/^0x/, "");
  if (!/^[0-9a-fA-F]{64}$/.test(text)) {
    throw new ConfigError(`${keyFile} must hold a 32-byte Ed25519 private key in hex (64 characters). Delete it to get a new one.`);
  }
  return Uint8Array.from(Buffer.from(text, "hex"));
}

/** A C2SP key name: non-empty, no spaces, no '+' (it is the first field of the vkey). */
function keyName(text: string | undefined, flag: string): string | undefined {
  if (text === undefined) return undefined;
  if (!text || /[\s+]/u.test(text)) throw new ConfigError(`${flag} "${text}" must be a key name without spaces or '+', e.g. witness.example.org/cityledger.`);
  return text;
}

/** The refill threshold and target, ether amounts as decimal strings (exact: no floats), the target above the threshold. */
function refillLevels(below: string, to: string): { refillBelow: bigint; refillTo: bigint } {
  const levels = { refillBelow: ether(below, "--relay-refill-below"), refillTo: ether(to, "--relay-refill-to") };
  if (levels.refillTo <= levels.refillBelow) {
    throw new ConfigError(`--relay-refill-to (${to}) must be above --relay-refill-below (${below}): a refill tops a key up past its threshold.`);
  }
  return levels;
}

function ether(text: string, flag: string): bigint {
  if (!/^\d{1,9}(\.\d{1,18})?$/.test(text)) throw new ConfigError(`${flag} must be an amount of ether such as 0.5 (at most 18 decimals), got "${text}".`);
  return parseEther(text);
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
