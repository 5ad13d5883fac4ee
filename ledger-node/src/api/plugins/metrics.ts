import fp from "fastify-plugin";
import type { NodeContext } from "../../context";

declare module "fastify" {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

/** Latency buckets (seconds) of the request histogram. */
const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Methods kept as label values; anything else is counted as "other" (labels must not grow with client input). */
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

interface Series {
  method: string;
  route: string;
  status: string;
  buckets: number[];
  count: number;
  sum: number;
}

/**
 * Prometheus metrics, exposed in the text format (0.0.4) by hand: a handful of gauges read from the node at scrape
 * time, counters fed by the update bus, and a request histogram per (method, route pattern, status). Route labels
 * are patterns (`/v1/entries/:seq`) or `unmatched`, never raw paths, so random URLs cannot grow the series.
 */
export class Metrics {
  private readonly series = new Map<string, Series>();
  private ingestEntries = 0;
  private checkpoints = 0;
  /** Open SSE streams (kept by the stream hub). */
  sseSubscribers = 0;

  /** Records one answered request. */
  observe(method: string, route: string, status: number, seconds: number): void {
    const m = METHODS.has(method) ? method : "other";
    const key = `${m} ${route} ${status}`;
    let s = this.series.get(key);
    if (!s) {
      s = { method: m, route, status: String(status), buckets: BUCKETS.map(() => 0), count: 0, sum: 0 };
      this.series.set(key, s);
    }
    s.count += 1;
    s.sum += seconds;
    BUCKETS.forEach((le, i) => {
      if (seconds <= le) s.buckets[i] += 1;
    });
  }

  /** Counts what the follower published (entries appended, checkpoints signed) since this process started. */
  listen(ctx: NodeContext): () => void {
    return ctx.updates.subscribe((update) => {
      if (update.kind === "entries") this.ingestEntries += update.to - update.from;
      else if (update.kind === "checkpoint") this.checkpoints += 1;
    });
  }

  /** The exposition text. */
  render(ctx: NodeContext): string {
    const out: string[] = [];
    const metric = (name: string, type: string, help: string, lines: string[]) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...lines);
    };
    const status = ctx.follower.status();
    const tentative = safeLength(() => ctx.follower.tentative().length);

    metric("ledger_log_size", "gauge", "Entries in the append-only log.", [`ledger_log_size ${ctx.store.size}`]);
    metric("ledger_cursor_block", "gauge", "Last block whose final logs are all in the log.", [
      `ledger_cursor_block ${ctx.store.cursor.block.toString()}`,
    ]);
    const counters = followerCounters(ctx);
    metric("ledger_ingest_entries_total", "counter", "Entries appended to the log since this process started.", [
      `ledger_ingest_entries_total ${counters?.entries ?? this.ingestEntries}`,
    ]);
    if (counters?.batches !== undefined) {
      metric("ledger_ingest_batches_total", "counter", "Atomic ingest batches since this process started.", [
        `ledger_ingest_batches_total ${counters.batches}`,
      ]);
    }
    if (counters?.rpcRetries !== undefined) {
      metric("ledger_rpc_retries_total", "counter", "JSON-RPC calls retried by the follower.", [
        `ledger_rpc_retries_total ${counters.rpcRetries}`,
      ]);
    }
    if (counters?.rangeSplits !== undefined) {
      metric("ledger_rpc_range_splits_total", "counter", "eth_getLogs ranges halved after a range-limit error.", [
        `ledger_rpc_range_splits_total ${counters.rangeSplits}`,
      ]);
    }
    metric("ledger_checkpoints_total", "counter", "Checkpoints signed since this process started.", [
      `ledger_checkpoints_total ${this.checkpoints}`,
    ]);
    metric("ledger_follower_state", "gauge", "Follower state (1 for the current state).", [
      ...(["starting", "following", "halted"] as const).map(
        (state) => `ledger_follower_state{state="${state}"} ${status.state === state ? 1 : 0}`,
      ),
    ]);
    if (status.state === "following") {
      metric("ledger_follower_final_block", "gauge", "Last final block seen by the follower.", [
        `ledger_follower_final_block ${status.finalBlock.toString()}`,
      ]);
      metric("ledger_follower_tentative_block", "gauge", "Tip block seen by the follower (not final).", [
        `ledger_follower_tentative_block ${status.tentativeBlock.toString()}`,
      ]);
    }
    if (tentative !== undefined) {
      metric("ledger_tentative_entries", "gauge", "Logs above finality, served as tentative.", [
        `ledger_tentative_entries ${tentative}`,
      ]);
    }
    metric("sse_subscribers", "gauge", "Open Server-Sent Events streams.", [`sse_subscribers ${this.sseSubscribers}`]);
    if (ctx.relayer) out.push(...ctx.relayer.metricLines());

    const series = [...this.series.values()].sort((a, b) =>
      `${a.route} ${a.method} ${a.status}`.localeCompare(`${b.route} ${b.method} ${b.status}`),
    );
    metric(
      "http_requests_total",
      "counter",
      "HTTP requests answered, by method, route pattern and status.",
      series.map((s) => `http_requests_total{${labels(s)}} ${s.count}`),
    );
    metric(
      "http_request_duration_seconds",
      "histogram",
      "HTTP request latency, by method, route pattern and status.",
      series.flatMap((s) => [
        ...BUCKETS.map((le, i) => `http_request_duration_seconds_bucket{${labels(s)},le="${le}"} ${s.buckets[i]}`),
        `http_request_duration_seconds_bucket{${labels(s)},le="+Inf"} ${s.count}`,
        `http_request_duration_seconds_sum{${labels(s)}} ${s.sum}`,
        `http_request_duration_seconds_count{${labels(s)}} ${s.count}`,
      ]),
    );
    return `${out.join("\n")}\n`;
  }
}

function labels(s: Series): string {
  return `method="${escapeLabel(s.method)}",route="${escapeLabel(s.route)}",status="${s.status}"`;
}

/** Prometheus label escaping: backslash, double quote, newline. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

type FollowerCounters = Partial<Record<"batches" | "entries" | "rpcRetries" | "rangeSplits", number>>;

/**
 * The follower's own counters when it exposes them (the chain follower does, as `counters`; the FollowerView
 * interface does not promise them), else undefined: then ingestion is counted from the update bus.
 */
function followerCounters(ctx: NodeContext): FollowerCounters | undefined {
  const counters: unknown = (ctx.follower as { counters?: unknown }).counters;
  if (counters === null || typeof counters !== "object") return undefined;
  const out: FollowerCounters = {};
  for (const key of ["batches", "entries", "rpcRetries", "rangeSplits"] as const) {
    const v = (counters as Record<string, unknown>)[key];
    if (typeof v === "number" && Number.isFinite(v)) out[key] = v;
  }
  return out;
}

function safeLength(read: () => number): number | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** Decorates `app.metrics` and times every answered request (streams are recorded when they end). */
export default fp(
  async (app) => {
    const metrics = new Metrics();
    app.decorate("metrics", metrics);
    const unsubscribe = metrics.listen(app.ledger);
    app.addHook("onClose", async () => {
      unsubscribe();
    });
    app.addHook("onResponse", async (request, reply) => {
      const route = request.is404 ? "unmatched" : (request.routeOptions.url ?? "unmatched");
      metrics.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    });
  },
  { name: "cityledger-metrics", fastify: "5.x", dependencies: ["cityledger-context"] },
);
