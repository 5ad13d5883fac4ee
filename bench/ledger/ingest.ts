/**
 * Sustained ingest: entries/s through `LogStore.append` (ABI-encode each leaf, hash it, build the perfect nodes, sign
 * the checkpoint, write one LevelDB batch per call) against raw LevelDB batches of the same keys and value sizes:
 * per entry its entry, index and level-0 node keys, the interior nodes it completes, and per batch the checkpoint
 * and the cursor. The baseline's keys and values are prepared before the clock starts; the store's are its work.
 *
 * Measured twice: with `sync: false`, what the node uses (`LogStore`'s default: a batch is atomic, and a crash loses
 * at most the last batches, re-ingested from the chain), and with `sync: true` (every batch flushed to disk before
 * `append` resolves); the baseline always writes with the same option. Rounds alternate baseline and store, each in a
 * fresh directory, so load from other processes hits both alike. CPU time (all threads of the process) is reported
 * beside wall time: it moves much less with the machine's load.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Level } from "level";
import { hexToBytes } from "viem";
import { encodeLeafInput, formatCheckpoint, signNote, type NoteSigner } from "@cityledger/sdk/ledger";
import { LogStore, type LogStoreOptions } from "../../ledger-node/src/log/store";
import { CURSOR_KEY, checkpointKey, entryKey, indexKey, nodeKey, u64 } from "../../ledger-node/src/log/keys";
import type { RawLog } from "../../ledger-node/src/types";
import type { DeploymentRecord } from "../../scripts/lib/deploy";
import { CityLog } from "./city";
import { fmt, progress, ratio, round, type Figure } from "./report";

export interface IngestOptions {
  record: DeploymentRecord;
  signer: NoteSigner;
  /** Entries per round (e.g. 200,000). */
  entries: number;
  /** Entries per append (e.g. 5,000). */
  batchSize: number;
}

/** The logs to append and the baseline's batches, prepared once for every measurement. */
export interface IngestWork {
  options: IngestOptions;
  batches: Batch[];
  ops: Op[][];
}

interface Batch {
  logs: RawLog[];
  cursor: { block: bigint; blockHash: `0x${string}` };
}

type Op = [Buffer, Buffer];

/** The keys and value sizes `LogStore.append` writes for `batches`, with stand-in hashes of the right size. */
function rawBatches(batches: Batch[], signer: NoteSigner): Op[][] {
  let size = 0;
  return batches.map(({ logs, cursor }) => {
    const ops: Op[] = [];
    for (const log of logs) {
      ops.push([entryKey(size), Buffer.from(hexToBytes(encodeLeafInput(log)))]);
      ops.push([indexKey(log.transactionHash, log.logIndex), u64(size)]);
      ops.push([nodeKey(0, size), randomBytes(32)]);
      size += 1;
      // Appending leaf `size - 1` completes one perfect node per trailing zero bit of `size`.
      for (let level = 1; size % 2 ** level === 0; level++) {
        ops.push([nodeKey(level, (size - 2 ** level) / 2 ** level), randomBytes(32)]);
      }
    }
    const note = signNote(formatCheckpoint({ origin: signer.name, size, root: randomBytes(32) }), signer);
    ops.push([checkpointKey(size), Buffer.from(note)]);
    ops.push([CURSOR_KEY, Buffer.from(JSON.stringify({ block: cursor.block.toString(), blockHash: cursor.blockHash, size }))]);
    return ops;
  });
}

interface Round {
  ms: number;
  cpuMs: number;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
}

async function rawRound(ops: Op[][], sync: boolean): Promise<Round & { keys: number; bytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), "cityledger-bench-raw-"));
  const db = new Level<Buffer, Buffer>(dir, { keyEncoding: "buffer", valueEncoding: "buffer" });
  await db.open();
  let keys = 0;
  let bytes = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (const batch of ops) {
    const b = db.batch();
    for (const [k, v] of batch) {
      b.put(k, v);
      keys += 1;
      bytes += k.length + v.length;
    }
    await b.write({ sync });
  }
  const ms = performance.now() - started;
  const used = cpuMs(cpu);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  return { ms, cpuMs: used, keys, bytes };
}

async function storeRound(batches: Batch[], options: Omit<LogStoreOptions, "dir">): Promise<Round & { root: string }> {
  const dir = mkdtempSync(join(tmpdir(), "cityledger-bench-store-"));
  const store = await LogStore.open({ dir, ...options });
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (const { logs, cursor } of batches) await store.append(logs, cursor);
  const ms = performance.now() - started;
  const used = cpuMs(cpu);
  const root = Buffer.from(store.root()).toString("hex");
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { ms, cpuMs: used, root };
}

/** Generates the logs (city events, see city.ts) and the baseline's batches: none of it is timed. */
export function prepareIngest(options: IngestOptions): IngestWork {
  const { entries, batchSize, signer } = options;
  progress(`ingest: generating ${fmt(entries)} city logs and the baseline's batches…`);
  const city = new CityLog(options.record);
  const batches: Batch[] = [];
  for (let n = 0; n < entries; n += batchSize) {
    const logs = city.take(Math.min(batchSize, entries - n));
    batches.push({ logs, cursor: city.cursor });
  }
  return { options, batches, ops: rawBatches(batches, signer) };
}

/** Alternating rounds of raw LevelDB and `LogStore.append`, both with LevelDB's `sync` set to `sync`. */
export async function measureIngest(work: IngestWork, sync: boolean, rounds: number): Promise<Figure> {
  const { batches, ops } = work;
  const { entries, batchSize, signer } = work.options;
  const storeOptions = { origin: signer.name, signer, sync, genesis: { block: 9n, blockHash: `0x${"00".repeat(32)}` as const, size: 0 } };
  const label = `ingest (sync: ${sync})`;

  const raw: Round[] = [];
  const store: Round[] = [];
  let shape = { keys: 0, bytes: 0 };
  const roots = new Set<string>();
  for (let r = 1; r <= rounds; r++) {
    const a = await rawRound(ops, sync);
    raw.push(a);
    shape = { keys: a.keys, bytes: a.bytes };
    progress(`${label} round ${r}/${rounds}: raw LevelDB ${fmt((entries * 1000) / a.ms)} entries/s (${(a.ms / 1000).toFixed(2)} s)`);
    const b = await storeRound(batches, storeOptions);
    store.push(b);
    roots.add(b.root);
    progress(`${label} round ${r}/${rounds}: LogStore.append ${fmt((entries * 1000) / b.ms)} entries/s (${(b.ms / 1000).toFixed(2)} s)`);
  }
  if (roots.size !== 1) throw new Error("ingest: the rounds built different trees");

  const total = (xs: Round[], k: keyof Round) => xs.reduce((s, x) => s + x[k], 0);
  // Pooled over the rounds: total entries / total time.
  const value = round((entries * rounds * 1000) / total(store, "ms"));
  const baseline = round((entries * rounds * 1000) / total(raw, "ms"));
  const r = ratio(value, baseline);
  return {
    value,
    unit: "entries/s",
    baseline,
    baselineWhat: `raw LevelDB chained batches of the same keys and value sizes (prepared before timing), sync: ${sync} as well`,
    ratio: r,
    ratioMeans: "store throughput / raw LevelDB throughput; higher is better",
    targets: {
      ratio: { want: ">= 0.25", met: r >= 0.25 },
      absolute: { want: ">= 10,000 entries/s", met: value >= 10_000 },
    },
    detail: {
      entries,
      batchSize,
      rounds,
      sync: sync
        ? "sync: true (LogStoreOptions.sync): each batch is flushed to disk before append resolves"
        : "sync: false, LogStore's default and what the node uses (LevelDB writes the batch to its log file without fsync)",
      storeRoundsEntriesPerSecond: store.map((x) => round((entries * 1000) / x.ms)),
      rawRoundsEntriesPerSecond: raw.map((x) => round((entries * 1000) / x.ms)),
      storeCpuMicrosPerEntry: round((total(store, "cpuMs") * 1000) / (entries * rounds), 1),
      rawCpuMicrosPerEntry: round((total(raw, "cpuMs") * 1000) / (entries * rounds), 1),
      keysPerRound: shape.keys,
      bytesPerRound: shape.bytes,
      logs: "city events (MemberRegistered, MembershipMirrored, Issued, Transfer…) ABI-encoded with viem; see bench/ledger/city.ts",
      context: "Tessera's POSIX log was reported at ~2,900 entries/s (different hardware and durability): context only, not a baseline",
    },
  };
}
