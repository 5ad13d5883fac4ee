/**
 * The log itself: the node's signed checkpoint, the anchors in LedgerAnchor, the entries the node serves and its
 * projections, each compared with the log re-derived from the chain.
 */
import { bytesToHex, decodeFunctionData, hexToBytes, type Hex } from "viem";
import { equalBytes, verifyConsistency } from "@cityledger/sdk/merkle";
import { CityEventDecoder, TILE_WIDTH, TileError, parseEntryBundle, tileHashes, tilePath, tileWidth, verifyCheckpoint, type Checkpoint, type TileReader } from "@cityledger/sdk/ledger";
// The node's reducers define the state hashes it reports: the audit replays the same ones (with the SDK's decoder).
import { ProjectionEngine } from "../../../ledger-node/src/projections";
import { nativeHasher } from "../derive";
import { NodeUnreachableError, type NodeEntry } from "../node";
import { DEFAULT_SAMPLE_PAGES, type AuditCheck, type AuditContext, type CheckResult } from "../types";
import { fail, pass, skip } from "./result";

const hex = (b: Uint8Array) => bytesToHex(b);
const why = (error: unknown) => (error as { shortMessage?: string }).shortMessage ?? (error as Error).message;

/** The node's latest signed checkpoint: signed by the node's key, for the root the chain gives at its size. */
export const checkpointCheck: AuditCheck = {
  id: "log.checkpoint",
  title: "the node's latest signed checkpoint verifies against its key and has the root of the re-derived log at its size",
  needsNode: true,
  async run(ctx) {
    const node = ctx.node!;
    const id = this.id;
    const latest = await node.checkpoint();
    if (!latest) return [fail(id, "checkpoint", "the node serves no checkpoint at /v1/checkpoint")];
    const key = ctx.options.nodeKey ?? latest.verifierKey;
    const keySource = ctx.options.nodeKey ? "the key given with --node-key" : "the key the node publishes (cross-checked with the anchors in log.node-key)";
    const record = `checkpoint (size ${latest.size})`;
    let cp: Checkpoint;
    try {
      cp = verifyCheckpoint(latest.note, key);
    } catch (error) {
      return [fail(id, record, `the node's checkpoint does not verify against ${keySource}: ${why(error)}`)];
    }
    const results: CheckResult[] = [];
    const expectedOrigin = await anchorOrigin(ctx);
    if (expectedOrigin !== undefined && cp.origin !== expectedOrigin) {
      results.push(fail(id, record, `the checkpoint's origin is "${cp.origin}", LedgerAnchor's is "${expectedOrigin}"`));
    }
    if (cp.size > ctx.tree.size) {
      results.push(
        fail(id, record, `the node signed a log of ${cp.size} entries but the chain has only ${ctx.tree.size} up to block ${ctx.block}: entries that no chain log explains`),
      );
      return results;
    }
    const root = ctx.tree.root(cp.size);
    const figures = { size: cp.size, nodeRoot: hex(cp.root), chainRoot: hex(root), chainSize: ctx.tree.size };
    if (hex(cp.root) !== hex(root)) {
      results.push(fail(id, record, `the node signed root ${hex(cp.root)} for size ${cp.size}; the log re-derived from the chain has root ${hex(root)}`, figures));
    } else {
      results.push(pass(id, record, `signed by ${key.split("+")[0]}, root ${hex(root)} equals the chain's at size ${cp.size}`, figures));
    }
    // A second signed root for the same size is a fork, whichever of the two the chain supports.
    const stored = await node.checkpointAt(cp.size);
    if (stored !== undefined && stored !== latest.note) {
      try {
        const other = verifyCheckpoint(stored, key);
        if (hex(other.root) !== hex(cp.root)) {
          results.push(
            fail(id, `checkpoints/${cp.size}`, `fork: the node signed two roots for size ${cp.size}: ${hex(cp.root)} (latest) and ${hex(other.root)} (/v1/checkpoints/${cp.size})`),
          );
        }
      } catch (error) {
        results.push(fail(id, `checkpoints/${cp.size}`, `the node's stored checkpoint at size ${cp.size} does not verify: ${why(error)}`));
      }
    }
    return results;
  },
};

async function anchorOrigin(ctx: AuditContext): Promise<string | undefined> {
  if (!ctx.events.has("LedgerAnchor")) return undefined;
  return (await ctx.client.readContract({
    address: ctx.events.address("LedgerAnchor"),
    abi: ctx.events.abi("LedgerAnchor"),
    functionName: "origin",
    blockNumber: ctx.block,
  })) as string;
}

interface Anchor {
  index: number;
  size: number;
  root: Hex;
  seq: number;
  txHash: Hex;
}

function anchorsOf(ctx: AuditContext): Anchor[] {
  return ctx.events
    .of("LedgerAnchor")
    .filter((e) => e.name === "Anchored")
    .map((e) => ({
      index: Number(e.args.index),
      size: Number(e.args.size),
      root: e.args.root,
      seq: e.seq,
      txHash: e.log.transactionHash,
    }));
}

/**
 * Every anchor in LedgerAnchor: its root is the re-derived log's at its size, the consistency proof it was accepted
 * with verifies from the previous anchor, and the on-chain record (`anchorAt`) is what its event said.
 */
export const anchorsCheck: AuditCheck = {
  id: "log.anchors",
  title: "every anchor in LedgerAnchor has the re-derived log's root at its size, and consecutive anchors are consistent",
  contracts: ["LedgerAnchor"],
  async run(ctx) {
    const id = this.id;
    const address = ctx.events.address("LedgerAnchor");
    const abi = ctx.events.abi("LedgerAnchor");
    const anchors = anchorsOf(ctx);
    const count = Number(
      (await ctx.client.readContract({ address, abi, functionName: "anchorCount", blockNumber: ctx.block })) as bigint,
    );
    if (anchors.length === 0 && count === 0) return [skip(id, "LedgerAnchor", "no checkpoint was anchored yet")];
    const results: CheckResult[] = [];
    if (count !== anchors.length) {
      results.push(fail(id, "LedgerAnchor.anchorCount", `anchorCount() is ${count} but the log holds ${anchors.length} Anchored events`));
    }
    let previous: { size: number; root: Hex } = { size: 0, root: hex(ctx.tree.root(0)) };
    for (const a of anchors) {
      const record = `anchor #${a.index} (size ${a.size}, entry ${a.seq})`;
      const stored = (await ctx.client.readContract({
        address,
        abi,
        functionName: "anchorAt",
        args: [BigInt(a.index)],
        blockNumber: ctx.block,
      })) as { size: bigint; root: Hex };
      if (Number(stored.size) !== a.size || stored.root !== a.root) {
        results.push(fail(id, record, `anchorAt(${a.index}) is (${stored.size}, ${stored.root}), its event said (${a.size}, ${a.root})`));
        continue;
      }
      if (a.size > ctx.tree.size) {
        results.push(fail(id, record, `anchored a log of ${a.size} entries; the chain has only ${ctx.tree.size} up to block ${ctx.block}`));
        continue;
      }
      const root = hex(ctx.tree.root(a.size));
      if (root !== a.root) {
        results.push(fail(id, record, `anchored root ${a.root}; the re-derived log has root ${root} at size ${a.size}`));
        continue;
      }
      // The proof the contract accepted, read from the anchoring transaction; recomputed from the tree if the anchor
      // came through another contract (a multisig) whose calldata is not anchor(…).
      let proof: Uint8Array[];
      let source = "the proof in the anchoring transaction";
      try {
        const tx = await ctx.client.getTransaction({ hash: a.txHash });
        const call = decodeFunctionData({ abi, data: tx.input });
        if (call.functionName !== "anchor") throw new Error("not anchor()");
        proof = (call.args![2] as Hex[]).map((p) => hexToBytes(p));
      } catch {
        proof = ctx.tree.consistencyProof(previous.size, a.size);
        source = "a proof recomputed from the re-derived tree";
      }
      try {
        verifyConsistency(previous.size, a.size, proof, hexToBytes(previous.root), hexToBytes(a.root));
        results.push(pass(id, record, `root equals the chain's; consistent with size ${previous.size} (${source})`, { size: a.size, root: a.root }));
      } catch (error) {
        results.push(fail(id, record, `not consistent with the previous anchor at size ${previous.size} (${source}): ${why(error)}`));
      }
      previous = a;
    }
    return results;
  },
};

/**
 * The node's key, when read from the node itself: its signed checkpoints at the anchored sizes verify with it and carry
 * the roots the witnesses anchored, so the key is the one whose log the witnesses vouched for.
 */
export const nodeKeyCheck: AuditCheck = {
  id: "log.node-key",
  title: "the node's verifier key signed the checkpoints the witnesses anchored",
  needsNode: true,
  contracts: ["LedgerAnchor"],
  async run(ctx) {
    const id = this.id;
    const node = ctx.node!;
    const key = ctx.options.nodeKey ?? (await node.checkpoint())?.verifierKey;
    const anchors = anchorsOf(ctx);
    if (key === undefined) return [fail(id, "verifier key", "the node publishes no checkpoint (and so no key) at /v1/checkpoint")];
    if (anchors.length === 0) {
      return [skip(id, "verifier key", ctx.options.nodeKey ? "no anchor to cross-check the given key with" : "no anchor yet: the key the node publishes is unconfirmed")];
    }
    const results: CheckResult[] = [];
    let latest: { checkpoint?: Checkpoint; error?: string } | undefined;
    for (const a of anchors) {
      const record = `checkpoints/${a.size} (anchor #${a.index})`;
      const note = await node.checkpointAt(a.size);
      if (note === undefined) {
        // In a federation another operator's node may have anchored a size at which this node's ingest batches never
        // ended: its latest signed checkpoint must then extend the anchored one.
        latest ??= await latestSigned(node, key);
        results.push(await extendsAnchor(id, record, node, a, latest));
        continue;
      }
      try {
        const cp = verifyCheckpoint(note, key);
        if (hex(cp.root) !== a.root) results.push(fail(id, record, `the node signed root ${hex(cp.root)} at size ${a.size}; the witnesses anchored ${a.root}`));
        else results.push(pass(id, record, `signed with ${key.split("+")[0]} for the anchored root`));
      } catch (error) {
        results.push(fail(id, record, `the node's checkpoint at the anchored size ${a.size} does not verify with its key: ${why(error)}`));
      }
    }
    return results;
  },
};

async function latestSigned(node: NonNullable<AuditContext["node"]>, key: string): Promise<{ checkpoint?: Checkpoint; error?: string }> {
  const latest = await node.checkpoint();
  try {
    return { checkpoint: verifyCheckpoint(latest.note, key) };
  } catch (error) {
    return { error: `its latest checkpoint does not verify with its key: ${why(error)}` };
  }
}

/** Whether the node's latest signed checkpoint extends anchor `a`, by the node's consistency proof between the two. */
async function extendsAnchor(
  id: string,
  record: string,
  node: NonNullable<AuditContext["node"]>,
  a: Anchor,
  latest: { checkpoint?: Checkpoint; error?: string },
): Promise<CheckResult> {
  const missing = `the node has no signed checkpoint at the anchored size ${a.size}`;
  const cp = latest.checkpoint;
  if (!cp) return fail(id, record, `${missing}, and ${latest.error}`);
  if (cp.size < a.size) return fail(id, record, `${missing}, and its latest signed checkpoint (size ${cp.size}) is smaller`);
  const answer = await node.json<{ proof: Hex[] }>(`/v1/proofs/consistency?from=${a.size}&to=${cp.size}`);
  try {
    if (!answer || !Array.isArray(answer.proof)) throw new Error("the node serves no consistency proof between them");
    verifyConsistency(a.size, cp.size, answer.proof.map((p) => hexToBytes(p)), hexToBytes(a.root), cp.root);
    return pass(id, record, `no checkpoint signed at this size; its signed checkpoint at size ${cp.size} extends the anchored root (consistency proof)`);
  } catch (error) {
    return fail(id, record, `${missing}, and its signed checkpoint at size ${cp.size} does not extend the anchored root ${a.root}: ${why(error)}`);
  }
}

/** The node's largest page of entries. */
const MAX_PAGE = 1000;
/** Entries per sampled page. */
const SAMPLE_PAGE = 250;

/**
 * The entries the node serves, leaf by leaf, against the re-derived ones: an altered, dropped, added or reordered
 * entry is named by its sequence number (the first bad one, and what it looks like).
 */
export const entriesCheck: AuditCheck = {
  id: "log.entries",
  title: "the entries the node serves are the re-derived ones (leaf inputs and leaf hashes, in order; sampled pages unless --all-entries)",
  needsNode: true,
  async run(ctx) {
    const id = this.id;
    const node = ctx.node!;
    const sample = ctx.options.entrySamplePages ?? DEFAULT_SAMPLE_PAGES;
    // Sampled pages are shorter: the node serves an entry ~10× slower than eth_getLogs gives one, and smaller pages
    // spread the same cost over more places in the log.
    const page = Math.min(MAX_PAGE, Math.max(1, ctx.options.entryPageSize ?? (sample === "all" ? MAX_PAGE : SAMPLE_PAGE)));
    const tiles = sample === "all" && ctx.options.entrySource !== "api" ? await node.tiles() : undefined;
    if (tiles) return compareTiles(ctx, id, tiles.reader, tiles.size);
    const first = await node.entries(0, 1);
    const size = Math.min(first.size, ctx.tree.size);
    const pages = Math.ceil(size / page);
    let chosen = [...Array(pages).keys()];
    if (sample !== "all" && sample < pages) {
      // The first and last pages, and evenly spread ones between (deterministic: a re-run checks the same pages).
      const picks = new Set([0, pages - 1]);
      for (let i = 1; i <= sample; i++) picks.add(Math.floor((i * pages) / (sample + 1)));
      chosen = [...picks].sort((a, b) => a - b);
    }
    const mismatches: Mismatch[] = [];
    let checked = 0;
    const concurrency = 4;
    for (let i = 0; i < chosen.length; i += concurrency) {
      const batch = chosen.slice(i, i + concurrency);
      const answers = await Promise.all(batch.map((p) => node.entries(p * page, Math.min(page, size - p * page))));
      answers.forEach((answer, k) => {
        const from = batch[k] * page;
        const want = Math.min(page, size - from);
        for (let j = 0; j < want; j++) {
          const seq = from + j;
          const got = answer.entries[j];
          checked++;
          if (!got || got.seq !== seq || !sameLeaf(got, ctx, seq)) mismatches.push({ seq, got, next: answer.entries[j + 1] });
        }
      });
      ctx.log(`entries: ${checked} compared`);
    }
    const figures = { nodeSize: first.size, chainSize: ctx.tree.size, compared: checked };
    return verdict(ctx, id, size, mismatches, figures, `${checked} entries${chosen.length < pages ? ` (${chosen.length} of ${pages} pages of ${page}, sampled; --all-entries compares all)` : ""}`);
  },
};

interface Mismatch {
  seq: number;
  got: NodeEntry | undefined;
  next: NodeEntry | undefined;
}

function verdict(ctx: AuditContext, id: string, size: number, mismatches: Mismatch[], figures: Record<string, number>, what: string): CheckResult[] {
  if (mismatches.length === 0) return [pass(id, `entries 0..${size - 1}`, `${what} equal the re-derived ones`, figures)];
  const { seq, got, next } = mismatches[0];
  return [fail(id, `entry ${seq}`, `${describe(ctx, seq, got, next)}; ${mismatches.length} entries differ in all`, { ...figures, firstBadSeq: seq, badEntries: mismatches.length })];
}

/** Bundles (and their level-0 tiles) read at once: enough to keep the node and the loopback busy. */
const TILE_CONCURRENCY = 8;

/**
 * Every entry from the node's C2SP tlog-tiles: each entry bundle's leaf inputs and the level-0 tile beside it (the leaf
 * hashes tile clients build proofs from), against the re-derived leaves, compared as bytes. Tiles are read at the
 * widths of the node's tlog-tiles checkpoint (`nodeSize`); a bundle the node cannot serve because an entry exceeds
 * the format's 65,535 bytes is read from /v1/entries instead.
 */
async function compareTiles(ctx: AuditContext, id: string, reader: TileReader, nodeSize: number): Promise<CheckResult[]> {
  const size = Math.min(nodeSize, ctx.tree.size);
  const bundles = Math.ceil(size / TILE_WIDTH);
  const mismatches: Mismatch[] = [];
  let checked = 0;
  let fromApi = 0;
  let next = 0;
  const readBundle = async (index: number): Promise<{ inputs: Uint8Array[]; hashes: Uint8Array[] }> => {
    const tile = { level: 0, index, width: tileWidth(0, index, nodeSize) };
    try {
      const bundle = { ...tile, level: "entries" as const };
      const [entries, bytes] = await Promise.all([reader.tile(bundle), reader.tile(tile)]);
      // Parsed without its expected count: a bundle that lost or gained an entry is compared entry by entry, so the
      // first bad one is named.
      return { inputs: parseEntryBundle(entries, undefined, tilePath(bundle)), hashes: tileHashes(bytes, tile) };
    } catch (error) {
      if (!(error instanceof TileError)) throw error;
      if (error.code === "unreachable" || error.code === "http-error") throw new NodeUnreachableError(error.shortMessage);
      // A bundle or tile missing or malformed: its entries are missing from what the node serves.
      if (error.code !== "entry-too-large") return { inputs: [], hashes: [] };
      fromApi += tile.width;
      const page = await ctx.node!.entries(index * TILE_WIDTH, tile.width);
      return { inputs: page.entries.map((e) => hexToBytes(e.leafInput as Hex)), hashes: page.entries.map((e) => hexToBytes(e.leafHash as Hex)) };
    }
  };
  const worker = async () => {
    for (let index = next++; index < bundles; index = next++) {
      const { inputs, hashes } = await readBundle(index);
      const entry = (j: number): NodeEntry | undefined =>
        j < inputs.length ? { seq: index * TILE_WIDTH + j, leafInput: hex(inputs[j]), leafHash: hashes[j] ? hex(hashes[j]) : "" } : undefined;
      const count = Math.min(TILE_WIDTH, size - index * TILE_WIDTH);
      for (let j = 0; j < count; j++) {
        const seq = index * TILE_WIDTH + j;
        const want = ctx.tree.leafHash(seq);
        const ok = j < inputs.length && equalBytes(nativeHasher.hashLeaf(inputs[j]), want) && hashes[j] !== undefined && equalBytes(hashes[j], want);
        if (!ok) mismatches.push({ seq, got: entry(j), next: entry(j + 1) });
      }
      checked += count;
      if (index % 64 === 63) ctx.log(`entries: ${checked} compared (tiles)`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(TILE_CONCURRENCY, Math.max(1, bundles)) }, worker));
  mismatches.sort((a, b) => a.seq - b.seq);
  const figures = { nodeSize, chainSize: ctx.tree.size, compared: checked, bundles, ...(fromApi ? { fromApi } : {}) };
  const api = fromApi ? `, ${fromApi} of them from /v1/entries: too long for a bundle` : "";
  return verdict(ctx, id, size, mismatches, figures, `${checked} entries (every one, from ${bundles} tlog-tiles entry bundles and level-0 tiles${api})`);
}

function leafHashOf(input: Hex): Hex {
  return bytesToHex(nativeHasher.hashLeaf(hexToBytes(input)));
}

function sameLeaf(got: NodeEntry, ctx: AuditContext, seq: number): boolean {
  const want = hex(ctx.tree.leafHash(seq));
  return typeof got.leafInput === "string" && got.leafHash === want && leafHashOf(got.leafInput as Hex) === want;
}

/** What the node's entry at `seq` is, compared with the chain's: altered, dropped, duplicated or moved. */
function describe(ctx: AuditContext, seq: number, got: NodeEntry | undefined, next: NodeEntry | undefined): string {
  if (!got) return `entry ${seq} is missing from the node's answer (dropped)`;
  if (got.seq !== seq) return `the node answered entry ${got.seq} where entry ${seq} belongs`;
  const servedHash = typeof got.leafInput === "string" ? leafHashOf(got.leafInput as Hex) : "";
  if (servedHash !== got.leafHash) return `entry ${seq} was altered: its leaf input does not hash to the leaf hash served with it`;
  const at = findLeaf(ctx, servedHash);
  if (at === undefined) return `entry ${seq} was altered: the node serves a leaf no chain log gives (leaf hash ${servedHash})`;
  if (at < seq) return `entry ${seq} is a duplicate: the node serves the chain's entry ${at} again at ${seq}`;
  const nextAt = next && typeof next.leafInput === "string" ? findLeaf(ctx, leafHashOf(next.leafInput as Hex)) : undefined;
  if (at === seq + 1 && nextAt === seq) {
    return `entries reordered: the node's entry ${seq} is the chain's entry ${seq + 1} and its entry ${seq + 1} the chain's entry ${seq}`;
  }
  if (at === seq + 1) return `entry ${seq} was dropped: the node's entry ${seq} is the chain's entry ${seq + 1}`;
  return `entries dropped or reordered: the node's entry ${seq} is the chain's entry ${at}`;
}

function findLeaf(ctx: AuditContext, leafHash: string): number | undefined {
  for (let seq = 0; seq < ctx.tree.size; seq++) if (hex(ctx.tree.leafHash(seq)) === leafHash) return seq;
  return undefined;
}

/**
 * The node's projections: the state hash it reports at `seq` equals a replay of the re-derived log's first `seq`
 * entries through the projection reducers; a differing domain is named.
 */
export const projectionsCheck: AuditCheck = {
  id: "log.projections",
  title: "the node's projection state hashes equal a replay of the re-derived log",
  needsNode: true,
  async run(ctx) {
    const id = this.id;
    const state = await ctx.node!.state();
    if (!state) return [skip(id, "/v1/state", "the node's projections are not ready (503): re-run later")];
    if (state.seq > ctx.tree.size) {
      return [fail(id, `projections at seq ${state.seq}`, `the node's projections reflect ${state.seq} entries; the chain has ${ctx.tree.size}`)];
    }
    const engine = new ProjectionEngine();
    const empty = new Uint8Array();
    engine.applyLog(
      ctx.logs.slice(0, state.seq).map((log, seq) => ({ seq, log, leafInput: empty, leafHash: empty })),
      new CityEventDecoder(ctx.deployment),
    );
    const mine = engine.stateHashes();
    const results: CheckResult[] = [];
    for (const name of new Set([...Object.keys(mine.domains), ...Object.keys(state.domains)])) {
      const record = `projection ${name} (seq ${state.seq})`;
      if (mine.domains[name] === state.domains[name]) results.push(pass(id, record, `hash ${mine.domains[name]} equals the replay's`));
      else
        results.push(
          fail(id, record, `the node's ${name} projection hashes to ${state.domains[name] ?? "(none)"}; a replay of the chain's first ${state.seq} entries gives ${mine.domains[name] ?? "(no such domain)"}`),
        );
    }
    if (mine.stateHash !== state.stateHash && results.every((r) => r.status === "pass")) {
      results.push(fail(id, `state (seq ${state.seq})`, `the node's state hash ${state.stateHash} differs from the replay's ${mine.stateHash}`));
    }
    return results;
  },
};
