import { useMemo } from "react";
import * as Plot from "@observablehq/plot";
import { Link, useParams } from "wouter";
import { useNodeQuery } from "../../api";
import { Figure } from "../../charts/Figure";
import { useFormat, useT } from "../../i18n";
import { Hash } from "../../ui/Hash";
import { PageTitle } from "../../ui/PageTitle";
import { ScrollTable } from "../../ui/ScrollTable";
import { QueryState } from "../../ui/States";
import { districtName } from "../governance/labels";
import { SLOT_SECONDS, STATE_BADGES, STATE_KEYS, kwh, slotState } from "./slot";
import type { OrderJson, SlotJson } from "./types";

export default function SlotPage() {
  const t = useT();
  const { slot } = useParams<{ slot: string }>();
  const query = useNodeQuery<SlotJson>(`/v1/energy/slots/${encodeURIComponent(slot)}`);
  return (
    <>
      <p>
        <Link href="/energy">← {t("energy.back")}</Link>
      </p>
      <QueryState query={query}>{(s) => <Slot slot={s} />}</QueryState>
    </>
  );
}

function Slot({ slot: s }: { slot: SlotJson }) {
  const t = useT();
  const f = useFormat();
  const state = slotState(s);
  const title = t("energy.slotTitle", { start: f.dateTime(s.start) });
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <p>
        <span className={STATE_BADGES[state]}>{t(STATE_KEYS[state])}</span> {s.peak && <span className="badge badge-warn">{t("energy.peak")}</span>}
      </p>
      <p>{t("energy.slotExplain", { start: f.dateTime(s.start), end: f.dateTime(s.start + SLOT_SECONDS) })}</p>
      <ul className="stats">
        <li className="stat">
          <span className="stat-value">{s.cleared ? t("energy.perKwh", { amount: f.euro(s.price) }) : "—"}</span>
          <span className="stat-label">{t("energy.clearingPrice")}</span>
        </li>
        <li className="stat">
          <span className="stat-value">{s.cleared ? t("energy.kwhValue", { kwh: f.number(kwh(s.volume)) }) : "—"}</span>
          <span className="stat-label">{t("energy.volume")}</span>
        </li>
        <li className="stat">
          <span className="stat-value">{s.settled ? t("energy.kwhValue", { kwh: f.number(kwh(s.deliveredWh)) }) : "—"}</span>
          <span className="stat-label">{t("energy.delivered")}</span>
        </li>
        <li className="stat">
          <span className="stat-value">{s.settled ? f.euro(s.payments) : "—"}</span>
          <span className="stat-label">{t("energy.payments")}</span>
        </li>
      </ul>
      <Book slot={s} />
      {s.readings.length > 0 && <Readings slot={s} />}
    </>
  );
}

/** Cumulative quantity against price, as steps: the supply (asks, cheapest first) and the demand (bids, dearest first). */
function curve(orders: OrderJson[], side: "ask" | "bid", label: string) {
  const sorted = orders.filter((o) => o.side === side).sort((a, b) => (side === "ask" ? 1 : -1) * (Number(a.price) - Number(b.price)));
  const points: { kwh: number; price: number; curve: string }[] = [];
  let total = 0;
  for (const o of sorted) {
    const price = Number(o.price) / 1e6;
    points.push({ kwh: total, price, curve: label });
    total += kwh(o.wh);
    points.push({ kwh: total, price, curve: label });
  }
  return points;
}

function Book({ slot: s }: { slot: SlotJson }) {
  const t = useT();
  const f = useFormat();
  // Cancelled and evicted orders left the book: the curves are what the auction saw.
  const book = useMemo(() => s.orders.filter((o) => o.status !== "cancelled" && o.status !== "evicted"), [s]);
  const supply = t("energy.supply");
  const demand = t("energy.demand");
  const options = useMemo(() => {
    const points = [...curve(book, "ask", supply), ...curve(book, "bid", demand)];
    return {
      marginLeft: 56,
      height: 260,
      x: { label: t("energy.kwhAxis"), grid: true },
      y: { label: t("energy.priceAxis"), grid: true, zero: true },
      color: { legend: true, domain: [supply, demand], range: ["#15803d", "#c2410c"] },
      marks: [
        Plot.line(points, { x: "kwh", y: "price", stroke: "curve", strokeWidth: 2 }),
        ...(s.cleared ? [Plot.ruleY([Number(s.price) / 1e6], { stroke: "currentColor", strokeDasharray: "4,3" })] : []),
        Plot.ruleY([0]),
      ],
    };
  }, [book, s, supply, demand, t]);
  const sides = { ask: t("energy.ask"), bid: t("energy.bid") };
  return (
    <section aria-labelledby="slot-book">
      <h2 id="slot-book">{t("energy.bookHeading")}</h2>
      <p>{t(s.cleared ? "energy.bookCleared" : "energy.bookOpen")}</p>
      <Figure
        title={t("energy.bookFigure")}
        desc={t(s.cleared ? "energy.bookFigureDescCleared" : "energy.bookFigureDesc", { price: s.cleared ? t("energy.perKwh", { amount: f.euro(s.price) }) : "" })}
        options={options}
        table={{
          columns: [
            { key: "side", label: t("energy.side") },
            { key: "price", label: t("energy.limitPrice"), numeric: true },
            { key: "kwh", label: t("energy.quantity"), numeric: true },
          ],
          rows: book.map((o) => ({ side: sides[o.side], price: f.euro(o.price), kwh: f.number(kwh(o.wh)) })),
        }}
      />
      <ScrollTable label={t("energy.ordersTable")}>
          <thead>
            <tr>
              <th scope="col">{t("energy.side")}</th>
              <th scope="col" className="num">
                {t("energy.limitPrice")}
              </th>
              <th scope="col" className="num">
                {t("energy.quantity")}
              </th>
              <th scope="col" className="num">
                {t("energy.filled")}
              </th>
              <th scope="col" className="num">
                {t("energy.delivered")}
              </th>
              <th scope="col" className="num">
                {t("energy.settledAmount")}
              </th>
              <th scope="col">{t("energy.state")}</th>
              <th scope="col">{t("energy.trader")}</th>
            </tr>
          </thead>
          <tbody>
            {s.orders.map((o) => (
              <tr key={o.id}>
                <td>{sides[o.side]}</td>
                <td className="num">{f.euro(o.price)}</td>
                <td className="num">{f.number(kwh(o.wh))}</td>
                <td className="num">{o.filledWh !== undefined ? f.number(kwh(o.filledWh)) : "—"}</td>
                <td className="num">{o.deliveredWh !== undefined ? f.number(kwh(o.deliveredWh)) : "—"}</td>
                <td className="num">{o.side === "ask" ? (o.revenue !== undefined ? f.euro(o.revenue) : "—") : o.cost !== undefined ? f.euro(o.cost) : "—"}</td>
                <td>{t(`energy.order_${o.status}`)}</td>
                <td>
                  <Hash value={o.trader} label={t("energy.trader")} />
                </td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      <p className="muted small">{t("energy.ordersNote")}</p>
    </section>
  );
}

function Readings({ slot: s }: { slot: SlotJson }) {
  const t = useT();
  const f = useFormat();
  return (
    <section aria-labelledby="slot-readings">
      <h2 id="slot-readings">{t("energy.readingsHeading")}</h2>
      <p>{t("energy.readingsExplain")}</p>
      <ScrollTable label={t("energy.readingsHeading")}>
          <thead>
            <tr>
              <th scope="col">{t("energy.meter")}</th>
              <th scope="col">{t("energy.district")}</th>
              <th scope="col" className="num">
                {t("energy.produced")}
              </th>
              <th scope="col" className="num">
                {t("energy.consumed")}
              </th>
            </tr>
          </thead>
          <tbody>
            {s.readings.map((r) => (
              <tr key={r.meter}>
                <td>
                  <Hash value={r.meter} label={t("energy.meter")} />
                </td>
                <td>{districtName(t, r.district)}</td>
                <td className="num">{f.number(kwh(r.producedWh))}</td>
                <td className="num">{f.number(kwh(r.consumedWh))}</td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
    </section>
  );
}
