/**
 * The explorer's pages for votes, participatory budgets, governance, parking, energy and income (issue 15, explorer
 * items 5–7) in Chromium against a city started as `npm start` starts it: each loads with the demo data at 360 px in
 * French and 1280 px in English, passes axe-core, never scrolls sideways and is fully translated; a budget round's
 * winners recomputed in the page are the chain's, and a recorded result the proxy alters is shown as not matching;
 * a sealed ballot shows its commitments; a ballot's published text checks against its hash; the data-use bulletin's
 * signature verifies in the page, and a bulletin the proxy altered does not.
 */
import { expect } from "chai";
import fs from "node:fs";
import { createPublicClient, http, type Address } from "viem";
import { participatoryBudgetAbi } from "@cityledger/sdk";
import { expectAxeClean, expectFullyTranslated, expectNoHorizontalScroll, screenshot, useAppHarness, type AppHarness, type Locale, type Width } from "./harness";

const VIEWS: { width: Width; locale: Locale }[] = [
  { width: 360, locale: "fr" },
  { width: 1280, locale: "en" },
];

describe("the explorer's votes, budget, governance, parking, energy and income pages (app/, Chromium)", function () {
  const app = useAppHarness(this);
  const demoCity = () => app.demo;

  /** Each page, where its demo data is, and what shows once it loaded. */
  const pages = (d: AppHarness["demo"]): { name: string; path: string; ready: string }[] => [
    { name: "votes", path: "/votes", ready: ".progress" },
    { name: "ballot", path: `/votes/${d.ballots.closedReferendum.id}`, ready: ".figure svg" },
    { name: "ballot-sealed", path: `/votes/${d.ballots.sealedReferendum.id}`, ready: ".table-nowrap tbody tr" },
    { name: "petition", path: `/votes/${d.ballots.petition.id}`, ready: ".progress" },
    { name: "budget", path: "/budget", ready: ".stat" },
    { name: "budget-round", path: `/budget/${d.budget.equalShares.roundId}`, ready: "[data-verdict]" },
    { name: "governance", path: "/governance", ready: ".figure svg" },
    { name: "proposal", path: `/governance/${d.governance.queued.id}`, ready: ".progress-track[aria-valuenow]" },
    { name: "parking", path: "/parking", ready: ".figure svg" },
    { name: "parking-spot", path: "/parking/1", ready: ".figure svg" },
    { name: "energy", path: "/energy", ready: ".figure svg" },
    { name: "energy-slot", path: `/energy/${d.energy.settledSlots[0]!.slot}`, ready: ".figure svg" },
    { name: "income", path: "/income", ready: ".figure svg" },
    { name: "datause", path: "/datause", ready: "[data-signature=ok]" },
  ];

  // The page list needs the demo's ids, known once the city is up: one test per view walks every page.
  for (const { width, locale } of VIEWS) {
    it(`every page at ${width} px in ${locale}: loads with the demo data, axe-clean, no sideways scroll, fully translated`, async () => {
      for (const { name, path, ready } of pages(demoCity())) {
        const page = await app.open(path, { width, locale }).catch((error: Error) => {
          throw new Error(`${path}: ${error.message}`);
        });
        await page.waitForSelector(ready, { timeout: 60_000 });
        await page.waitForLoadState("networkidle");
        expect(await page.evaluate(() => document.documentElement.lang), path).to.equal(locale);
        await expectNoHorizontalScroll(page);
        await expectAxeClean(page);
        await screenshot(page, `${name}-${width}`);
        await expectFullyTranslated(page);
        await expectNoHorizontalScroll(page);
        await page.context().close();
      }
    });
  }

  it("recomputes the Equal Shares round's winners in the page, and they are the chain's", async () => {
    const { roundId, winners } = demoCity().budget.equalShares;
    const page = await app.open(`/budget/${roundId}`, { width: 1280, locale: "en" });
    const verdict = await page.waitForSelector("[data-verdict]", { timeout: 60_000 });
    expect(await verdict.getAttribute("data-verdict")).to.equal("matches");
    expect(await verdict.innerText()).to.match(/^Recomputed: matches/);
    const recomputed = await page.locator("[data-recomputed-winners]").getAttribute("data-recomputed-winners");
    const chain = await onChainWinners(BigInt(roundId));
    expect(recomputed).to.equal(chain.toString());
    expect(recomputed).to.equal(winners);
    expect(chain).to.not.equal(0n);
  });

  it("shows a recorded result the proxy altered as not matching, naming the projects that differ", async () => {
    const { roundId, winners } = demoCity().budget.equalShares;
    // The node's record of the round now claims one more winner: the lowest ballot index the result left out.
    const recorded = BigInt(winners);
    let extra = 0;
    while ((recorded >> BigInt(extra)) & 1n) extra++;
    app.tamper({
      match: new RegExp(`^/v1/budget/rounds/${roundId}$`),
      edit: (body) => {
        const round = JSON.parse(body) as { result: { winners: string } };
        round.result.winners = (recorded | (1n << BigInt(extra))).toString();
        return JSON.stringify(round);
      },
    });
    try {
      const page = await app.open(`/budget/${roundId}`, { width: 360, locale: "fr" });
      const verdict = await page.waitForSelector("[data-verdict]", { timeout: 60_000 });
      expect(await verdict.getAttribute("data-verdict")).to.equal("mismatch");
      expect(await verdict.innerText()).to.contain("NON conforme");
      expect(await verdict.innerText()).to.match(/Lauréats du résultat enregistré mais pas ici : Projet \d+\./);
      await screenshot(page, "budget-round-tampered-360");
    } finally {
      app.tamper(undefined);
    }
  });

  it("gives a round still open for votes its provisional winners, not a verdict", async () => {
    const vote = demoCity().budget.rounds.vote!;
    const page = await app.open(`/budget/${vote}`, { width: 1280, locale: "en" });
    const verdict = await page.waitForSelector("[data-verdict]", { timeout: 60_000 });
    expect(await verdict.getAttribute("data-verdict")).to.equal("provisional");
  });

  it("shows a sealed ballot's commitments, not its choices, while voting is open", async () => {
    const sealed = demoCity().ballots.sealedReferendum;
    const page = await app.open(`/votes/${sealed.id}`, { width: 1280, locale: "en" });
    await page.waitForSelector(".table-nowrap tbody tr", { timeout: 60_000 });
    expect(await page.locator(".table-nowrap tbody tr").count()).to.equal(sealed.votes.length);
    expect(await page.locator("h2").allInnerTexts()).to.include("Sealed until the close");
    expect(await page.locator("h2").allInnerTexts()).to.not.include("Results so far");
  });

  it("checks a ballot's published text against its hash: the demo's text matches, an altered one does not", async () => {
    const { id, question, options } = demoCity().ballots.openConsultation;
    const page = await app.open(`/votes/${id}`, { width: 360, locale: "en" });
    const box = page.getByRole("textbox", { name: "Published text" });
    await box.fill(`${question}\n${options.join("\n")}x`);
    await page.getByRole("button", { name: "Check the text" }).click();
    expect(await page.locator(".verdict-fail").innerText()).to.match(/^This text does not match/);
    await box.fill(`${question}\r\n${options.join("\r\n")}\n`);
    await page.getByRole("button", { name: "Check the text" }).click();
    expect(await page.locator(".verdict-ok").innerText()).to.match(/^This text is the one the ballot was created with/);
    // The options now have their published names, in the facts and the chart's table.
    expect(await page.locator("h1").innerText()).to.contain(question);
    expect(await page.locator("dl.facts").innerText()).to.contain(options[0]!);
  });

  it("shows a queued proposal's call decoded, its timelock and the citizens' veto in progress", async () => {
    const { id } = demoCity().governance.queued;
    const page = await app.open(`/governance/${id}`, { width: 1280, locale: "en" });
    await page.waitForSelector(".call-name", { timeout: 60_000 });
    expect(await page.locator(".call-name").first().innerText()).to.equal("BasicIncome.setAmountPerPeriod(…)");
    expect(await page.locator(".calls dl.facts").first().innerText()).to.match(/60000000/);
    expect(await page.locator("#proposal-timelock ~ p").first().innerText()).to.match(/^Queued: the calls can be executed from/);
    const veto = page.locator('#proposal-veto ~ .progress [role="progressbar"]');
    expect(Number(await veto.getAttribute("aria-valuenow"))).to.be.greaterThan(0);
    expect(await page.locator(".badge").first().innerText()).to.equal("Passed, in the timelock");
  });

  async function onChainWinners(roundId: bigint): Promise<bigint> {
    const deployment = JSON.parse(fs.readFileSync(app.deploymentFile, "utf8")) as { contracts: Record<string, { address: Address }> };
    const client = createPublicClient({ transport: http(app.rpcUrl) });
    return client.readContract({
      address: deployment.contracts.ParticipatoryBudget!.address,
      abi: participatoryBudgetAbi,
      functionName: "winnersOf",
      args: [roundId],
    });
  }

  it("shows the data-use bulletin with its violation, verifies the node's signature, and refuses an altered bulletin", async () => {
    const page = await app.open("/datause", { width: 1280, locale: "en" });
    await page.waitForSelector("[data-signature=ok]", { timeout: 60_000 });
    expect(await page.locator("[data-signature] [role=status]").innerText()).to.contain("Signature verified in your browser");
    // The demo's one violation is in the month it happened: the months offered are the batches'.
    const months = await page.locator("#bulletin-month option").allInnerTexts();
    expect(months).to.have.length.of.at.least(2);
    let violations = 0;
    for (const month of months) {
      await page.locator("#bulletin-month").selectOption(month);
      await page.waitForSelector("[data-signature=ok]", { timeout: 60_000 });
      violations += Number((await page.locator('[data-stat="violations"] .stat-value').innerText()).replace(/\D/g, ""));
    }
    expect(violations).to.equal(1);

    // One more access claimed by the node's copy: the signature no longer vouches for it.
    app.tamper({
      match: /^\/v1\/datause\/bulletins\//,
      edit: (body) => {
        const answer = JSON.parse(body) as { bulletin: { purposes: { accesses: number }[] } };
        answer.bulletin.purposes[0]!.accesses += 1;
        return JSON.stringify(answer);
      },
    });
    try {
      const tampered = await app.open("/datause", { width: 360, locale: "fr" });
      await tampered.waitForSelector("[data-signature=fail]", { timeout: 60_000 });
      expect(await tampered.locator("[data-signature] [role=status]").innerText()).to.match(/La signature ne se vérifie pas/);
      await screenshot(tampered, "datause-tampered-360");
    } finally {
      app.tamper(undefined);
    }
  });
});
