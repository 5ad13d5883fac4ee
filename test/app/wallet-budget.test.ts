/**
 * Two wallet journeys (issue 17 item 6, issue 16's member side) in Chromium against a city started as `npm start`
 * starts it, walked as a person walks them, by a member with zero ETH: the participatory budget — propose a project,
 * support one, vote with a knapsack ballot (the money left shown as projects are ticked) and an approval ballot (the
 * count left), replace the ballot, see after the tally which projects won and how Equal Shares spent the member's
 * share — and the member's data use — every purpose and consent, every access proven against the processor's root,
 * the demo's violation, a consent given and withdrawn. Every refusal: its sentence shown and nothing sent.
 */
import { expect } from "chai";
import fs from "node:fs";
import type { Page } from "playwright-core";
import { parseEventLogs } from "viem";
import {
  computeBudgetResult,
  createCityClient,
  dataUseRegistryAbi,
  participatoryBudgetAbi,
  type DeploymentRecordJson,
  type EqualSharesResult,
} from "@cityledger/sdk";
import { expectAxeClean, expectFullyTranslated, expectNoHorizontalScroll, screenshot, useAppHarness, type Locale } from "./harness";
import { chainOf, memberAddress, signInAsDemo } from "./wallet-helpers";

const EURO = 1_000_000n;
/** Demo member 10: voted in the funded Equal Shares round, not yet in the open ones; the one the study read without consent. */
const MEMBER = 10;

describe("the member wallet's participatory budget and data use (app/, Chromium)", function () {
  const app = useAppHarness(this);
  const { chain, addressOf, ethOf, zeroEth } = chainOf(app);
  const me = memberAddress(MEMBER);
  const budget = () => addressOf("ParticipatoryBudget");
  const read = {
    round: (roundId: bigint) => chain().readContract({ address: budget(), abi: participatoryBudgetAbi, functionName: "round", args: [roundId] }),
    project: (roundId: bigint, projectId: number) => chain().readContract({ address: budget(), abi: participatoryBudgetAbi, functionName: "project", args: [roundId, projectId] }),
    ballotOf: (roundId: bigint) => chain().readContract({ address: budget(), abi: participatoryBudgetAbi, functionName: "ballotOf", args: [roundId, me] }),
    hasSupported: (roundId: bigint, projectId: number) =>
      chain().readContract({ address: budget(), abi: participatoryBudgetAbi, functionName: "hasSupported", args: [roundId, projectId, me] }),
    consentOf: (purposeId: bigint) =>
      chain().readContract({ address: addressOf("DataUseRegistry"), abi: dataUseRegistryAbi, functionName: "consentOf", args: [purposeId, me] }),
  };
  /** Ballot index of each project of a round, from the node (what the page shows). */
  const ballotIndexes = async (roundId: bigint): Promise<Map<number, number>> => {
    const round = (await (await fetch(`${app.nodeUrl}/v1/budget/rounds/${roundId}`)).json()) as { projects: { projectId: number; ballotIndex: number | null }[] };
    return new Map(round.projects.filter((p) => p.ballotIndex !== null).map((p) => [p.projectId, p.ballotIndex!]));
  };
  /** Waits until `check` holds (the page's state and the chain follow a click after a render or a block). */
  const eventually = async (what: string, check: () => Promise<boolean>, timeout = 30_000) => {
    for (const start = Date.now(); !(await check()); await new Promise((r) => setTimeout(r, 200))) {
      if (Date.now() - start > timeout) throw new Error(`still not so after ${timeout} ms: ${what}`);
    }
  };
  /** The alert the page shows, once it says `sentence`. */
  const alertSays = (page: Page, sentence: string | RegExp) => page.getByRole("alert").filter({ hasText: sentence }).first().waitFor({ timeout: 15_000 });
  const selectionOf = (indexes: Map<number, number>, projectIds: number[]) => projectIds.reduce((s, id) => s | (1n << BigInt(indexes.get(id)!)), 0n);

  const words = {
    fr: { wallet: "Mon portefeuille", budget: "Budget participatif", data: "Mes données" },
    en: { wallet: "My wallet", budget: "Participatory budget", data: "My data" },
  };
  /** From any wallet page, as a person goes: back to the wallet, the budget, then the round's card. */
  async function openRound(page: Page, locale: Locale, roundId: string | bigint) {
    await page.locator(".back-link").getByRole("link", { name: words[locale].wallet }).click();
    await page.locator("ul.services").getByRole("link", { name: words[locale].budget, exact: true }).click();
    await page.locator(`[data-round="${roundId}"]`).getByRole("link").click();
    await page.locator("main [data-phase]").first().waitFor();
  }
  async function signedIn(locale: Locale): Promise<Page> {
    const page = await app.open("/wallet", { width: 360, locale });
    await signInAsDemo(page, MEMBER);
    await page.locator("ul.services").getByRole("link", { name: words[locale].budget, exact: true }).click();
    await page.locator("[data-round] [data-phase]").first().waitFor({ timeout: 30_000 });
    return page;
  }

  before(async () => {
    await zeroEth(me);
  });

  it("proposes a project (bad costs refused first) and supports a project once", async () => {
    const { rounds } = app.demo.budget;
    const page = await signedIn("fr");
    await page.locator("[data-round] [data-phase]").nth(6).waitFor();
    await expectAxeClean(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, "wallet-budget-rounds-360");

    const proposals = BigInt(rounds.proposals);
    await page.locator(`[data-round="${proposals}"]`).getByRole("link", { name: /Proposer un projet/ }).click();
    const projectsBefore = (await read.round(proposals))[1].projectCount;
    const cost = page.getByLabel("Coût en euros");
    await page.getByLabel("Titre").fill("Des bancs à l'ombre près du marché");
    const refused = async (text: string, sentence: RegExp) => {
      await cost.fill(text);
      await page.getByRole("button", { name: "Déposer le projet" }).click();
      await alertSays(page, sentence);
      expect((await read.round(proposals))[1].projectCount, `nothing sent for ${text}`).to.equal(projectsBefore);
    };
    await refused("12,3456789", /Trop de décimales/);
    await refused("0", /supérieur à zéro/);
    await refused("3000,01", /dépasse le montant de l'enveloppe « Toute la ville » \(3\s000,00\s€\)/);
    await refused("-5", /des chiffres/);
    await page.getByLabel("Lien vers la description (facultatif)").fill("javascript:alert(1)");
    await cost.fill("1250,50");
    await page.getByRole("button", { name: "Déposer le projet" }).click();
    await alertSays(page, "Le lien doit être une adresse web commençant par https://, sans espace.");
    expect((await read.round(proposals))[1].projectCount).to.equal(projectsBefore);

    await page.getByLabel("Lien vers la description (facultatif)").fill("https://demo.cityledger.invalid/bancs");
    await page.getByRole("button", { name: "Déposer le projet" }).click();
    await page.getByTestId("project-submitted").waitFor({ timeout: 60_000 });
    const projectId = projectsBefore + 1;
    expect(await page.getByTestId("project-submitted").innerText()).to.contain(`projet n° ${projectId}`);
    const project = await read.project(proposals, projectId);
    expect([project.proposer, project.envelope, project.cost, project.status]).to.deep.equal([me, 0, 1_250n * EURO + EURO / 2n, 1]);
    await page.locator(`[data-my-project="${projectId}"]`).waitFor({ timeout: 30_000 });
    await expectAxeClean(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, "wallet-budget-propose-360");

    // Support: once; the second time the contract's refusal is read out before anything is signed.
    const support = BigInt(rounds.support);
    await openRound(page, "fr", support);
    const before = (await read.project(support, 1)).supportCount;
    expect(await read.hasSupported(support, 1)).to.equal(false);
    await page.getByRole("button", { name: "Soutenir le projet 1" }).click();
    await page.getByText("Vous soutenez le projet 1.").waitFor({ timeout: 60_000 });
    expect((await read.project(support, 1)).supportCount).to.equal(before + 1);
    expect(await read.hasSupported(support, 1)).to.equal(true);
    await page.getByRole("button", { name: "Soutenir le projet 1" }).click();
    await page.getByText("Vous soutenez déjà ce projet : un membre soutient un projet une seule fois.").waitFor({ timeout: 30_000 });
    expect((await read.project(support, 1)).supportCount).to.equal(before + 1);
    await expectAxeClean(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, "wallet-budget-support-360");
    await expectFullyTranslated(page);
    expect(await ethOf(me)).to.equal(0n);
  });

  it("votes with a knapsack ballot showing the money left, replaces it, and with an approval ballot showing the count left", async () => {
    const vote = BigInt(app.demo.budget.rounds.vote);
    const page = await signedIn("en");
    await page.locator(`[data-round="${vote}"]`).getByRole("link", { name: /Vote/ }).click();
    const city = page.locator('[data-envelope="0"]');
    const district = page.locator(".envelope").nth(1);
    await city.waitFor({ timeout: 30_000 });
    expect(await page.locator(".envelope").count(), "the city-wide envelope and the member's district's").to.equal(2);
    const left = (envelope: typeof city) => envelope.locator("[data-left]").innerText();
    const leftIs = (envelope: typeof city, text: string) => eventually(`"${text}" shown`, async () => (await left(envelope)) === text, 5_000);
    await leftIs(city, "€3,000.00 left of €3,000.00");
    await leftIs(district, "€800.00 left of €800.00");

    // Ticking projects: the money left follows; over the envelope, the ballot is refused before anything is signed.
    await page.getByLabel(/^Project 1 ·/).check();
    await leftIs(city, "€1,800.00 left of €3,000.00");
    await page.getByLabel(/^Project 2 ·/).check();
    await page.getByLabel(/^Project 3 ·/).check();
    await leftIs(city, "Over the envelope by €600.00");
    await page.getByRole("button", { name: "Cast my ballot" }).click();
    await alertSays(page, "Your choices in the “Whole city” envelope cost €600.00 more than it holds. Untick a project.");
    expect(await read.ballotOf(vote)).to.equal(0n);
    await page.getByLabel(/^Project 3 ·/).uncheck();
    const districtBoxes = district.getByRole("checkbox");
    await districtBoxes.nth(0).check();
    await districtBoxes.nth(1).check();
    await leftIs(district, "Over the envelope by €50.00");
    await page.getByRole("button", { name: "Cast my ballot" }).click();
    await alertSays(page, /cost €50\.00 more than it holds/);
    expect(await read.ballotOf(vote)).to.equal(0n);
    await districtBoxes.nth(1).uncheck();
    await leftIs(district, "€300.00 left of €800.00");
    await page.getByRole("button", { name: "Cast my ballot" }).click();
    await page.getByTestId("ballot-cast").waitFor({ timeout: 60_000 });
    const indexes = await ballotIndexes(vote);
    const districtProject = Number((await districtBoxes.nth(0).getAttribute("id"))!.split("-p").pop());
    expect(await read.ballotOf(vote)).to.equal(selectionOf(indexes, [1, 2, districtProject]));
    await expectAxeClean(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, "wallet-budget-ballot-360");

    // Replaced until the close: only the last ballot counts.
    await page.getByLabel(/^Project 2 ·/).uncheck();
    await page.getByLabel(/^Project 3 ·/).check();
    await leftIs(city, "€300.00 left of €3,000.00");
    await page.getByRole("button", { name: "Replace my ballot" }).click();
    const replaced = selectionOf(indexes, [1, 3, districtProject]);
    await eventually("the ballot replaced on chain", async () => (await read.ballotOf(vote)) === replaced, 60_000);
    await page.getByTestId("ballot-cast").waitFor({ timeout: 30_000 });

    // An approval of 2 per envelope: the count left, and a third tick refused.
    const approval = BigInt(app.demo.budget.approvalRound);
    await openRound(page, "en", approval);
    await city.waitFor();
    await leftIs(city, "2 of 2 choices left");
    for (const n of [1, 2, 3]) await page.getByLabel(new RegExp(`^Project ${n} ·`)).check();
    await leftIs(city, "1 too many: 2 at most");
    await page.getByRole("button", { name: "Cast my ballot" }).click();
    await alertSays(page, "You may tick at most 2 projects in the “Whole city” envelope. Untick one.");
    expect(await read.ballotOf(approval)).to.equal(0n);
    await page.getByLabel(/^Project 1 ·/).uncheck();
    await leftIs(city, "0 of 2 choices left");
    await page.getByRole("button", { name: "Cast my ballot" }).click();
    await page.getByTestId("ballot-cast").waitFor({ timeout: 60_000 });
    expect(await read.ballotOf(approval)).to.equal(selectionOf(await ballotIndexes(approval), [2, 3]));
    await expectAxeClean(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, "wallet-budget-approval-360");
    await expectFullyTranslated(page);
    expect(await ethOf(me)).to.equal(0n);
  });

  it("after the tally, shows which of the member's projects won and how Equal Shares spent their share", async () => {
    const { roundId, winners } = app.demo.budget.equalShares;
    const page = await signedIn("fr");
    await page.locator(`[data-round="${roundId}"]`).getByRole("link", { name: /Voir le résultat/ }).click();
    await page.locator("[data-share]").first().waitFor({ timeout: 60_000 });

    // What the page says, against the chain: the member's last ballot, the recorded winners, and Equal Shares
    // recomputed here from the same ballot log with the SDK.
    const record = JSON.parse(fs.readFileSync(app.deploymentFile, "utf8")) as DeploymentRecordJson;
    const reader = createCityClient({ publicClient: chain(), deployment: record });
    const log = await reader.budget.getBudgetBallotLog({ roundId: BigInt(roundId), fromBlock: BigInt(record.contracts.ParticipatoryBudget!.blockNumber) });
    const { outcomes } = computeBudgetResult(log, 1);
    const ballot = await read.ballotOf(BigInt(roundId));
    expect(ballot).to.not.equal(0n);
    const approved = [...(await page.locator("[data-approved]").all())];
    const indexes = await ballotIndexes(BigInt(roundId));
    const mine = [...indexes].filter(([, i]) => (ballot >> BigInt(i)) & 1n).map(([id]) => id);
    expect(await Promise.all(approved.map((a) => a.getAttribute("data-approved")))).to.have.members(mine.map(String));
    for (const a of approved) {
      const id = Number(await a.getAttribute("data-approved"));
      const won = (BigInt(winners) >> BigInt(indexes.get(id)!)) & 1n ? "yes" : "no";
      expect(await a.getAttribute("data-won"), `project ${id}`).to.equal(won);
    }
    const shares = await page.locator("[data-share]").all();
    expect(shares.length).to.be.at.least(1);
    for (const share of shares) {
      const envelope = Number(await share.getAttribute("data-share-envelope"));
      const mes = outcomes[envelope] as EqualSharesResult;
      const voter = log.elections[envelope]!.voters.findIndex((v) => v.id.toLowerCase() === me.toLowerCase());
      expect(await share.getAttribute("data-share")).to.equal(mes.endowment.floor().toString());
      expect(await share.getAttribute("data-paid")).to.equal(mes.payments[voter]!.floor().toString());
    }
    expect(await page.locator('[data-verdict="matches"]').count()).to.equal(1);
    await expectAxeClean(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, "wallet-budget-result-360");
    await expectFullyTranslated(page);
  });

  it("shows every purpose, every access proven against its processor's root, the violation; gives and withdraws a consent", async () => {
    const d = app.demo.dataUse;
    expect(d.violation.member.toLowerCase()).to.equal(me.toLowerCase());
    const open = async (locale: Locale) => {
      const page = await app.open("/wallet", { width: 360, locale });
      await signInAsDemo(page, MEMBER);
      await page.locator("ul.services").getByRole("link", { name: words[locale].data }).click();
      await page.locator("[data-purpose]").nth(4).waitFor({ timeout: 30_000 });
      await page.locator("[data-verified], [data-testid=accesses-unverified]").first().waitFor({ timeout: 30_000 });
      return page;
    };
    const page = await open("fr");
    expect(await page.locator("[data-purpose]").count()).to.equal(5);
    const study = page.locator(`[data-purpose="${d.purposes.study}"]`);
    expect(await study.locator("[data-consent]").getAttribute("data-consent")).to.equal("none");
    expect(await study.innerText()).to.match(/consentement[\s\S]*localisation/);
    expect(await page.locator(`[data-purpose="${d.purposes.bookings}"] [data-consent]`).getAttribute("data-consent")).to.equal("not-needed");

    // The violation: the study's record of this member's location an hour after they withdrew, proven all the same.
    const where = `${d.violation.processorId}/${d.violation.period}/${d.violation.index}`;
    const violation = page.locator(`[data-access="${where}"]`);
    expect([await violation.getAttribute("data-violation"), await violation.getAttribute("data-verified")]).to.deep.equal(["no-consent", "yes"]);
    expect(await violation.innerText()).to.contain("Sans votre consentement à ce moment-là");
    expect(await page.getByTestId("violations").innerText()).to.match(/^1 accès sans votre consentement\./);
    expect(await page.locator('[data-verified="yes"]').count()).to.equal(await page.locator("[data-access]").count());
    await expectAxeClean(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, "wallet-datause-accesses-360");

    // Consent to the research study: given, relayed, on chain.
    const research = BigInt(d.purposes.research);
    expect((await read.consentOf(research))[0]).to.equal(false);
    await page.getByRole("button", { name: `Donner mon consentement : Finalité n° ${research}` }).click();
    await page.getByText("Votre consentement est enregistré sur la chaîne.").waitFor({ timeout: 60_000 });
    expect((await read.consentOf(research))[0]).to.equal(true);
    const withdraw = page.getByRole("button", { name: `Retirer mon consentement : Finalité n° ${research}` });
    await withdraw.waitFor({ timeout: 30_000 });
    await screenshot(page, "wallet-datause-consent-360");

    // Withdrawn from another device; the first page, still showing it given, is refused before anything is signed.
    const other = await open("en");
    await other.getByRole("button", { name: `Withdraw my consent to Purpose no. ${research}` }).click();
    await other.getByText("Your consent is withdrawn, from this block on.").waitFor({ timeout: 60_000 });
    const [granted, since] = await read.consentOf(research);
    expect(granted).to.equal(false);
    await withdraw.click();
    await page.getByText("Vous n'avez pas donné ce consentement (ou l'avez déjà retiré) : il n'y a rien à retirer.").waitFor({ timeout: 30_000 });
    expect(await read.consentOf(research)).to.deep.equal([false, since]);
    await expectFullyTranslated(other);
    expect(await ethOf(me)).to.equal(0n);

    // A node that alters a record: nothing is shown as verified.
    app.tamper({ match: /\/v1\/datause\/members\/0x[0-9a-fA-F]{40}\/accesses$/, edit: (body) => body.replace(/"count":(\d+)/, (_, n: string) => `"count":${Number(n) + 1}`) });
    try {
      const tampered = await open("en");
      await tampered.getByTestId("accesses-unverified").waitFor();
      expect(await tampered.locator('[data-verified="yes"]').count()).to.equal(0);
      expect(await tampered.locator("[data-access]").count()).to.be.above(0);
      await expectAxeClean(tampered);
    } finally {
      app.tamper(undefined);
    }
  });

  it("refuses a ballot once the vote has closed, with nothing sent", async () => {
    const vote = BigInt(app.demo.budget.rounds.vote);
    const page = await signedIn("en");
    await page.locator(`[data-round="${vote}"]`).getByRole("link", { name: /Vote/ }).click();
    await page.getByTestId("ballot-counts").waitFor({ timeout: 30_000 });
    const before = await read.ballotOf(vote);
    const [config] = await read.round(vote);
    const now = (await chain().getBlock()).timestamp;
    await chain().request({ method: "evm_increaseTime" as never, params: [Number(config.voteEnd) - Number(now) + 60] as never });
    await chain().request({ method: "evm_mine" as never, params: [] as never });
    await page.getByLabel(/^Project 3 ·/).uncheck();
    await page.getByRole("button", { name: "Replace my ballot" }).click();
    await alertSays(page, /^The vote closed on .+: your ballot was not sent\.$/);
    expect(await read.ballotOf(vote)).to.equal(before);
    const logs = await chain().getLogs({ address: budget(), fromBlock: (await chain().getBlockNumber()) - 1n });
    expect(parseEventLogs({ abi: participatoryBudgetAbi, eventName: "BallotCast", logs })).to.have.length(0);
    expect(await ethOf(me)).to.equal(0n);
  });
});
