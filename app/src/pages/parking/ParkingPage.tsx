import { useMemo, useState } from "react";
import * as Plot from "@observablehq/plot";
import { Link } from "wouter";
import { useNodeQuery } from "../../api";
import { Figure } from "../../charts/Figure";
import { useFormat, useT } from "../../i18n";
import { useChainTime } from "../../ui/chainTime";
import { Hash } from "../../ui/Hash";
import { PageTitle } from "../../ui/PageTitle";
import { ScrollTable } from "../../ui/ScrollTable";
import { QueryState } from "../../ui/States";
import { districtName } from "../governance/labels";
import type { Page, SpotJson, StatsJson } from "./types";

const HOUR = 3600;
const DAY = 24 * HOUR;

/** A window of whole hours around the chain's now (the node takes only whole hours): the past and the coming week. */
export function weekAround(now: number): { from: number; to: number } {
  const hour = Math.floor(now / HOUR) * HOUR;
  return { from: hour - 7 * DAY, to: hour + 7 * DAY };
}

export default function ParkingPage() {
  const t = useT();
  const [district, setDistrict] = useState("");
  // Spots are few per city (residents' own spaces): one page holds them, filtered here by district.
  const spots = useNodeQuery<Page<SpotJson>>("/v1/parking/spots?limit=1000");
  return (
    <>
      <PageTitle title={t("parking.title")}>{t("parking.title")}</PageTitle>
      <p className="lead">{t("parking.lead")}</p>
      <Stats />
      <section aria-labelledby="parking-spots">
        <h2 id="parking-spots">{t("parking.spotsHeading")}</h2>
        <QueryState query={spots}>
          {(page) => {
            const districts = [...new Set(page.items.map((s) => s.district))].sort((a, b) => a - b);
            const shown = district === "" ? page.items : page.items.filter((s) => String(s.district) === district);
            return (
              <>
                <div className="form-row">
                  <div className="field">
                    <label htmlFor="parking-district">{t("parking.districtFilter")}</label>
                    <select id="parking-district" value={district} onChange={(e) => setDistrict(e.target.value)}>
                      <option value="">{t("parking.allDistricts")}</option>
                      {districts.map((d) => (
                        <option key={d} value={d}>
                          {districtName(t, d)}
                        </option>
                      ))}
                    </select>
                  </div>
                </div>
                <SpotList spots={shown} />
              </>
            );
          }}
        </QueryState>
      </section>
    </>
  );
}

function Stats() {
  const t = useT();
  const f = useFormat();
  const { now } = useChainTime();
  // The window moves with the hour, not with every tick of the clock (one query per hour, not per render).
  const window = weekAround(Math.floor(now / HOUR) * HOUR);
  const stats = useNodeQuery<StatsJson>(`/v1/parking/stats?from=${window.from}&to=${window.to}`);
  return (
    <section aria-labelledby="parking-stats">
      <h2 id="parking-stats">{t("parking.statsHeading")}</h2>
      <QueryState query={stats}>
        {(s) => (
          <>
            <ul className="stats">
              <li className="stat">
                <span className="stat-value">{f.number(s.total.spots)}</span>
                <span className="stat-label">{t("parking.spotsLabel")}</span>
              </li>
              <li className="stat">
                <span className="stat-value">{f.number(s.total.bookings)}</span>
                <span className="stat-label">{t("parking.bookingsLabel")}</span>
              </li>
              <li className="stat">
                <span className="stat-value">{f.percent((s.total.window?.occupancyBps ?? 0) / 10_000, 1)}</span>
                <span className="stat-label">{t("parking.occupancyLabel")}</span>
              </li>
              <li className="stat">
                <span className="stat-value">{f.euro(s.total.revenue)}</span>
                <span className="stat-label">{t("parking.revenueLabel")}</span>
              </li>
            </ul>
            <DistrictFigure stats={s} />
          </>
        )}
      </QueryState>
    </section>
  );
}

function DistrictFigure({ stats }: { stats: StatsJson }) {
  const t = useT();
  const f = useFormat();
  const rows = useMemo(
    () =>
      stats.districts.map((d) => ({
        name: districtName(t, d.district ?? 0),
        occupancy: (d.window?.occupancyBps ?? 0) / 10_000,
        turnover: d.turnoverBps / 10_000,
        d,
      })),
    [stats, t],
  );
  const axis = t("parking.occupancyAxis");
  const options = useMemo(
    () => ({
      marginLeft: 96,
      marginRight: 56,
      height: 40 + rows.length * 36,
      x: { label: axis, percent: true, grid: true, nice: true },
      y: { label: null, domain: rows.map((r) => r.name) },
      marks: [
        Plot.barX(rows, { x: "occupancy", y: "name", fill: "#0b5cad" }),
        Plot.text(rows, { x: "occupancy", y: "name", text: (r: { occupancy: number }) => f.percent(r.occupancy, 1), dx: 6, textAnchor: "start", fill: "currentColor" }),
        Plot.ruleX([0]),
      ],
    }),
    [rows, axis, f],
  );
  return (
    <Figure
      title={t("parking.occupancyFigure")}
      desc={t("parking.occupancyFigureDesc", { from: f.date(stats.window?.from ?? 0), to: f.date(stats.window?.to ?? 0) })}
      options={options}
      table={{
        columns: [
          { key: "name", label: t("parking.district") },
          { key: "spots", label: t("parking.spotsLabel"), numeric: true },
          { key: "bookings", label: t("parking.bookingsLabel"), numeric: true },
          { key: "hours", label: t("parking.bookedHours"), numeric: true },
          { key: "occupancy", label: t("parking.occupancyLabel"), numeric: true },
          { key: "turnover", label: t("parking.turnover"), numeric: true },
        ],
        rows: rows.map((r) => ({
          name: r.name,
          spots: f.number(r.d.spots),
          bookings: f.number(r.d.bookings),
          hours: f.number(r.d.bookedHours),
          occupancy: f.percent(r.occupancy, 1),
          turnover: f.number(r.turnover, { maximumFractionDigits: 2 }),
        })),
      }}
    />
  );
}

const STATUS_BADGES: Record<SpotJson["status"], string> = { listed: "badge badge-ok", paused: "badge badge-warn", delisted: "badge" };

function SpotList({ spots }: { spots: SpotJson[] }) {
  const t = useT();
  const f = useFormat();
  if (spots.length === 0) return <p className="muted">{t("parking.noSpots")}</p>;
  return (
    <ScrollTable label={t("parking.spotsHeading")}>
        <thead>
          <tr>
            <th scope="col">{t("parking.spot")}</th>
            <th scope="col">{t("parking.district")}</th>
            <th scope="col" className="num">
              {t("parking.rate")}
            </th>
            <th scope="col" className="num">
              {t("parking.bookingsLabel")}
            </th>
            <th scope="col">{t("parking.status")}</th>
            <th scope="col">{t("parking.owner")}</th>
          </tr>
        </thead>
        <tbody>
          {spots.map((s) => (
            <tr key={s.id}>
              <th scope="row">
                <Link href={`/parking/${s.id}`}>{t("parking.spotName", { id: s.id })}</Link>
              </th>
              <td>{districtName(t, s.district)}</td>
              <td className="num">{t("parking.perHour", { amount: f.euro(s.hourlyRate) })}</td>
              <td className="num">{f.number(s.bookings)}</td>
              <td>
                <span className={STATUS_BADGES[s.status]}>{t(`parking.status_${s.status}`)}</span>
              </td>
              <td>
                <Hash value={s.owner} label={t("parking.owner")} />
              </td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
  );
}
