/**
 * The vocabulary of `cityledger audit`: what a check is given ({@link AuditContext}), what it returns
 * ({@link CheckResult}) and the report they make ({@link AuditReport}).
 *
 * Checks are plug-ins ({@link AuditCheck}): each reads the log re-derived from the chain, and the chain or the node when
 * it needs them, and returns one result per record it vouches for. Adding a domain (ballots, governance tallies) is
 * adding a plug-in to `checks/index.ts`.
 */
import type { PublicClient } from "viem";
import type { MemoryTree } from "@cityledger/sdk/merkle";
import type { RawLog } from "@cityledger/sdk/ledger";
import type { NodeApi } from "./node";
import type { EventIndex } from "./events";

/** Pages of the node's entries compared by default: a dishonest node's altered page is found with the other flags. */
export const DEFAULT_SAMPLE_PAGES = 8;

export type CheckStatus = "pass" | "fail" | "skip";

/** One named verdict about one record. */
export interface CheckResult {
  /** Stable id of the check, e.g. `currency.balances`. */
  check: string;
  status: CheckStatus;
  /** The record it concerns, e.g. `entry 41`, `CityCoin.balanceOf(0xabc…)`, `anchor #2 (size 120)`. */
  record: string;
  /** One sentence: what was found. */
  message: string;
  /** Figures an auditor files (amounts as decimal strings). */
  figures?: Record<string, string | number>;
}

/** The deployment record fields the audit reads (a `deployments/<chainId>.json`; ABIs, when present, are not used). */
export interface AuditDeployment {
  chainId: number;
  deployBlock: number;
  contracts: Readonly<Record<string, { address: string; abi?: readonly unknown[] }>>;
}

/** What every check may read. */
export interface AuditContext {
  deployment: AuditDeployment;
  client: PublicClient;
  /** The audited block: every chain read is made at it, the log covers the deployment block up to it. */
  block: bigint;
  /** Every log of the deployment's contracts up to {@link block}, in (block, logIndex) order: entry `seq` = logs[seq]. */
  logs: readonly RawLog[];
  /** The RFC 6962 tree of {@link logs}, built with the SDK only. */
  tree: MemoryTree;
  /** Decoded events of the deployment's contracts, by contract name. */
  events: EventIndex;
  /** The ledger node, when `--node` was given. */
  node?: NodeApi;
  options: AuditOptions;
  /** Progress messages (stderr). */
  log(message: string): void;
}

export interface AuditOptions {
  /**
   * Pages of the node's entries to compare between the first and the last (default {@link DEFAULT_SAMPLE_PAGES},
   * pages of 250 entries); `"all"` compares every entry (pages of 1,000).
   */
  entrySamplePages?: number | "all";
  /** Entries per page read from the node (default 250 when sampling, 1,000 for all; at most 1,000, the node's limit). */
  entryPageSize?: number;
  /**
   * Where `"all"` reads the node's entries: `"auto"` (default) from its C2SP tlog-tiles entry bundles and level-0 tiles
   * when it serves them (static, ~10× faster than pages of JSON), else from /v1/entries; `"api"` always /v1/entries.
   */
  entrySource?: "auto" | "api";
  /** The node's verifier key, when the auditor has it from the operator (else read from the node and cross-checked). */
  nodeKey?: string;
}

/** A check plug-in. */
export interface AuditCheck {
  /** Id prefix of its results, e.g. `currency`. */
  id: string;
  /** What it checks, one line (the Markdown report lists these). */
  title: string;
  /** Contracts it needs in the deployment: skipped (with a note) when one is missing. */
  contracts?: readonly string[];
  /** Whether it needs the node. */
  needsNode?: boolean;
  run(ctx: AuditContext): Promise<CheckResult[]>;
}

export interface AuditReport {
  tool: "cityledger audit";
  version: 1;
  chainId: number;
  rpc: string;
  node?: string;
  block: string;
  blockHash: string;
  fromBlock: number;
  logSize: number;
  root: string;
  startedAt: string;
  durationMs: number;
  timings: Record<string, number>;
  checks: { id: string; title: string }[];
  results: CheckResult[];
  summary: { pass: number; fail: number; skip: number };
  ok: boolean;
}
