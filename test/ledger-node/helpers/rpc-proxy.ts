/**
 * A faulty JSON-RPC proxy (node:http) for the follower's fault tests. In front of a real JSON-RPC server, it decides
 * for each request, from a seeded PRNG, to:
 *
 * - `drop`: destroy the client's socket without an answer (before forwarding);
 * - `lose`: forward the request, then destroy the socket instead of relaying the answer (the upstream did the work);
 * - `truncate`: answer 200 with half of the upstream's body, then destroy the socket;
 * - `http5xx`: answer 500, 502 or 503 with an HTML or empty body;
 * - `delay`: wait up to `maxDelayMs`, then forward;
 * - `rangeLimit`: answer eth_getLogs over more than `rangeLimitBlocks` blocks with the JSON-RPC error real providers
 *   give ("query returned more than 10000 results"), so the follower must split the range;
 * - otherwise forward as is.
 *
 * Counts every decision in `stats`. Listens on 127.0.0.1 and a port the OS picks.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mulberry32, type Random } from "./prng";

export interface FaultRates {
  drop: number;
  lose: number;
  truncate: number;
  http5xx: number;
  delay: number;
  /** Probability of the range-limit error for an eth_getLogs wider than `rangeLimitBlocks`. */
  rangeLimit: number;
}

export interface ProxyOptions {
  upstream: string;
  seed: number;
  rates?: Partial<FaultRates>;
  maxDelayMs?: number;
  rangeLimitBlocks?: number;
  /**
   * The range-limit error's message: providers word it differently (Infura: "query returned more than 10000 results",
   * others "query exceeds max block range 1000"), the follower must recognise each.
   */
  rangeLimitMessage?: string;
}

export type FaultKind = keyof FaultRates | "forwarded";

export interface FaultyProxy {
  url: string;
  stats: Record<FaultKind, number> & { requests: number; byMethod: Record<string, number>; widestGetLogs: number };
  /** Stops injecting faults (everything is forwarded from now on). */
  heal(): void;
  close(): Promise<void>;
}

export const DEFAULT_RATES: FaultRates = { drop: 0.07, lose: 0.04, truncate: 0.04, http5xx: 0.1, delay: 0.12, rangeLimit: 0.5 };

interface JsonRpcRequest {
  id?: unknown;
  method?: string;
  params?: unknown[];
}

/** Blocks an eth_getLogs request spans (from and to given as numbers), else undefined. */
function blocksOf(request: JsonRpcRequest): bigint | undefined {
  const filter = request.params?.[0] as { fromBlock?: string; toBlock?: string } | undefined;
  if (!filter?.fromBlock?.startsWith("0x") || !filter.toBlock?.startsWith("0x")) return undefined;
  return BigInt(filter.toBlock) - BigInt(filter.fromBlock) + 1n;
}

export async function startFaultyProxy(options: ProxyOptions): Promise<FaultyProxy> {
  const rates = { ...DEFAULT_RATES, ...options.rates };
  const random: Random = mulberry32(options.seed);
  const maxDelay = options.maxDelayMs ?? 300;
  const rangeLimitBlocks = BigInt(options.rangeLimitBlocks ?? 2);
  const upstream = new URL(options.upstream);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const stats: FaultyProxy["stats"] = {
    requests: 0,
    forwarded: 0,
    drop: 0,
    lose: 0,
    truncate: 0,
    http5xx: 0,
    delay: 0,
    rangeLimit: 0,
    byMethod: {},
    widestGetLogs: 0,
  };
  let healed = false;

  const forward = (body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: upstream.pathname,
          method: "POST",
          agent,
          headers: { "content-type": "application/json", "content-length": body.length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        stats.requests++;
        let parsed: JsonRpcRequest | JsonRpcRequest[] | undefined;
        try {
          parsed = JSON.parse(body.toString("utf8"));
        } catch {
          parsed = undefined;
        }
        const single = parsed && !Array.isArray(parsed) ? parsed : undefined;
        const method = single?.method ?? (Array.isArray(parsed) ? "batch" : "invalid");
        stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
        if (method === "eth_getLogs") stats.widestGetLogs = Math.max(stats.widestGetLogs, Number(blocksOf(single!) ?? 0n));
        // Always draw the same number of values per request, so one decision does not shift the next ones.
        const [r1, r2, r3, r4] = [random(), random(), random(), random()];
        const kind = healed ? "forwarded" : decide(r1, r4, single);
        stats[kind]++;
        try {
          switch (kind) {
            case "drop":
              req.socket.destroy();
              return;
            case "http5xx": {
              const status = [500, 502, 503][Math.floor(r2 * 3)];
              res.writeHead(status, { "content-type": r3 < 0.5 ? "text/html" : "text/plain" });
              res.end(r3 < 0.5 ? `<html><body><h1>${status}</h1>upstream unavailable</body></html>` : "");
              return;
            }
            case "rangeLimit":
              res.writeHead(200, { "content-type": "application/json" });
              res.end(
                JSON.stringify({
                  jsonrpc: "2.0",
                  id: single!.id ?? null,
                  error: { code: -32005, message: options.rangeLimitMessage ?? "query returned more than 10000 results" },
                }),
              );
              return;
            case "delay":
              await new Promise((resolve) => setTimeout(resolve, Math.floor(r2 * maxDelay)));
              break;
            default:
              break;
          }
          const answer = await forward(body);
          if (kind === "lose") {
            req.socket.destroy();
            return;
          }
          if (kind === "truncate") {
            res.writeHead(200, { "content-type": "application/json", "content-length": answer.body.length });
            res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)));
            setTimeout(() => req.socket.destroy(), 5);
            return;
          }
          res.writeHead(answer.status, { "content-type": answer.headers["content-type"] ?? "application/json" });
          res.end(answer.body);
        } catch (error) {
          if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
          res.end(`proxy: ${(error as Error).message}`);
        }
      })();
    });
  });

  function decide(r: number, rRange: number, request: JsonRpcRequest | undefined): FaultKind {
    if (request?.method === "eth_getLogs" && wideRange(request) && rRange < rates.rangeLimit) return "rangeLimit";
    // The other faults share the unit interval; what is left is forwarded untouched.
    let acc = 0;
    for (const kind of ["drop", "lose", "truncate", "http5xx", "delay"] as const) {
      acc += rates[kind];
      if (r < acc) return kind;
    }
    return "forwarded";
  }

  function wideRange(request: JsonRpcRequest): boolean {
    return (blocksOf(request) ?? 0n) > rangeLimitBlocks;
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    heal: () => (healed = true),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
