/**
 * Replay: `replay({ store, decoder: new CityEventDecoder(record) })` end to end (read + decode + reduce + state
 * hash) over the whole bench log, against reading the same entries from the store without reducing them
 * (`store.entries` in pages of 5,000, the default replay page). The log's files are read once first, so both start
 * from a warm OS page cache.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { LogStore } from "../../ledger-node/src/log/store";
import { CityEventDecoder } from "@cityledger/sdk/ledger";
import { replay } from "../../ledger-node/src/projections/replay";
import { currencyProjection, membersProjection } from "../../ledger-node/src/domains";
import type { LeafInputSource } from "../../ledger-node/src/log/entries";
import type { DeploymentRecord } from "../../scripts/lib/deploy";
import { fmt, progress, ratio, round, type Figure } from "./report";

const PAGE = 5_000;

export interface ReplayBenchOptions {
  store: LogStore;
  dir: string;
  record: DeploymentRecord;
  city: { members: number; setupEvents: number };
}

function warmPageCache(dir: string): number {
  let bytes = 0;
  for (const name of readdirSync(dir)) bytes += readFileSync(join(dir, name)).length;
  return bytes;
}

async function timeReads(size: number, read: (from: number, limit: number) => Promise<unknown[]>, what: string): Promise<number> {
  const started = performance.now();
  let n = 0;
  for (let from = 0; from < size; from += PAGE) {
    n += (await read(from, PAGE)).length;
    if ((from / PAGE) % 40 === 39) progress(`replay baseline (${what}): ${fmt(n)} / ${fmt(size)} entries`);
  }
  if (n !== size) throw new Error(`read ${n} entries of ${size}`);
  return performance.now() - started;
}

export async function measureReplay(options: ReplayBenchOptions): Promise<Record<string, Figure>> {
  const { store, record } = options;
  const size = store.size;
  const bytes = warmPageCache(options.dir);
  progress(`replay: read the log's ${fmt(bytes / 2 ** 20)} MiB of files once (warm page cache)`);

  const entriesMs = await timeReads(size, (from, limit) => store.entries(from, limit), "store.entries");
  progress(`replay baseline: store.entries read ${fmt(size)} entries in ${(entriesMs / 1000).toFixed(1)} s`);

  const raw = store as LogStore & Partial<LeafInputSource>;
  let leafInputsMs: number | undefined;
  if (typeof raw.leafInputs === "function") {
    leafInputsMs = await timeReads(size, (from, limit) => raw.leafInputs!(from, limit), "store.leafInputs");
    progress(`replay: store.leafInputs read ${fmt(size)} entries in ${(leafInputsMs / 1000).toFixed(1)} s`);
  }

  let next = 100_000;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await replay({
    store,
    decoder: new CityEventDecoder(record),
    onProgress: (p) => {
      if (p.seq >= next) {
        next += 100_000;
        progress(`replay: ${fmt(p.seq)} / ${fmt(p.size)} entries reduced (${fmt((p.applied * 1000) / p.elapsedMs)} entries/s)`);
      }
    },
  });
  const replayMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = round((used.user + used.system) / 1e6, 1);
  const members = result.engine.state(membersProjection);
  const currency = result.engine.state(currencyProjection);
  const reduced = { members: members.members.size, accounts: currency.accounts.size, transfers: currency.transfers.length, supply: currency.supply.toString() };
  const expectedTransfers = size - options.city.setupEvents + options.city.members;
  if (reduced.members !== options.city.members || reduced.transfers !== expectedTransfers) {
    throw new Error(`replay reduced ${JSON.stringify(reduced)}: expected ${options.city.members} members and ${expectedTransfers} transfers`);
  }
  progress(`replay: ${fmt(size)} entries in ${(replayMs / 1000).toFixed(1)} s, ${cpuSeconds} s of CPU (reduce ${(result.reduceMs / 1000).toFixed(1)} s, hash ${(result.hashMs / 1000).toFixed(1)} s), state ${result.stateHash.slice(0, 16)}…`);

  const seconds = round(replayMs / 1000, 2);
  const baseline = round(entriesMs / 1000, 2);
  const r = ratio(seconds, baseline);
  const figures: Record<string, Figure> = {
    "replay.seconds": {
      value: seconds,
      unit: "s",
      baseline,
      baselineWhat: `reading the same ${fmt(size)} entries with store.entries in pages of ${fmt(PAGE)}, without reducing`,
      ratio: r,
      ratioMeans: "replay time / read-only time; lower is better (below 1: replay reads faster than store.entries)",
      targets: { absolute: { want: "< 30 s for 1,000,000 entries", met: size >= 1_000_000 ? seconds < 30 : seconds < (30 * size) / 1_000_000 } },
      detail: {
        entries: size,
        entriesPerSecond: round((size * 1000) / replayMs),
        baselineEntriesPerSecond: round((size * 1000) / entriesMs),
        cpuSeconds,
        cpuNote: "CPU time of all the process's threads during replay() (V8's GC helpers and LevelDB's thread pool run beside the main thread); wall time well above it means other processes held the cores",
        reduceSeconds: round(result.reduceMs / 1000, 2),
        hashSeconds: round(result.hashMs / 1000, 2),
        readPath:
          typeof raw.leafInputs === "function"
            ? "store.leafInputs + parseLeafInput (raw leaf inputs, hand-written parser)"
            : "store.entries (viem decode, address checksum and leaf hash per entry)",
        decoder: "CityEventDecoder (decodeFast)",
        stateHash: result.stateHash,
        reduced,
      },
    },
  };
  if (leafInputsMs !== undefined) {
    const raw = round(leafInputsMs / 1000, 2);
    figures["replay.seconds"].detail!.leafInputsReadSeconds = raw;
    figures["replay.seconds"].detail!.ratioToLeafInputsRead = ratio(seconds, raw);
  }
  return figures;
}
