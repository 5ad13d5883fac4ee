import { useMemo } from "react";
import * as Plot from "@observablehq/plot";
import { Link } from "wouter";
import { useNodeQuery } from "../../api";
import { Figure } from "../../charts/Figure";
import { useFormat, useLocale, useT } from "../../i18n";
import { PageTitle } from "../../ui/PageTitle";
import { ScrollTable } from "../../ui/ScrollTable";
import { QueryState } from "../../ui/States";
import { districtName } from "../governance/labels";
import { STATE_BADGES, STATE_KEYS, kwh, slotState } from "./slot";
import type { DistrictJson, ListJson, Page, SlotJson } from "./types";

export default function EnergyPage() {
  const t = useT();
  const slots = useNodeQuery<Page<SlotJson>>("/v1/energy/slots?limit=96");
  const districts = useNodeQuery<ListJson<DistrictJson>>("/v1/energy/districts");
  const meters = useNodeQuery<Page<unknown>>("/v1/energy/meters?limit=1&status=active");
  return (
    <>
      <PageTitle title={t("energy.title")}>{t("energy.title")}</PageTitle>
      <p className="lead">{t("energy.lead")}</p>
      {meters.data && <p>{t("energy.meters", { count: meters.data.total })}</p>}
      <section aria-labelledby="energy-slots">
        <h2 id="energy-slots">{t("energy.slotsHeading")}</h2>
        <QueryState query={slots}>{(page) => <Slots slots={page.items} />}</QueryState>
      </section>
      <section aria-labelledby="energy-districts">
        <h2 id="energy-districts">{t("energy.districtsHeading")}</h2>
        <QueryState query={districts}>{(list) => <Districts districts={list.items} />}</QueryState>
      </section>
    </>
  );
}

function Slots({ slots }: { slots: SlotJson[] }) {
  const t = useT();
  const f = useFormat();
  if (slots.length === 0) return <p className="muted">{t("energy.noSlots")}</p>;
  return (
    <>
      <ClearingPriceFigure slots={slots} />
      <ScrollTable label={t("energy.slotsTable")}>
          <thead>
            <tr>
              <th scope="col">{t("energy.slotStart")}</th>
              <th scope="col">{t("energy.state")}</th>
              <th scope="col" className="num">
                {t("energy.orders")}
              </th>
              <th scope="col" className="num">
                {t("energy.price")}
              </th>
              <th scope="col" className="num">
                {t("energy.volume")}
              </th>
              <th scope="col" className="num">
                {t("energy.delivered")}
              </th>
            </tr>
          </thead>
          <tbody>
            {slots.map((s) => {
              const state = slotState(s);
              return (
                <tr key={s.slot}>
                  <th scope="row">
                    <Link href={`/energy/${s.slot}`}>{f.dateTime(s.start)}</Link>
                  </th>
                  <td>
                    <span className={STATE_BADGES[state]}>{t(STATE_KEYS[state])}</span>
                    {s.peak && <> <span className="badge badge-warn">{t("energy.peak")}</span></>}
                  </td>
                  <td className="num">{f.number(s.orders.length)}</td>
                  <td className="num">{s.cleared ? t("energy.perKwh", { amount: f.euro(s.price) }) : "—"}</td>
                  <td className="num">{s.cleared ? t("energy.kwhValue", { kwh: f.number(kwh(s.volume)) }) : "—"}</td>
                  <td className="num">{s.settled ? t("energy.kwhValue", { kwh: f.number(kwh(s.deliveredWh)) }) : "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </ScrollTable>
    </>
  );
}

/** Each district's energy: consumed locally, imported from the grid, exported to it. */
function Districts({ districts }: { districts: DistrictJson[] }) {
  const t = useT();
  const f = useFormat();
  const labels = useMemo(() => [t("energy.local"), t("energy.gridImport"), t("energy.gridExport")], [t]);
  const axis = t("energy.kwhAxis");
  const options = useMemo(() => {
    const rows = districts.flatMap((d) => {
      const name = districtName(t, d.district);
      return [
        { name, kind: labels[0]!, kwh: kwh(d.localWh) },
        { name, kind: labels[1]!, kwh: kwh(d.gridImportWh) },
        { name, kind: labels[2]!, kwh: kwh(d.gridExportWh) },
      ];
    });
    return {
      marginLeft: 96,
      height: 70 + districts.length * 34,
      x: { label: axis, grid: true },
      y: { label: null, domain: districts.map((d) => districtName(t, d.district)) },
      color: { legend: true, domain: labels, range: ["#15803d", "#c2410c", "#0b5cad"] },
      marks: [Plot.barX(rows, Plot.stackX({ x: "kwh", y: "name", fill: "kind", order: labels })), Plot.ruleX([0])],
    };
  }, [districts, labels, axis, t]);
  if (districts.length === 0) return <p className="muted">{t("energy.noReadings")}</p>;
  return (
    <Figure
      title={t("energy.balanceFigure")}
      desc={t("energy.balanceFigureDesc")}
      options={options}
      table={{
        columns: [
          { key: "name", label: t("energy.district") },
          { key: "produced", label: t("energy.produced"), numeric: true },
          { key: "consumed", label: t("energy.consumed"), numeric: true },
          { key: "local", label: labels[0]!, numeric: true },
          { key: "import", label: labels[1]!, numeric: true },
          { key: "export", label: labels[2]!, numeric: true },
          { key: "self", label: t("energy.selfShare"), numeric: true },
        ],
        rows: districts.map((d) => ({
          name: districtName(t, d.district),
          produced: f.number(kwh(d.producedWh)),
          consumed: f.number(kwh(d.consumedWh)),
          local: f.number(kwh(d.localWh)),
          import: f.number(kwh(d.gridImportWh)),
          export: f.number(kwh(d.gridExportWh)),
          self: Number(d.consumedWh) > 0 ? f.percent(Number(d.localWh) / Number(d.consumedWh)) : "—",
        })),
      }}
    />
  );
}

/** The uniform clearing price of each cleared slot among `slots`, over time (the explorer's and the wallet's chart). */
export function ClearingPriceFigure({ slots }: { slots: SlotJson[] }) {
  const t = useT();
  const f = useFormat();
  const cleared = useMemo(() => slots.filter((s) => s.cleared).sort((a, b) => a.slot - b.slot), [slots]);
  const priceAxis = t("energy.priceAxis");
  const { locale } = useLocale();
  const options = useMemo(() => {
    const time = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" });
    const rows = cleared.map((s) => ({ time: new Date(s.start * 1000), price: Number(s.price) / 1e6, volume: kwh(s.volume) }));
    return {
      marginLeft: 56,
      marginRight: 24,
      height: 240,
      // A time axis with a few ticks (a phone has room for four labels), each the slot's local time of day.
      x: { label: null, type: "time" as const, ticks: 4, tickFormat: (d: Date) => time.format(d), inset: 24 },
      y: { label: priceAxis, grid: true, zero: true },
      marks: [
        Plot.ruleY([0]),
        Plot.lineY(rows, { x: "time", y: "price", stroke: "#0b5cad" }),
        Plot.dot(rows, { x: "time", y: "price", fill: "#0b5cad", r: 4 }),
        Plot.text(rows, { x: "time", y: "price", text: (r: { price: number }) => f.number(r.price, { style: "currency", currency: "EUR", maximumFractionDigits: 3 }), dy: -12, fill: "currentColor" }),
      ],
    };
  }, [cleared, priceAxis, f, locale]);
  return (
    <Figure
      title={t("energy.priceFigure")}
      desc={t("energy.priceFigureDesc")}
      options={options}
      table={{
        columns: [
          { key: "start", label: t("energy.slotStart") },
          { key: "price", label: t("energy.price"), numeric: true },
          { key: "volume", label: t("energy.volume"), numeric: true },
        ],
        rows: cleared.map((s) => ({ start: f.dateTime(s.start), price: t("energy.perKwh", { amount: f.euro(s.price) }), volume: t("energy.kwhValue", { kwh: f.number(kwh(s.volume)) }) })),
      }}
    />
  );
}
