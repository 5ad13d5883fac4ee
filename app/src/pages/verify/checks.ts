/**
 * The browser's own checks of the node's log, each a step a person can follow: every computation is the SDK's
 * (leafFromLog, verifyCheckpoint, rootFromInclusionProof / verifyInclusion, verifyConsistency); this file only fetches,
 * runs them in order and records what each saw, so the page can show the hashes and say exactly which check failed.
 */
import { bytesToHex, hexToBytes, type Hex } from "viem";
import { leafFromLog, parseVerifierKey, verifyCheckpoint, type Checkpoint } from "@cityledger/sdk/ledger";
import { rootFromInclusionProof, verifyConsistency, verifyInclusion } from "@cityledger/sdk/merkle";
import { nodeJson, nodeText } from "../../api/node";
import type { ConsistencyProofJson, EntryJson, InclusionProofJson } from "../../api/types";

export type StepStatus = "ok" | "fail" | "skipped";

/** One check: what was compared (`facts`, as hex or text), and the SDK's or the node's words when it failed. */
export interface Step<Id extends string = string> {
  id: Id;
  status: StepStatus;
  facts: Record<string, string | string[]>;
  error?: string;
}

/** The SDK's errors say in one sentence what went wrong (shortMessage); the node's problems carry a detail. */
export function reason(error: unknown): string {
  const e = error as { shortMessage?: string; detail?: string; message?: string };
  return e.shortMessage ?? e.detail ?? e.message ?? String(error);
}

class Steps<Id extends string> {
  readonly list: Step<Id>[] = [];
  private failed = false;
  /** Runs `check` unless an earlier step failed (then it is skipped: its inputs cannot be trusted). */
  async run<T>(id: Id, check: (facts: Record<string, string | string[]>) => Promise<T> | T): Promise<T | undefined> {
    const facts: Record<string, string | string[]> = {};
    if (this.failed) {
      this.list.push({ id, status: "skipped", facts });
      return undefined;
    }
    try {
      const value = await check(facts);
      this.list.push({ id, status: "ok", facts });
      return value;
    } catch (error) {
      this.failed = true;
      this.list.push({ id, status: "fail", facts, error: reason(error) });
      return undefined;
    }
  }
}

export type InclusionStepId = "key" | "leaf" | "checkpoint" | "path" | "anchor";

/** The last anchor on chain (LedgerAnchor.latestAnchor) or, without an RPC, as the log recorded it. */
export interface AnchorView {
  size: number;
  root: Hex;
  signers: string[];
  source: "chain" | "log";
}

/**
 * Entry `seq` is in the log the node signed, and that log extends what the witnesses anchored on chain:
 * 1. the node's key parses (it is the one /v1/deployment publishes) and names the log LedgerAnchor anchors on chain;
 * 2. the leaf hash recomputed from the raw log equals the node's;
 * 3. the latest checkpoint's signature verifies with that key;
 * 4. the audit path from the leaf leads to the checkpoint's root;
 * 5. the checkpoint is consistent with the last anchor (when there is one).
 */
export async function verifyEntry(
  seq: number,
  verifierKey: string,
  lastAnchor: () => Promise<AnchorView | undefined>,
  anchoredOrigin: () => Promise<string | undefined>,
): Promise<Step<InclusionStepId>[]> {
  const steps = new Steps<InclusionStepId>();
  await steps.run("key", async (facts) => {
    const { name, hash, publicKey } = parseVerifierKey(verifierKey);
    Object.assign(facts, { key: verifierKey, name, keyHash: bytesToHex(hash), publicKey: bytesToHex(publicKey) });
    // LedgerAnchor records the origin of the log it anchors: the key must be that log's.
    const origin = await anchoredOrigin();
    if (origin === undefined) return;
    facts.chainOrigin = origin;
    if (origin !== name) throw new Error(`the key is for the log "${name}", LedgerAnchor on the chain anchors "${origin}"`);
  });
  const leaf = await steps.run("leaf", async (facts) => {
    const entry = await nodeJson<EntryJson>(`/v1/entries/${seq}`);
    const computed = bytesToHex(leafFromLog({ ...entry.log, blockNumber: BigInt(entry.log.blockNumber) }));
    Object.assign(facts, { event: entry.event ? `${entry.event.contract}.${entry.event.name}` : "—", computed, node: entry.leafHash });
    if (computed !== entry.leafHash) throw new Error(`the leaf hash of the raw log is ${computed}, the node says ${entry.leafHash}`);
    return computed;
  });
  const checkpoint = await steps.run("checkpoint", (facts) => latestSigned(verifierKey, facts));
  await steps.run("path", async (facts) => {
    const { size, root } = checkpoint as Checkpoint;
    const proof = await nodeJson<InclusionProofJson>(`/v1/proofs/inclusion?seq=${seq}&treeSize=${size}`);
    const path = proof.proof.map((h) => hexToBytes(h));
    facts.path = proof.proof;
    const leafHash = hexToBytes(leaf as Hex);
    // The root the path leads to is shown whether or not it matches: that is what a person compares.
    try {
      facts.computed = bytesToHex(rootFromInclusionProof(leafHash, seq, size, path));
    } catch {
      // malformed proof: verifyInclusion below says how
    }
    facts.expected = bytesToHex(root);
    verifyInclusion(leafHash, seq, size, path, root);
  });
  await steps.run("anchor", async (facts) => extendsAnchor(checkpoint!, await lastAnchor(), facts));
  return steps.list;
}

/** The node's latest checkpoint, its signature verified with the node's key. */
async function latestSigned(verifierKey: string, facts: Record<string, string | string[]>): Promise<Checkpoint> {
  const note = await nodeText("/v1/checkpoint");
  facts.note = note;
  const cp = verifyCheckpoint(note, verifierKey);
  Object.assign(facts, { origin: cp.origin, size: String(cp.size), root: bytesToHex(cp.root) });
  return cp;
}

/** The checkpoint extends the anchor: a consistency proof from the anchor's size (nothing to check without one). */
async function extendsAnchor(checkpoint: Checkpoint, anchor: AnchorView | undefined, facts: Record<string, string | string[]>): Promise<void> {
  if (!anchor) {
    facts.none = "true";
    return;
  }
  const { size, root } = checkpoint;
  Object.assign(facts, { source: anchor.source, anchorSize: String(anchor.size), anchorRoot: anchor.root, signers: anchor.signers, size: String(size) });
  await checkConsistency(anchor.size, anchor.root, size, bytesToHex(root), facts);
}

/** The anchors page's question: does the node's current signed checkpoint extend the last anchor? */
export async function verifyExtendsLastAnchor(verifierKey: string, anchor: AnchorView | undefined): Promise<Step<"checkpoint" | "anchor">[]> {
  const steps = new Steps<"checkpoint" | "anchor">();
  const checkpoint = await steps.run("checkpoint", (facts) => latestSigned(verifierKey, facts));
  await steps.run("anchor", (facts) => extendsAnchor(checkpoint!, anchor, facts));
  return steps.list;
}

/** The node's consistency proof from `from` to `to`, checked by the SDK against the two roots the caller trusts. */
async function checkConsistency(from: number, fromRoot: Hex, to: number, toRoot: Hex, facts: Record<string, string | string[]>): Promise<void> {
  const proof = await nodeJson<ConsistencyProofJson>(`/v1/proofs/consistency?from=${from}&to=${to}`);
  facts.proof = proof.proof;
  verifyConsistency(from, to, proof.proof.map((h) => hexToBytes(h)), hexToBytes(fromRoot), hexToBytes(toRoot));
}

export type ConsistencyStepId = "older" | "newer" | "consistency";

/** Two signed checkpoints of the node (at sizes `from` < `to`), each signature verified, and the older a prefix of the newer. */
export async function verifyCheckpoints(from: number, to: number, verifierKey: string): Promise<Step<ConsistencyStepId>[]> {
  const steps = new Steps<ConsistencyStepId>();
  const signed = async (size: number, facts: Record<string, string | string[]>) => {
    const note = await nodeText(`/v1/checkpoints/${size}`);
    facts.note = note;
    const cp = verifyCheckpoint(note, verifierKey);
    if (cp.size !== size) throw new Error(`the checkpoint asked for size ${size} is of size ${cp.size}`);
    Object.assign(facts, { size: String(cp.size), root: bytesToHex(cp.root) });
    return cp;
  };
  const older = await steps.run("older", (facts) => signed(from, facts));
  const newer = await steps.run("newer", (facts) => signed(to, facts));
  await steps.run("consistency", (facts) => checkConsistency(from, bytesToHex(older!.root), to, bytesToHex(newer!.root), facts));
  return steps.list;
}
