/**
 * The wallet's votes and governance journeys (issue 17, items 5 and 7) in Chromium against a city started as
 * `npm start` starts it, used as a person uses it, with members holding zero ETH: vote and change the vote in a
 * consultation, approve up to k options, sign a petition, seal a vote, keep its secret in an encrypted backup, get the
 * reminder when its reveal is due and reveal it, each ballot's receipt verified in the page; vote in the member's
 * college, sign the citizens' veto, draft a proposal whose co-signer signs it from a link. Every refusal shows its
 * sentence and sends nothing (the chain is read before and after). The chain's clock is moved forward once, in the
 * last test, to reach the sealed referendum's reveal window.
 */
import { expect } from "chai";
import fs from "node:fs";
import type { Page } from "playwright-core";
import type { Address, Hex } from "viem";
import { citizensVetoAbi, cityBallotsAbi, cityGovernorAbi } from "@cityledger/sdk/abis";
import { expectAxeClean, expectFullyTranslated, expectNoHorizontalScroll, screenshot, useAppHarness } from "./harness";
import { chainOf, memberAddress, signInAsDemo } from "./wallet-helpers";

describe("the wallet's votes and governance (app/, Chromium)", function () {
  const app = useAppHarness(this);
  const { chain, addressOf, ethOf, zeroEth } = chainOf(app);
  const ballots = () => addressOf("CityBallots");
  const governor = () => addressOf("CityGovernor");
  const read = <T>(address: Address, abi: readonly unknown[], functionName: string, args: unknown[]): Promise<T> =>
    chain().readContract({ address, abi: abi as never, functionName: functionName as never, args: args as never }) as Promise<T>;
  const choiceOf = (id: string, who: Address) => read<readonly [boolean, bigint]>(ballots(), cityBallotsAbi, "choiceOf", [BigInt(id), who]);
  const commitmentOf = (id: string, who: Address) => read<Hex>(ballots(), cityBallotsAbi, "commitmentOf", [BigInt(id), who]);
  const totals = async (id: string) => (await read<readonly [readonly bigint[], unknown, unknown]>(ballots(), cityBallotsAbi, "results", [BigInt(id)]))[0];
  const vetoes = async (id: string) => (await read<readonly [bigint, bigint, number]>(addressOf("CitizensVeto"), citizensVetoAbi, "vetoProgress", [BigInt(id)]))[0];
  const votesCastBy = async (proposalId: string, voter: Address) =>
    (await chain().getContractEvents({ address: governor(), abi: cityGovernorAbi, eventName: "VoteCast", args: { voter }, fromBlock: 0n })).filter(
      (e) => e.args.proposalId === BigInt(proposalId),
    );

  /** Waits for an alert saying `message` in `scope`. */
  const expectAlert = async (scope: ReturnType<Page["locator"]>, message: RegExp) => {
    const alert = scope.getByRole("alert").filter({ hasText: message }).first();
    await alert.waitFor({ timeout: 30_000 }).catch(async () => expect((await scope.getByRole("alert").allInnerTexts()).join(" ")).to.match(message));
  };
  const demoMember = (college: number, nth: number) => app.demo.members.filter((m) => m.college === college)[nth]!;

  /** Signs in from any wallet page's sign-in form (the session is the page's: a new page load signs in again). */
  const signInHere = async (page: Page, n: number) => {
    await page.getByRole("combobox").selectOption(String(n));
    await page.getByRole("button", { name: /demo member|ce membre/i }).click();
  };

  it("votes in the member's college, signs the citizens' veto, co-signs a member's proposal, and refuses what it must", async () => {
    const { active, queued } = app.demo.governance;
    // Citizens past the first six (who voted on the open proposal) and before the last two (who vetoed).
    const citizen = demoMember(1, 6);
    const cosigner = demoMember(2, 3);
    const publicMember = demoMember(0, 3);
    const me = citizen.address as Address;
    for (const m of [citizen, cosigner, publicMember]) await zeroEth(m.address as Address);

    const page = await app.open("/wallet", { width: 360, locale: "fr" });
    await signInAsDemo(page, citizen.index);
    await page.getByRole("link", { name: "Propositions du conseil" }).click();
    const activeCard = page.locator(`[data-proposal="${active.id}"]`);
    const queuedCard = page.locator(`[data-proposal="${queued.id}"]`);
    await activeCard.getByRole("button", { name: "Pour" }).waitFor({ timeout: 30_000 });
    // The calls in words, from the explorer's decoding: the contract, the function and its named argument.
    expect(await activeCard.locator(".call-name").innerText()).to.equal("EnergyMarket.setGridPrice(…)");
    expect(await activeCard.innerText()).to.match(/Votre vote compte dans le collège/);
    await expectAxeClean(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, "wallet-governance-proposals-360");

    // A second tab of the same member, loaded before the vote: its vote must be refused, not sent twice.
    const other = await app.open("/wallet", { width: 1280, locale: "en" });
    await signInAsDemo(other, citizen.index);
    await other.getByRole("link", { name: "Council proposals" }).click();
    const otherActive = other.locator(`[data-proposal="${active.id}"]`);
    await otherActive.getByRole("button", { name: "For" }).waitFor({ timeout: 30_000 });

    await activeCard.getByRole("button", { name: "Pour" }).click();
    await activeCard.getByRole("status").filter({ hasText: "est compté" }).waitFor({ timeout: 60_000 });
    const cast = await votesCastBy(active.id, me);
    expect(cast.map((e) => e.args.support)).to.deep.equal([1]);
    expect(await read<boolean>(governor(), cityGovernorAbi, "hasVoted", [BigInt(active.id), me])).to.equal(true);

    await otherActive.getByRole("button", { name: "Against" }).click();
    await expectAlert(otherActive, /You already voted on this proposal/);
    expect(await votesCastBy(active.id, me)).to.have.length(1);

    // A member of a college that cannot veto is told so, and offered no veto.
    const vetoesBefore = await vetoes(queued.id);
    await page.getByRole("link", { name: "← Mon portefeuille" }).click();
    await page.getByTestId("sign-out").click();
    await signInAsDemo(page, publicMember.index);
    await page.getByRole("link", { name: "Propositions du conseil" }).click();
    await queuedCard.getByTestId("veto-not-yours").waitFor({ timeout: 30_000 });
    expect(await queuedCard.getByTestId("veto-not-yours").innerText()).to.match(/Seuls les membres du collège .* peuvent signer le veto ; vous êtes dans le collège/);
    expect(await queuedCard.getByRole("button", { name: "Signer le veto" }).count()).to.equal(0);
    expect(await vetoes(queued.id)).to.equal(vetoesBefore);
    await expectFullyTranslated(page);
    await page.getByTestId("language-switch").click();

    // The citizen's veto, with its progress to the threshold: the demo's two signatures and this one reach it.
    await page.getByRole("link", { name: "← Mon portefeuille" }).click();
    await page.getByTestId("sign-out").click();
    await signInAsDemo(page, citizen.index);
    await page.getByRole("link", { name: "Propositions du conseil" }).click();
    await queuedCard.getByRole("button", { name: "Signer le veto" }).waitFor({ timeout: 30_000 });
    expect(await queuedCard.locator(".progress").innerText()).to.contain(`${vetoesBefore} signatures sur ${queued.vetoesNeeded} nécessaires`);
    await screenshot(page, "wallet-governance-veto-360");
    await queuedCard.getByRole("button", { name: "Signer le veto" }).click();
    await queuedCard.getByRole("status").filter({ hasText: "comptée" }).waitFor({ timeout: 60_000 });
    expect(await vetoes(queued.id)).to.equal(vetoesBefore + 1n);
    expect(await read<boolean>(addressOf("CitizensVeto"), citizensVetoAbi, "hasVetoed", [BigInt(queued.id), me])).to.equal(true);

    // A member's proposal: drafted by the citizen (the other tab), co-signed from its link, then put on the agenda.
    await other.getByRole("link", { name: "Propose a change with co-signers" }).click();
    await other.getByRole("button", { name: "Create the co-signing link" }).click();
    await expectAlert(other.locator("form"), /Give your proposal a title/);
    await other.getByLabel("Title (what and why, in one line)").fill("Lower the grid reference price to €0.19/kWh for the summer");
    await other.getByLabel("New price per kWh (€)").fill("0,1234567");
    await other.getByRole("button", { name: "Create the co-signing link" }).click();
    await expectAlert(other.locator("form"), /Write a price in euros per kWh/);
    await other.getByLabel("New price per kWh (€)").fill("0,19");
    await other.getByRole("button", { name: "Create the co-signing link" }).click();
    const link = await other.getByTestId("cosign-link").getAttribute("href");
    expect(link).to.match(/\/wallet\/governance\/cosign#d=/);
    expect(await other.locator(".progress").innerText()).to.match(/1 signer \(you included\) of 2 needed/);

    const cosignPage = await app.open(new URL(link!).pathname + new URL(link!).hash, { width: 360, locale: "fr" });
    await signInHere(cosignPage, cosigner.index);
    await cosignPage.getByRole("button", { name: "Cosigner cette proposition" }).waitFor({ timeout: 30_000 });
    expect(await cosignPage.locator(".call-name").innerText()).to.equal("EnergyMarket.setGridPrice(…)");
    expect(await cosignPage.locator(".call-value").first().innerText()).to.equal("190000");
    await expectAxeClean(cosignPage);
    await expectNoHorizontalScroll(cosignPage);
    await cosignPage.getByRole("button", { name: "Cosigner cette proposition" }).click();
    const answer = await cosignPage.getByTestId("cosign-answer").inputValue();
    expect(answer).to.match(/^cosign:0x[0-9a-fA-F]{40}:0x[0-9a-f]{130}$/);
    await screenshot(cosignPage, "wallet-governance-cosign-360");
    await expectFullyTranslated(cosignPage);

    const answerField = other.getByLabel("A co-signer's answer");
    const add = other.getByRole("button", { name: "Add the co-signature" });
    await answerField.fill("cosign:nonsense");
    await add.click();
    await expectAlert(other.locator("section"), /This is not a co-signer's answer/);
    // Altered: another proposal's signature (one hex digit changed) does not recover to the member.
    await answerField.fill(answer.slice(0, -3) + (answer.at(-3) === "a" ? "b" : "a") + answer.slice(-2));
    await add.click();
    await expectAlert(other.locator("section"), /not for this proposal, or was altered/);
    await answerField.fill(answer);
    await add.click();
    await other.getByText(/2 signers \(you included\) of 2 needed/).waitFor();
    await answerField.fill(answer);
    await add.click();
    await expectAlert(other.locator("section"), /already counted/);
    expect(await other.locator(".progress").innerText()).to.match(/2 signers \(you included\) of 2 needed/);
    await other.getByRole("button", { name: "Put it on the council's agenda" }).click();
    await other.getByTestId("proposal-submitted").waitFor({ timeout: 60_000 });

    const created = (await chain().getContractEvents({ address: governor(), abi: cityGovernorAbi, eventName: "ProposalCreated", fromBlock: 0n })).filter(
      (e) => e.args.proposer === me,
    );
    expect(created).to.have.length(1);
    const proposalId = created[0]!.args.proposalId!;
    const cosigned = await chain().getContractEvents({ address: governor(), abi: cityGovernorAbi, eventName: "ProposalCosigned", args: { proposalId }, fromBlock: 0n });
    expect(cosigned.map((e) => e.args.cosigner)).to.deep.equal([cosigner.address]);

    // Co-signing again, once the proposal is on the agenda: refused before anything is signed.
    const again = await app.open(new URL(link!).pathname + new URL(link!).hash, { width: 1280, locale: "en" });
    await signInHere(again, cosigner.index);
    await again.getByRole("button", { name: "Co-sign this proposal" }).click();
    await expectAlert(again.locator("section"), /already on the council's agenda/);
    expect(await again.getByTestId("cosign-answer").count()).to.equal(0);

    for (const m of [citizen, cosigner, publicMember]) expect(await ethOf(m.address as Address)).to.equal(0n);
  });

  it("votes, changes the vote, approves up to k, signs a petition, seals, backs up and reveals, each receipt verified", async () => {
    const b = app.demo.ballots;
    // Member 21 voted in nothing the demo seeds (unless it opened the petition: then 20).
    const n = b.petition.openedBy === 21 ? 20 : 21;
    const me = memberAddress(n);
    await zeroEth(me);

    const page = await app.open("/wallet", { width: 360, locale: "fr" });
    await signInAsDemo(page, n);
    await page.getByTestId("votes-link").click();
    const card = (id: string) => page.locator(`[data-ballot="${id}"]`);
    const consultation = card(b.openConsultation.id);
    await consultation.getByRole("button", { name: "Voter" }).waitFor({ timeout: 30_000 });
    await expectAxeClean(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, "wallet-votes-open-360");

    // Single choice: none picked is refused; a vote, then a changed vote, each proven in the log.
    const before = await totals(b.openConsultation.id);
    await consultation.getByRole("button", { name: "Voter" }).click();
    await expectAlert(consultation, /Choisissez une option avant de voter/);
    expect((await choiceOf(b.openConsultation.id, me))[0]).to.equal(false);
    await consultation.getByLabel("Option 2").check();
    await consultation.getByRole("button", { name: "Voter" }).click();
    await consultation.getByTestId("ballot-verified").waitFor({ timeout: 90_000 });
    expect(await consultation.getByTestId("ballot-verified").innerText()).to.match(/^✓ Vérifié : votre bulletin est l’entrée n° [\d\s  ]+ du journal/);
    expect(await choiceOf(b.openConsultation.id, me)).to.deep.equal([true, 1n]);
    await screenshot(page, "wallet-votes-verified-360");
    await consultation.getByLabel("Option 3").check();
    await consultation.getByRole("button", { name: "Changer mon vote" }).click();
    await consultation.getByTestId("ballot-verified").waitFor({ timeout: 90_000 });
    expect(await choiceOf(b.openConsultation.id, me)).to.deep.equal([true, 2n]);
    const after = await totals(b.openConsultation.id);
    expect(after[1]).to.equal(before[1]);
    expect(after[2]).to.equal(before[2]! + 1n);
    expect(after.at(-1)).to.equal(before.at(-1)! + 1n);

    // Approval of k = 2: none, then three, refused; two counted.
    const approval = card(b.approvalConsultation.id);
    await approval.getByRole("button", { name: "Voter" }).click();
    await expectAlert(approval, /Approuvez au moins une option/);
    for (const o of ["Option 1", "Option 3", "Option 5"]) await approval.getByLabel(o).check();
    expect(await approval.getByText("Plus aucune approbation").count()).to.equal(1);
    await approval.getByRole("button", { name: "Voter" }).click();
    await expectAlert(approval, /Vous avez approuvé 3 options : ce scrutin en accepte au plus 2/);
    expect((await choiceOf(b.approvalConsultation.id, me))[0]).to.equal(false);
    await approval.getByLabel("Option 3").uncheck();
    await approval.getByRole("button", { name: "Voter" }).click();
    await approval.getByTestId("ballot-verified").waitFor({ timeout: 90_000 });
    expect(await choiceOf(b.approvalConsultation.id, me)).to.deep.equal([true, 0b10001n]);
    const approvals = await totals(b.approvalConsultation.id);
    expect([approvals[0], approvals[2], approvals[4]]).to.deep.equal([1n, 0n, 1n]);

    // The petition.
    const petition = card(b.petition.id);
    const signaturesBefore = (await totals(b.petition.id)).at(-1)!;
    await petition.getByRole("button", { name: "Signer cette pétition" }).click();
    await petition.getByTestId("ballot-verified").waitFor({ timeout: 90_000 });
    expect((await choiceOf(b.petition.id, me))[0]).to.equal(true);
    expect((await totals(b.petition.id)).at(-1)).to.equal(signaturesBefore + 1n);
    expect(await petition.getByTestId("my-ballot").innerText()).to.equal("Vous avez signé cette pétition.");

    // The sealed referendum: commit (the secret kept encrypted), a reveal refused before the close.
    const sealed = card(b.sealedReferendum.id);
    await sealed.getByLabel("Oui").check();
    await sealed.getByRole("button", { name: "Sceller mon vote" }).click();
    await sealed.getByTestId("ballot-verified").waitFor({ timeout: 90_000 });
    const commitment = await commitmentOf(b.sealedReferendum.id, me);
    expect(BigInt(commitment)).to.be.greaterThan(1n);
    const stored = await page.evaluate(() => Object.entries(localStorage).filter(([k]) => k.startsWith("cityledger.sealed.")));
    expect(stored).to.have.length(1);
    // Encrypted: neither the choice nor a salt appears in what the browser keeps.
    expect(stored[0]![1]).to.not.match(/salt|choice|0x[0-9a-f]{64}/);
    await sealed.getByRole("button", { name: "Révéler mon vote" }).click();
    await expectAlert(sealed, /Les révélations ouvrent à la clôture du vote/);
    expect(await commitmentOf(b.sealedReferendum.id, me)).to.equal(commitment);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Télécharger la sauvegarde chiffrée" }).click()]);
    const backup = JSON.parse(fs.readFileSync((await download.path())!, "utf8")) as { format: string; records: Record<string, unknown> };
    expect(backup.format).to.equal("cityledger-sealed-votes/1");
    expect(Object.keys(backup.records)).to.deep.equal([`${await chain().getChainId()}:${b.sealedReferendum.id}:${me.toLowerCase()}`]);
    await expectFullyTranslated(page);

    // Voting closes: a changed commitment sent once the chain's clock passed the close is refused.
    await page.getByTestId("language-switch").click();
    await sealed.getByLabel("Non").check();
    await chain().request({ method: "evm_setNextBlockTimestamp" as never, params: [b.sealedReferendum.closesAt + 3600] as never });
    await chain().request({ method: "evm_mine" as never, params: [] as never });
    await sealed.getByRole("button", { name: "Sceller mon vote" }).click();
    await expectAlert(sealed, /Ce scrutin est clos depuis le/);
    expect(await commitmentOf(b.sealedReferendum.id, me)).to.equal(commitment);

    // The wallet reminds the member that a reveal is due, from a fresh page: the secret comes back from the backup.
    const fresh = await app.open("/wallet", { width: 360, locale: "fr" });
    await signInAsDemo(fresh, n);
    await fresh.getByTestId("votes-link").getByText("1 révélation à faire").waitFor({ timeout: 30_000 });
    await screenshot(fresh, "wallet-votes-reminder-360");
    await fresh.getByTestId("votes-link").click();
    await fresh.getByTestId("reveal-due").waitFor({ timeout: 30_000 });
    const freshSealed = fresh.locator(`[data-ballot="${b.sealedReferendum.id}"]`);
    await freshSealed.getByRole("button", { name: "Révéler mon vote" }).click();
    await expectAlert(freshSealed, /Ce navigateur ne garde aucun vote scellé pour ce scrutin/);
    expect(await commitmentOf(b.sealedReferendum.id, me)).to.equal(commitment);
    await fresh.getByLabel("Restaurer un fichier de sauvegarde").setInputFiles((await download.path())!);
    await fresh.getByText("1 vote scellé restauré.").waitFor();
    const yesBefore = (await totals(b.sealedReferendum.id))[0]!;
    await freshSealed.getByRole("button", { name: "Révéler mon vote" }).click();
    await freshSealed.getByTestId("ballot-verified").waitFor({ timeout: 90_000 });
    expect(await commitmentOf(b.sealedReferendum.id, me)).to.equal(`0x${"0".repeat(63)}1`);
    expect((await totals(b.sealedReferendum.id))[0]).to.equal(yesBefore + 1n);
    await fresh.getByTestId("reveal-due").waitFor({ state: "detached", timeout: 30_000 });
    await expectAxeClean(fresh);
    await expectNoHorizontalScroll(fresh);
    await screenshot(fresh, "wallet-votes-revealed-360");

    // A member who sealed a vote in another browser (the demo's) has no secret here: refused, nothing sent.
    const elsewhere = b.sealedReferendum.votes[0]!;
    const theirs = memberAddress(elsewhere.member);
    const theirCommitment = await commitmentOf(b.sealedReferendum.id, theirs);
    await fresh.getByRole("link", { name: "← Mon portefeuille" }).click();
    await fresh.getByTestId("sign-out").click();
    await signInAsDemo(fresh, elsewhere.member);
    await fresh.getByTestId("votes-link").click();
    await freshSealed.getByRole("button", { name: "Révéler mon vote" }).click();
    await expectAlert(freshSealed, /Ce navigateur ne garde aucun vote scellé/);
    expect(await commitmentOf(b.sealedReferendum.id, theirs)).to.equal(theirCommitment);

    expect(await ethOf(me)).to.equal(0n);
  });
});
