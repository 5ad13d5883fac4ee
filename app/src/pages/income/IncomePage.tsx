import { useMemo, useState, type FormEvent } from "react";
import * as Plot from "@observablehq/plot";
import { isAddress } from "viem";
import { useNodeQuery } from "../../api";
import { Figure } from "../../charts/Figure";
import { useFormat, useT } from "../../i18n";
import { Hash } from "../../ui/Hash";
import { PageTitle } from "../../ui/PageTitle";
import { ScrollTable } from "../../ui/ScrollTable";
import { Progress } from "../../ui/Progress";
import { QueryState } from "../../ui/States";
import { collegeName, collegesOf } from "../governance/labels";
import type { ClaimJson, Page, ProgramJson } from "./types";

export default function IncomePage() {
  const t = useT();
  const programs = useNodeQuery<{ items: ProgramJson[]; total: number }>("/v1/income/programs");
  return (
    <>
      <PageTitle title={t("income.title")}>{t("income.title")}</PageTitle>
      <p className="lead">{t("income.lead")}</p>
      <QueryState query={programs}>
        {(list) =>
          list.items.length === 0 ? <p className="muted">{t("income.none")}</p> : list.items.map((p) => <Program key={p.id} program={p} />)
        }
      </QueryState>
      <ClaimsLookup />
    </>
  );
}

/** Member flags by bit (the SDK's memberFlags: RESIDENT, MERCHANT, PROSUMER, PARKING_OWNER, ASSOCIATION). */
const FLAG_KEYS = ["income.flagResident", "income.flagMerchant", "income.flagProsumer", "income.flagParkingOwner", "income.flagAssociation"] as const;

function Program({ program: p }: { program: ProgramJson }) {
  const t = useT();
  const f = useFormat();
  const funded = BigInt(p.funded);
  const committed = BigInt(p.claimedTotal);
  const colleges = collegesOf(p.collegeMask);
  const claimedLabel = t("income.claimedLegend");
  const unclaimedLabel = t("income.unclaimedLegend");
  const options = useMemo(() => {
    const rows = p.periods.flatMap((pd) => [
      { period: t("income.periodName", { period: pd.period + 1 }), kind: claimedLabel, members: pd.claimed },
      { period: t("income.periodName", { period: pd.period + 1 }), kind: unclaimedLabel, members: Math.max(0, pd.eligible - pd.claimed) },
    ]);
    return {
      marginLeft: 96,
      height: 70 + p.periods.length * 36,
      x: { label: t("income.membersAxis"), grid: true },
      y: { label: null },
      color: { legend: true, domain: [claimedLabel, unclaimedLabel], range: ["#15803d", "#c5cad3"] },
      marks: [Plot.barX(rows, Plot.stackX({ x: "members", y: "period", fill: "kind", order: [claimedLabel, unclaimedLabel] })), Plot.ruleX([0])],
    };
  }, [p, t, claimedLabel, unclaimedLabel]);
  return (
    <section aria-labelledby={`program-${p.id}`} className="card">
      <h2 id={`program-${p.id}`}>{t("income.programName", { id: p.id })}</h2>
      <p>
        <span className={p.ended ? "badge" : "badge badge-ok"}>{t(p.ended ? "income.ended" : "income.running")}</span>
      </p>
      <dl className="facts">
        <dt>{t("income.allowance")}</dt>
        <dd>{t("income.allowanceValue", { amount: f.euro(p.amountPerPeriod), days: Math.round(p.periodLength / 86_400) })}</dd>
        <dt>{t("income.who")}</dt>
        <dd>
          {colleges.length >= 16 ? t("income.everyCollege") : colleges.map((c) => collegeName(t, c)).join(", ")}
          {p.flagBit > 0 && ` · ${t(FLAG_KEYS[p.flagBit - 1] ?? "income.flagOther", { bit: p.flagBit - 1 })}`}
        </dd>
        <dt>{t("income.schedule")}</dt>
        <dd>{t("income.scheduleValue", { count: p.periodCount, start: f.date(p.start), end: f.date(p.start + p.periodCount * p.periodLength) })}</dd>
      </dl>
      <ul className="stats">
        <li className="stat">
          <span className="stat-value">{f.euro(p.funded)}</span>
          <span className="stat-label">{t("income.funded")}</span>
        </li>
        <li className="stat">
          <span className="stat-value">{f.euro(p.claimedTotal)}</span>
          <span className="stat-label">{t("income.claimedTotal")}</span>
        </li>
        <li className="stat">
          <span className="stat-value">{f.number(p.claims)}</span>
          <span className="stat-label">{t("income.claimsLabel")}</span>
        </li>
      </ul>
      <Progress
        label={t("income.budgetUsed")}
        value={Number(committed / 1_000_000n)}
        max={Math.max(1, Number(funded / 1_000_000n))}
        text={t("income.budgetUsedValue", { claimed: f.euro(committed), funded: f.euro(funded) })}
      />
      <Figure
        title={t("income.periodsFigure")}
        desc={t("income.periodsFigureDesc")}
        options={options}
        table={{
          columns: [
            { key: "period", label: t("income.period") },
            { key: "opened", label: t("income.eligibleAt") },
            { key: "eligible", label: t("income.eligible"), numeric: true },
            { key: "claimed", label: t("income.claimed"), numeric: true },
            { key: "paid", label: t("income.paid"), numeric: true },
          ],
          rows: p.periods.map((pd) => ({
            period: t("income.periodName", { period: pd.period + 1 }),
            opened: f.date(pd.snapshot),
            eligible: f.number(pd.eligible),
            claimed: f.number(pd.claimed),
            paid: f.euro(BigInt(pd.amount) * BigInt(pd.claimed)),
          })),
        }}
      />
    </section>
  );
}

/** A member's claims, by address: every claim is public in the log, under the keys of that membership. */
function ClaimsLookup() {
  const t = useT();
  const [input, setInput] = useState("");
  const [address, setAddress] = useState<string | undefined>(undefined);
  const [invalid, setInvalid] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = input.trim();
    const ok = isAddress(value, { strict: false });
    setInvalid(!ok);
    setAddress(ok ? value : undefined);
  };
  return (
    <section aria-labelledby="income-claims" className="card">
      <h2 id="income-claims">{t("income.claimsHeading")}</h2>
      <form onSubmit={submit} noValidate>
        <div className="form-row">
          <div className="field">
            <label htmlFor="income-address">{t("income.addressLabel")}</label>
            <span className="hint" id="income-address-hint">
              {t("income.addressHint")}
            </span>
            <input
              id="income-address"
              type="text"
              inputMode="text"
              autoComplete="off"
              spellCheck={false}
              value={input}
              aria-describedby={invalid ? "income-address-hint income-address-error" : "income-address-hint"}
              aria-invalid={invalid}
              onChange={(e) => setInput(e.target.value)}
            />
            {invalid && (
              <p id="income-address-error" className="state-title" role="alert">
                {t("income.addressInvalid")}
              </p>
            )}
          </div>
          <button type="submit" className="button">
            {t("income.lookup")}
          </button>
        </div>
      </form>
      {address && <Claims address={address} />}
    </section>
  );
}

function Claims({ address }: { address: string }) {
  const t = useT();
  const f = useFormat();
  const claims = useNodeQuery<Page<ClaimJson>>(`/v1/income/claims/${address}?limit=1000`);
  return (
    <QueryState query={claims}>
      {(page) =>
        page.items.length === 0 ? (
          <p>{t("income.noClaims")}</p>
        ) : (
          <ScrollTable label={t("income.claimsHeading")}>
              <thead>
                <tr>
                  <th scope="col">{t("income.program")}</th>
                  <th scope="col">{t("income.period")}</th>
                  <th scope="col" className="num">
                    {t("income.amount")}
                  </th>
                  <th scope="col">{t("income.transaction")}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((c) => (
                  <tr key={c.seq}>
                    <td>{t("income.programName", { id: c.programId })}</td>
                    <td>{t("income.periodName", { period: c.period + 1 })}</td>
                    <td className="num">{f.euro(c.amount)}</td>
                    <td>
                      <Hash value={c.txHash} label={t("income.transaction")} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </ScrollTable>
        )
      }
    </QueryState>
  );
}
