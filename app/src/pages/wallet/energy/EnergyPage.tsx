import { useId, useState, type FormEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { Address } from "viem";
import { cityCoinAbi, energyMarketAbi } from "@cityledger/sdk/abis";
import { memberFlags } from "@cityledger/sdk";
import { NodeProblemError } from "../../../api/node";
import { useNodeQuery } from "../../../api/query";
import { useFormat, useT, type Format, type MessageKey, type Translate } from "../../../i18n";
import { Loading, QueryState } from "../../../ui/States";
import { useChainTime } from "../../../ui/chainTime";
import { useChainRead, useSignedClient } from "../../../wallet/session";
import { ClearingPriceFigure } from "../../energy/EnergyPage";
import { SLOT_SECONDS, kwh } from "../../energy/slot";
import type { OrderJson, Page, SlotJson } from "../../energy/types";
import { FieldError } from "../FieldError";
import { SignedInPage } from "../SignedInPage";
import { useMember } from "../member";
import type { AccountJson } from "../moves";
import { parseEuroAmount } from "../pay";
import { writeErrorMessage } from "../writeErrors";
import { lockedOf, parseKwh, MAX_ORDER_WH, MAX_PRICE, type Say } from "./orders";
import "../wallet.css";
import "../parking/parking.css";

export default function EnergyPage() {
  const t = useT();
  return <SignedInPage title={t("walletEnergy.title")}>{(_city, me) => <Energy me={me} />}</SignedInPage>;
}

interface MeterJson {
  meter: Address;
  kind: "none" | "production" | "consumption" | "both";
  status: "active" | "replaced" | "revoked";
}

interface EnergyMemberJson {
  balance: string;
  orders: OrderJson[];
}

/** The market's rules an order must meet (EnergyMarket.params), read from the chain. */
interface MarketParams {
  gateClosure: number;
  maxOrdersPerTrader: number;
  minOrderWh: number;
  gridPrice: number;
  minOrderValue: number;
}

function useMarketParams() {
  return useChainRead(
    ["energy", "params"],
    async (c): Promise<MarketParams> => {
      const p = await c.publicClient.readContract({ address: c.addresses.energyMarket!, abi: energyMarketAbi, functionName: "params" });
      return { gateClosure: p.gateClosure, maxOrdersPerTrader: p.maxOrdersPerTrader, minOrderWh: p.minOrderWh, gridPrice: p.gridPrice, minOrderValue: p.minOrderValue };
    },
    { staleTime: 60_000 },
  );
}

function Energy({ me }: { me: Address }) {
  const t = useT();
  const { record } = useMember(me);
  const meters = useNodeQuery<Page<MeterJson>>(`/v1/energy/meters?member=${me}&status=active&limit=100`);
  const params = useMarketParams();
  if (meters.error) return <QueryState query={meters}>{() => null}</QueryState>;
  if (params.error) return <QueryState query={params}>{() => null}</QueryState>;
  if (!record || !meters.data || !params.data) return <Loading />;
  const prosumer = (BigInt(record.flags) & memberFlags.PROSUMER) !== 0n;
  const production = meters.data.items.filter((m) => m.kind === "production" || m.kind === "both").map((m) => m.meter);
  const consumption = meters.data.items.filter((m) => m.kind === "consumption" || m.kind === "both").map((m) => m.meter);
  const canAsk = record.status === "active" && prosumer && production.length > 0;
  const canBid = record.status === "active" && consumption.length > 0;
  return (
    <>
      <p className="lead">{t("walletEnergy.lead")}</p>
      {!canAsk && !canBid ? (
        <section className="card card-warning" data-testid="energy-ineligible">
          <h2>{t("walletEnergy.ineligibleTitle")}</h2>
          <p>{t(record.status !== "active" ? "walletEnergy.ineligibleNotActive" : prosumer ? "walletEnergy.ineligibleNoMeter" : "walletEnergy.ineligibleNoFlag")}</p>
        </section>
      ) : (
        <>
          {!canAsk && <p className="notice">{t(prosumer ? "walletEnergy.noProductionMeter" : "walletEnergy.buyOnly")}</p>}
          <Market me={me} params={params.data} asks={canAsk ? production : []} bids={canBid ? consumption : []} />
        </>
      )}
    </>
  );
}

/** The slots whose gate is still open at `now`, from the node's list, and the next slot anyone could trade. */
function openSlots(slots: SlotJson[], now: number, gateClosure: number): number[] {
  const next = Math.floor((now + gateClosure) / SLOT_SECONDS) + 1;
  const listed = slots.filter((s) => !s.cleared && s.start - gateClosure > now).map((s) => s.slot);
  return [...new Set([...listed, next])].sort((a, b) => a - b);
}

function Market({ me, params, asks, bids }: { me: Address; params: MarketParams; asks: Address[]; bids: Address[] }) {
  const t = useT();
  const f = useFormat();
  const id = useId();
  const { now } = useChainTime();
  const slots = useNodeQuery<Page<SlotJson>>("/v1/energy/slots?limit=96");
  const [chosen, setChosen] = useState<number>();
  return (
    <QueryState query={slots}>
      {(page) => {
        const open = openSlots(page.items, now, params.gateClosure);
        // The demo's (and a real day's) traded slot is the one with orders; else the next one.
        const withOrders = open.find((s) => page.items.some((x) => x.slot === s && x.orders.length > 0));
        const slot = chosen !== undefined && open.includes(chosen) ? chosen : (withOrders ?? open[0]!);
        const view = page.items.find((s) => s.slot === slot);
        return (
          <>
            <section className="card" aria-labelledby={`${id}-book`}>
              <h2 id={`${id}-book`}>{t("walletEnergy.bookTitle")}</h2>
              <label htmlFor={`${id}-slot`}>{t("walletEnergy.slot")}</label>
              <select id={`${id}-slot`} value={slot} onChange={(e) => setChosen(Number(e.target.value))} aria-describedby={`${id}-gate`}>
                {open.map((s) => (
                  <option key={s} value={s}>
                    {f.dateTime(s * SLOT_SECONDS)}
                  </option>
                ))}
              </select>
              <p id={`${id}-gate`} className="muted small">
                {t("walletEnergy.slotGate", { gate: f.dateTime(slot * SLOT_SECONDS - params.gateClosure) })}
              </p>
              <BookSummary orders={(view?.orders ?? []).filter((o) => o.status === "open")} />
            </section>
            <section className="card" aria-labelledby={`${id}-prices`}>
              <h2 id={`${id}-prices`}>{t("walletEnergy.pricesTitle")}</h2>
              {page.items.some((s) => s.cleared) ? <ClearingPriceFigure slots={page.items} /> : <p className="muted">{t("walletEnergy.noPrices")}</p>}
            </section>
            <PlaceOrder me={me} slot={slot} params={params} asks={asks} bids={bids} />
            <MyOrders me={me} params={params} />
          </>
        );
      }}
    </QueryState>
  );
}

/** Open orders of a slot, as a trader wants to see them before placing one: how much is offered and asked, at what best price. */
function BookSummary({ orders }: { orders: OrderJson[] }) {
  const t = useT();
  const f = useFormat();
  const side = (which: "ask" | "bid") => {
    const mine = orders.filter((o) => o.side === which);
    const prices = mine.map((o) => BigInt(o.price));
    const best = prices.length === 0 ? undefined : prices.reduce((a, b) => (which === "ask" ? (b < a ? b : a) : b > a ? b : a));
    return { count: mine.length, kwh: mine.reduce((sum, o) => sum + kwh(o.wh), 0), best };
  };
  const a = side("ask");
  const b = side("bid");
  return (
    <dl className="facts" data-testid="book-summary">
      <dt>{t("walletEnergy.offers")}</dt>
      <dd>
        {t("walletEnergy.sideSummary", { count: a.count })}
        {a.count > 0 && <>, {t("walletEnergy.sideKwh", { kwh: f.number(a.kwh, { maximumFractionDigits: 3 }) })}</>}
        {a.best !== undefined && <> · {t("walletEnergy.bestAsk", { price: f.euro(a.best) })}</>}
      </dd>
      <dt>{t("walletEnergy.demands")}</dt>
      <dd>
        {t("walletEnergy.sideSummary", { count: b.count })}
        {b.count > 0 && <>, {t("walletEnergy.sideKwh", { kwh: f.number(b.kwh, { maximumFractionDigits: 3 }) })}</>}
        {b.best !== undefined && <> · {t("walletEnergy.bestBid", { price: f.euro(b.best) })}</>}
      </dd>
    </dl>
  );
}

type Review = { side: "ask" | "bid"; meter: Address; wh: bigint; price: bigint; locked: bigint; fromWallet: bigint };

function PlaceOrder({ me, slot, params, asks, bids }: { me: Address; slot: number; params: MarketParams; asks: Address[]; bids: Address[] }) {
  const t = useT();
  const f = useFormat();
  const id = useId();
  const { now } = useChainTime();
  const client = useSignedClient();
  const queryClient = useQueryClient();
  const [side, setSide] = useState<"ask" | "bid">(bids.length > 0 ? "bid" : "ask");
  const [quantity, setQuantity] = useState("");
  const [price, setPrice] = useState("");
  const [errors, setErrors] = useState<{ quantity?: string; price?: string; send?: string }>({});
  const [review, setReview] = useState<Review>();
  const [sending, setSending] = useState(false);
  const [placed, setPlaced] = useState<Say>();
  const meters = side === "ask" ? asks : bids;

  const check = async (event: FormEvent) => {
    event.preventDefault();
    setPlaced(undefined);
    const found: typeof errors = {};
    const wh = parseKwh(quantity);
    if ("problem" in wh) found.quantity = t(`walletEnergy.${wh.problem}` as MessageKey, { max: f.number(kwh(MAX_ORDER_WH.toString())) });
    else if (wh.wh < BigInt(params.minOrderWh)) found.quantity = t("walletEnergy.quantityTooSmall", { min: f.number(kwh(params.minOrderWh), { maximumFractionDigits: 3 }) });
    const p = parseEuroAmount(price);
    if ("problem" in p) found.price = t(`wallet.${p.problem}` as MessageKey, { max: f.euro(MAX_PRICE) });
    else if (p.units > MAX_PRICE) found.price = t("walletEnergy.priceTooHigh", { max: f.euro(MAX_PRICE) });
    if (found.quantity || found.price || "problem" in wh || "problem" in p) return setErrors(found);
    const c = client.data!;
    const market = c.addresses.energyMarket!;
    // The slot's collateral price is the grid price of its first order (0 in slotResult until one is placed).
    const [result, openMine, balance, allowance, account] = await Promise.all([
      c.publicClient.readContract({ address: market, abi: energyMarketAbi, functionName: "slotResult", args: [slot] }),
      c.publicClient.readContract({ address: market, abi: energyMarketAbi, functionName: "openOrdersOf", args: [me, slot] }),
      c.publicClient.readContract({ address: market, abi: energyMarketAbi, functionName: "balanceOf", args: [me] }),
      c.publicClient.readContract({ address: c.addresses.cityCoin, abi: cityCoinAbi, functionName: "allowance", args: [me, market] }),
      queryClient.fetchQuery({ queryKey: ["node", `/v1/accounts/${me}?limit=1`], queryFn: async () => (await import("../../../api/node")).nodeJson<AccountJson>(`/v1/accounts/${me}?limit=1`) }),
    ]);
    const grid = BigInt(result.gridPrice || params.gridPrice);
    const locked = lockedOf(side, wh.wh, p.units, grid);
    if (locked < BigInt(params.minOrderValue)) found.quantity = t("walletEnergy.valueTooSmall", { min: f.euro(BigInt(params.minOrderValue)), locked: f.euro(locked) });
    else if (Number(openMine) >= params.maxOrdersPerTrader) found.quantity = t("walletEnergy.tooManyOrders", { max: params.maxOrdersPerTrader });
    const fromWallet = locked > balance ? locked - balance : 0n;
    if (!found.quantity && fromWallet > BigInt(account.balance)) found.price = t("walletEnergy.overBalance", { locked: f.euro(locked), balance: f.euro(BigInt(account.balance) + balance) });
    setErrors(found);
    if (found.quantity || found.price) return;
    if (now >= slot * SLOT_SECONDS - params.gateClosure) return setErrors({ send: t("walletEnergy.gateClosed") });
    setReview({ side, meter: meters[0]!, wh: wh.wh, price: p.units, locked, fromWallet: fromWallet > allowance ? fromWallet : 0n });
  };

  const send = async (r: Review) => {
    setSending(true);
    try {
      const c = client.data!;
      // The market pulls what the market balance lacks from the wallet: allow exactly that first (relayed too).
      if (r.fromWallet > 0n) await c.currency.approve({ spender: c.addresses.energyMarket!, amount: r.fromWallet, gasless: true, wait: true });
      const order = { slot, meter: r.meter, wh: r.wh, gasless: true, wait: true } as const;
      if (r.side === "ask") await c.energy.ask({ ...order, minPrice: Number(r.price) });
      else await c.energy.bid({ ...order, maxPrice: Number(r.price) });
      setPlaced(() => (tr: Translate, fo: Format) => tr(r.side === "ask" ? "walletEnergy.askPlaced" : "walletEnergy.bidPlaced", { kwh: fo.number(kwh(r.wh.toString()), { maximumFractionDigits: 3 }), locked: fo.euro(r.locked) }));
      setQuantity("");
      setPrice("");
      setErrors({});
      await queryClient.invalidateQueries({ queryKey: ["node"] });
    } catch (e) {
      setErrors({ send: writeErrorMessage(e, t, f) });
    } finally {
      setSending(false);
      setReview(undefined);
    }
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("walletEnergy.placeTitle", { start: f.dateTime(slot * SLOT_SECONDS) })}</h2>
      {placed && (
        <p className="proven" role="status">
          ✓ {placed(t, f)}
        </p>
      )}
      {errors.send && (
        <p className="notice notice-error" role="alert">
          {t("walletEnergy.refused")} {errors.send}
        </p>
      )}
      {review ? (
        <div className="review" data-testid="order-review">
          <p className="confirm-text">
            {t(review.side === "ask" ? "walletEnergy.reviewAsk" : "walletEnergy.reviewBid", {
              kwh: f.number(kwh(review.wh.toString()), { maximumFractionDigits: 3 }),
              price: f.euro(review.price),
              locked: f.euro(review.locked),
            })}
          </p>
          <p className="muted small">{t(review.side === "ask" ? "walletEnergy.collateralExplained" : "walletEnergy.escrowExplained")}</p>
          {sending ? (
            <Loading label={t("walletEnergy.sending")} />
          ) : (
            <div className="actions">
              <button type="button" className="button" onClick={() => void send(review)}>
                {t("walletEnergy.confirm")}
              </button>
              <button type="button" className="button button-secondary" onClick={() => setReview(undefined)}>
                {t("walletEnergy.edit")}
              </button>
            </div>
          )}
        </div>
      ) : (
        <form onSubmit={(e) => void check(e)} noValidate>
          {asks.length > 0 && bids.length > 0 && (
            <fieldset className="rating">
              <legend>{t("walletEnergy.side")}</legend>
              {(["bid", "ask"] as const).map((s) => (
                <span key={s} className="rating-choice">
                  <input type="radio" id={`${id}-${s}`} name={`${id}-side`} checked={side === s} onChange={() => setSide(s)} />
                  <label htmlFor={`${id}-${s}`}>{t(s === "ask" ? "walletEnergy.sell" : "walletEnergy.buy")}</label>
                </span>
              ))}
            </fieldset>
          )}
          <label htmlFor={`${id}-quantity`}>{t(side === "ask" ? "walletEnergy.quantitySell" : "walletEnergy.quantityBuy")}</label>
          <input id={`${id}-quantity`} inputMode="decimal" value={quantity} onChange={(e) => setQuantity(e.target.value)} aria-invalid={errors.quantity ? true : undefined} aria-describedby={errors.quantity ? `${id}-quantity-error` : undefined} />
          <FieldError id={`${id}-quantity-error`} message={errors.quantity} />
          <label htmlFor={`${id}-price`}>{t(side === "ask" ? "walletEnergy.priceSell" : "walletEnergy.priceBuy")}</label>
          <input id={`${id}-price`} inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} aria-invalid={errors.price ? true : undefined} aria-describedby={errors.price ? `${id}-price-error` : undefined} />
          <FieldError id={`${id}-price-error`} message={errors.price} />
          <button type="submit" className="button" disabled={!client.data}>
            {t("walletEnergy.review")}
          </button>
        </form>
      )}
    </section>
  );
}

function MyOrders({ me, params }: { me: Address; params: MarketParams }) {
  const t = useT();
  const f = useFormat();
  const { now } = useChainTime();
  const client = useSignedClient();
  const queryClient = useQueryClient();
  const mine = useNodeQuery<EnergyMemberJson>(`/v1/energy/members/${me}`, { retry: false, throwOnError: false });
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<Say>();
  const [busy, setBusy] = useState(false);
  // The node's 404 means "never traded": an empty record, not an error.
  const neverTraded = mine.error instanceof NodeProblemError && mine.error.status === 404;
  const data: EnergyMemberJson | undefined = neverTraded ? { balance: "0", orders: [] } : mine.data;
  if (!data) return <QueryState query={mine}>{() => null}</QueryState>;

  const run = async (action: () => Promise<unknown>, success: Say) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      await action();
      setDone(() => success);
      await queryClient.invalidateQueries({ queryKey: ["node"] });
    } catch (e) {
      setError(writeErrorMessage(e, t, f));
    } finally {
      setBusy(false);
    }
  };
  const cancel = (o: OrderJson) => {
    if (now >= o.slot * SLOT_SECONDS - params.gateClosure) return setError(t("walletEnergy.cancelGateClosed"));
    void run(() => client.data!.energy.cancel({ orderId: BigInt(o.id), gasless: true, wait: true }), (tr, fo) => tr("walletEnergy.cancelled", { amount: fo.euro(o.locked) }));
  };
  const open = data.orders.filter((o) => o.status === "open");
  const settled = data.orders.filter((o) => o.status === "settled");
  return (
    <>
      <section className="card" aria-labelledby="energy-mine">
        <h2 id="energy-mine">{t("walletEnergy.myOrders")}</h2>
        <p data-testid="market-balance">{t("walletEnergy.marketBalance", { amount: f.euro(data.balance) })}</p>
        {BigInt(data.balance) > 0n && (
          <button type="button" className="button button-secondary" disabled={busy} onClick={() => void run(() => client.data!.energy.claimRefund({ gasless: true, wait: true }), (tr, fo) => tr("walletEnergy.withdrawn", { amount: fo.euro(data.balance) }))}>
            {t("walletEnergy.withdraw")}
          </button>
        )}
        {done && (
          <p className="proven" role="status">
            ✓ {done(t, f)}
          </p>
        )}
        <FieldError message={error} />
        {open.length === 0 ? (
          <p className="muted">{t("walletEnergy.noOpenOrders")}</p>
        ) : (
          <ul className="spots">
            {open.map((o) => (
              <li key={o.id} className="spot" data-order={o.id}>
                <p>
                  {t(o.side === "ask" ? "walletEnergy.orderAsk" : "walletEnergy.orderBid", {
                    kwh: f.number(kwh(o.wh), { maximumFractionDigits: 3 }),
                    price: f.euro(o.price),
                    start: f.dateTime(o.slot * SLOT_SECONDS),
                  })}
                </p>
                <p className="muted small">{t(o.side === "ask" ? "walletEnergy.collateralHeld" : "walletEnergy.escrowHeld", { amount: f.euro(o.locked) })}</p>
                <button type="button" className="button button-secondary" disabled={busy} onClick={() => cancel(o)}>
                  {t("walletEnergy.cancel")}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="energy-settled">
        <h2 id="energy-settled">{t("walletEnergy.settledTitle")}</h2>
        {settled.length === 0 ? (
          <p className="muted">{t("walletEnergy.noSettled")}</p>
        ) : (
          <ul className="moves">
            {settled.map((o) => (
              <li key={o.id} className="move" data-settled={o.id}>
                <span className="move-kind">
                  {t(o.side === "ask" ? "walletEnergy.settledAsk" : "walletEnergy.settledBid", { start: f.dateTime(o.slot * SLOT_SECONDS) })}
                </span>
                <span className={`move-amount ${o.side === "ask" ? "in" : "out"}`}>
                  {o.side === "ask" ? "+" : "−"}
                  {f.euro((o.side === "ask" ? o.revenue : o.cost) ?? "0")}
                </span>
                <span className="move-detail muted small">
                  {t(o.side === "ask" ? "walletEnergy.settledDetailAsk" : "walletEnergy.settledDetailBid", {
                    filled: f.number(kwh(o.filledWh ?? "0"), { maximumFractionDigits: 3 }),
                    delivered: f.number(kwh(o.deliveredWh ?? "0"), { maximumFractionDigits: 3 }),
                    imbalance: f.euro((o.side === "ask" ? o.imbalance : o.compensation) ?? "0"),
                  })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
