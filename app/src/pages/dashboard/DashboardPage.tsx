import { useMemo, type ReactNode } from "react";
import * as Plot from "@observablehq/plot";
import { Link } from "wouter";
import { useLogIndex } from "../../api/logIndex";
import { useNodeQuery } from "../../api/query";
import { Figure } from "../../charts/Figure";
import { useFormat, useT, type MessageKey } from "../../i18n";
import { PageTitle } from "../../ui/PageTitle";
import { useChainTime } from "../../ui/chainTime";
import { QueryState } from "../../ui/States";
import { euros, membersOf, moneyOf, type MembersFigure, type MoneyFigure } from "./figures";

interface Page<T> {
  items: T[];
}
interface ProgramJson {
  id: string;
  periods: { period: number; amount: string; claimed: number }[];
}
interface DistrictStats {
  district: number;
  spots: number;
  bookings: number;
  bookedHours: number;
  turnoverBps: number;
  window?: { occupancyBps: number };
}
interface SlotJson {
  slot: number;
  start: number;
  cleared: boolean;
  price: string;
  volume: string;
}
interface BallotJson {
  id: string;
  kind: string;
  closesAt: number;
  final: unknown;
}
interface RoundJson {
  id: string;
  result: unknown;
  projects: unknown[];
}
interface CharterJson {
  version: number;
  colleges: { college: number; weightBps: number; quorumBps: number }[];
}

const HOUR = 3600;
const WEEK = 7 * 24 * HOUR;

export default function DashboardPage() {
  const t = useT();
  const index = useLogIndex();
  return (
    <>
      <PageTitle title={t("dashboard.title")}>{t("dashboard.title")}</PageTitle>
      <p className="lead">{t("dashboard.lead")}</p>
      <QueryState query={index}>
        {(entries) => {
          const members = membersOf(entries);
          const money = moneyOf(entries);
          return (
            <>
              <Stats
                items={[
                  ["entries", entries.length.toString(), "dashboard.statEntries"],
                  ["members", members.total.toString(), "dashboard.statMembers"],
                  ["supply", money.supply, "dashboard.statSupply"],
                  ["payments", money.payments.toString(), "dashboard.statPayments"],
                  ["payments-volume", money.paymentsVolume, "dashboard.statPaymentsVolume"],
                ]}
              />
              <OpenNow />
              <div className="grid">
                <MembersChart members={members} />
                <MoneyChart money={money} />
                <IncomeChart />
                <ParkingChart />
                <EnergyCharts />
                <CharterChart colleges={members.colleges} />
              </div>
            </>
          );
        }}
      </QueryState>
    </>
  );
}

/** Headline numbers; a bigint is an amount of base units, shown in euros. */
function Stats({ items }: { items: [string, string | bigint, MessageKey][] }) {
  const t = useT();
  const format = useFormat();
  return (
    <ul className="stats">
      {items.map(([id, value, label]) => (
        <li key={id} className="stat" data-stat={id}>
          <span className="stat-value">{typeof value === "bigint" ? format.euro(value) : format.number(Number(value))}</span>
          <span className="stat-label">{t(label)}</span>
        </li>
      ))}
    </ul>
  );
}

/** A college's name in the reader's language when it is one of the charter's usual four, else as the chain has it. */
function useCollegeName(colleges: Map<number, string>) {
  const t = useT();
  return (college: number) => {
    const name = colleges.get(college);
    const known = `dashboard.college_${name}` as MessageKey;
    return name && ["PUBLIC", "CITIZENS", "PRIVATE_PARTNERS", "ASSOCIATIONS"].includes(name) ? t(known) : name ?? t("dashboard.collegeNumber", { n: college });
  };
}

function MembersChart({ members }: { members: MembersFigure }) {
  const t = useT();
  const format = useFormat();
  const collegeName = useCollegeName(members.colleges);
  const options = useMemo(() => {
    const rows = members.counts.map((c) => ({ district: t("dashboard.districtShort", { n: c.district }), college: collegeName(c.college), members: c.members }));
    return {
      x: { label: null },
      y: { label: t("dashboard.members"), grid: true },
      color: { legend: true, scheme: "tableau10" as const },
      marks: [Plot.barY(rows, { x: "district", y: "members", fill: "college", tip: true }), Plot.ruleY([0])],
    };
  }, [members, t, collegeName]);
  return (
    <Figure
      title={t("dashboard.membersTitle")}
      desc={t("dashboard.membersDesc")}
      options={options}
      table={{
        columns: [
          { key: "district", label: t("dashboard.districtLabel") },
          { key: "college", label: t("dashboard.college") },
          { key: "members", label: t("dashboard.members"), numeric: true },
        ],
        rows: members.counts.map((c) => ({
          district: t("dashboard.district", { n: c.district }),
          college: collegeName(c.college),
          members: format.number(c.members),
        })),
      }}
    />
  );
}

function MoneyChart({ money }: { money: MoneyFigure }) {
  const t = useT();
  const format = useFormat();
  const options = useMemo(() => {
    const supply = t("dashboard.supply");
    const reserve = t("dashboard.reserve");
    const series = money.points.flatMap((p) => [
      { block: p.block, series: supply, euros: euros(p.supply) },
      ...(p.reserve === undefined ? [] : [{ block: p.block, series: reserve, euros: euros(p.reserve) }]),
    ]);
    return {
      x: { label: t("dashboard.block") },
      y: { label: t("dashboard.amount"), grid: true, tickFormat: (v: number) => format.number(v) },
      color: { legend: true, domain: [supply, reserve], range: ["#0b5cad", "#146c2e"] },
      marks: [Plot.lineY(series, { x: "block", y: "euros", stroke: "series", curve: "step-after", strokeWidth: 2, tip: true }), Plot.ruleY([0])],
    };
  }, [money, t, format]);
  // The table lists the changes, newest first, at most the last 50 (the chart shows them all).
  const rows = money.points
    .slice(-50)
    .reverse()
    .map((p) => ({
      block: format.number(p.block),
      supply: format.euro(p.supply),
      reserve: p.reserve === undefined ? t("dashboard.notAttested") : format.euro(p.reserve),
    }));
  return (
    <Figure
      title={t("dashboard.moneyTitle")}
      desc={t("dashboard.moneyDesc")}
      options={options}
      table={{
        columns: [
          { key: "block", label: t("dashboard.block"), numeric: true },
          { key: "supply", label: t("dashboard.supply"), numeric: true },
          { key: "reserve", label: t("dashboard.reserve"), numeric: true },
        ],
        rows,
      }}
    />
  );
}

/** Renders `children` with the node query's data, inside a figure-sized card while loading or failing. */
function Card<T>({ path, children }: { path: string; children: (data: T) => ReactNode }) {
  const query = useNodeQuery<T>(path);
  return query.data !== undefined ? <>{children(query.data)}</> : <div className="card"><QueryState query={query}>{() => null}</QueryState></div>;
}

function IncomeChart() {
  const t = useT();
  const format = useFormat();
  return (
    <Card<Page<ProgramJson>> path="/v1/income/programs">
      {(programs) => {
        const rows = programs.items.flatMap((p) =>
          p.periods.map((period) => ({
            label: t("dashboard.incomeProgramPeriod", { program: p.id, period: period.period + 1 }),
            program: p.id,
            period: period.period + 1,
            claims: period.claimed,
            paid: BigInt(period.amount) * BigInt(period.claimed),
          })),
        );
        return (
          <Figure
            title={t("dashboard.incomeTitle")}
            desc={t("dashboard.incomeDesc")}
            options={{
              x: { label: null },
              y: { label: t("dashboard.amount"), grid: true, tickFormat: (v: number) => format.number(v) },
              marks: [Plot.barY(rows, { x: "label", y: (r: { paid: bigint }) => euros(r.paid), fill: "#0b5cad", tip: true }), Plot.ruleY([0])],
            }}
            table={{
              columns: [
                { key: "program", label: t("dashboard.program") },
                { key: "period", label: t("dashboard.period"), numeric: true },
                { key: "claims", label: t("dashboard.claims"), numeric: true },
                { key: "paid", label: t("dashboard.paid"), numeric: true },
              ],
              rows: rows.map((r) => ({ program: r.program, period: format.number(r.period), claims: format.number(r.claims), paid: format.euro(r.paid) })),
            }}
          />
        );
      }}
    </Card>
  );
}

/**
 * Occupancy needs a window of whole hours: a week back to a week ahead (bookings are made ahead) of the chain's time
 * (its latest block, when the node publishes an RPC; a test or demo chain may run ahead of the wall clock).
 */
function useParkingWindow(): string {
  const hour = Math.floor(useChainTime().now / HOUR) * HOUR;
  return `from=${hour - WEEK}&to=${hour + WEEK}`;
}

function ParkingChart() {
  return <ParkingFigure path={`/v1/parking/stats?${useParkingWindow()}`} />;
}

function ParkingFigure({ path }: { path: string }) {
  const t = useT();
  const format = useFormat();
  return (
    <Card<{ districts: DistrictStats[] }> path={path}>
      {(stats) => {
        const rows = stats.districts.map((d) => ({
          district: t("dashboard.districtShort", { n: d.district }),
          occupancy: (d.window?.occupancyBps ?? 0) / 10_000,
        }));
        return (
          <Figure
            title={t("dashboard.parkingTitle")}
            desc={t("dashboard.parkingDesc")}
            options={{
              x: { label: null },
              y: { label: t("dashboard.occupancy"), grid: true, tickFormat: (v: number) => format.percent(v), domain: [0, Math.max(0.1, ...rows.map((r) => r.occupancy))] },
              marks: [Plot.barY(rows, { x: "district", y: "occupancy", fill: "#146c2e", tip: true }), Plot.ruleY([0])],
            }}
            table={{
              columns: [
                { key: "district", label: t("dashboard.districtLabel") },
                { key: "spots", label: t("dashboard.spots"), numeric: true },
                { key: "bookings", label: t("dashboard.bookings"), numeric: true },
                { key: "hours", label: t("dashboard.bookedHours"), numeric: true },
                { key: "occupancy", label: t("dashboard.occupancy"), numeric: true },
                { key: "turnover", label: t("dashboard.turnover"), numeric: true },
              ],
              rows: stats.districts.map((d) => ({
                district: t("dashboard.district", { n: d.district }),
                spots: format.number(d.spots),
                bookings: format.number(d.bookings),
                hours: format.number(d.bookedHours),
                occupancy: format.percent((d.window?.occupancyBps ?? 0) / 10_000, 1),
                turnover: format.number(d.turnoverBps / 10_000, { maximumFractionDigits: 2 }),
              })),
            }}
          />
        );
      }}
    </Card>
  );
}

function EnergyCharts() {
  const t = useT();
  const format = useFormat();
  return (
    <Card<Page<SlotJson>> path="/v1/energy/slots?limit=96">
      {(slots) => {
        // Price per kWh in base units → €/kWh; volume in Wh → kWh. Oldest first for the time axis.
        const rows = slots.items
          .filter((s) => s.cleared)
          .reverse()
          .map((s) => ({ start: new Date(s.start * 1000), price: euros(s.price), kwh: Number(s.volume) / 1000, slot: s }));
        const table = {
          columns: [
            { key: "start", label: t("dashboard.slotStart") },
            { key: "price", label: t("dashboard.price"), numeric: true },
            { key: "volume", label: t("dashboard.volume"), numeric: true },
          ],
          rows: rows.map((r) => ({
            start: format.dateTime(r.slot.start),
            price: format.euro(r.slot.price),
            volume: format.number(r.kwh, { maximumFractionDigits: 3 }),
          })),
        };
        return (
          <>
            <Figure
              title={t("dashboard.energyPriceTitle")}
              desc={t("dashboard.energyPriceDesc")}
              options={{
                x: { label: null, type: "time", tickFormat: (d: Date) => format.time(d.getTime() / 1000) },
                y: { label: t("dashboard.price"), grid: true },
                marks: [Plot.lineY(rows, { x: "start", y: "price", stroke: "#7a4b00" }), Plot.dot(rows, { x: "start", y: "price", fill: "#7a4b00", tip: true })],
              }}
              table={table}
            />
            <Figure
              title={t("dashboard.energyVolumeTitle")}
              desc={t("dashboard.energyVolumeDesc")}
              options={{
                x: { label: null, type: "band", tickFormat: (d: Date) => format.time(d.getTime() / 1000) },
                y: { label: t("dashboard.volume"), grid: true },
                marks: [Plot.barY(rows, { x: "start", y: "kwh", fill: "#0b5cad", tip: true }), Plot.ruleY([0])],
              }}
              table={table}
            />
          </>
        );
      }}
    </Card>
  );
}

function CharterChart({ colleges }: { colleges: Map<number, string> }) {
  const t = useT();
  const format = useFormat();
  const collegeName = useCollegeName(colleges);
  return (
    <Card<Page<CharterJson>> path="/v1/governance/charters">
      {(charters) => {
        const charter = charters.items.at(-1);
        if (!charter) {
          return (
            <section className="card">
              <h3>{t("dashboard.charterTitle")}</h3>
              <p>{t("dashboard.noCharter")}</p>
            </section>
          );
        }
        const rows = charter.colleges.map((c) => ({ college: collegeName(c.college), weight: c.weightBps / 10_000, quorum: c.quorumBps / 10_000 }));
        return (
          <Figure
            title={t("dashboard.charterTitle")}
            desc={t("dashboard.charterDesc", { version: charter.version })}
            options={{
              marginLeft: 120,
              x: { label: t("dashboard.weight"), grid: true, tickFormat: (v: number) => format.percent(v), domain: [0, 1] },
              y: { label: null },
              marks: [Plot.barX(rows, { y: "college", x: "weight", fill: "#0b5cad", tip: true }), Plot.ruleX([0])],
            }}
            table={{
              columns: [
                { key: "college", label: t("dashboard.college") },
                { key: "weight", label: t("dashboard.weight"), numeric: true },
                { key: "quorum", label: t("dashboard.quorum"), numeric: true },
              ],
              rows: rows.map((r) => ({ college: r.college, weight: format.percent(r.weight, 1), quorum: format.percent(r.quorum, 1) })),
            }}
          />
        );
      }}
    </Card>
  );
}

/** Ballots open for votes and budget rounds not yet tallied, linking to their pages. */
function OpenNow() {
  const t = useT();
  const format = useFormat();
  const ballots = useNodeQuery<Page<BallotJson>>("/v1/ballots?limit=100");
  const rounds = useNodeQuery<Page<RoundJson>>("/v1/budget/rounds?limit=100");
  const { now } = useChainTime();
  return (
    <section aria-labelledby="open-now" className="grid">
      <h2 id="open-now" className="visually-hidden">
        {t("dashboard.openTitle")}
      </h2>
      <div className="card">
        <h3>{t("dashboard.openBallots")}</h3>
        <QueryState query={ballots}>
          {(page) => {
            const open = page.items.filter((b) => b.final === null && b.closesAt > now);
            return open.length === 0 ? (
              <p>{t("dashboard.noneOpen")}</p>
            ) : (
              <ul>
                {open.map((b) => (
                  <li key={b.id}>
                    <Link href={`/votes/${b.id}`}>{t("dashboard.ballot", { id: b.id })}</Link> — {t("dashboard.ballotCloses", { date: format.dateTime(b.closesAt) })}
                  </li>
                ))}
              </ul>
            );
          }}
        </QueryState>
        <p>
          <Link href="/votes">{t("dashboard.seeAll")}</Link>
        </p>
      </div>
      <div className="card">
        <h3>{t("dashboard.openRounds")}</h3>
        <QueryState query={rounds}>
          {(page) => {
            const open = page.items.filter((r) => r.result === null);
            return open.length === 0 ? (
              <p>{t("dashboard.noneOpen")}</p>
            ) : (
              <ul>
                {open.map((r) => (
                  <li key={r.id}>
                    <Link href={`/budget/${r.id}`}>{t("dashboard.round", { id: r.id })}</Link> — {t("dashboard.roundProjects", { count: r.projects.length })}
                  </li>
                ))}
              </ul>
            );
          }}
        </QueryState>
        <p>
          <Link href="/budget">{t("dashboard.seeAll")}</Link>
        </p>
      </div>
    </section>
  );
}
