/**
 * Ingest and reads at the same time: the same city logs appended to a fresh log alone, then again to another fresh log
 * while the API serves inclusion proofs against the growing log (concurrency as the proof bench, no `treeSize`: each
 * proof is for the size of the moment), then the reads alone on the finished log for as long. Both rates are reported
 * with and without the other.
 *
 * Correctness under load: while the log grows, the main thread keeps asking for proofs and pages of entries and checks
 * each answer against what it says it was served with: the checkpoint's signature (the node's key), its size and root
 * equal the proof's, the proof folds to that root from the leaf hash, the leaf hash is that of the entry's leaf input
 * (read separately), and a page of entries is contiguous with leaf hashes of its leaf inputs. Any wrong answer fails the
 * figure's target.
 */
import { createHash } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { hexToBytes, type Hex } from "viem";
import { verifyInclusion } from "@cityledger/sdk/merkle";
import { CityEventDecoder, verifierKey, verifyCheckpoint, type NoteSigner } from "@cityledger/sdk/ledger";
import { startServer } from "../../ledger-node/src/api/server";
import { LogStore } from "../../ledger-node/src/log/store";
import { UpdateBus } from "../../ledger-node/src/updates";
import type { RawLog } from "../../ledger-node/src/types";
import type { DeploymentRecord } from "../../scripts/lib/deploy";
import { ensureCacheDir } from "./cache";
import { CHAIN_ID, CityLog } from "./city";
import { runLoad } from "./load";
import { get, steadyFollower } from "./proofs";
import { fmt, progress, ratio, round, type Figure } from "./report";

export interface LiveOptions {
  record: DeploymentRecord;
  signer: NoteSigner;
  /** Entries in the log before timing starts (readers need some to ask for). */
  seedEntries: number;
  /** Entries appended while timing. */
  entries: number;
  batchSize: number;
  concurrency: number;
}

interface Batch {
  logs: RawLog[];
  cursor: { block: bigint; blockHash: Hex };
}

export async function measureLive(options: LiveOptions): Promise<Record<string, Figure>> {
  const { record, signer, batchSize } = options;
  const city = new CityLog(record);
  const take = (n: number): Batch[] => {
    const out: Batch[] = [];
    for (let left = n; left > 0; left -= batchSize) out.push({ logs: city.take(Math.min(batchSize, left)), cursor: city.cursor });
    return out;
  };
  // Generated before timing, the same logs for both logs.
  const seed = take(options.seedEntries);
  const timed = take(options.entries);
  const key = verifierKey(signer);

  const open = async (name: string) => {
    const dir = join(ensureCacheDir(), `live-${process.pid}-${name}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const store = await LogStore.open({ dir, origin: signer.name, signer, genesis: { block: 9n, blockHash: `0x${"00".repeat(32)}`, size: 0 } });
    for (const b of seed) await store.append(b.logs, b.cursor);
    return { store, dir };
  };
  const ingest = async (store: LogStore) => {
    const t = performance.now();
    for (const b of timed) await store.append(b.logs, b.cursor);
    return (performance.now() - t) / 1000;
  };

  // 1. Ingest alone.
  const alone = await open("alone");
  const aloneSeconds = await ingest(alone.store);
  await alone.store.close();
  rmSync(alone.dir, { recursive: true, force: true });
  progress(`live: ${fmt(options.entries)} entries appended alone in ${round(aloneSeconds, 2)} s`);

  // 2. Ingest while serving.
  const { store, dir } = await open("served");
  const api = await startServer(
    { store, decoder: new CityEventDecoder(record), follower: steadyFollower(0n), updates: new UpdateBus(), verifierKey: key, chainId: CHAIN_ID },
    { host: "127.0.0.1", port: 0, logger: false },
  );
  const checks = { proofs: 0, pages: 0, wrong: [] as string[] };
  const stop = new Int32Array(new SharedArrayBuffer(8));
  const reads = runLoad({
    url: api.url,
    path: "/v1/proofs/inclusion?seq={seq}",
    size: options.seedEntries,
    concurrency: options.concurrency,
    warmupMs: 0,
    durationMs: 3_600_000,
    seed: 0x11fe,
    stop,
  });
  // The worker takes a while to start (ts-node in a fresh thread): ingest starts when the reads have.
  while (Atomics.load(stop, 1) === 0) await new Promise((r) => setTimeout(r, 10));
  let ingesting = true;
  const checker = (async () => {
    let i = 0;
    while (ingesting) {
      const seq = (i++ * 7919) % store.size;
      try {
        await checkProof(api.url, seq, key);
        checks.proofs += 1;
        await checkPage(api.url, seq);
        checks.pages += 1;
      } catch (error) {
        checks.wrong.push(String(error instanceof Error ? error.message : error));
      }
    }
  })();
  const servedSeconds = await ingest(store);
  ingesting = false;
  Atomics.store(stop, 0, 1);
  const during = await reads;
  await checker;
  progress(`live: appended in ${round(servedSeconds, 2)} s while serving ${fmt(during.requestsPerSecond)} proofs/s; ${checks.proofs} proofs and ${checks.pages} pages checked, ${checks.wrong.length} wrong`);

  // 3. Reads alone, on the finished log, for as long.
  const readsAlone = await runLoad({
    url: api.url,
    path: "/v1/proofs/inclusion?seq={seq}",
    size: options.seedEntries,
    concurrency: options.concurrency,
    warmupMs: 0,
    durationMs: Math.max(1_000, Math.round(servedSeconds * 1000)),
    seed: 0x11fe,
  });
  await api.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });

  const ingestAlone = options.entries / aloneSeconds;
  const ingestServed = options.entries / servedSeconds;
  const correct = { want: "0 wrong answers among the proofs and pages checked during ingest", met: checks.wrong.length === 0 && checks.proofs > 0 };
  const detail = {
    seedEntries: options.seedEntries,
    entries: options.entries,
    batchSize,
    concurrency: options.concurrency,
    readRoute: "GET /v1/proofs/inclusion?seq=<random below the seed size> (no treeSize: a proof for the size of the moment)",
    ingestSecondsAlone: round(aloneSeconds, 2),
    ingestSecondsWhileServing: round(servedSeconds, 2),
    readsWhileIngesting: { requests: during.requests, failures: during.failures, statuses: during.statuses, requestsPerSecond: round(during.requestsPerSecond) },
    readsAlone: { requests: readsAlone.requests, failures: readsAlone.failures, requestsPerSecond: round(readsAlone.requestsPerSecond) },
    checked: { proofs: checks.proofs, pages: checks.pages, wrong: checks.wrong.length, firstWrong: checks.wrong.slice(0, 3) },
  };
  return {
    "live.ingestEntriesPerSecond": {
      value: round(ingestServed),
      unit: "entries/s",
      baseline: round(ingestAlone),
      baselineWhat: "the same batches appended to a fresh log of the same seed size with no reads",
      ratio: ratio(ingestServed, ingestAlone),
      ratioMeans: "ingest rate while serving proofs / ingest rate alone; higher is better",
      targets: { correct },
      detail,
    },
    "live.readRequestsPerSecond": {
      value: round(during.requestsPerSecond),
      unit: "requests/s",
      baseline: round(readsAlone.requestsPerSecond),
      baselineWhat: "the same reads on the finished log with no ingest, for as long",
      ratio: ratio(during.requestsPerSecond, readsAlone.requestsPerSecond),
      ratioMeans: "proof reads/s while ingesting / proof reads/s alone; higher is better",
      targets: { correct, failures: { want: "no failed read", met: during.failures === 0 } },
      detail,
    },
  };
}

const leafHashOf = (input: Hex) => `0x${createHash("sha256").update(Uint8Array.of(0)).update(hexToBytes(input)).digest("hex")}`;

/** A proof for the size of the moment: checked against the signed checkpoint it came with, and the entry's own leaf. */
async function checkProof(url: string, seq: number, key: string): Promise<void> {
  const res = await get(`${url}/v1/proofs/inclusion?seq=${seq}`);
  if (res.status !== 200) throw new Error(`proof of ${seq}: status ${res.status}`);
  const p = JSON.parse(res.body) as { treeSize: number; leafHash: Hex; proof: Hex[]; root: Hex; checkpoint: string | null };
  if (p.checkpoint === null) throw new Error(`proof of ${seq} at size ${p.treeSize}: no checkpoint`);
  const checkpoint = verifyCheckpoint(p.checkpoint, key);
  if (checkpoint.size !== p.treeSize) throw new Error(`proof of ${seq}: treeSize ${p.treeSize}, checkpoint size ${checkpoint.size}`);
  if (Buffer.from(checkpoint.root).toString("hex") !== p.root.slice(2)) throw new Error(`proof of ${seq} at size ${p.treeSize}: root differs from the checkpoint's`);
  verifyInclusion(hexToBytes(p.leafHash), seq, p.treeSize, p.proof.map((h) => hexToBytes(h)), checkpoint.root);
  const entry = await get(`${url}/v1/entries/${seq}`);
  const e = JSON.parse(entry.body) as { leafInput: Hex; leafHash: Hex };
  if (leafHashOf(e.leafInput) !== p.leafHash || e.leafHash !== p.leafHash) throw new Error(`proof of ${seq}: leaf hash differs from the entry's`);
}

/** A page of entries: contiguous from `from`, each leaf hash that of its leaf input. */
async function checkPage(url: string, from: number): Promise<void> {
  const res = await get(`${url}/v1/entries?from=${from}&limit=20`);
  if (res.status !== 200) throw new Error(`entries from ${from}: status ${res.status}`);
  const page = JSON.parse(res.body) as { entries: { seq: number; leafInput: Hex; leafHash: Hex }[] };
  page.entries.forEach((e, i) => {
    if (e.seq !== from + i) throw new Error(`entries from ${from}: entry ${i} has seq ${e.seq}`);
    if (leafHashOf(e.leafInput) !== e.leafHash) throw new Error(`entry ${e.seq}: leaf hash is not that of its leaf input`);
  });
}
