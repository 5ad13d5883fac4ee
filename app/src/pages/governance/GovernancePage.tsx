import { useMemo } from "react";
import * as Plot from "@observablehq/plot";
import { Link } from "wouter";
import { useNodeQuery } from "../../api";
import { Figure } from "../../charts/Figure";
import { useFormat, useT } from "../../i18n";
import { useChainTime } from "../../ui/chainTime";
import { PageTitle } from "../../ui/PageTitle";
import { ScrollTable } from "../../ui/ScrollTable";
import { Progress } from "../../ui/Progress";
import { QueryState } from "../../ui/States";
import { collegeName } from "./labels";
import { PHASE_BADGES, PHASE_KEYS, scoreOf, useProposalPhase } from "./proposal";
import type { CharterJson, ListJson, Page, ProposalJson } from "./types";

export default function GovernancePage() {
  const t = useT();
  const charters = useNodeQuery<ListJson<CharterJson>>("/v1/governance/charters");
  const proposals = useNodeQuery<Page<ProposalJson>>("/v1/governance/proposals?limit=200");
  return (
    <>
      <PageTitle title={t("governance.title")}>{t("governance.title")}</PageTitle>
      <p className="lead">{t("governance.lead")}</p>
      <QueryState query={charters}>
        {(list) => {
          const charter = list.items[list.items.length - 1];
          return charter ? <Charter charter={charter} /> : <p className="muted">{t("governance.noCharter")}</p>;
        }}
      </QueryState>
      <section aria-labelledby="gov-proposals">
        <h2 id="gov-proposals">{t("governance.proposalsHeading")}</h2>
        <QueryState query={proposals}>
          {(page) =>
            page.items.length === 0 ? (
              <p className="muted">{t("governance.noProposals")}</p>
            ) : (
              page.items.map((p) => <ProposalCard key={p.id} proposal={p} />)
            )
          }
        </QueryState>
      </section>
    </>
  );
}

function Charter({ charter: c }: { charter: CharterJson }) {
  const t = useT();
  const f = useFormat();
  const pct = (bps: number) => f.percent(bps / 10_000, 2);
  const rows = useMemo(() => c.colleges.map((r) => ({ name: collegeName(t, r.college), weight: r.weightBps / 10_000, quorum: r.quorumBps / 10_000 })), [c, t]);
  const axis = t("governance.weightAxis");
  const options = useMemo(() => {
    const longest = Math.max(...rows.map((r) => r.name.length), 4);
    return {
      marginLeft: Math.min(170, 14 + longest * 7),
      marginRight: 56,
      height: 40 + rows.length * 36,
      x: { label: axis, percent: true, grid: true },
      y: { label: null, domain: rows.map((r) => r.name) },
      marks: [
        Plot.barX(rows, { x: "weight", y: "name", fill: "#0b5cad" }),
        Plot.text(rows, { x: "weight", y: "name", text: (r: { weight: number }) => f.percent(r.weight, 2), dx: 6, textAnchor: "start", fill: "currentColor" }),
        Plot.ruleX([0]),
      ],
    };
  }, [rows, axis, f]);
  return (
    <section aria-labelledby="gov-charter">
      <h2 id="gov-charter">{t("governance.charterHeading", { version: c.version })}</h2>
      <p>{t("governance.charterExplain")}</p>
      <div className="grid">
        <Figure
          title={t("governance.weights")}
          desc={t("governance.weightsDesc")}
          options={options}
          table={{
            columns: [
              { key: "name", label: t("governance.college") },
              { key: "weight", label: t("governance.weight"), numeric: true },
              { key: "quorum", label: t("governance.quorum"), numeric: true },
            ],
            rows: c.colleges.map((r) => ({ name: collegeName(t, r.college), weight: pct(r.weightBps), quorum: pct(r.quorumBps) })),
          }}
        />
        <div>
          <ScrollTable label={t("governance.collegesTable")}>
              <thead>
                <tr>
                  <th scope="col">{t("governance.college")}</th>
                  <th scope="col" className="num">
                    {t("governance.weight")}
                  </th>
                  <th scope="col" className="num">
                    {t("governance.quorum")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {c.colleges.map((r) => (
                  <tr key={r.college}>
                    <td>{collegeName(t, r.college)}</td>
                    <td className="num">{pct(r.weightBps)}</td>
                    <td className="num">{pct(r.quorumBps)}</td>
                  </tr>
                ))}
              </tbody>
            </ScrollTable>
          <dl className="facts">
            <dt>{t("governance.approval")}</dt>
            <dd>{t("governance.approvalValue", { share: pct(c.approvalThresholdBps) })}</dd>
            <dt>{t("governance.superMajority")}</dt>
            <dd>{t("governance.superMajorityValue", { share: pct(c.superMajorityBps) })}</dd>
            <dt>{t("governance.cosign")}</dt>
            <dd>{t("governance.cosignValue", { share: pct(c.cosignShareBps) })}</dd>
            <dt>{t("governance.vetoRule")}</dt>
            <dd>{t("governance.vetoValue", { share: pct(c.vetoThresholdBps), college: collegeName(t, c.vetoCollege) })}</dd>
          </dl>
        </div>
      </div>
    </section>
  );
}

/** The description's first line is the proposal's title (the rest is its explanation). */
export const titleOf = (p: ProposalJson): string => p.description.split("\n")[0]!.replace(/^#+\s*/, "");

function ProposalCard({ proposal: p }: { proposal: ProposalJson }) {
  const t = useT();
  const f = useFormat();
  const { now } = useChainTime();
  const { phase } = useProposalPhase(p, now);
  const score = scoreOf(p);
  return (
    <article className="card" aria-labelledby={`proposal-${p.id}`}>
      <h3 id={`proposal-${p.id}`}>
        {/* The proposer's own words: shown as written, in whatever language they wrote them. */}
        <Link href={`/governance/${p.id}`} translate="no">
          {titleOf(p)}
        </Link>
      </h3>
      <p>
        <span className={PHASE_BADGES[phase]}>{t(PHASE_KEYS[phase])}</span>{" "}
        {p.constitutional && <span className="badge badge-warn">{t("governance.constitutional")}</span>}
      </p>
      <p className="muted small">{t("governance.voteWindow", { start: f.dateTime(p.voteStart), end: f.dateTime(p.voteEnd) })}</p>
      <Progress
        label={t("governance.score")}
        value={score}
        max={1}
        mark={p.thresholdBps / 10_000}
        tone={score * 10_000 > p.thresholdBps ? "ok" : "neutral"}
        text={t("governance.scoreOf", { score: f.percent(score, 1), threshold: f.percent(p.thresholdBps / 10_000, 2) })}
      />
      {phase === "queued" && p.eta !== null && <p>{t("governance.queuedUntil", { eta: f.dateTime(p.eta) })}</p>}
      {p.veto.signatures > 0 && (
        <p>{t("governance.vetoSoFar", { count: p.veto.signatures, needed: f.number(p.veto.needed) })}</p>
      )}
    </article>
  );
}
