/**
 * The wallet's parking and energy journeys (issue 17, items 3 and 4) in Chromium against a city started as `npm start`
 * starts it, used as a person uses it, by demo members with zero ETH: a consumer and a prosumer place and cancel
 * energy orders with the escrow shown, a member without a meter is told why and what to do; an owner lists a spot
 * with its weekly hours and price, a driver finds it by district and window, books it (permit and booking, relayed),
 * checks in, is refused a cancellation after check-in, cancels another booking with the refund the contract pays shown
 * first, rates and opens a dispute once the stay is over. Every bad input is refused with its sentence and nothing
 * sent; the chain is read afterwards (orders, bookings, escrow, balances), never written by the test but for its clock.
 */
import { expect } from "chai";
import type { Page } from "playwright-core";
import type { Address } from "viem";
import { energyMarketAbi, parkingExchangeAbi } from "@cityledger/sdk/abis";
import { bookingIdOf } from "@cityledger/sdk";
import { expectAxeClean, expectFullyTranslated, expectNoHorizontalScroll, screenshot, useAppHarness, type Locale, type Width } from "./harness";
import { chainOf, memberAddress, signInAsDemo } from "./wallet-helpers";

const HOUR = 3600;
const DAY = 24 * HOUR;
/** IParkingExchange.BookingStatus and IEnergyMarket.OrderStatus. */
const BOOKED = 1;
const DISPUTED = 2;
const CANCELLED = 3;
const OPEN = 1;
const ORDER_CANCELLED = 2;

describe("the wallet's parking and energy (app/, Chromium)", function () {
  const app = useAppHarness(this);
  const { chain, addressOf, balanceOf, ethOf, zeroEth } = chainOf(app);
  const parking = () => addressOf("ParkingExchange");
  const market = () => addressOf("EnergyMarket");
  const readParking = <T,>(functionName: string, args: unknown[] = []) =>
    chain().readContract({ address: parking(), abi: parkingExchangeAbi, functionName, args } as never) as Promise<T>;
  const readMarket = <T,>(functionName: string, args: unknown[] = []) =>
    chain().readContract({ address: market(), abi: energyMarketAbi, functionName, args } as never) as Promise<T>;
  const bookingOf = async (id: bigint) => {
    const [b, x] = await readParking<[{ driver: Address; price: number; status: number }, { checkedInAt: number; driverRated: boolean }]>("booking", [id]);
    return { ...b, ...x };
  };
  const now = async () => Number((await chain().getBlock()).timestamp);

  /** Opens the wallet, signs in as demo member n, and follows the wallet's link to a journey (as a person does). */
  async function openJourney(n: number, journey: "parking" | "energy", options: { width: Width; locale: Locale }): Promise<Page> {
    const page = await app.open("/wallet", options);
    await signInAsDemo(page, n);
    // The wallet's own link (the explorer's menu has a page of the same name).
    await page.locator("ul.services").getByRole("link", { name: journey === "parking" ? /Parking|Stationnement/ : /Energy|Énergie/ }).click();
    await page.waitForURL(`**/wallet/${journey}`);
    await page.locator("h1").waitFor();
    return page;
  }
  /** Waits for an alert or status saying `message`. */
  const expectSaid = (page: Page, message: RegExp) => page.getByText(message).first().waitFor({ timeout: 20_000 });

  it("energy: a member without a meter is told why; a consumer bids and cancels, a prosumer offers, every bad order refused first", async () => {
    const nobody = await openJourney(10, "energy", { width: 360, locale: "fr" });
    await nobody.getByTestId("energy-ineligible").waitFor();
    expect(await nobody.getByTestId("energy-ineligible").innerText()).to.match(/compteur de consommation pour acheter[\s\S]*rôle de producteur/);
    await expectAxeClean(nobody);
    await expectNoHorizontalScroll(nobody);
    await screenshot(nobody, "wallet-energy-ineligible-360");

    const buyer = memberAddress(8);
    await zeroEth(buyer);
    const slot = app.demo.energy.openSlot.slot;
    const page = await openJourney(8, "energy", { width: 360, locale: "fr" });
    await page.getByTestId("book-summary").waitFor();
    expect(await page.getByLabel("Créneau", { exact: true }).inputValue()).to.equal(String(slot));
    expect(await page.getByTestId("book-summary").innerText()).to.match(/Offres de vente\s+\d+ ordres?, [\d,]+ kWh en tout · la plus basse/);
    await page.locator("figure svg").first().waitFor();
    await page.locator("[data-settled]").first().waitFor();

    const ordersBefore = await readMarket<bigint>("orderCount");
    const quantity = page.getByLabel("Énergie à acheter (kWh)");
    const price = page.getByLabel("Prix maximal payé (€ par kWh)");
    const review = page.getByRole("button", { name: "Vérifier l'ordre" });
    const bad: [string, string, RegExp][] = [
      ["0", "0,12", /plus de 0 kWh/],
      ["1,2345", "0,12", /trois décimales au plus/],
      ["0,005", "0,12", /au moins 0,01 kWh/],
      ["9999999999", "0,12", /plus qu'un ordre ne peut contenir/],
      ["1,5", "0,1234567", /Trop de décimales/],
      ["1,5", "5000", /dépasse ce que le marché accepte/],
      ["1,5", "-1", /Écrivez un montant en euros/],
    ];
    for (const [q, p, message] of bad) {
      await quantity.fill(q);
      await price.fill(p);
      await review.click();
      await expectSaid(page, message);
    }
    expect(await readMarket<bigint>("orderCount"), "no order was sent").to.equal(ordersBefore);

    await quantity.fill("1,5");
    await price.fill("0,12");
    await review.click();
    // ceil(1500 Wh × €0.12/kWh) = €0.18 held in escrow, shown before signing.
    expect(await page.getByTestId("order-review").innerText()).to.match(/Acheter 1,5 kWh à 0,12\s€\/kWh au plus\. 0,18\s€ sont bloqués sous séquestre/);
    await expectAxeClean(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, "wallet-energy-review-360");
    await page.getByRole("button", { name: "Signer et passer l'ordre" }).click();
    await expectSaid(page, /Offre d'achat passée : 1,5 kWh, 0,18\s€ bloqués sous séquestre/);

    const ids = await readMarket<bigint[]>("book", [slot]);
    const orders = await Promise.all(ids.map(async (id) => ({ id, ...(await readMarket<{ trader: Address; wh: number; price: number; side: number; status: number }>("order", [id])) })));
    const mine = orders.find((o) => o.trader === buyer && o.status === OPEN && o.wh === 1500);
    expect(mine, "the bid is in the slot's book").to.include({ price: 120_000, side: 1 });
    const marketBalance = await readMarket<bigint>("balanceOf", [buyer]);

    const row = page.locator(`[data-order="${mine!.id}"]`);
    await row.waitFor({ timeout: 30_000 });
    expect(await row.innerText()).to.match(/Séquestre bloqué : 0,18\s€/);
    await expectAxeClean(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, "wallet-energy-360");
    await row.getByRole("button", { name: "Annuler cet ordre" }).click();
    await expectSaid(page, /Ordre annulé : 0,18\s€ reviennent sur votre solde de marché/);
    expect((await readMarket<{ status: number }>("order", [mine!.id])).status).to.equal(ORDER_CANCELLED);
    expect(await readMarket<bigint>("balanceOf", [buyer])).to.equal(marketBalance + 180_000n);
    expect(await ethOf(buyer)).to.equal(0n);

    // A prosumer with a production meter offers energy: the collateral is the slot's grid price, shown first.
    const seller = memberAddress(1);
    await zeroEth(seller);
    const sell = await openJourney(1, "energy", { width: 1280, locale: "en" });
    await sell.getByLabel("Energy to sell (kWh)").fill("1");
    await sell.getByLabel("Lowest price accepted (€ per kWh)").fill("0.09");
    await sell.getByRole("button", { name: "Review the order" }).click();
    const gridPrice = (await readMarket<{ gridPrice: number }>("slotResult", [slot])).gridPrice;
    expect(await sell.getByTestId("order-review").innerText()).to.contain(`Sell 1 kWh at no less than €0.09/kWh. €${(gridPrice / 1e6).toFixed(2)} is held as collateral`);
    await sell.getByRole("button", { name: "Sign and place the order" }).click();
    await expectSaid(sell, /Offer placed: 1 kWh/);
    const asks = await Promise.all((await readMarket<bigint[]>("book", [slot])).map((id) => readMarket<{ trader: Address; wh: number; price: number; side: number }>("order", [id])));
    expect(asks.some((o) => o.trader === seller && o.wh === 1000 && o.price === 90_000 && o.side === 0), "the ask is in the book").to.equal(true);
    expect(await ethOf(seller)).to.equal(0n);
    await expectAxeClean(sell);
    await expectFullyTranslated(sell);
  });

  it("parking: an owner lists a spot, a driver books it, checks in, cancels another booking with the refund shown first, rates and disputes", async () => {
    // The city's clock moves to the next 06:10 UTC, so the day's hours below are ahead of it whatever the time now.
    const today = Math.floor((await now()) / DAY) * DAY + DAY;
    await chain().request({ method: "evm_setNextBlockTimestamp" as never, params: [today + 6 * HOUR + 600] as never });
    await chain().request({ method: "evm_mine" as never, params: [] as never });

    const [owner, driver] = [memberAddress(3), memberAddress(10)];
    await zeroEth(owner);
    await zeroEth(driver);
    const ownerPage = await openJourney(3, "parking", { width: 360, locale: "fr" });
    await ownerPage.getByRole("button", { name: "Je loue ma place" }).click();
    const spotsBefore = await readParking<bigint>("spotCount");
    const rate = ownerPage.getByLabel("Prix par heure (€)");
    const submit = ownerPage.getByRole("button", { name: "Signer et proposer la place" });
    await ownerPage.getByLabel("Description (emplacement, accès)").fill("Cour arrière, portail bleu");
    for (const [text, message] of [
      ["2,5555555", /Trop de décimales/],
      ["5000", /plus que ce que la bourse accepte/],
      ["0", /supérieur à zéro/],
    ] as const) {
      await rate.fill(text);
      await submit.click();
      await expectSaid(ownerPage, message);
    }
    expect(await readParking<bigint>("spotCount"), "nothing listed").to.equal(spotsBefore);
    await rate.fill("2,50");
    // Presets as deployed: flexible, moderate, strict.
    await ownerPage.getByLabel("Annulation").selectOption({ index: 1 });
    await ownerPage.getByLabel(/signalent leur arrivée/).check();
    await ownerPage.getByLabel("Caution (€)").fill("3");
    await ownerPage.getByLabel("De", { exact: true }).selectOption("6");
    await ownerPage.getByLabel("À", { exact: true }).selectOption("12");
    await expectAxeClean(ownerPage);
    await expectNoHorizontalScroll(ownerPage);
    await screenshot(ownerPage, "wallet-parking-list-360");
    await submit.click();
    await expectSaid(ownerPage, /Votre place est proposée/);
    const spotId = await readParking<bigint>("spotCount");
    expect(spotId).to.equal(spotsBefore + 1n);
    const spot = await readParking<{ owner: Address; hourlyRate: number; presetId: number; checkIn: boolean; deposit: number; district: number }>("spot", [spotId]);
    expect(spot).to.include({ owner, hourlyRate: 2_500_000, presetId: 2, checkIn: true, deposit: 3_000_000, district: 5 });
    await ownerPage.locator(`[data-owned-spot="${spotId}"]`).waitFor({ timeout: 30_000 });
    expect(await ownerPage.locator(`[data-owned-spot="${spotId}"]`).innerText()).to.match(/lundi, mardi, mercredi, jeudi, vendredi, samedi, dimanche, de 06:00 à 12:00/);

    // The driver searches district 5 on the calendar; wrong windows are refused before any search or signature.
    const page = await openJourney(10, "parking", { width: 360, locale: "en" });
    const day = (s: number) => new Date(s * 1000).toISOString().slice(0, 10);
    const search = async (startDay: number, startHour: number, endDay: number, endHour: number) => {
      await page.getByLabel("District").selectOption("5");
      await page.getByLabel("From (day)").fill(day(startDay));
      await page.getByLabel("From (hour)").selectOption(String(startHour));
      await page.getByLabel("Until (day)").fill(day(endDay));
      await page.getByLabel("Until (hour)").selectOption(String(endHour));
      await page.getByRole("button", { name: "Search" }).click();
    };
    const bookingsBefore = await balanceOf(driver);
    await search(today, 9, today, 8);
    await expectSaid(page, /The end is before the start/);
    await search(today - DAY, 9, today - DAY, 11);
    await expectSaid(page, /already begun or passed/);
    await search(today, 14, today, 16);
    const outside = page.locator(`[data-spot="${spotId}"]`);
    await outside.waitFor();
    expect(await outside.getAttribute("data-bookable")).to.equal("no");
    expect(await outside.innerText()).to.match(/Outside the hours its owner offers/);
    expect(await outside.getByRole("button").count(), "no way to book it then").to.equal(0);
    expect(await balanceOf(driver), "nothing sent").to.equal(bookingsBefore);

    // Book the current hours: €2.50 × 2 and a €3 deposit in escrow, through a permit and the booking, relayed.
    const escrowBefore = await balanceOf(parking());
    await search(today, 6, today, 8);
    const card = page.locator(`[data-spot="${spotId}"]`);
    await card.getByRole("button", { name: `Book spot ${spotId}` }).click();
    expect(await page.getByTestId("book-total").innerText()).to.equal("€8.00");
    await expectAxeClean(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, "wallet-parking-book-360");
    await page.getByRole("button", { name: "Sign and book (€8.00)" }).click();
    await page.getByTestId("booked").waitFor({ timeout: 60_000 });
    const nowId = bookingIdOf(spotId, today + 6 * HOUR);
    expect(await bookingOf(nowId)).to.include({ driver, price: 5_000_000, status: BOOKED });
    expect(await balanceOf(driver)).to.equal(bookingsBefore - 8_000_000n);
    expect(await balanceOf(parking())).to.equal(escrowBefore + 8_000_000n);

    // Tomorrow 07:00-09:00, about 25 hours ahead: the moderate preset refunds half the price (and the whole deposit).
    await page.getByRole("button", { name: "Find another spot" }).click();
    await search(today + DAY, 7, today + DAY, 9);
    await page.locator(`[data-spot="${spotId}"]`).getByRole("button", { name: `Book spot ${spotId}` }).click();
    await page.getByRole("button", { name: "Sign and book (€8.00)" }).click();
    await page.getByTestId("booked").waitFor({ timeout: 60_000 });
    const laterId = bookingIdOf(spotId, today + DAY + 7 * HOUR);
    expect((await bookingOf(laterId)).status).to.equal(BOOKED);

    const nowRow = page.locator(`[data-booking="${nowId}"]`);
    await nowRow.waitFor({ timeout: 30_000 });
    await nowRow.getByRole("button", { name: "Check in" }).click();
    await expectSaid(page, /Checked in\./);
    expect((await bookingOf(nowId)).checkedInAt).to.be.greaterThan(0);
    await page.locator(`[data-booking="${nowId}"]`).getByText(/checked in at/).waitFor({ timeout: 30_000 });
    const afterCheckIn = await balanceOf(driver);
    await page.locator(`[data-booking="${nowId}"]`).getByRole("button", { name: "Cancel…" }).click();
    await expectSaid(page, /You have checked in: the booking can no longer be cancelled/);
    expect((await bookingOf(nowId)).status, "still booked").to.equal(BOOKED);
    expect(await balanceOf(driver)).to.equal(afterCheckIn);

    const laterRow = page.locator(`[data-booking="${laterId}"]`);
    await laterRow.getByRole("button", { name: "Cancel…" }).click();
    // 50 % of €5.00 plus the €3.00 deposit back; the owner gets €2.50 less the city's 5 % fee.
    expect(await page.getByTestId("refund-preview").innerText()).to.equal(
      "If you cancel now, you get back €5.50 (50% of the price, plus any deposit); the owner receives €2.375 after the city's fee.",
    );
    await expectAxeClean(page);
    await expectNoHorizontalScroll(page);
    await screenshot(page, "wallet-parking-cancel-360");
    const [driverBefore, ownerBefore] = [await balanceOf(driver), await balanceOf(owner)];
    await page.getByRole("button", { name: "Sign and cancel" }).click();
    await expectSaid(page, /Cancelled: €5.50 back to your balance/);
    expect((await bookingOf(laterId)).status).to.equal(CANCELLED);
    expect(await balanceOf(driver)).to.equal(driverBefore + 5_500_000n);
    expect(await balanceOf(owner)).to.equal(ownerBefore + 2_375_000n);

    // Once the stay is over: rate the spot, then open a dispute (within the 48-hour window).
    await chain().request({ method: "evm_setNextBlockTimestamp" as never, params: [today + 9 * HOUR] as never });
    await chain().request({ method: "evm_mine" as never, params: [] as never });
    const after = await openJourney(10, "parking", { width: 360, locale: "fr" });
    const row = after.locator(`[data-booking="${nowId}"]`);
    await row.waitFor({ timeout: 30_000 });
    await row.getByRole("button", { name: "Envoyer la note" }).click();
    await expectSaid(after, /Choisissez une note de 1 à 5 étoiles/);
    await row.getByLabel("5 étoiles").check();
    await row.getByRole("button", { name: "Envoyer la note" }).click();
    await expectSaid(after, /Merci : note de 5\/5 envoyée/);
    expect((await bookingOf(nowId)).driverRated).to.equal(true);
    await after.locator(`[data-booking="${nowId}"]`).getByRole("button", { name: "Ouvrir un litige…" }).click();
    await after.getByRole("button", { name: "Signer et ouvrir le litige" }).click();
    await expectSaid(after, /Litige ouvert/);
    expect((await bookingOf(nowId)).status).to.equal(DISPUTED);
    await after.locator(`[data-booking="${nowId}"][data-status="disputed"]`).waitFor({ timeout: 30_000 });
    await expectAxeClean(after);
    await expectNoHorizontalScroll(after);
    await expectFullyTranslated(after);
    await screenshot(after, "wallet-parking-bookings-360");
    expect(await ethOf(driver)).to.equal(0n);

    // The owner sees both bookings of the spot and what the cancellation paid.
    const mine = await openJourney(3, "parking", { width: 360, locale: "fr" });
    await mine.getByRole("button", { name: "Je loue ma place" }).click();
    const owned = mine.locator(`[data-owned-spot="${spotId}"]`);
    await owned.waitFor({ timeout: 30_000 });
    expect(await owned.locator("[data-owner-booking]").count()).to.equal(2);
    expect(await owned.getByTestId("payouts").innerText()).to.match(/Versé à vous jusqu'ici : 2,375\s€/);
    await expectAxeClean(mine);
    await expectNoHorizontalScroll(mine);
    await screenshot(mine, "wallet-parking-owner-360");
    expect(await ethOf(owner)).to.equal(0n);
  });
});
