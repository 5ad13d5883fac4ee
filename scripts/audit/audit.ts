/**
 * `cityledger audit` as a library: re-derive the log from the chain, then run every check plug-in against it (and
 * against the node, when one is given), and gather the report.
 */
import { bytesToHex, getAddress, type Hex, type PublicClient } from "viem";
import { redactUrl } from "@cityledger/sdk/errors";
import { deriveLog } from "./derive";
import { EventIndex } from "./events";
import { NodeApi } from "./node";
import { DEFAULT_CHECKS } from "./checks";
import type { AuditCheck, AuditContext, AuditDeployment, AuditOptions, AuditReport, CheckResult } from "./types";

export interface RunAuditOptions extends AuditOptions {
  client: PublicClient;
  deployment: AuditDeployment;
  /** RPC URL for the report (credentials are stripped). */
  rpcUrl: string;
  nodeUrl?: string;
  /** First block to read (default: the deployment block). The log must start there for roots to compare. */
  fromBlock?: number;
  /** Audited block (default: the chain's head when the audit starts). */
  toBlock?: bigint;
  blockRange?: bigint;
  checks?: readonly AuditCheck[];
  /** Progress: a fraction of the download done and a line of text. */
  onProgress?: (done: number, total: number, text: string) => void;
  log?: (message: string) => void;
}

/** The chain cannot be reached or does not serve the deployment's chain (exit code 3 / 2). */
export class ChainError extends Error {
  override name = "ChainError";
  constructor(
    message: string,
    readonly usage = false,
  ) {
    super(message);
  }
}

export async function runAuditChecks(options: RunAuditOptions): Promise<AuditReport> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const timings: Record<string, number> = {};
  const log = options.log ?? (() => {});
  const { client, deployment } = options;

  let chainId: number;
  try {
    chainId = await client.getChainId();
  } catch (error) {
    throw new ChainError(`cannot reach the chain at ${redactUrl(options.rpcUrl)} (${firstLine(error)}). Is it running? Check --rpc.`);
  }
  if (chainId !== deployment.chainId) {
    throw new ChainError(`the RPC serves chain ${chainId} but the deployment record is for chain ${deployment.chainId}. Check --rpc and --deployment.`, true);
  }
  const node = options.nodeUrl ? new NodeApi(options.nodeUrl) : undefined;
  // The node's checkpoint is read before the chain's head, so the audited block covers every entry it may show.
  if (node) await node.checkpoint();
  const head = options.toBlock ?? (await client.getBlockNumber({ cacheTime: 0 }));
  const block = await client.getBlock({ blockNumber: head });
  const fromBlock = BigInt(options.fromBlock ?? deployment.deployBlock);
  const addresses = Object.values(deployment.contracts).map((c) => getAddress(c.address));

  let t = performance.now();
  const total = Number(head - fromBlock + 1n);
  const { logs, tree } = await deriveLog({
    client,
    chainId,
    addresses,
    fromBlock,
    toBlock: head,
    blockRange: options.blockRange,
    onProgress: (b, entries) => options.onProgress?.(Number(b - fromBlock + 1n), total, `block ${b}, ${entries} entries`),
  });
  timings.deriveMs = Math.round(performance.now() - t);

  const ctx: AuditContext = {
    deployment,
    client,
    block: head,
    logs,
    tree,
    events: new EventIndex(logs, deployment.contracts),
    node,
    options,
    log,
  };
  const checks = options.checks ?? DEFAULT_CHECKS;
  const results: CheckResult[] = [];
  for (const check of checks) {
    t = performance.now();
    const missing = (check.contracts ?? []).filter((c) => !ctx.events.has(c));
    if (missing.length > 0) results.push({ check: check.id, status: "skip", record: "-", message: `the deployment has no ${missing.join(", ")}` });
    else if (check.needsNode && !node) results.push({ check: check.id, status: "skip", record: "-", message: "no --node given" });
    else {
      log(`checking ${check.id}`);
      results.push(...(await check.run(ctx)));
    }
    timings[check.id] = Math.round(performance.now() - t);
  }
  results.push(await chainStable(ctx, block.hash!));
  const summary = { pass: 0, fail: 0, skip: 0 };
  for (const r of results) summary[r.status]++;
  return {
    tool: "cityledger audit",
    version: 1,
    chainId,
    rpc: redactUrl(options.rpcUrl),
    node: options.nodeUrl,
    block: head.toString(),
    blockHash: block.hash!,
    fromBlock: Number(fromBlock),
    logSize: tree.size,
    root: bytesToHex(tree.root()),
    startedAt,
    durationMs: Math.round(performance.now() - started),
    timings,
    checks: [...checks.map((c) => ({ id: c.id, title: c.title })), { id: "chain.stable", title: "the audited block kept its hash from start to end (no reorg during the audit)" }],
    results,
    summary,
    ok: summary.fail === 0,
  };
}

/**
 * The audited block is still the one the audit started from (no reorg replaced it while the logs were read and the
 * state was queried), and the logs read from it name that block. Otherwise every comparison above may mix two chains.
 */
async function chainStable(ctx: AuditContext, startHash: Hex): Promise<CheckResult> {
  const id = "chain.stable";
  const record = `block ${ctx.block}`;
  const now = (await ctx.client.getBlock({ blockNumber: ctx.block })).hash;
  const stray = ctx.logs.find((l) => l.blockNumber === ctx.block && l.blockHash !== startHash);
  if (now !== startHash || stray) {
    return {
      check: id,
      status: "fail",
      record,
      message:
        `block ${ctx.block} was ${startHash} when the audit started and is ${stray ? `${stray.blockHash} in its logs` : now} now: ` +
        "the chain reorganised during the audit. Re-run with --to-block set to a final block.",
    };
  }
  return { check: id, status: "pass", record, message: `the audited block kept hash ${startHash} throughout` };
}

function firstLine(error: unknown): string {
  return ((error as { shortMessage?: string }).shortMessage ?? (error as Error).message ?? String(error)).split("\n")[0];
}
