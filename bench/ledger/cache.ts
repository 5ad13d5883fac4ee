/**
 * The big log the proof and replay benchmarks read: `entries` city events appended with `LogStore.append` in batches
 * of 5,000, kept in `bench/.cache/log-<entries>/` (git-ignored) and reused while its `meta.json` matches, since
 * building a million entries takes minutes. A half-built log (no `meta.json`) is rebuilt.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { NoteSigner } from "@cityledger/sdk/ledger";
import { LogStore } from "../../ledger-node/src/log/store";
import type { DeploymentRecord } from "../../scripts/lib/deploy";
import { CityLog, GENERATOR_VERSION } from "./city";
import { fmt, progress, round } from "./report";

export const CACHE_DIR = join(__dirname, "..", ".cache");

interface Meta {
  version: number;
  entries: number;
  members: number;
  origin: string;
  root: string;
  buildSeconds: number;
}

export interface BenchLog {
  store: LogStore;
  dir: string;
  city: { members: number; setupEvents: number };
  /** Whether this run built the log (else it was reused from the cache). */
  built: boolean;
  /** Build time of the cached log (this run's or the run that built it). */
  buildSeconds: number;
}

/** Creates `bench/.cache/` with a `.gitignore` of `*`, so nothing under it is ever committed. */
export function ensureCacheDir(): string {
  mkdirSync(CACHE_DIR, { recursive: true });
  const ignore = join(CACHE_DIR, ".gitignore");
  if (!existsSync(ignore)) writeFileSync(ignore, "# written by bench/ledger: cached benchmark logs, never committed\n*\n");
  return CACHE_DIR;
}

export async function openBenchLog(options: { entries: number; record: DeploymentRecord; signer: NoteSigner; batchSize?: number }): Promise<BenchLog> {
  const { entries, record, signer } = options;
  const batchSize = options.batchSize ?? 5_000;
  const dir = join(ensureCacheDir(), `log-${entries}`);
  const metaFile = join(dir, "meta.json");
  const city = new CityLog(record);
  const shape = { members: city.members.length, setupEvents: city.setupEvents };
  const genesis = { block: 9n, blockHash: `0x${"00".repeat(32)}` as const, size: 0 };
  const storeDir = join(dir, "log");

  if (existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, "utf8")) as Meta;
    if (meta.version === GENERATOR_VERSION && meta.entries === entries && meta.origin === signer.name && meta.members === shape.members) {
      const store = await LogStore.open({ dir: storeDir, origin: signer.name, signer, genesis });
      if (store.size === entries && Buffer.from(store.root()).toString("hex") === meta.root) {
        progress(`log: reusing the ${fmt(entries)}-entry log in ${dir} (built in ${meta.buildSeconds} s)`);
        return { store, dir: storeDir, city: shape, built: false, buildSeconds: meta.buildSeconds };
      }
      await store.close();
    }
    progress(`log: cached log in ${dir} is stale: rebuilding`);
  }

  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  progress(`log: building a ${fmt(entries)}-entry log in ${dir} (cached for later runs)…`);
  const store = await LogStore.open({ dir: storeDir, origin: signer.name, signer, genesis });
  const started = performance.now();
  let lastReport = started;
  while (store.size < entries) {
    const logs = city.take(Math.min(batchSize, entries - store.size));
    await store.append(logs, city.cursor);
    if (performance.now() - lastReport > 10_000 || store.size === entries) {
      lastReport = performance.now();
      const s = (lastReport - started) / 1000;
      progress(`log: ${fmt(store.size)} / ${fmt(entries)} entries (${fmt(store.size / s)} entries/s, generation included)`);
    }
  }
  const buildSeconds = round((performance.now() - started) / 1000, 1);
  const meta: Meta = {
    version: GENERATOR_VERSION,
    entries,
    members: shape.members,
    origin: signer.name,
    root: Buffer.from(store.root()).toString("hex"),
    buildSeconds,
  };
  writeFileSync(metaFile, JSON.stringify(meta, null, 2) + "\n");
  return { store, dir: storeDir, city: shape, built: true, buildSeconds };
}
