import { expect } from "chai";
import fc from "fast-check";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getAddress, keccak256, toHex, type Hex } from "viem";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { buildApp } from "../../ledger-node/src/api/app";
import { PROBLEM_BASE } from "../../ledger-node/src/api/problems";
import { LogStore } from "../../ledger-node/src/log/store";
import { CityEventDecoder } from "@cityledger/sdk/ledger";
import { UpdateBus } from "../../ledger-node/src/updates";
import { createQueries, type ProjectionQueries } from "../../ledger-node/src/domains";
import { ProjectionEngine } from "../../ledger-node/src/projections";
import { verifierKey } from "../../sdk/src/ledger";
import { syntheticLogs } from "./synthetic";

/**
 * Random requests against the whole API: random paths under /v1 and /docs, random query strings, random methods,
 * content types, headers and bodies. Whatever comes in, the node never answers 5xx, and every 4xx is an RFC 9457
 * problem with a stable type and no stack trace. Bounded: about 450 requests.
 */

const signer = { name: "cityledger.fuzz/31337", privateKey: new Uint8Array(32).fill(3) };
const ALICE = getAddress("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
const LOGS = syntheticLogs(40);

const METHODS = ["GET", "GET", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
const PREFIXES = [
  "/",
  "/v1/",
  "/v1/entries/",
  "/v1/checkpoints/",
  "/v1/proofs/",
  "/v1/members/",
  "/v1/accounts/",
  "/v1/income/",
  "/v1/income/programs/",
  "/v1/income/claims/",
  "/v1/datause/purposes/",
  "/v1/datause/consents/",
  "/v1/datause/batches/1/",
  "/docs/",
  "/docs/static/",
  "/metrics/",
];
const WORDS = [
  "entries",
  "checkpoint",
  "checkpoints",
  "proofs",
  "inclusion",
  "consistency",
  "tentative",
  "health",
  "members",
  "accounts",
  "income",
  "programs",
  "claims",
  "history",
  "202611",
  "json",
  "yaml",
  "static",
  "index.html",
  "swagger-ui.css",
  "0",
  "1",
  "39",
  "40",
  "-1",
  "007",
  "0x10",
  "1e3",
  "1.5",
  "9007199254740993",
  "99999999999999999999999",
  ALICE,
  ALICE.toLowerCase(),
  ALICE.replace("C5", "c5"),
  LOGS[3].transactionHash,
  "..",
  ".",
  "%",
  "%zz",
  "%00",
  "%2F",
  "%2e%2e",
  "%E0%A4%A",
  "%C0%AF",
  "",
  ";",
  "~",
  "*",
  "x".repeat(300),
];
const QUERY_KEYS = [
  "from",
  "limit",
  "seq",
  "treeSize",
  "txHash",
  "logIndex",
  "to",
  "offset",
  "order",
  "lastEventId",
  "size",
  "__proto__",
  "constructor",
  "",
];
const QUERY_VALUES = [
  "0",
  "1",
  "3",
  "39",
  "40",
  "41",
  "100",
  "1000",
  "1001",
  "-1",
  "abc",
  "",
  "0x10",
  "1e3",
  "asc",
  "desc",
  "9007199254740993",
  "9999999999999999",
  "99999999999999999999",
  LOGS[5].transactionHash,
  LOGS[5].transactionHash.toUpperCase(),
  `0x${"00".repeat(32)}`,
  ALICE,
  "%",
  "%zz",
  "[]",
  "{}",
];
const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=utf-16",
  "text/plain",
  "application/xml",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/octet-stream",
  "application/problem+json",
  "garbage",
  ";;;",
  "",
];
const ACCEPTS = [
  "*/*",
  "application/json",
  "text/plain",
  "image/png",
  "text/html,*/*;q=0.8",
  "application/json;q=0",
  "*/*;q=abc",
  ",,,",
  "text/*",
  "",
  "x".repeat(3000),
];

/** A string made URL-safe (lone surrogates and all), the way a client would percent-encode it. */
const encoded = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return "%ED%A0%80";
  }
};

const segment = fc.oneof(
  { arbitrary: fc.constantFrom(...WORDS), weight: 6 },
  { arbitrary: fc.string({ maxLength: 12 }).map(encoded), weight: 2 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 8 }).map(encoded), weight: 1 },
  { arbitrary: fc.nat().map(String), weight: 1 },
);
const path = fc
  .tuple(fc.constantFrom(...PREFIXES), fc.array(segment, { maxLength: 3 }))
  .map(([prefix, segs]) => `${prefix}${segs.join("/")}`);
const queryValue = fc.oneof(
  { arbitrary: fc.constantFrom(...QUERY_VALUES), weight: 5 },
  { arbitrary: fc.string({ maxLength: 10 }).map(encoded), weight: 2 },
  { arbitrary: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String), weight: 1 },
);
const query = fc
  .array(fc.tuple(fc.constantFrom(...QUERY_KEYS), queryValue, fc.boolean()), { maxLength: 4 })
  .map((pairs) =>
    pairs.length === 0 ? "" : `?${pairs.map(([k, v, bare]) => (bare && v === "" ? k : `${k}=${v}`)).join("&")}`,
  );
const body = fc.oneof(
  fc.constant(undefined),
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 64 }),
  fc.uint8Array({ maxLength: 128 }).map((b) => Buffer.from(b)),
  fc.constant(`{"a":"${"x".repeat(70_000)}"}`),
  fc.constant("{"),
);

/** Would this request open an SSE stream (a response that never ends under inject)? The URL is normalised as the router sees it. */
function opensStream(method: string, url: string): boolean {
  if (method !== "GET") return false; // HEAD answers headers only
  let pathname: string;
  try {
    pathname = new URL(url, "http://localhost").pathname;
  } catch {
    return false;
  }
  let decoded = pathname;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    // the router refuses it: no stream
  }
  return decoded === "/v1/stream";
}

/** The queries of an empty city: every route answers, nothing is found. */
function stubQueries(): ProjectionQueries {
  return { ...createQueries(new ProjectionEngine()), seq: () => 40 };
}

describe("ledger API fuzz: never a 5xx, every 4xx a problem", function () {
  this.timeout(120_000);
  let dir: string;
  let store: LogStore;
  let app: FastifyInstance;
  const statuses = new Map<number, number>();
  let requests = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "cityledger-api-fuzz-"));
    store = await LogStore.open({
      dir,
      origin: signer.name,
      signer,
      genesis: { block: 0n, blockHash: `0x${"00".repeat(32)}` as Hex, size: 0 },
    });
    await store.append(LOGS.slice(0, 17), { block: 6n, blockHash: keccak256(toHex("b6")) });
    await store.append(LOGS.slice(17), { block: 14n, blockHash: keccak256(toHex("b14")) });
    app = await buildApp(
      {
        store,
        decoder: new CityEventDecoder({ contracts: {} }),
        follower: {
          status: () => ({ state: "following", finalBlock: 14n, tentativeBlock: 15n }),
          tentative: () => [{ log: LOGS[0] }],
        },
        updates: new UpdateBus(),
        verifierKey: verifierKey(signer),
        chainId: 31337,
      },
      { queries: stubQueries() },
    );
  });
  after(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    console.log(
      `      ${requests} fuzz requests; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
    );
  });

  async function send(options: {
    method: string;
    url: string;
    headers?: Record<string, string>;
    payload?: string | Buffer | object;
  }): Promise<LightMyRequestResponse> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within 5 s: ${options.method} ${options.url}`)), 5000);
    });
    try {
      const res = await Promise.race([app.inject({ ...options, method: options.method as "GET" }), timeout]);
      requests += 1;
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      checkAnswer(options.method, options.url, res);
      return res;
    } finally {
      clearTimeout(timer);
    }
  }

  function checkAnswer(method: string, url: string, res: LightMyRequestResponse): void {
    const where = `${method} ${url} → ${res.statusCode} ${res.body.slice(0, 300)}`;
    expect(res.statusCode, where).to.be.below(500);
    expect(res.body, where).to.not.match(/\n\s+at \S+ \(/); // never a stack trace
    if (res.statusCode < 400) return;
    expect(res.headers["content-type"], where).to.match(/^application\/problem\+json/);
    if (method === "HEAD") return; // no body
    const problem = JSON.parse(res.body);
    expect(problem.type, where)
      .to.be.a("string")
      .and.satisfy((t: string) => t.startsWith(PROBLEM_BASE));
    expect(problem.status, where).to.equal(res.statusCode);
    expect(problem.title, where).to.be.a("string").and.not.equal("");
    expect(problem.detail, where).to.be.a("string").and.not.equal("");
    expect(problem.instance, where).to.be.a("string");
  }

  it("random GET paths and query strings under /v1, /docs and /", async () => {
    await fc.assert(
      fc.asyncProperty(path, query, async (p, q) => {
        fc.pre(!opensStream("GET", p + q));
        await send({ method: "GET", url: p + q });
      }),
      { numRuns: 200 },
    );
  });

  it("random methods, content types and bodies", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...METHODS),
        path,
        query,
        fc.constantFrom(...CONTENT_TYPES),
        body,
        async (method, p, q, contentType, payload) => {
          fc.pre(!opensStream(method, p + q));
          const headers: Record<string, string> = contentType ? { "content-type": contentType } : {};
          await send({
            method,
            url: p + q,
            headers,
            payload:
              payload === undefined
                ? undefined
                : typeof payload === "string" || Buffer.isBuffer(payload)
                  ? payload
                  : JSON.stringify(payload),
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it("random Accept and Last-Event-ID headers on the real routes", async () => {
    const routes = [
      "/v1/checkpoint",
      "/v1/checkpoints/17",
      "/v1/checkpoints/40",
      "/v1/entries?limit=5",
      "/v1/entries/7",
      "/v1/proofs/inclusion?seq=3",
      "/v1/proofs/consistency?from=17",
      "/v1/tentative",
      "/v1/health",
      "/metrics",
      `/v1/accounts/${ALICE}`,
      "/v1/income/programs",
      "/docs/json",
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.constantFrom(...ACCEPTS),
        fc.oneof(fc.constant(undefined), fc.constantFrom("0", "abc", "-1", "41", "99999999999999999999")),
        async (url, accept, lastEventId) => {
          const headers: Record<string, string> = { accept };
          if (lastEventId !== undefined) headers["last-event-id"] = lastEventId;
          const res = await send({ method: "GET", url, headers });
          // The routes exist and the parameters are valid: only content negotiation may refuse.
          expect([200, 406], `${url} ${accept}`).to.include(res.statusCode);
        },
      ),
      { numRuns: 80 },
    );
  });

  it("the stream route refuses bad resume points without opening a stream", async () => {
    for (const lastEventId of ["abc", "-1", "41", "1e3", "99999999999999999999"]) {
      const res = await send({ method: "GET", url: "/v1/stream", headers: { "last-event-id": lastEventId } });
      expect(res.statusCode).to.equal(400);
    }
    expect(app.streams.size).to.equal(0);
  });

  it("keeps metric labels bounded: random URLs are counted as `unmatched`", async () => {
    const text = (await app.inject({ url: "/metrics" })).body;
    const routes = new Set([...text.matchAll(/route="([^"]*)"/g)].map((m) => m[1]));
    for (const route of routes) {
      expect(
        // "/*": the web app's catch-all (its files and page fallback), one label for any path it answers;
        // "/checkpoint" and "/tile/...": the tlog-tiles routes, one label per route pattern.
        route === "unmatched" ||
          route.startsWith("/v1/") ||
          ["/metrics", "/*", "/checkpoint", "/tile/entries/*", "/tile/:level/*"].includes(route) ||
          route.startsWith("/docs"),
        route,
      ).to.equal(true);
      expect(route).to.not.match(/%|\.\.|0x[0-9a-fA-F]{40}/);
    }
    expect(routes.size).to.be.below(40);
  });
});
