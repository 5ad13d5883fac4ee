/**
 * CPU profile of the main thread (the server under test) while something runs, summarised as the functions with the
 * most self time: what `node --cpu-prof` writes, taken in-process with the inspector's Profiler so the bench can put
 * the summary in its JSON. The load generator runs in a worker thread, which this session does not sample.
 */
import { Session, type Profiler } from "node:inspector";
import { writeFileSync } from "node:fs";
import { relative } from "node:path";
import { round } from "./report";

export interface ProfileLine {
  /** `function (file:line)`, the file relative to the repository (node_modules kept as the package path). */
  fn: string;
  selfPercent: number;
}

export interface ProfileSummary {
  sampledMs: number;
  samplingIntervalUs: number;
  /** Functions by self time, highest first. */
  topSelf: ProfileLine[];
  /** Self time by where the code lives: the node's code, the SDK, fastify, viem, Node's internals, GC, idle. */
  byArea: Record<string, number>;
  /** The .cpuprofile written (open it in Chrome DevTools or speedscope for the flame graph), if asked. */
  file?: string;
}

const post = <T>(session: Session, method: string, params?: object) =>
  new Promise<T>((resolve, reject) => session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result as T))));

/** Runs `work` under the sampling profiler and summarises where the main thread spent its time. */
export async function profile<T>(work: () => Promise<T>, options: { top?: number; file?: string } = {}): Promise<{ result: T; summary: ProfileSummary }> {
  const session = new Session();
  session.connect();
  const intervalUs = 200;
  try {
    await post(session, "Profiler.enable");
    await post(session, "Profiler.setSamplingInterval", { interval: intervalUs });
    await post(session, "Profiler.start");
    const result = await work();
    const { profile: p } = await post<{ profile: Profiler.Profile }>(session, "Profiler.stop");
    if (options.file) writeFileSync(options.file, JSON.stringify(p));
    return { result, summary: summarise(p, options.top ?? 15, options.file) };
  } finally {
    session.disconnect();
  }
}

function summarise(p: Profiler.Profile, top: number, file?: string): ProfileSummary {
  // Self time per node from the samples and their time deltas (hitCount ignores the deltas' spread).
  const selfUs = new Map<number, number>();
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const byFn = new Map<string, number>();
  const byArea: Record<string, number> = {};
  for (const node of p.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || "(anonymous)"}${url ? ` (${shortUrl(url)}:${lineNumber + 1})` : ""}`;
    byFn.set(name, (byFn.get(name) ?? 0) + us);
    const area = areaOf(functionName, url);
    byArea[area] = (byArea[area] ?? 0) + us;
  }
  const pct = (us: number) => round((100 * us) / total, 1);
  return {
    sampledMs: round(total / 1000),
    samplingIntervalUs: 200,
    topSelf: [...byFn.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, us]) => ({ fn, selfPercent: pct(us) })),
    byArea: Object.fromEntries(
      Object.entries(byArea)
        .sort((a, b) => b[1] - a[1])
        .map(([k, us]) => [k, pct(us)]),
    ),
    ...(file ? { file: relative(process.cwd(), file) } : {}),
  };
}

function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, "");
  const nm = path.lastIndexOf("node_modules/");
  if (nm >= 0) return path.slice(nm + "node_modules/".length);
  return path.startsWith("/") ? relative(process.cwd(), path) : path;
}

function areaOf(functionName: string, url: string): string {
  if (functionName === "(idle)" || functionName === "(program)" || functionName === "(garbage collector)") return functionName;
  if (url === "") return "(native: V8 builtins, C++)";
  if (url.startsWith("node:")) return "node internals (http, net, streams)";
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1].startsWith("@cityledger/") ? "sdk" : m[1].startsWith("@fastify/") || m[1].startsWith("fastify") || m[1] === "find-my-way" || m[1] === "light-my-request" ? "fastify" : m[1];
  if (url.includes("/sdk/")) return "sdk";
  if (url.includes("/ledger-node/")) return "ledger-node";
  return "other";
}
