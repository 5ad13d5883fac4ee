/**
 * The web app's browser tests' harness: a city started the way `npm start` starts it (`hardhat run scripts/start.ts`,
 * on free ports), once per test file; a proxy in front of its ledger node (what the browser talks to, so a test can
 * tamper with the node's answers); headless Chromium; and the checks every page must pass (axe-core, no horizontal
 * scroll at 360 px, every string translated), plus screenshots into docs/screenshots/.
 *
 * @example
 * ```ts
 * describe("the log", function () {
 *   const app = useAppHarness(this);
 *   it("loads", async () => {
 *     const page = await app.open("/log", { width: 360, locale: "fr" });
 *     await expectAxeClean(page);
 *   });
 * });
 * ```
 */
import { expect } from "chai";
import fs from "node:fs";
import http from "node:http";
import type net from "node:net";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import type { DemoCity, Jsonified } from "../../scripts/lib/demo";
import { removeTempDirs, ROOT, startSharedCity, type StartedCity } from "../start-city";

export const SCREENSHOTS = path.join(ROOT, "docs", "screenshots");
const AXE = path.join(ROOT, "node_modules", "axe-core", "axe.min.js");

export type Width = 360 | 1280;
export type Locale = "en" | "fr";

/** Rewrites the body of the node's answers to paths that match, before the browser sees them. */
export interface Tamper {
  match: RegExp;
  edit: (body: string) => string;
}

export interface AppHarness {
  /** The proxy's origin: the app and the API as the browser sees them. */
  readonly url: string;
  /** The ledger node itself, behind the proxy. */
  readonly nodeUrl: string;
  /** The chain's JSON-RPC URL. */
  readonly rpcUrl: string;
  /** The deployment record `npm start` wrote. */
  readonly deploymentFile: string;
  /** What the demo seed made (its ids, questions, winners). */
  readonly demo: Jsonified<DemoCity>;
  /** Opens `path` in a fresh browser context (own cache and storage) at that width and browser language. */
  open(path: string, options: { width: Width; locale: Locale }): Promise<Page>;
  /** From now on, answers of matching paths are rewritten (undefined: served as the node sends them). */
  tamper(tamper: Tamper | undefined): void;
  /** Cuts the browser off the node (every open connection dropped, new ones reset) or lets it through again. */
  cutNode(cut: boolean): void;
}

/** Chromium from the system (Debian's `chromium` package), or CHROMIUM_PATH. */
export function findChromium(): string | undefined {
  return [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find(
    (p): p is string => !!p && fs.existsSync(p),
  );
}

/**
 * Registers the before/after hooks of a test file's `describe`: the city, the proxy and the browser start once, and
 * are stopped whatever happens. Without Chromium the file fails in CI (CI=true) and is skipped, loudly, elsewhere.
 */
export function useAppHarness(suite: Mocha.Suite): AppHarness {
  suite.timeout(300_000);
  let city: StartedCity | undefined;
  let proxy: Proxy | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  const harness: AppHarness = {
    get url() {
      return need(proxy, "proxy").url;
    },
    get nodeUrl() {
      return need(city, "city").nodeUrl;
    },
    get rpcUrl() {
      return need(city, "city").rpcUrl;
    },
    get deploymentFile() {
      return need(city, "city").deploymentFile;
    },
    get demo() {
      return need(city, "city").demo;
    },
    async open(pathname, { width, locale }) {
      const context = await need(browser, "browser").newContext({
        viewport: { width, height: width === 360 ? 780 : 900 },
        locale: locale === "fr" ? "fr-FR" : "en-GB",
        deviceScaleFactor: 1,
      });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(new URL(pathname, harness.url).href);
      await page.waitForSelector("h1");
      return page;
    },
    tamper(tamper) {
      need(proxy, "proxy").tamper = tamper;
    },
    cutNode(cut) {
      need(proxy, "proxy").cut(cut);
    },
  };

  suite.beforeAll(async function () {
    const executablePath = findChromium();
    if (!executablePath) {
      const missing = "no Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH): the app's browser tests cannot run here";
      if (process.env.CI) throw new Error(missing);
      console.warn(`      ⚠ ${missing}`);
      this.skip();
    }
    city = await startSharedCity("app");
    proxy = await startProxy(city.nodeUrl);
    browser = await chromium.launch({ executablePath, args: ["--headless", "--no-sandbox"] });
  });

  // Each page holds a live stream open, and the node allows one client address only so many: a test's pages close
  // when it ends.
  suite.afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close().catch(() => undefined);
  });

  suite.afterAll(async () => {
    for (const context of contexts.splice(0)) await context.close().catch(() => undefined);
    await browser?.close();
    await proxy?.close();
    await city?.stop();
    removeTempDirs();
  });

  return harness;
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the harness's ${what} is not started (use the harness inside its describe's tests)`);
  return value;
}

// ---------------------------------------------------------------------------------------------------------------------
// The proxy in front of the node

interface Proxy {
  url: string;
  tamper: Tamper | undefined;
  cut(cut: boolean): void;
  close(): Promise<void>;
}

/**
 * Forwards every request to the node, streams included; answers whose path matches `tamper.match` are read whole and
 * rewritten (and marked no-store, so the browser cannot keep a tampered proof). The node serves the app itself.
 */
async function startProxy(nodeUrl: string): Promise<Proxy> {
  const target = new URL(nodeUrl);

  let cut = false;
  const state: Proxy = { url: "", tamper: undefined, cut: () => undefined, close: async () => undefined };
  const server = http.createServer((req, res) => {
    // A node out of reach: the connection is reset, as a browser sees a server that went away.
    if (cut) return req.socket.destroy();
    const url = req.url ?? "/";
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: url, headers: { ...req.headers, host: target.host } },
      (answer) => {
        const tamper = state.tamper;
        if (!tamper || !tamper.match.test(url)) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => chunks.push(chunk));
        answer.on("end", () => {
          const body = Buffer.from(tamper.edit(Buffer.concat(chunks).toString("utf8")));
          const headers = { ...answer.headers, "content-length": String(body.length), "cache-control": "no-store" };
          delete headers.etag;
          res.writeHead(answer.statusCode ?? 502, headers);
          res.end(body);
        });
      },
    );
    upstream.on("error", (error) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`proxy: ${error.message}`);
    });
    req.pipe(upstream);
    res.on("close", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  state.url = `http://127.0.0.1:${port}`;
  state.cut = (value) => {
    cut = value;
    if (cut) server.closeAllConnections();
  };
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

// ---------------------------------------------------------------------------------------------------------------------
// Checks every page passes

/** axe-core in the page: fails on any serious or critical violation, naming each rule and the elements. */
export async function expectAxeClean(page: Page): Promise<void> {
  // Evaluated, not added as a <script>: the node's CSP (rightly) refuses inline scripts.
  await page.evaluate(fs.readFileSync(AXE, "utf8"));
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResults> } }).axe;
    const results = await axe.run(document, { resultTypes: ["violations"] });
    return results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${n.target.join(" ")} — ${n.failureSummary.replace(/\n/g, " ")}`).join("\n")}`);
  });
  expect(violations, `axe-core on ${page.url()}:\n${violations.join("\n")}`).to.deep.equal([]);
}

interface AxeResults {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[]; failureSummary: string }[] }[];
}

/** Nothing wider than the viewport: the page never scrolls sideways. */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const { scrollWidth, clientWidth, culprits } = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest(".table-scroll, .visually-hidden"))
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} (right ${Math.round(e.getBoundingClientRect().right)})`);
    return { scrollWidth: document.documentElement.scrollWidth, clientWidth: width, culprits: wide };
  });
  expect(scrollWidth, `${page.url()} scrolls sideways at ${clientWidth} px; wider than the page: ${culprits.join(", ")}`).to.be.at.most(clientWidth);
}

/**
 * Every string on the page is translated: no message key is missing (the i18n layer shows ⟦key⟧ and records it), and
 * switching the language changes every text on the page, except data (marked `translate="no"`: hashes, addresses,
 * event names, names people gave) and messages that are the same in both catalogs ("Menu", "Budget": the i18n layer
 * records those it renders). The page is left in the other language.
 */
export async function expectFullyTranslated(page: Page): Promise<void> {
  const before = await pageTexts(page);
  const lang = await page.evaluate(() => document.documentElement.lang);
  await page.getByTestId("language-switch").click();
  const other = lang === "fr" ? "en" : "fr";
  await page.waitForFunction((want) => document.documentElement.lang === want, other);
  await page.waitForTimeout(300);
  const after = await pageTexts(page);
  for (const texts of [before, after]) {
    expect(texts.missing, `message keys missing from the catalogs on ${page.url()}`).to.deep.equal([]);
    expect(texts.all.filter((t) => t.includes("⟦")), `untranslated keys shown on ${page.url()}`).to.deep.equal([]);
  }
  const same = new Set([...before.same, ...after.same]);
  const unchanged = after.all.filter((text) => before.all.includes(text) && /\p{L}{2}/u.test(text) && !same.has(text));
  expect(unchanged, `strings on ${page.url()} unchanged by the switch from ${lang} to ${other}`).to.deep.equal([]);
}

async function pageTexts(page: Page): Promise<{ all: string[]; missing: string[]; same: string[] }> {
  return page.evaluate(() => {
    const texts = new Set<string>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('[translate="no"], script, style, svg')) continue;
      const text = (node.textContent ?? "").replace(/\s+/g, " ").trim();
      if (text) texts.add(text);
    }
    // Accessible names that are not text nodes: aria-label, title, alt.
    for (const e of document.body.querySelectorAll("[aria-label], [title], img[alt]")) {
      if (e.closest('[translate="no"]')) continue;
      for (const attribute of ["aria-label", "title", "alt"]) {
        const value = e.getAttribute(attribute)?.trim();
        if (value) texts.add(value);
      }
    }
    const recorded = window as { __cityledgerMissingMessages?: string[]; __cityledgerSameInBothLanguages?: Set<string> };
    return { all: [...texts], missing: [...(recorded.__cityledgerMissingMessages ?? [])], same: [...(recorded.__cityledgerSameInBothLanguages ?? [])] };
  });
}

/** A full-page PNG in docs/screenshots/<name>.png (committed, linked from the README). */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: "disabled" });
  return file;
}
