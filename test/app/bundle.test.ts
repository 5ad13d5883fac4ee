/**
 * The explorer's bundle budget (issue 15): the JavaScript a first visit downloads is at most 350 KB gzipped. The app
 * is built by Vite into a temporary directory (never app/dist, which a running node may be serving) with its manifest;
 * the first load is the entry with the chunks index.html preloads, and, since the first page a visitor sees is the
 * dashboard, also that route's lazy chunk with every chunk it imports and the chain clock it loads when the node
 * publishes an RPC — both are measured against the budget.
 */
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

const ROOT = path.resolve(__dirname, "..", "..");
const APP = path.join(ROOT, "app");
// vite exports no bin path: its package.json (which it does export) sits beside bin/.
const VITE = path.join(path.dirname(require.resolve("vite/package.json", { paths: [APP] })), "bin", "vite.js");
const BUDGET_BYTES = 350_000;

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
}

describe("the web app's bundle budget", function () {
  this.timeout(180_000);
  let out: string;
  let manifest: Record<string, ManifestChunk>;

  before(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), "cityledger-app-bundle-"));
    execFileSync(process.execPath, [VITE, "build", "--manifest", "--outDir", out, "--emptyOutDir", "--logLevel", "warn"], { cwd: APP, stdio: "pipe" });
    manifest = JSON.parse(fs.readFileSync(path.join(out, ".vite", "manifest.json"), "utf8")) as Record<string, ManifestChunk>;
  });

  after(() => fs.rmSync(out, { recursive: true, force: true }));

  const gzipped = (file: string) => gzipSync(fs.readFileSync(path.join(out, file)), { level: 9 }).length;

  /** A chunk's file and every chunk it imports statically (what the browser must fetch before it runs). */
  function closure(key: string, seen = new Set<string>()): Set<string> {
    if (seen.has(key)) return seen;
    seen.add(key);
    for (const imported of manifest[key]?.imports ?? []) closure(imported, seen);
    return seen;
  }

  it("loads at most 350 KB of JavaScript, gzipped, on a first visit: the entry and the chunks index.html preloads", () => {
    const html = fs.readFileSync(path.join(out, "index.html"), "utf8");
    const files = [...html.matchAll(/<script type="module"[^>]* src="\/([^"]+)"|<link rel="modulepreload"[^>]* href="\/([^"]+)"/g)].map((m) => (m[1] ?? m[2])!);
    expect(files.length, "index.html loads no module script").to.be.greaterThan(0);
    const sizes = files.map((f) => [f, gzipped(f)] as const);
    const total = sizes.reduce((sum, [, size]) => sum + size, 0);
    console.log(`      first load: ${(total / 1000).toFixed(1)} KB gzipped (${sizes.map(([f, s]) => `${path.basename(f)} ${(s / 1000).toFixed(1)} KB`).join(", ")})`);
    expect(total, `first load is ${total} bytes gzipped`).to.be.at.most(BUDGET_BYTES);
  });

  it("the dashboard, the page a visitor lands on, is within the budget too with its lazy chunks and the chain's clock", () => {
    const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry)!;
    const dashboard = Object.keys(manifest).find((k) => manifest[k]!.src === "src/pages/dashboard/DashboardPage.tsx");
    expect(dashboard, "the dashboard is its own chunk (React.lazy)").to.not.equal(undefined);
    // The dashboard reads the chain's clock (viem alone, fetched when the node publishes an RPC, as npm start's does):
    // counted too. It must not pull in the SDK's full chain client, which the pages that read contracts load.
    const clock = Object.keys(manifest).find((k) => manifest[k]!.src === "src/api/chainClock.ts");
    const client = Object.keys(manifest).find((k) => manifest[k]!.src === "src/api/cityClient.ts");
    expect(clock, "the chain clock is its own chunk (dynamic import)").to.not.equal(undefined);
    const keys = new Set([...closure(entry), ...closure(dashboard!), ...closure(clock!)]);
    expect([...keys], "the dashboard loads the SDK's chain client").to.not.include(client);
    const total = [...keys].reduce((sum, key) => sum + gzipped(manifest[key]!.file), 0);
    console.log(`      dashboard first load, with the chain's clock: ${(total / 1000).toFixed(1)} KB gzipped in ${keys.size} chunks`);
    expect(total, `the dashboard's first load is ${total} bytes gzipped`).to.be.at.most(BUDGET_BYTES);
  });
});
