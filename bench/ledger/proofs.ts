/**
 * Inclusion proofs over HTTP: `GET /v1/proofs/inclusion?seq=N&treeSize=M` (random seq, M = the log's size) on the
 * real API (`startServer`, listening on 127.0.0.1, as the node runs it: fastify logger off), against a bare fastify
 * route answering a fixed JSON object of the same size (a real proof answer captured first), with the same load
 * generator, concurrency and window. Rounds alternate bare and API. At concurrency 32 a request mostly waits behind
 * the 31 others (Little's law: mean latency = concurrency / throughput), so one more round pair at concurrency 1
 * gives the latency of a request on its own.
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
}

/** A follower that is following and has nothing tentative: the API's view of a node in steady state. */
const steadyFollower = (finalBlock: bigint): FollowerView => ({
  status: () => ({ state: "following", finalBlock, tentativeBlock: finalBlock }),
  tentative: () => [],
});

function get(url: string): Promise<{ status: number; body: string }> {
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

  // One real answer, checked with the SDK: the route serves valid proofs, and its size sizes the bare answer.
  const probeSeq = Math.floor(size / 3);
  const probe = await get(`${api.url}/v1/proofs/inclusion?seq=${probeSeq}&treeSize=${size}`);
  if (probe.status !== 200) throw new Error(`proof route answered ${probe.status}: ${probe.body}`);
  const answer = JSON.parse(probe.body) as { leafHash: Hex; proof: Hex[]; root: Hex };
  verifyInclusion(hexToBytes(answer.leafHash), probeSeq, size, answer.proof.map((h) => hexToBytes(h)), hexToBytes(answer.root));
  progress(`proofs: API on ${api.url}; a proof of ${answer.proof.length} hashes (${probe.body.length} bytes) verifies against the root`);

  const bare = Fastify({ logger: false });
  const fixed = JSON.parse(probe.body) as unknown;
  bare.get("/v1/bare", async () => fixed);
  await bare.listen({ host: "127.0.0.1", port: 0 });
  const bareAddress = bare.server.address() as { port: number };
  const bareUrl = `http://127.0.0.1:${bareAddress.port}`;

  const load = (url: string, path: string, concurrency = options.concurrency) =>
    runLoad({
      url,
      path,
      size,
      treeSize: size,
      concurrency,
      warmupMs: options.warmupMs,
      durationMs: options.durationMs,
      seed: 0x5eed,
    });
  const bareRuns: LoadResult[] = [];
  const apiRuns: LoadResult[] = [];
  let bareAlone: Pooled | undefined;
  let apiAlone: Pooled | undefined;
  try {
    for (let r = 1; r <= options.rounds; r++) {
      const b = await load(bareUrl, "/v1/bare");
      bareRuns.push(b);
      progress(`proofs round ${r}/${options.rounds}: bare fastify ${fmt(b.requestsPerSecond)} req/s (${b.failures} failures)`);
      const a = await load(api.url, "/v1/proofs/inclusion");
      apiRuns.push(a);
      progress(`proofs round ${r}/${options.rounds}: inclusion proofs ${fmt(a.requestsPerSecond)} req/s (${a.failures} failures)`);
    }
    const c = options.latencyConcurrency;
    bareAlone = pool([await load(bareUrl, "/v1/bare", c)]);
    apiAlone = pool([await load(api.url, "/v1/proofs/inclusion", c)]);
    progress(`proofs at concurrency ${c}: p99 ${apiAlone.p99} ms (bare route ${bareAlone.p99} ms)`);
  } finally {
    await bare.close();
    await api.close();
  }
  const apiPool = pool(apiRuns);
  const barePool = pool(bareRuns);
  const r = ratio(apiPool.requestsPerSecond, barePool.requestsPerSecond);
  const detail = {
    logSize: size,
    route: `GET /v1/proofs/inclusion?seq=<random>&treeSize=${size}`,
    proofHashes: answer.proof.length,
    concurrency: options.concurrency,
    warmupSeconds: options.warmupMs / 1000,
    secondsPerRound: options.durationMs / 1000,
    rounds: options.rounds,
    pooling: "requests and latency samples pooled over the rounds (bare and API rounds alternate)",
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
  };
  const baselineWhat = `bare fastify route answering a fixed ${probe.body.length}-byte JSON object (a captured proof answer; no store, no schema), same load generator, concurrency and window`;
  const pr = ratio(apiPool.p99, barePool.p99);
  const alone = apiAlone!;
  const bareAloneP = bareAlone!;
  const ar = ratio(alone.p99, bareAloneP.p99);
  return {
    "proofs.inclusionRequestsPerSecond": {
      value: apiPool.requestsPerSecond,
      unit: "requests/s",
      baseline: barePool.requestsPerSecond,
      baselineWhat,
      ratio: r,
      ratioMeans: "proof route throughput / bare route throughput; higher is better",
      targets: { ratio: { want: ">= 0.3", met: r >= 0.3 } },
      detail,
    },
    "proofs.inclusionP99Ms": {
      value: apiPool.p99,
      unit: "ms",
      baseline: barePool.p99,
      baselineWhat,
      ratio: pr,
      ratioMeans: "proof route p99 / bare route p99 (at the same concurrency); lower is better",
      targets: { absolute: { want: "< 5 ms", met: apiPool.p99 < 5 } },
      detail: {
        concurrency: options.concurrency,
        latencyMs: detail.latencyMs,
        baselineLatencyMs: detail.baselineLatencyMs,
        littlesLaw: `at concurrency ${options.concurrency}, mean latency >= ${options.concurrency} / throughput: ${round((options.concurrency * 1000) / apiPool.requestsPerSecond, 2)} ms at the measured ${apiPool.requestsPerSecond} req/s`,
      },
    },
    [`proofs.inclusionP99MsConcurrency${options.latencyConcurrency}`]: {
      value: alone.p99,
      unit: "ms",
      baseline: bareAloneP.p99,
      baselineWhat: `the bare route, one round of ${options.durationMs / 1000} s at concurrency ${options.latencyConcurrency} as well`,
      ratio: ar,
      ratioMeans: "proof route p99 / bare route p99 with one request at a time; lower is better",
      targets: { absolute: { want: "< 5 ms (the brief's target is set at the concurrency above; this is the unqueued latency)", met: alone.p99 < 5 } },
      detail: {
        concurrency: options.latencyConcurrency,
        requestsPerSecond: alone.requestsPerSecond,
        baselineRequestsPerSecond: bareAloneP.requestsPerSecond,
        latencyMs: { p50: alone.p50, p90: alone.p90, p99: alone.p99, max: alone.max },
        baselineLatencyMs: { p50: bareAloneP.p50, p90: bareAloneP.p90, p99: bareAloneP.p99, max: bareAloneP.max },
      },
    },
  };
}
