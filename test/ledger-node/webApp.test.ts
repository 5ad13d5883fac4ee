import { expect } from "chai";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { startServer, type RunningServer } from "../../ledger-node/src/api/server";
import { parseNodeConfig } from "../../ledger-node/src/config";
import { tempDir } from "./helpers/chain";
import { expectProblemOf, madeUpDeployment, openEmptyContext, type Answer } from "./helpers/api";

/** One request with the path sent as written (fetch would resolve `..` before sending it). */
function request(base: string, rawPath: string, init: { method?: string; accept?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: hostname, port, path: rawPath, method: init.method ?? "GET", headers: { ...(init.accept ? { accept: init.accept } : {}), ...init.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const body = Buffer.concat(chunks).toString("utf8");
          resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
        });
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** What a browser's navigation sends. */
const PAGE = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-Bx7f3k.js"></script></head><body><div id="root"></div></body></html>\n';
const SCRIPT = "console.log('cityledger');\n";
const RPC = "http://127.0.0.1:8545";

describe("ledger node: the web app at /", function () {
  this.timeout(60_000);
  let dir: string;
  let empty: Awaited<ReturnType<typeof openEmptyContext>>;
  const servers: RunningServer[] = [];
  const serve = async (appDir?: string) => {
    const server = await startServer(empty.ctx, {
      host: "127.0.0.1",
      port: 0,
      logger: false,
      appDir,
      deployment: { deployment: madeUpDeployment("0x5FC8d32690cc91D4c39d9d3abcBD16989F875707"), publicRpcUrl: RPC },
    });
    servers.push(server);
    return server.url;
  };

  before(async () => {
    empty = await openEmptyContext("web-app");
    dir = tempDir("web-app-files");
    const dist = path.join(dir, "dist");
    fs.mkdirSync(path.join(dist, "assets"), { recursive: true });
    fs.writeFileSync(path.join(dist, "index.html"), INDEX);
    fs.writeFileSync(path.join(dist, "assets", "index-Bx7f3k.js"), SCRIPT);
    fs.writeFileSync(path.join(dist, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
    fs.writeFileSync(path.join(dist, ".build-hash"), "abc\n");
    fs.writeFileSync(path.join(dir, "secret.txt"), "outside the app\n");
    fs.symlinkSync(path.join(dir, "secret.txt"), path.join(dist, "linked.txt"));
    fs.mkdirSync(path.join(dir, "unbuilt"));
  });
  after(async () => {
    for (const server of servers) await server.close();
    await empty.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe("with a built app", () => {
    let url: string;
    before(async () => {
      url = await serve(path.join(dir, "dist"));
    });

    it("serves index.html at / with no-cache and a CSP that allows the app's own scripts, the API and the public RPC", async () => {
      const res = await request(url, "/", { accept: PAGE });
      expect(res.statusCode).to.equal(200);
      expect(res.headers["content-type"]).to.match(/^text\/html/);
      expect(res.body).to.equal(INDEX);
      expect(res.headers["cache-control"]).to.equal("no-cache");
      const csp = res.headers["content-security-policy"] as string;
      const directive = (name: string) => csp.split("; ").find((d) => d.startsWith(`${name} `));
      expect(directive("script-src")).to.equal("script-src 'self'"); // no inline script, no eval
      expect(directive("connect-src")).to.equal(`connect-src 'self' ${RPC}`);
      expect(directive("frame-ancestors")).to.equal("frame-ancestors 'none'");
      expect(directive("object-src")).to.equal("object-src 'none'");
      expect(res.headers).to.include({ "x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "no-referrer" });
      // curl's default Accept gets the page too: `/` is a file.
      expect((await request(url, "/")).body).to.equal(INDEX);
      expect((await request(url, "/index.html")).body).to.equal(INDEX);
    });

    it("answers a client-side route with index.html when a page is asked for, a problem 404 otherwise", async () => {
      for (const route of ["/log/123", "/ballots/4/results", "/fr/anchors?size=10", "/assetsfoo"]) {
        const res = await request(url, route, { accept: PAGE });
        expect(res.statusCode, route).to.equal(200);
        expect(res.body, route).to.equal(INDEX);
        expect(res.headers["cache-control"]).to.equal("no-cache");
      }
      expectProblemOf(await request(url, "/log/123", { accept: "*/*" }), 404, "not-found");
      expectProblemOf(await request(url, "/log/123", { accept: "application/json" }), 404, "not-found");
    });

    it("serves a hashed asset with an immutable cache policy and revalidates other files", async () => {
      const res = await request(url, "/assets/index-Bx7f3k.js", { accept: "*/*" });
      expect(res.statusCode).to.equal(200);
      expect(res.headers["content-type"]).to.match(/javascript/);
      expect(res.body).to.equal(SCRIPT);
      expect(res.headers["cache-control"]).to.equal("public, max-age=31536000, immutable");
      const again = await request(url, "/assets/index-Bx7f3k.js", { headers: { "if-none-match": res.headers.etag as string } });
      expect(again.statusCode).to.equal(304);
      const icon = await request(url, "/favicon.svg");
      expect(icon.statusCode).to.equal(200);
      expect(icon.headers["cache-control"]).to.equal("no-cache");
      // A missing asset is a 404 even for a page request: index.html served as a script would fail obscurely.
      expectProblemOf(await request(url, "/assets/index-gone.js", { accept: PAGE }), 404, "not-found");
    });

    it("answers HEAD like GET without a body", async () => {
      const res = await request(url, "/", { method: "HEAD", accept: PAGE });
      expect(res.statusCode).to.equal(200);
      expect(res.headers["content-length"]).to.equal(String(Buffer.byteLength(INDEX)));
      expect(res.body).to.equal("");
      const asset = await request(url, "/assets/index-Bx7f3k.js", { method: "HEAD" });
      expect(asset.statusCode).to.equal(200);
      expect(asset.headers["cache-control"]).to.equal("public, max-age=31536000, immutable");
      expect(asset.body).to.equal("");
      expect((await request(url, "/log/9", { method: "HEAD", accept: PAGE })).statusCode).to.equal(200);
    });

    it("keeps the API's own answers: unknown /v1, /docs, /metrics and tile paths stay problem 404s, known routes work", async () => {
      for (const route of ["/v1/unknown", "/v1", "/v1/", "/docs/unknown.js", "/metrics/extra", "/checkpoint/extra", "/tile", "/tile/"]) {
        const body = expectProblemOf(await request(url, route, { accept: PAGE }), 404, "not-found");
        expect(body.detail, route).to.contain("the API is described at /docs");
      }
      expect((await request(url, "/v1/checkpoint")).statusCode).to.equal(200);
      expect((await request(url, "/v1/health")).statusCode).to.equal(200);
      // POST to an app path is no resource (404), not a GET-only one (405): the catch-all is not an API route.
      expectProblemOf(await request(url, "/log/123", { method: "POST", accept: PAGE }), 404, "not-found");
      expectProblemOf(await request(url, "/v1/unknown", { method: "POST" }), 404, "not-found");
      const docs = (await request(url, "/docs/json")).json() as { paths: Record<string, unknown> };
      // Outside /v1 the API has only /metrics and the tlog-tiles layout, whose paths C2SP fixes.
      const outside = Object.keys(docs.paths).filter((p) => !p.startsWith("/v1/") && p !== "/metrics");
      expect(outside).to.deep.equal(["/checkpoint", "/tile/entries/{*}", "/tile/{level}/{*}"]);
      expect((await request(url, "/checkpoint")).statusCode).to.equal(200);
    });

    it("refuses paths that leave the app's directory, and serves neither dot files nor links to the outside", async () => {
      for (const route of ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt", "/assets/../../secret.txt", "/..%5csecret.txt"]) {
        const res = await request(url, route, { accept: PAGE });
        expect(res.statusCode, route).to.equal(403);
        expect(res.body, route).to.not.contain("outside the app");
        expect(res.headers["content-type"], route).to.match(/^application\/problem\+json/);
      }
      expect((await request(url, "/linked.txt")).statusCode).to.equal(404);
      expect((await request(url, "/.build-hash")).statusCode).to.equal(404);
      expect((await request(url, "/.build-hash", { accept: PAGE })).body).to.equal(INDEX); // a page route, not the file
    });
  });

  it("takes the app's directory from --app-dir or CITY_APP_DIR, resolved; none by default", () => {
    expect(parseNodeConfig([], {}).appDir).to.equal(undefined);
    expect(parseNodeConfig([], { CITY_APP_DIR: "app/dist" }).appDir).to.equal(path.resolve("app/dist"));
    expect(parseNodeConfig(["--app-dir", "/srv/city-app"], { CITY_APP_DIR: "app/dist" }).appDir).to.equal("/srv/city-app");
  });

  describe("without a built app", () => {
    it("says at / how to build and serve the app: an HTML page for a browser, a problem for other clients", async () => {
      const url = await serve();
      const page = await request(url, "/", { accept: PAGE });
      expect(page.statusCode).to.equal(404);
      expect(page.headers["content-type"]).to.match(/^text\/html/);
      expect(page.body).to.contain("npx vite build").and.contain("--app-dir").and.not.contain("<script");
      expect(page.headers["content-security-policy"]).to.contain("script-src 'self'");
      expect((await request(url, "/log/1", { accept: PAGE })).statusCode).to.equal(404);
      const json = expectProblemOf(await request(url, "/", { accept: "application/json" }), 404, "not-found");
      expect(json.detail).to.contain("CITY_APP_DIR");
      expect((await request(url, "/v1/checkpoint")).statusCode).to.equal(200);
    });

    it("with an app directory that has no index.html yet: 503 not-ready, retry later", async () => {
      const url = await serve(path.join(dir, "unbuilt"));
      const page = await request(url, "/", { accept: PAGE });
      expect(page.statusCode).to.equal(503);
      expect(page.headers["retry-after"]).to.equal("10");
      expect(page.body).to.contain("no index.html yet").and.not.contain(dir); // never the server's file system layout
      const res = expectProblemOf(await request(url, "/ballots", { accept: "application/problem+json, text/html;q=0.5" }), 503, "not-ready");
      expect(res.detail).to.contain("vite build");
      const missing = await serve(path.join(dir, "does-not-exist"));
      expect((await request(missing, "/", { accept: PAGE })).statusCode).to.equal(503);
    });
  });
});
