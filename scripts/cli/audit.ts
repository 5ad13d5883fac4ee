/**
 * `cityledger audit --rpc URL --deployment FILE [--node URL] …`: re-derives the city's log from the chain and checks
 * the node, the anchors and the money against it. Exit codes: 0 no discrepancy, 1 a discrepancy (named), 2 usage or
 * configuration error, 3 the chain or the node cannot be reached.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { createPublicClient, http, type PublicClient } from "viem";
import { parseVerifierKey } from "@cityledger/sdk/ledger";
import { ConfigError } from "../../ledger-node/src/config";
import { readDeployment } from "../../ledger-node/src/deployment";
import { Progress } from "../lib/progress";
import { ChainError, runAuditChecks } from "../audit/audit";
import { NodeUnreachableError } from "../audit/node";
import { firstFailure, markdownReport, terminalSummary } from "../audit/report";

export const EXIT = { ok: 0, discrepancy: 1, usage: 2, unreachable: 3 } as const;

const USAGE = `Usage: cityledger audit --rpc URL --deployment FILE [--node URL] [options]

Re-derives the city's log from the chain (eth_getLogs of every contract of the deployment → RFC 6962 leaves → Merkle
tree), independently of any ledger node, then checks against it: the node's signed checkpoint and its entries and
projections (with --node), every anchor in LedgerAnchor and the consistency between them, CityCoin balances, supply
and reserve, basic-income budgets, the escrows of ParkingExchange and EnergyMarket, and the participatory budget's
escrow and held tranches.

  --rpc URL            JSON-RPC URL of the chain (required)
  --deployment FILE    deployment record, deployments/<chainId>.json (required)
  --node URL           a ledger node to audit (its checkpoint, entries and projections)
  --node-key KEY       the node's verifier key, as the operator published it (default: read from the node, then
                       cross-checked against the anchors)
  --out FILE           write the report as JSON
  --markdown FILE      write the report as Markdown, to file with an auditor's records
  --json               print the JSON report on stdout instead of the summary
  --from-block N       first block to read (default: the deployment block; the node's log starts there)
  --to-block N         audited block (default: the chain's head)
  --sample-pages N     pages (of 250) of the node's entries to compare: the first, the last and N spread between
                       (default 8)
  --all-entries        compare every entry the node serves, read from its C2SP tlog-tiles (entry bundles and
                       level-0 tiles; /v1/entries pages when it serves no tiles, ~10× slower)
  --block-range N      blocks per eth_getLogs (default 2000; halved when the RPC refuses)
  -h, --help           this help

Exit codes: 0 no discrepancy, 1 a discrepancy (the summary names the record), 2 bad usage or configuration,
3 the chain or the node cannot be reached.`;

const OPTIONS = {
  rpc: { type: "string" },
  deployment: { type: "string" },
  node: { type: "string" },
  "node-key": { type: "string" },
  out: { type: "string" },
  markdown: { type: "string" },
  json: { type: "boolean" },
  "from-block": { type: "string" },
  "to-block": { type: "string" },
  "sample-pages": { type: "string" },
  "all-entries": { type: "boolean" },
  "block-range": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Runs the audit command; returns its exit code. */
export async function runAudit(argv: string[]): Promise<number> {
  let values: { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]["type"] extends "boolean" ? boolean : string };
  try {
    values = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return usage(`${(error as Error).message}. Run \`cityledger audit --help\` for the options.`);
  }
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  let progress: Progress | undefined;
  try {
    if (!values.rpc) throw new ConfigError("--rpc is required: the JSON-RPC URL of the chain to audit (e.g. --rpc http://127.0.0.1:8545).");
    if (!values.deployment) throw new ConfigError("--deployment is required: the city's deployment record (e.g. --deployment deployments/31337.json).");
    const rpc = url(values.rpc, "--rpc");
    const nodeUrl = values.node === undefined ? undefined : url(values.node, "--node");
    const deployment = readDeployment(path.resolve(values.deployment));
    const nodeKey = values["node-key"];
    if (nodeKey !== undefined) {
      try {
        parseVerifierKey(nodeKey);
      } catch (error) {
        throw new ConfigError(`--node-key is not a verifier key (${(error as { shortMessage?: string }).shortMessage ?? (error as Error).message}): pass it as the node prints it (name+hash+base64 key).`);
      }
    }
    const fromBlock = optionalInt(values["from-block"], "--from-block");
    const toBlock = optionalInt(values["to-block"], "--to-block");
    const samplePages = optionalInt(values["sample-pages"], "--sample-pages");
    const blockRange = optionalInt(values["block-range"], "--block-range");
    if (fromBlock !== undefined && fromBlock !== deployment.deployBlock) {
      process.stderr.write(`note: --from-block ${fromBlock} is not the deployment block ${deployment.deployBlock}: roots will not match a node's log.\n`);
    }
    const client = createPublicClient({ transport: http(rpc, { retryCount: 0, timeout: 60_000 }) }) as PublicClient;
    const tty = Boolean(process.stderr.isTTY);
    let last = 0;
    const report = await runAuditChecks({
      client,
      deployment,
      rpcUrl: rpc,
      nodeUrl,
      nodeKey,
      fromBlock,
      toBlock: toBlock === undefined ? undefined : BigInt(toBlock),
      entrySamplePages: values["all-entries"] ? "all" : samplePages,
      blockRange: blockRange === undefined ? undefined : BigInt(blockRange),
      // The bar counts percent of the blocks read (at most 100 redraws, whatever the chain's length).
      onProgress: tty
        ? (done, total, text) => {
            if (!progress) {
              progress = new Progress(100);
              progress.begin("re-deriving the log from the chain");
            }
            for (const pct = Math.floor((100 * done) / Math.max(1, total)); last < pct; last++) progress.step(text);
          }
        : undefined,
      log: tty ? (m) => progress?.begin(m) : undefined,
    });
    progress?.finish("audit done");
    progress = undefined;
    const json = JSON.stringify(report, null, 2) + "\n";
    if (values.out) fs.writeFileSync(path.resolve(values.out), json);
    if (values.markdown) fs.writeFileSync(path.resolve(values.markdown), markdownReport(report));
    if (values.json) process.stdout.write(json);
    else console.log(terminalSummary(report));
    if (!report.ok) {
      console.error(`error: discrepancy: ${firstFailure(report)}`);
      return EXIT.discrepancy;
    }
    return EXIT.ok;
  } catch (error) {
    progress?.abort();
    if (error instanceof ConfigError) return usage(error.message);
    if (error instanceof ChainError) {
      console.error(`error: ${error.message}`);
      return error.usage ? EXIT.usage : EXIT.unreachable;
    }
    if (error instanceof NodeUnreachableError) {
      console.error(`error: ${error.message}`);
      return EXIT.unreachable;
    }
    if (isUnreachable(error)) {
      console.error(`error: lost the chain during the audit (${(error as Error).message.split("\n")[0]}). Check --rpc and re-run.`);
      return EXIT.unreachable;
    }
    throw error;
  }
}

function usage(message: string): number {
  console.error(`error: ${message}`);
  return EXIT.usage;
}

function url(text: string, flag: string): string {
  try {
    const u = new URL(text);
    if (u.protocol === "http:" || u.protocol === "https:") return text;
  } catch {
    // fall through
  }
  throw new ConfigError(`${flag} must be an http(s) URL, got "${text}".`);
}

function optionalInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new ConfigError(`${flag} must be a whole number, got "${text}".`);
  return Number(text);
}

/** viem's HTTP and timeout errors: the chain went away mid-audit. */
function isUnreachable(error: unknown): boolean {
  const name = (error as { name?: string }).name ?? "";
  return name === "HttpRequestError" || name === "TimeoutError" || /fetch failed|ECONNREFUSED/.test(String((error as Error).message));
}
