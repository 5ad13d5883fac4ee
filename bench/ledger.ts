/**
 * `npm run bench:ledger`: the ledger node's throughput, each figure against a baseline measured in the same run, written
 * to `bench/results/ledger.json` ("<area>.<figure>" → { value, unit, baseline, ratio, targets, detail }):
 *
 *   1. ingest  — `LogStore.append` entries/s vs raw LevelDB batches of the same keys and value sizes, with the node's
 *                `sync: false` and with `sync: true`;
 *   2. reads   — `GET /v1/proofs/inclusion` and `GET /v1/entries` requests/s and p99 on a 1,000,000-entry log vs a bare
 *                fastify route, with a CPU profile summary of each (top self-time functions) in the figure's detail;
 *   3. replay  — `replay()` of the 1,000,000 entries into the projections vs reading them without reducing;
 *   4. live    — ingest and proof reads at the same time, each rate against itself alone, every answer checked.
 *
 * The 1,000,000-entry log is built once with `LogStore.append` and cached in `bench/.cache/` (git-ignored).
 * `npm run bench:ledger -- --quick` is a smoke run (50,000 ingested, a 100,000-entry log, short HTTP rounds) that
 * writes `bench/.cache/ledger.quick.json` instead of the committed results.
 *
 * Run with `ts-node --transpile-only` (no Hardhat startup); needs `artifacts/` (`npx hardhat compile`).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import type { NoteSigner } from "@cityledger/sdk/ledger";
import { benchDeployment } from "./ledger/city";
import { ensureCacheDir, openBenchLog } from "./ledger/cache";
import { measureIngest, prepareIngest } from "./ledger/ingest";
import { measureProofs } from "./ledger/proofs";
import { measureReplay } from "./ledger/replay";
import { measureLive } from "./ledger/live";
import { machineInfo, progress, round, type Figure } from "./ledger/report";

const quick = process.argv.includes("--quick");

const PLAN = quick
  ? { ingestEntries: 50_000, ingestRounds: 1, logEntries: 100_000, concurrency: 32, warmupMs: 1_000, durationMs: 3_000, proofRounds: 1, liveSeed: 20_000, liveEntries: 50_000 }
  : { ingestEntries: 200_000, ingestRounds: 3, logEntries: 1_000_000, concurrency: 32, warmupMs: 2_000, durationMs: 10_000, proofRounds: 3, liveSeed: 50_000, liveEntries: 200_000 };

const SIGNER: NoteSigner = { name: "cityledger.bench/31337", privateKey: new Uint8Array(32).fill(7) };

async function main() {
  const machine = machineInfo();
  progress(
    `ledger bench${quick ? " (--quick)" : ""}: ${machine.cpus} × ${machine.cpuModel}, node ${machine.node}, load average ${machine.loadAverageStart.join(" ")}`,
  );
  const record = benchDeployment();
  const figures: Record<string, Figure> = {};
  const load: Record<string, number> = {};
  machine.loadAverageAtStartOf = load;
  const mark = (part: string) => {
    load[part] = round(loadavg()[0], 2);
    progress(`load average (1 min) before ${part}: ${load[part]}`);
  };

  progress(`[1/4] ingest: ${PLAN.ingestEntries.toLocaleString("en-US")} entries in batches of 5,000, ${PLAN.ingestRounds} round(s) per sync mode`);
  mark("ingest");
  const work = prepareIngest({ record, signer: SIGNER, entries: PLAN.ingestEntries, batchSize: 5_000 });
  figures["ingest.entriesPerSecond"] = await measureIngest(work, false, PLAN.ingestRounds);
  figures["ingest.durableEntriesPerSecond"] = await measureIngest(work, true, PLAN.ingestRounds);

  const log = await openBenchLog({ entries: PLAN.logEntries, record, signer: SIGNER });
  try {
    mark("proofs");
    progress(`[2/4] reads (inclusion proofs, pages of entries): ${PLAN.proofRounds} round(s) of ${PLAN.durationMs / 1000} s per target, concurrency ${PLAN.concurrency}`);
    Object.assign(
      figures,
      await measureProofs({
        store: log.store,
        record,
        signer: SIGNER,
        concurrency: PLAN.concurrency,
        latencyConcurrency: 1,
        warmupMs: PLAN.warmupMs,
        durationMs: PLAN.durationMs,
        rounds: PLAN.proofRounds,
      }),
    );

    mark("replay");
    progress(`[3/4] replay of ${PLAN.logEntries.toLocaleString("en-US")} entries`);
    Object.assign(figures, await measureReplay({ store: log.store, dir: log.dir, record, city: log.city }));
  } finally {
    await log.store.close();
  }

  mark("live");
  progress(`[4/4] live: ${PLAN.liveEntries.toLocaleString("en-US")} entries appended alone, then while serving proofs at concurrency ${PLAN.concurrency}`);
  Object.assign(
    figures,
    await measureLive({ record, signer: SIGNER, seedEntries: PLAN.liveSeed, entries: PLAN.liveEntries, batchSize: 2_000, concurrency: PLAN.concurrency }),
  );

  machine.loadAverageEnd = loadavg().map((l) => round(l, 2));
  const results = {
    machine,
    quick,
    log: { entries: PLAN.logEntries, builtThisRun: log.built, buildSeconds: log.buildSeconds, members: log.city.members },
    figures: Object.fromEntries(Object.keys(figures).sort().map((k) => [k, figures[k]])),
  };
  const file = quick ? join(ensureCacheDir(), "ledger.quick.json") : join(__dirname, "results", "ledger.json");
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, JSON.stringify(results, null, 2) + "\n");

  console.table(
    Object.fromEntries(
      Object.entries(results.figures).map(([k, f]) => [
        k,
        {
          value: f.value,
          unit: f.unit,
          baseline: f.baseline,
          ratio: f.ratio,
          targets: Object.entries(f.targets)
            .map(([name, t]) => `${name} ${t.want}: ${t.met ? "met" : "MISSED"}`)
            .join("; "),
        },
      ]),
    ),
  );
  progress(`wrote ${file} (load average at the end ${machine.loadAverageEnd.join(" ")})`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
