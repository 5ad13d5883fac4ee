/**
 * The explorer's core pages in Chromium against a city started as `npm start` starts it (issue 15, explorer items
 * 1–4): each loads with the demo data at 360 px in French and at 1280 px in English, passes axe-core, never scrolls
 * sideways and is fully translated; an entry verifies in the page and a proof tampered with by the test proxy fails;
 * the dashboard follows a payment made during the test; the log finds entries by transaction and address.
 */
import { expect } from "chai";
import fs from "node:fs";
import type { Page } from "playwright-core";
import { createPublicClient, createWalletClient, http, keccak256, toBytes, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { cityCoinAbi } from "@cityledger/sdk";
import { expectAxeClean, expectFullyTranslated, expectNoHorizontalScroll, screenshot, useAppHarness, type Locale, type Width } from "./harness";

/** A demo member's key, as the README gives it: keccak256("cityledger demo member " + i). Public: dev chain only. */
const demoKey = (i: number) => keccak256(toBytes(`cityledger demo member ${i}`));

/** The pages of explorer items 1–4 and what each must show once its data is in. */
const PAGES: { name: string; path: string; ready: string }[] = [
  { name: "dashboard", path: "/", ready: ".figure svg" },
  { name: "log", path: "/log", ready: ".entry" },
  { name: "entry", path: "/log/10", ready: "pre" },
  { name: "verify", path: "/verify/10", ready: ".verify-result" },
  { name: "anchors", path: "/anchors", ready: ".verify-result" },
];

const VIEWS: { width: Width; locale: Locale }[] = [
  { width: 360, locale: "fr" },
  { width: 1280, locale: "en" },
];

describe("the explorer (app/, Chromium)", function () {
  const app = useAppHarness(this);

  for (const { name, path, ready } of PAGES) {
    for (const { width, locale } of VIEWS) {
      it(`${name} (${path}) at ${width} px in ${locale}: loads with the demo data, axe-clean, no sideways scroll, fully translated`, async () => {
        const page = await app.open(path, { width, locale });
        await page.waitForSelector(ready, { timeout: 60_000 });
        await page.waitForLoadState("networkidle");
        expect(await page.evaluate(() => document.documentElement.lang)).to.equal(locale);
        await expectNoHorizontalScroll(page);
        await expectAxeClean(page);
        await screenshot(page, `${name}-${width}`);
        await expectFullyTranslated(page);
        await expectNoHorizontalScroll(page); // the other language's longer words too
        expect(await page.pageErrors()).to.deep.equal([]);
      });
    }
  }

  it("verifies an entry step by step: leaf, signature, audit path, the witnessed anchor", async () => {
    const page = await app.open("/verify/10", { width: 1280, locale: "en" });
    const result = await page.waitForSelector(".verify-result", { timeout: 60_000 });
    expect(await result.getAttribute("data-verdict")).to.equal("ok");
    expect(await stepStatuses(page)).to.deep.equal({ key: "ok", leaf: "ok", checkpoint: "ok", path: "ok", anchor: "ok" });
    expect(await page.locator(".verdict").innerText()).to.match(/^Verified: entry 10 is in the log the node signed/);
  });

  it("shows a proof the proxy tampered with (one byte flipped) as failing, and says which check failed", async () => {
    app.tamper({ match: /^\/v1\/proofs\/inclusion\?/, edit: flipFirstProofByte });
    try {
      const page = await app.open("/verify/10", { width: 360, locale: "fr" });
      const result = await page.waitForSelector(".verify-result", { timeout: 60_000 });
      expect(await result.getAttribute("data-verdict")).to.equal("fail");
      expect(await stepStatuses(page)).to.deep.equal({ key: "ok", leaf: "ok", checkpoint: "ok", path: "fail", anchor: "skipped" });
      expect(await page.locator(".verdict").innerText()).to.contain("Chemin d'audit jusqu'à la racine");
      // The SDK's own sentence: the root the path leads to is not the signed one.
      expect(await page.locator('[data-step="path"] .state-error').innerText()).to.match(/does not match expected/);
      await screenshot(page, "verify-tampered-360");
    } finally {
      app.tamper(undefined);
    }
  });

  it("checks that two signed checkpoints are consistent", async () => {
    const page = await app.open("/verify/10", { width: 1280, locale: "en" });
    await page.waitForSelector(".verify-result", { timeout: 60_000 });
    const form = page.locator("#consistency-check ~ form");
    // The older size defaults to the last anchor's once one is on chain (1 before: no checkpoint is signed there).
    await page.waitForFunction(() => Number((document.querySelector("#consistency-check ~ form input") as HTMLInputElement | null)?.value) > 1, undefined, {
      timeout: 60_000,
    });
    await form.getByRole("button", { name: "Verify" }).click();
    const verdict = page.locator("#consistency-check ~ .verify-result .verdict");
    await verdict.waitFor({ timeout: 30_000 });
    expect(await verdict.innerText()).to.match(/^Consistent: the log of [\d,]+ entries extends the log of [\d,]+ entries/);
  });

  it("follows the stream: a payment made during the test shows on the dashboard without a reload", async () => {
    const page = await app.open("/", { width: 1280, locale: "en" });
    await page.waitForSelector('[data-live="live"]', { timeout: 30_000 });
    const payments = page.locator('[data-stat="payments"] .stat-value');
    await payments.waitFor();
    const before = Number((await payments.innerText()).replace(/\D/g, ""));

    const deployment = JSON.parse(fs.readFileSync(app.deploymentFile, "utf8")) as { contracts: Record<string, { address: Address }> };
    const account = privateKeyToAccount(demoKey(1));
    const to = privateKeyToAccount(demoKey(2)).address;
    const wallet = createWalletClient({ account, transport: http(app.rpcUrl) });
    const publicClient = createPublicClient({ transport: http(app.rpcUrl) });
    const hash = await wallet.writeContract({
      chain: null,
      address: deployment.contracts.CityCoin!.address,
      abi: cityCoinAbi,
      functionName: "transfer",
      args: [to, 1_000_000n],
    });
    expect((await publicClient.waitForTransactionReceipt({ hash })).status).to.equal("success");

    await page.waitForFunction(
      (want) => Number(document.querySelector('[data-stat="payments"] .stat-value')?.textContent?.replace(/\D/g, "")) === want,
      before + 1,
      { timeout: 60_000 },
    );
    // The log finds the payment by its transaction hash.
    const log = await app.open(`/log?q=${hash}`, { width: 360, locale: "en" });
    await log.waitForSelector(".entry", { timeout: 30_000 });
    expect(await log.locator(".entry .entry-event").allInnerTexts()).to.deep.equal(["CityCoin.Transfer"]);
  });

  it("searches the log by address, opens an entry by number, and explains a search it cannot read", async () => {
    const member = privateKeyToAccount(demoKey(3)).address;
    const page = await app.open("/log", { width: 360, locale: "en" });
    await page.getByLabel("Search the log").fill(member);
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForSelector(".entry", { timeout: 30_000 });
    // Newest first: the member's latest events (parking, energy, data use…), each an entry about the member.
    const events = await page.locator(".entry .entry-event").allInnerTexts();
    expect(events).to.not.be.empty;
    expect(await page.getByRole("status").innerText()).to.match(/entries match/);

    await page.getByLabel("Search the log").fill("12");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/\/log\/12$/);
    await page.waitForSelector("pre");
    expect(await page.locator("h1").innerText()).to.equal("Entry 12");

    await page.goto(new URL("/log", app.url).href);
    await page.getByLabel("Search the log").fill("not a hash");
    await page.getByRole("button", { name: "Search" }).click();
    expect(await page.getByRole("alert").innerText()).to.contain("This is not an entry number, an address or a transaction hash");
  });

  it("remembers the language chosen in the header over a reload, and <html lang> follows it", async () => {
    const page = await app.open("/anchors", { width: 360, locale: "en" });
    expect(await page.locator("h1").innerText()).to.equal("Anchors on the chain");
    await page.getByTestId("language-switch").click();
    await page.waitForFunction(() => document.documentElement.lang === "fr");
    expect(await page.locator("h1").innerText()).to.equal("Ancrages sur la chaîne");
    await page.reload();
    await page.waitForSelector("h1");
    expect(await page.evaluate(() => document.documentElement.lang)).to.equal("fr");
    expect(await page.locator("h1").innerText()).to.equal("Ancrages sur la chaîne");
  });
});

/** Each verification step's status by id, as the page shows it. */
async function stepStatuses(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() =>
    Object.fromEntries([...document.querySelectorAll(".verify-result .step")].map((s) => [s.getAttribute("data-step"), s.getAttribute("data-status")])),
  );
}

/** The first hash of an inclusion proof with its first byte's low bit flipped. */
function flipFirstProofByte(body: string): string {
  const proof = JSON.parse(body) as { proof: string[] };
  const first = proof.proof[0]!;
  const byte = parseInt(first.slice(2, 4), 16) ^ 1;
  proof.proof[0] = `0x${byte.toString(16).padStart(2, "0")}${first.slice(4)}`;
  return JSON.stringify(proof);
}
