import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import * as Plot from "@observablehq/plot";
import { verifyBulletin, type BulletinTable, type DataUseBulletin } from "@cityledger/sdk/datause";
import { useCity } from "../../api/city";
import { nodeText } from "../../api/node";
import { useNodeQuery } from "../../api/query";
import { Figure } from "../../charts/Figure";
import { useFormat, useT, type MessageKey } from "../../i18n";
import { Hash } from "../../ui/Hash";
import { PageTitle } from "../../ui/PageTitle";
import { ScrollTable } from "../../ui/ScrollTable";
import { QueryState } from "../../ui/States";

interface BatchJson {
  processorId: string;
  period: number;
}

interface BulletinAnswer {
  bulletin: DataUseBulletin;
  note: string;
}

/** 202611 → "2026-11", the bulletin route's form. */
const periodText = (period: number) => `${Math.floor(period / 100)}-${String(period % 100).padStart(2, "0")}`;

export default function DataUsePage() {
  const t = useT();
  const batches = useNodeQuery<{ items: BatchJson[] }>("/v1/datause/batches?limit=1000");
  return (
    <>
      <PageTitle title={t("datause.title")}>{t("datause.title")}</PageTitle>
      <p className="lead">{t("datause.lead")}</p>
      <section className="card" aria-labelledby="never-title">
        <h2 id="never-title">{t("datause.neverTitle")}</h2>
        <p>{t("datause.never")}</p>
      </section>
      <QueryState query={batches}>
        {(page) => {
          const periods = [...new Set(page.items.map((b) => b.period))].sort((a, b) => b - a).map(periodText);
          return periods.length === 0 ? <p className="muted">{t("datause.noBatch")}</p> : <Bulletin periods={periods} />;
        }}
      </QueryState>
    </>
  );
}

function Bulletin({ periods }: { periods: string[] }) {
  const t = useT();
  const [period, setPeriod] = useState(periods[0]!);
  const answer = useNodeQuery<BulletinAnswer>(`/v1/datause/bulletins/${period}`);
  return (
    <>
      <form className="form-row" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="bulletin-month">{t("datause.month")}</label>
          <select id="bulletin-month" value={period} onChange={(e) => setPeriod(e.target.value)}>
            {periods.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </div>
      </form>
      <QueryState query={answer}>{(a) => <BulletinBody answer={a} />}</QueryState>
    </>
  );
}

function BulletinBody({ answer }: { answer: BulletinAnswer }) {
  const t = useT();
  const f = useFormat();
  const { bulletin } = answer;
  const total = bulletin.purposes.reduce((sum, p) => sum + p.accesses, 0);
  const processor = (id: string) => t("datause.processorName", { id });
  const purpose = (id: string) => t("datause.purposeName", { id });
  const category = (name: string) => t(`datause.category_${name}` as MessageKey);
  const trend = bulletin.trend.filter((r) => r.complete).map((r) => ({ ...r, label: purpose(r.purposeId) }));
  return (
    <>
      <Signature answer={answer} />
      <ul className="stats">
        <li className="stat" data-stat="eligible">
          <span className="stat-value">{f.number(bulletin.eligibleMembers)}</span>
          <span className="stat-label">{t("datause.eligible")}</span>
        </li>
        <li className="stat" data-stat="accesses">
          <span className="stat-value">{f.number(total)}</span>
          <span className="stat-label">{t("datause.accesses")}</span>
        </li>
        <li className="stat" data-stat="violations">
          <span className="stat-value">{f.number(bulletin.violations.length)}</span>
          <span className="stat-label">{t("datause.violations")}</span>
        </li>
      </ul>

      <h2>{t("datause.purposesTitle")}</h2>
      <ScrollTable label={t("datause.purposesTitle")}>
        <thead>
          <tr>
            <th scope="col">{t("datause.purpose")}</th>
            <th scope="col">{t("datause.basis")}</th>
            <th scope="col" className="num">
              {t("datause.accesses")}
            </th>
            <th scope="col" className="num">
              {t("datause.change")}
            </th>
            <th scope="col" className="num">
              {t("datause.members")}
            </th>
            <th scope="col" className="num">
              {t("datause.consentRate")}
            </th>
            <th scope="col" className="num">
              {t("datause.grants")}
            </th>
            <th scope="col" className="num">
              {t("datause.withdrawals")}
            </th>
            <th scope="col" className="num">
              {t("datause.violations")}
            </th>
          </tr>
        </thead>
        <tbody>
          {bulletin.purposes.map((p) => (
            <tr key={p.purposeId} data-purpose={p.purposeId}>
              <th scope="row">
                {purpose(p.purposeId)}
                <span className="muted small"> · {processor(p.processorId)}</span>
              </th>
              <td>{t(`datause.basis_${p.legalBasis}` as MessageKey)}</td>
              <td className="num">{f.number(p.accesses)}</td>
              <td className="num">{p.change > 0 ? `+${f.number(p.change)}` : f.number(p.change)}</td>
              <td className="num">{p.membersConcerned === null ? t("datause.unknown") : f.number(p.membersConcerned)}</td>
              <td className="num">{p.consentRateBp === null ? t("datause.notApplicable") : f.percent(p.consentRateBp / 10_000, 1)}</td>
              <td className="num">{f.number(p.grants)}</td>
              <td className="num">{f.number(p.withdrawals)}</td>
              <td className="num">{f.number(p.violations)}</td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>

      <Figure
        title={t("datause.categoriesFigure")}
        desc={t("datause.categoriesFigureDesc")}
        options={{
          marginLeft: 110,
          x: { label: null, grid: true },
          y: { label: null },
          color: { legend: true },
          marks: [
            Plot.barX(bulletin.categories, { y: (r: { purposeId: string }) => purpose(r.purposeId), x: "accesses", fill: (r: { category: string }) => category(r.category), tip: true }),
            Plot.ruleX([0]),
          ],
        }}
        table={{
          columns: [
            { key: "purpose", label: t("datause.purpose") },
            { key: "category", label: t("datause.category") },
            { key: "accesses", label: t("datause.accesses"), numeric: true },
          ],
          rows: bulletin.categories.map((r) => ({ purpose: purpose(r.purposeId), category: category(r.category), accesses: f.number(r.accesses) })),
        }}
      />

      <Figure
        title={t("datause.trendFigure")}
        desc={t("datause.trendFigureDesc")}
        options={{
          x: { label: null, type: "point" },
          y: { label: null, grid: true },
          color: { legend: true },
          marks: [Plot.lineY(trend, { x: "period", y: "accesses", stroke: "label", marker: true, tip: true }), Plot.ruleY([0])],
        }}
        table={{
          columns: [
            { key: "period", label: t("datause.month") },
            { key: "purpose", label: t("datause.purpose") },
            { key: "accesses", label: t("datause.accesses"), numeric: true },
          ],
          rows: trend.map((r) => ({ period: r.period, purpose: r.label, accesses: f.number(r.accesses) })),
        }}
      />

      <h2>{t("datause.violationsTitle")}</h2>
      <p>{t("datause.violationsLead")}</p>
      {bulletin.violations.length === 0 ? (
        <p className="muted">{t("datause.violationsNone")}</p>
      ) : (
        <ScrollTable label={t("datause.violationsTitle")}>
          <thead>
            <tr>
              <th scope="col">{t("datause.purpose")}</th>
              <th scope="col">{t("datause.category")}</th>
              <th scope="col">{t("datause.hour")}</th>
              <th scope="col">{t("datause.violations")}</th>
            </tr>
          </thead>
          <tbody>
            {bulletin.violations.map((v) => (
              <tr key={`${v.processorId}-${v.index}`} data-violation={v.kind}>
                <th scope="row">{purpose(v.purposeId)}</th>
                <td>{category(v.category)}</td>
                <td>{f.dateTime(v.timeBucket)}</td>
                <td>{t(`datause.kind_${v.kind}` as MessageKey)}</td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
      <Downloads period={bulletin.period} />
    </>
  );
}

/** The node's signature over this bulletin (a checkpoint note with the bulletin's digest), checked here. */
function Signature({ answer }: { answer: BulletinAnswer }) {
  const t = useT();
  const city = useCity();
  const key = city.data?.node.verifierKey;
  const check = useQuery({
    queryKey: ["datause", "bulletin-signature", answer.bulletin.period, answer.bulletin.log.size, key],
    enabled: key !== undefined,
    queryFn: () => {
      try {
        verifyBulletin(answer.bulletin, answer.note, key!);
        return { ok: true as const };
      } catch (error) {
        return { ok: false as const, reason: (error as Error).message };
      }
    },
  });
  return (
    <section className="card" aria-labelledby="signature-title" data-signature={check.data ? (check.data.ok ? "ok" : "fail") : "pending"}>
      <h2 id="signature-title">{t("datause.signature", { size: answer.bulletin.log.size })}</h2>
      <p>
        <Hash value={answer.bulletin.log.root} />
      </p>
      {check.data && (
        <p className={check.data.ok ? "verdict-ok" : "verdict-fail"} role="status">
          {check.data.ok ? `✓ ${t("datause.signatureOk")}` : `✗ ${t("datause.signatureBad", { reason: check.data.reason })}`}
        </p>
      )}
    </section>
  );
}

const TABLES: BulletinTable[] = ["purposes", "categories", "violations", "trend", "batches"];

/** The same bulletin as the node renders it: a printable page (a link), and each table as CSV (fetched with Accept). */
function Downloads({ period }: { period: string }) {
  const t = useT();
  const download = async (table: BulletinTable) => {
    const text = await nodeText(`/v1/datause/bulletins/${period}?table=${table}`, { headers: { accept: "text/csv" } });
    const url = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
    Object.assign(document.createElement("a"), { href: url, download: `datause-bulletin-${period}-${table}.csv` }).click();
    URL.revokeObjectURL(url);
  };
  return (
    <section aria-labelledby="downloads-title">
      <h2 id="downloads-title">{t("datause.downloads")}</h2>
      <ul className="actions">
        <li>
          <a className="button button-secondary" href={`/v1/datause/bulletins/${period}`}>
            {t("datause.openHtml")}
          </a>
        </li>
        {TABLES.map((table) => (
          <li key={table}>
            <button type="button" className="button button-secondary" onClick={() => void download(table)}>
              {t("datause.downloadCsv", { table })}
            </button>
          </li>
        ))}
        <li>
          <a className="button button-secondary" href="/v1/opendata/catalog">
            {t("datause.openData")}
          </a>
        </li>
      </ul>
    </section>
  );
}
