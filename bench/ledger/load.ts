/**
 * A small keep-alive HTTP load generator: `concurrency` request loops over one `http.Agent({ keepAlive: true })`,
 * for a warm-up then a measured window, each request's latency taken from `http.request` to the last byte of the
 * body. It runs in a worker thread, so the server under test keeps the main thread (and, on a 2-core machine, a
 * core) to itself.
 *
 * Paths are `path` with `{seq}` replaced by a number drawn from [0, size) by a seeded PRNG: the same sequence for
 * every target.
 */
import http from "node:http";
import { Worker, parentPort, workerData } from "node:worker_threads";

export interface LoadOptions {
  /** Base URL, e.g. http://127.0.0.1:8787 */
  url: string;
  /** Path and query, `{seq}` standing for the random number, e.g. `/v1/proofs/inclusion?seq={seq}&treeSize=1000`. */
  path: string;
  /** seq is drawn from [0, size). */
  size: number;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  seed: number;
  /**
   * Shared with the caller (over a SharedArrayBuffer): the worker sets element 1 when its first request is sent, and
   * ends the load early when the caller sets element 0.
   */
  stop?: Int32Array;
}

export interface LoadResult {
  /** Requests started inside the measured window and answered. */
  requests: number;
  /** Answers other than 200, and transport errors, in the measured window. */
  failures: number;
  statuses: Record<string, number>;
  /** Length of the measured window. */
  seconds: number;
  requestsPerSecond: number;
  bodyBytes: number;
  /** Latencies (ms) of the measured requests, unsorted. */
  latenciesMs: Float64Array;
}

/**
 * A worker thread running `entry()` of the TypeScript module `file`: the worker is plain CommonJS, so it registers
 * ts-node first, then loads the module.
 */
export function tsWorker(file: string, entry: string, workerData?: unknown): Worker {
  const register = require.resolve("ts-node/register/transpile-only");
  return new Worker(`require(${JSON.stringify(register)}); require(${JSON.stringify(file)}).${entry}();`, { eval: true, workerData });
}

/** Runs one load in a fresh worker thread. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = tsWorker(__filename, "workerMain", options);
    worker.once("message", (result: LoadResult) => resolve(result));
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`load worker exited with code ${code}`));
    });
  });
}

/** Entry point inside the worker. */
export async function workerMain(): Promise<void> {
  const result = await generate(workerData as LoadOptions);
  parentPort!.postMessage(result, [result.latenciesMs.buffer as ArrayBuffer]);
}

async function generate(o: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
  const { hostname, port } = new URL(o.url);
  let state = o.seed >>> 0;
  const random = () => {
    // xorshift32: cheap and deterministic
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
  const start = performance.now();
  const measureFrom = start + o.warmupMs;
  const end = measureFrom + o.durationMs;
  let latencies = new Float64Array(1 << 16);
  let requests = 0;
  let failures = 0;
  let bodyBytes = 0;
  const statuses: Record<string, number> = {};

  const once = (path: string) =>
    new Promise<{ status: number; bytes: number }>((resolve) => {
      const req = http.request({ agent, hostname, port, path, method: "GET" }, (res) => {
        let bytes = 0;
        res.on("data", (chunk: Buffer) => (bytes += chunk.length));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, bytes }));
        res.on("error", () => resolve({ status: -1, bytes }));
      });
      req.on("error", () => resolve({ status: -1, bytes: 0 }));
      req.end();
    });

  if (o.stop) Atomics.store(o.stop, 1, 1);
  const loop = async () => {
    while (performance.now() < end && !(o.stop && Atomics.load(o.stop, 0) !== 0)) {
      const path = o.path.replace("{seq}", String(Math.floor(random() * o.size)));
      const t0 = performance.now();
      const { status, bytes } = await once(path);
      const t1 = performance.now();
      if (t0 < measureFrom || t0 >= end) continue;
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status !== 200) {
        failures += 1;
        continue;
      }
      if (requests === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[requests++] = t1 - t0;
      bodyBytes += bytes;
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, loop));
  const seconds = (Math.min(performance.now(), end) - measureFrom) / 1000;
  agent.destroy();
  return {
    requests,
    failures,
    statuses,
    seconds,
    requestsPerSecond: requests / seconds,
    bodyBytes,
    latenciesMs: latencies.slice(0, requests),
  };
}
