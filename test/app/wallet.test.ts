/**
 * The member wallet (issue 17, first journeys) in Chromium against a city started as `npm start` starts it, used as a
 * person uses it — clicks and typing, no SDK call from the test but to check the chain afterwards: sign in as a demo
 * member with zero ETH and pay another member, the payment proven in the log in the page; every bad input refused
 * with its sentence and nothing sent; a city key created, locked, refused with a wrong passphrase and opened with the
 * right one; a browser wallet (an EIP-1193 provider backed by a key in the test) signing a relayed payment; the basic
 * income claimed by an eligible member, and why not said to one who already claimed and to one of another college.
 */
import { expect } from "chai";
import { Wallet } from "ethers";
import { encode } from "uqr";
import type { Address } from "viem";
import { demoMemberKey } from "../../scripts/lib/demo";
import { expectAxeClean, expectFullyTranslated, expectNoHorizontalScroll, screenshot, useAppHarness } from "./harness";
import { chainOf, memberAddress, signInAsDemo } from "./wallet-helpers";

/** The dark modules of `text`'s QR code as the page draws them (error correction M, a quiet zone of 4). */
function qrModules(text: string): string {
  let d = "";
  encode(text, { ecc: "M", border: 4 }).data.forEach((row, y) => row.forEach((dark, x) => dark && (d += `M${x} ${y}h1v1h-1z`)));
  return d;
}

describe("the member wallet (app/, Chromium)", function () {
  const app = useAppHarness(this);
  const { addressOf, balanceOf, ethOf, zeroEth } = chainOf(app);
  const coin = () => addressOf("CityCoin");

  it("signs in as a demo member with zero ETH, pays a member, and shows the payment proven in the city's log", async () => {
    const [payer, payee] = [memberAddress(5), memberAddress(6)];
    await zeroEth(payer);
    const [payerBefore, payeeBefore] = [await balanceOf(payer), await balanceOf(payee)];

    const page = await app.open("/wallet", { width: 360, locale: "fr" });
    await expectAxeClean(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, "wallet-signin-360");
    await signInAsDemo(page, 5);
    expect(await page.locator("[data-status]").getAttribute("data-status")).to.equal("active");
    await page.getByTestId("balance").waitFor();
    await page.waitForSelector("[data-move]");
    await expectAxeClean(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, "wallet-account-360");

    await page.getByRole("link", { name: "Payer" }).click();
    await page.getByLabel("À (adresse)").fill(payee);
    await page.getByLabel("Montant (€)").fill("2,75");
    await page.getByRole("button", { name: "Vérifier" }).click();
    await page.getByRole("button", { name: "Confirmer et payer" }).click();
    await page.getByTestId("payment-proven").waitFor({ timeout: 90_000 });
    expect(await page.getByTestId("payment-proven").innerText()).to.match(/Prouvé dans le journal de la ville : entrée n° [\d\s ]+/);
    await expectAxeClean(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, "wallet-paid-360");

    expect(await balanceOf(payer)).to.equal(payerBefore - 2_750_000n);
    expect(await balanceOf(payee)).to.equal(payeeBefore + 2_750_000n);
    expect(await ethOf(payer)).to.equal(0n);
  });

  it("refuses every bad payment input with its sentence, before anything is signed", async () => {
    const payer = memberAddress(7);
    const before = await balanceOf(payer);
    const page = await app.open("/wallet", { width: 1280, locale: "en" });
    await signInAsDemo(page, 7);
    await page.getByRole("link", { name: "Pay", exact: true }).click();
    const to = page.getByLabel("To (address)");
    const amount = page.getByLabel("Amount (€)");
    const review = page.getByRole("button", { name: "Review" });
    const alerts = () => page.getByRole("alert").allInnerTexts();
    /** Waits for an alert saying `message` (the previous case's alert may still be shown while the form checks). */
    const expectAlert = (message: RegExp, what: string) =>
      page
        .getByRole("alert")
        .filter({ hasText: message })
        .first()
        .waitFor({ timeout: 15_000 })
        .catch(async () => expect((await alerts()).join(" "), what).to.match(message));

    const cases: [string, string, RegExp][] = [
      [memberAddress(8), "12.3456789", /Too many decimals/],
      [memberAddress(8), "-5", /Write an amount in euros/],
      [memberAddress(8), "1 000", /Write an amount in euros/],
      [memberAddress(8), "0", /more than zero/],
      [memberAddress(8), "2000000", /That is more than €1,000,000.00/],
      [memberAddress(8), "999999", /more than your balance/],
      ["0x1234", "1", /This is not an address/],
      [payer, "1", /cannot pay yourself/],
      ["0x000000000000000000000000000000000000dEaD", "1", /neither an active member nor a city account/],
    ];
    for (const [address, value, message] of cases) {
      await to.fill(address);
      await amount.fill(value);
      await review.click();
      await expectAlert(message, `${address} / ${value}`);
      expect(await page.getByRole("button", { name: "Confirm and pay" }).count()).to.equal(0);
    }

    const link = page.getByLabel(/paste a payment request/);
    await link.fill(`ethereum:${coin()}@1/transfer?address=${memberAddress(8)}&uint256=1000000`);
    await page.getByRole("button", { name: "Use this request" }).click();
    await expectAlert(/another chain \(1\)/, "a request for chain 1");
    await link.fill(`ethereum:0x000000000000000000000000000000000000dEaD@31337/transfer?address=${memberAddress(8)}&uint256=1000000`);
    await page.getByRole("button", { name: "Use this request" }).click();
    await expectAlert(/another token/, "a request for another token");
    // A good request fills the form.
    await link.fill(`ethereum:${coin()}@31337/transfer?address=${memberAddress(8)}&uint256=1500000`);
    await page.getByRole("button", { name: "Use this request" }).click();
    expect(await to.inputValue()).to.equal(memberAddress(8));
    expect(await amount.inputValue()).to.equal("1.5");
    await expectAxeClean(page);
    await expectFullyTranslated(page);

    expect(await balanceOf(payer)).to.equal(before);
  });

  it("creates a city key, locks it, refuses a wrong passphrase, and opens with the right one", async () => {
    const page = await app.open("/wallet", { width: 360, locale: "en" });
    await page.getByText("Create a city key").click();
    await page.getByRole("button", { name: "Create a new key" }).click();
    const words = (await page.getByTestId("backup-phrase").innerText()).trim().split(/\s+/);
    expect(words).to.have.lengthOf(12);
    await page.getByLabel("I have written down these 12 words").check();
    const create = page.locator("details[open]");
    await create.getByLabel("Passphrase", { exact: true }).fill("short");
    await create.getByLabel("Passphrase again").fill("short");
    await create.getByRole("button", { name: "Encrypt and save the key" }).click();
    expect(await create.getByRole("alert").innerText()).to.match(/too short/);
    await create.getByLabel("Passphrase", { exact: true }).fill("correct horse battery");
    await create.getByLabel("Passphrase again").fill("correct horse battery!");
    await create.getByRole("button", { name: "Encrypt and save the key" }).click();
    expect(await create.getByRole("alert").innerText()).to.match(/differ/);
    await create.getByLabel("Passphrase again").fill("correct horse battery");
    await create.getByRole("button", { name: "Encrypt and save the key" }).click();

    // A new key is nobody's membership yet: the page says so and what to do.
    await page.locator("[data-status]").waitFor({ timeout: 30_000 });
    expect(await page.locator("[data-status]").getAttribute("data-status")).to.equal("none");
    expect(await page.getByRole("status").first().innerText()).to.match(/not a member of the city/);
    // Nothing of the phrase is kept in the clear: IndexedDB holds ciphertext only.
    const stored = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const open = indexedDB.open("cityledger-wallet");
          open.onsuccess = () => {
            const all = open.result.transaction("keys").objectStore("keys").getAll();
            all.onsuccess = () => resolve(JSON.stringify(all.result));
          };
        }),
    );
    const records = JSON.parse(stored) as { ciphertext: string }[];
    expect(records).to.have.lengthOf(1);
    expect(Object.keys(records[0]!).sort()).to.deep.equal(["address", "chainId", "cipher", "ciphertext", "createdAt", "format", "kdf"]);
    expect(stored).to.not.contain(words.join(" "));
    const ciphertext = Buffer.from(records[0]!.ciphertext, "base64").toString("latin1");
    for (const word of words) expect(ciphertext).to.not.contain(word);
    await screenshot(page, "wallet-citykey-360");

    await page.getByTestId("sign-out").click();
    const unlock = page.getByTestId("unlock-form");
    await unlock.getByLabel("Passphrase").fill("wrong horse battery");
    await unlock.getByRole("button", { name: "Unlock" }).click();
    await unlock.getByRole("alert").waitFor({ timeout: 30_000 });
    expect(await unlock.getByRole("alert").innerText()).to.match(/Wrong passphrase/);
    await unlock.getByLabel("Passphrase").fill("correct horse battery");
    await unlock.getByRole("button", { name: "Unlock" }).click();
    await page.locator("[data-status]").waitFor({ timeout: 30_000 });
    await expectAxeClean(page);
    await expectNoHorizontalScroll(page);
    await expectFullyTranslated(page);
  });

  it("signs in with a browser wallet (EIP-1193) and pays through the relayer with its signature", async () => {
    const n = 9;
    const signer = new Wallet(demoMemberKey(n));
    const payer = signer.address as Address;
    const payee = memberAddress(10);
    await zeroEth(payer);
    const before = await balanceOf(payee);

    const page = await app.open("/", { width: 1280, locale: "en" });
    // The "wallet extension": accounts and typed-data signatures from a key held by the test (the page never sees it).
    await page.exposeFunction("__testSignTypedData", async (json: string) => {
      const { domain, types, message } = JSON.parse(json) as { domain: object; types: Record<string, { name: string; type: string }[]>; message: object };
      delete types.EIP712Domain;
      return signer.signTypedData(domain, types, message);
    });
    await page.evaluate(
      ({ address, rpcUrl }) => {
        const w = window as unknown as { ethereum: unknown; __testSignTypedData: (json: string) => Promise<string> };
        w.ethereum = {
          request: async ({ method, params }: { method: string; params?: unknown[] }) => {
            if (method === "eth_requestAccounts" || method === "eth_accounts") return [address];
            if (method === "eth_signTypedData_v4") return w.__testSignTypedData(params![1] as string);
            const response = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
            return ((await response.json()) as { result: unknown }).result;
          },
          on: () => undefined,
          removeListener: () => undefined,
        };
      },
      { address: payer, rpcUrl: app.rpcUrl },
    );
    // Client-side navigation keeps the provider the test installed.
    await page.getByRole("link", { name: "My wallet" }).click();
    await page.getByRole("button", { name: "Connect my browser wallet" }).click();
    await page.locator("[data-status]").waitFor({ timeout: 30_000 });
    expect(await page.locator(".signed-in").innerText()).to.contain("browser wallet");
    await page.getByRole("link", { name: "Pay", exact: true }).click();
    await page.getByLabel("To (address)").fill(payee);
    await page.getByLabel("Amount (€)").fill("1");
    await page.getByRole("button", { name: "Review" }).click();
    await page.getByRole("button", { name: "Confirm and pay" }).click();
    await page.getByTestId("payment-proven").waitFor({ timeout: 90_000 });
    expect(await balanceOf(payee)).to.equal(before + 1_000_000n);
    expect(await ethOf(payer)).to.equal(0n);
  });

  it("claims the basic income for an eligible member, and says why not to one who claimed and one of another college", async () => {
    const claimsOf = async (who: string) =>
      ((await (await fetch(`${app.nodeUrl}/v1/income/claims/${who}`)).json()) as { total: number }).total;
    const residents = app.demo.members.filter((m) => m.college === 1 && (BigInt(m.flags) & 1n) === 1n);
    const counted = await Promise.all(residents.map(async (m) => ({ ...m, claims: await claimsOf(m.address) })));
    const unclaimed = counted.find((m) => m.claims === 0 && ![5, 6, 7, 9, 10].includes(m.index))!;
    const claimed = counted.find((m) => m.claims > 0)!;
    const otherCollege = app.demo.members.find((m) => m.college === 2)!;
    const member = unclaimed.address as Address;
    await zeroEth(member);
    const before = await balanceOf(member);

    const page = await app.open("/wallet", { width: 360, locale: "fr" });
    await signInAsDemo(page, unclaimed.index);
    await page.getByRole("link", { name: "Mon revenu de base" }).click();
    const claim = page.locator("[data-claimable=yes]");
    await claim.waitFor({ timeout: 30_000 });
    expect(await claim.innerText()).to.match(/^Percevoir 50,00\s€$/);
    await expectAxeClean(page);
    await expectNoHorizontalScroll(page);
    await claim.click();
    await page.locator("[data-claimable=claimed]").waitFor({ timeout: 60_000 });
    expect(await page.getByRole("status").filter({ hasText: "reçus" }).innerText()).to.match(/50,00\s€ reçus/);
    await screenshot(page, "wallet-income-360");
    expect(await balanceOf(member)).to.equal(before + 50_000_000n);
    expect(await ethOf(member)).to.equal(0n);

    for (const [other, expected] of [
      [claimed, /Perçu pour cette période/],
      [otherCollege, /destiné à d'autres collèges/],
    ] as const) {
      await page.getByRole("link", { name: "← Mon portefeuille" }).click();
      await page.getByTestId("sign-out").click();
      await signInAsDemo(page, other.index);
      await page.getByRole("link", { name: "Mon revenu de base" }).click();
      await page.locator("[data-claimable=claimed], [data-claimable=no]").waitFor({ timeout: 30_000 });
      expect(await page.locator("[data-program]").innerText()).to.match(expected);
      expect(await page.locator("[data-claimable=yes]").count()).to.equal(0);
    }
    await expectFullyTranslated(page);
  });
  it("shows a payment request as a QR code and a link; the payer opens the link, confirms, and the merchant sees it arrive", async () => {
    const [merchant, payer] = [memberAddress(11), memberAddress(12)];
    await zeroEth(payer);
    const [merchantBefore, payerBefore] = [await balanceOf(merchant), await balanceOf(payer)];

    const shop = await app.open("/wallet", { width: 360, locale: "en" });
    await signInAsDemo(shop, 11);
    await shop.getByRole("link", { name: "Ask for a payment" }).click();
    await shop.getByLabel("Amount (€)").fill("3,20");
    await shop.getByRole("button", { name: "Show the payment request" }).click();
    const qr = shop.getByRole("img", { name: /QR code of the payment request for €3.20/ });
    await qr.waitFor();
    const request = `ethereum:${coin()}@31337/transfer?address=${merchant}&uint256=3200000`;
    expect(await shop.getByTestId("request-eip681").innerText()).to.equal(request);
    // The code drawn is the request itself: the same text encoded here gives the same modules.
    const qrPath = await qr.locator("path").getAttribute("d");
    expect(qrPath).to.equal(qrModules(request));
    const link = (await shop.getByTestId("request-link").getAttribute("href"))!;
    expect(new URL(link).searchParams.get("request")).to.equal(request);
    await expectAxeClean(shop);
    await expectNoHorizontalScroll(shop);
    await screenshot(shop, "wallet-request-360");

    const customer = await app.open(new URL(link).pathname + new URL(link).search, { width: 360, locale: "fr" });
    await signInAsDemo(customer, 12);
    expect(await customer.getByLabel("À (adresse)").inputValue()).to.equal(merchant);
    expect(await customer.getByLabel("Montant (€)").inputValue()).to.equal("3.2");
    await customer.getByRole("button", { name: "Vérifier" }).click();
    await customer.getByRole("button", { name: "Confirmer et payer" }).click();
    await customer.getByTestId("payment-proven").waitFor({ timeout: 90_000 });

    await shop.getByTestId("request-paid").waitFor({ timeout: 30_000 });
    expect(await shop.getByTestId("request-paid").innerText()).to.match(/Paid: €3.20 received from/);
    await screenshot(shop, "wallet-request-paid-360");
    expect(await balanceOf(merchant)).to.equal(merchantBefore + 3_200_000n);
    expect(await balanceOf(payer)).to.equal(payerBefore - 3_200_000n);
    expect(await ethOf(payer)).to.equal(0n);

    // A link for another chain opens the pay page with the refusal, nothing filled in.
    const foreign = await app.open(`/wallet/pay?request=${encodeURIComponent(request.replace("@31337", "@10"))}`, { width: 1280, locale: "en" });
    await signInAsDemo(foreign, 12);
    expect(await foreign.getByRole("alert").innerText()).to.match(/another chain \(10\)/);
    expect(await foreign.getByLabel("To (address)").inputValue()).to.equal("");
  });

  it("says when the node is out of reach, sends nothing meanwhile, and recovers when it returns", async () => {
    const payer = memberAddress(13);
    const before = await balanceOf(payer);
    const page = await app.open("/wallet", { width: 360, locale: "en" });
    await signInAsDemo(page, 13);
    await page.getByRole("link", { name: "Pay", exact: true }).click();
    // The form is on screen before the node goes: a person who loses the node mid-way has a page in front of them.
    await page.getByLabel("To (address)").waitFor({ timeout: 30_000 });
    await page.locator("[data-live=live]").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("connection").innerText()).to.equal("");

    app.cutNode(true);
    try {
      const banner = page.getByTestId("connection").filter({ hasText: "The connection to the city's node is lost" });
      await banner.waitFor({ timeout: 30_000 });
      await expectAxeClean(page);
      await screenshot(page, "wallet-offline-360");
      await page.getByLabel("To (address)").fill(memberAddress(14));
      await page.getByLabel("Amount (€)").fill("1");
      await page.getByRole("button", { name: "Review" }).click();
      await page.getByRole("alert").filter({ hasText: "cannot be reached, so nothing was sent" }).waitFor({ timeout: 30_000 });
      expect(await page.getByRole("button", { name: "Confirm and pay" }).count()).to.equal(0);
    } finally {
      app.cutNode(false);
    }
    await page.getByTestId("connection").filter({ hasText: "Connection restored" }).waitFor({ timeout: 30_000 });
    await page.locator("[data-live=live]").waitFor();
    // Back in business: the same form goes through to the confirmation.
    await page.getByRole("button", { name: "Review" }).click();
    await page.getByRole("button", { name: "Confirm and pay" }).waitFor({ timeout: 30_000 });
    expect(await balanceOf(payer)).to.equal(before);
  });
});
