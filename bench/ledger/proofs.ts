/**
 * Reads over HTTP on the big log: `GET /v1/proofs/inclusion?seq=N&treeSize=M` (random seq, M = the log's size) and
 * `GET /v1/entries?from=N&limit=L` (random from) on the real API (`startServer`, listening on 127.0.0.1, as the node
 * runs it: fastify logger off), each against a bare fastify route answering a fixed JSON object of the same size (a
 * real answer of that route captured first), with the same load generator, concurrency and window. Rounds alternate
 * bare and API. At concurrency 32 a request mostly waits behind the 31 others (Little's law: mean latency =
 * concurrency / throughput), so one more round pair at concurrency 1 gives the latency of a request on its own.
 *
 * One more API round per route runs under the CPU profiler (./profile.ts, not counted in the figures): its top
 * self-time functions go in the figure's detail, so the causes of the gap to the bare route are measured, not guessed.
 */
import Fastify from "fastify";
import http from "node:http";
import { hexToBytes, type Hex } from "viem";
import { verifyInclusion } from "@cityledger/sdk/merkle";
import { verifierKey, type NoteSigner } from "@cityledger/sdk/ledger";
import { startServer } from "../../ledger-node/src/api/server";
import type { FollowerView, NodeContext } from "../../ledger-node/src/context";
import type { LogStore } from "../../ledger-node/src/log/store";
import { CityEventDecoder } from "@cityledger/sdk/ledger";
import { UpdateBus } from "../../ledger-node/src/updates";
import type { DeploymentRecord } from "../../scripts/lib/deploy";
import { CHAIN_ID } from "./city";
import { runLoad, type LoadResult } from "./load";
import { fmt, percentile, progress, ratio, round, type Figure } from "./report";
import { profile, type ProfileSummary } from "./profile";
import { ensureCacheDir } from "./cache";
import { join } from "node:path";

export interface ProofOptions {
  store: LogStore;
  record: DeploymentRecord;
  signer: NoteSigner;
  concurrency: number;
  /** Concurrency of the extra latency round pair (e.g. 1). */
  latencyConcurrency: number;
  warmupMs: number;
  durationMs: number;
  rounds: number;
  /** Entries per /v1/entries page read (default 100, the API's default page). */
  pageLimit?: number;
  /** Routes to measure (default both). */
  routes?: ("inclusion" | "entries")[];
}

/** A follower that is following and has nothing tentative: the API's view of a node in steady state. */
export const steadyFollower = (finalBlock: bigint): FollowerView => ({
  status: () => ({ state: "following", finalBlock, tentativeBlock: finalBlock }),
  tentative: () => [],
});

export function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

interface Pooled {
  requests: number;
  failures: number;
  seconds: number;
  requestsPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  meanBodyBytes: number;
  rounds: { requestsPerSecond: number; p99Ms: number }[];
}

function pool(results: LoadResult[]): Pooled {
  const requests = results.reduce((s, r) => s + r.requests, 0);
  const seconds = results.reduce((s, r) => s + r.seconds, 0);
  const all = new Float64Array(requests);
  let k = 0;
  for (const r of results) {
    all.set(r.latenciesMs, k);
    k += r.latenciesMs.length;
  }
  all.sort();
  return {
    requests,
    failures: results.reduce((s, r) => s + r.failures, 0),
    seconds,
    requestsPerSecond: round(requests / seconds),
    p50: round(percentile(all, 50), 3),
    p90: round(percentile(all, 90), 3),
    p99: round(percentile(all, 99), 3),
    max: round(all[all.length - 1] ?? NaN, 3),
    meanBodyBytes: round(results.reduce((s, r) => s + r.bodyBytes, 0) / Math.max(1, requests)),
    rounds: results.map((r) => {
      const sorted = Float64Array.from(r.latenciesMs).sort();
      return { requestsPerSecond: round(r.requestsPerSecond), p99Ms: round(percentile(sorted, 99), 3) };
    }),
  };
}

export async function measureProofs(options: ProofOptions): Promise<Record<string, Figure>> {
  const { store, record, signer } = options;
  const size = store.size;
  const ctx: NodeContext = {
    store,
    decoder: new CityEventDecoder(record),
    follower: steadyFollower(store.cursor.block),
    updates: new UpdateBus(),
    verifierKey: verifierKey(signer),
    chainId: CHAIN_ID,
  };
  const api = await startServer(ctx, { host: "127.0.0.1", port: 0, logger: false });
  // As the node does once open (node.ts): the rounds measure its steady state, the warm-up's time is reported.
  const warm = await store.warmTileTrees();
  progress(`tile trees: ${warm.trees} read into memory in ${warm.ms} ms`);
  const bare = Fastify({ logger: false });
  const limit = options.pageLimit ?? 100;
  const routes: Route[] = ([
    {
      name: "inclusion",
      figure: "proofs.inclusion",
      path: `/v1/proofs/inclusion?seq={seq}&treeSize=${size}`,
      size,
      // One real answer, checked with the SDK: the route serves valid proofs, and its size sizes the bare answer.
      check: (body, seq) => {
        const answer = JSON.parse(body) as { leafHash: Hex; proof: Hex[]; root: Hex };
        verifyInclusion(hexToBytes(answer.leafHash), seq, size, answer.proof.map((h) => hexToBytes(h)), hexToBytes(answer.root));
        return `a proof of ${answer.proof.length} hashes verifies against the root`;
      },
    },
    {
      name: "entries",
      figure: "entries.page",
      path: `/v1/entries?from={seq}&limit=${limit}`,
      size: size - limit,
      check: (body, seq) => {
        const page = JSON.parse(body) as { from: number; entries: { seq: number; leafHash: Hex; leafInput: Hex }[] };
        if (page.entries.length !== limit || page.entries[0].seq !== seq) throw new Error(`entries page from ${seq}: ${page.entries.length} entries from ${page.entries[0]?.seq}`);
        return `a page of ${page.entries.length} entries`;
      },
    },
  ] satisfies Route[]).filter((r) => (options.routes ?? ["inclusion", "entries"]).includes(r.name as "inclusion"));
  for (const route of routes) {
    const probeSeq = Math.floor(route.size / 3);
    const url = `${api.url}${route.path.replace("{seq}", String(probeSeq))}`;
    const probe = await get(url);
    if (probe.status !== 200) throw new Error(`${url} answered ${probe.status}: ${probe.body}`);
    progress(`${route.name}: API on ${api.url}; ${route.check(probe.body, probeSeq)} (${probe.body.length} bytes)`);
    const fixed = JSON.parse(probe.body) as unknown;
    bare.get(`/bare/${route.name}`, async () => fixed);
    route.bytes = probe.body.length;
  }
  await bare.listen({ host: "127.0.0.1", port: 0 });
  const bareAddress = bare.server.address() as { port: number };
  const bareUrl = `http://127.0.0.1:${bareAddress.port}`;

  const load = (url: string, path: string, routeSize: number, concurrency = options.concurrency) =>
    runLoad({ url, path, size: routeSize, concurrency, warmupMs: options.warmupMs, durationMs: options.durationMs, seed: 0x5eed });
  const figures: Record<string, Figure> = {};
  try {
    for (const route of routes) {
      const bareRuns: LoadResult[] = [];
      const apiRuns: LoadResult[] = [];
      const barePath = `/bare/${route.name}?seq={seq}`;
      for (let r = 1; r <= options.rounds; r++) {
        const b = await load(bareUrl, barePath, route.size);
        bareRuns.push(b);
        progress(`${route.name} round ${r}/${options.rounds}: bare fastify ${fmt(b.requestsPerSecond)} req/s (${b.failures} failures)`);
        const a = await load(api.url, route.path, route.size);
        apiRuns.push(a);
        progress(`${route.name} round ${r}/${options.rounds}: API ${fmt(a.requestsPerSecond)} req/s (${a.failures} failures)`);
      }
      const c = options.latencyConcurrency;
      const bareAlone = pool([await load(bareUrl, barePath, route.size, c)]);
      const apiAlone = pool([await load(api.url, route.path, route.size, c)]);
      progress(`${route.name} at concurrency ${c}: p99 ${apiAlone.p99} ms (bare route ${bareAlone.p99} ms)`);
      const profiled = await profile(() => load(api.url, route.path, route.size), { file: join(ensureCacheDir(), `ledger-${route.name}.cpuprofile`) });
      progress(`${route.name} under the profiler: ${fmt(profiled.result.requestsPerSecond)} req/s; top self time ${profiled.summary.topSelf.slice(0, 3).map((l) => `${l.fn} ${l.selfPercent}%`).join(", ")}`);
      Object.assign(figures, routeFigures(options, route, pool(apiRuns), pool(bareRuns), apiAlone, bareAlone, profiled.summary, warm));
    }
  } finally {
    await bare.close();
    await api.close();
  }
  return figures;
}

interface Route {
  name: string;
  figure: string;
  path: string;
  size: number;
  check: (body: string, seq: number) => string;
  bytes?: number;
}

function routeFigures(options: ProofOptions, route: Route, apiPool: Pooled, barePool: Pooled, alone: Pooled, bareAlone: Pooled, cpu: ProfileSummary, warm: { trees: number; ms: number }): Record<string, Figure> {
  const r = ratio(apiPool.requestsPerSecond, barePool.requestsPerSecond);
  const detail = {
    logSize: options.store.size,
    route: `GET ${route.path.replace("{seq}", "<random>")}`,
    concurrency: options.concurrency,
    warmupSeconds: options.warmupMs / 1000,
    secondsPerRound: options.durationMs / 1000,
    rounds: options.rounds,
    pooling: "requests and latency samples pooled over the rounds (bare and API rounds alternate)",
    tileTreesWarmed: { ...warm, what: "the proofs' nodes read into memory by tile once the log is open, as the node does (LogStore.warmTileTrees), before the rounds" },
    loadGenerator: "node:http Agent({ keepAlive: true }) in a worker thread of the same process, to 127.0.0.1",
    latencyMs: { p50: apiPool.p50, p90: apiPool.p90, p99: apiPool.p99, max: apiPool.max },
    baselineLatencyMs: { p50: barePool.p50, p90: barePool.p90, p99: barePool.p99, max: barePool.max },
    requests: apiPool.requests,
    failures: apiPool.failures,
    baselineRequests: barePool.requests,
    baselineFailures: barePool.failures,
    meanBodyBytes: apiPool.meanBodyBytes,
    baselineMeanBodyBytes: barePool.meanBodyBytes,
    roundsApi: apiPool.rounds,
    roundsBare: barePool.rounds,
    cpuProfile: {
      what: `one more ${options.durationMs / 1000} s API round at concurrency ${options.concurrency} under the inspector's sampling profiler (main thread only: the server), not counted above; self time in % of the sampled time`,
      ...cpu,
    },
  };
  const baselineWhat = `bare fastify route answering a fixed ${route.bytes}-byte JSON object (a captured answer of this route; no store, no schema), same load generator, concurrency and window`;
  const pr = ratio(apiPool.p99, barePool.p99);
  const ar = ratio(alone.p99, bareAlone.p99);
  return {
    [`${route.figure}RequestsPerSecond`]: {
      value: apiPool.requestsPerSecond,
      unit: "requests/s",
      baseline: barePool.requestsPerSecond,
      baselineWhat,
      ratio: r,
      ratioMeans: "route throughput / bare route throughput; higher is better",
      targets: { ratio: { want: ">= 0.5", met: r >= 0.5 } },
      detail,
    },
    [`${route.figure}P99Ms`]: {
      value: apiPool.p99,
      unit: "ms",
      baseline: barePool.p99,
      baselineWhat,
      ratio: pr,
      ratioMeans: "route p99 / bare route p99 (at the same concurrency); lower is better",
      targets: { absolute: { want: "< 5 ms", met: apiPool.p99 < 5 } },
      detail: {
        concurrency: options.concurrency,
        latencyMs: detail.latencyMs,
        baselineLatencyMs: detail.baselineLatencyMs,
        littlesLaw: `at concurrency ${options.concurrency}, mean latency >= ${options.concurrency} / throughput: ${round((options.concurrency * 1000) / apiPool.requestsPerSecond, 2)} ms at the measured ${apiPool.requestsPerSecond} req/s (the bare route: ${round((options.concurrency * 1000) / barePool.requestsPerSecond, 2)} ms)`,
      },
    },
    [`${route.figure}P99MsConcurrency${options.latencyConcurrency}`]: {
      value: alone.p99,
      unit: "ms",
      baseline: bareAlone.p99,
      baselineWhat: `the bare route, one round of ${options.durationMs / 1000} s at concurrency ${options.latencyConcurrency} as well`,
      ratio: ar,
      ratioMeans: "route p99 / bare route p99 with one request at a time; lower is better",
      targets: { absolute: { want: "< 5 ms (the brief's target is set at the concurrency above; this is the unqueued latency)", met: alone.p99 < 5 } },
      detail: {
        concurrency: options.latencyConcurrency,
        requestsPerSecond: alone.requestsPerSecond,
        baselineRequestsPerSecond: bareAlone.requestsPerSecond,
        latencyMs: { p50: alone.p50, p90: alone.p90, p99: alone.p99, max: alone.max },
        baselineLatencyMs: { p50: bareAlone.p50, p90: bareAlone.p90, p99: bareAlone.p99, max: bareAlone.max },
      },
    },
  };
}
