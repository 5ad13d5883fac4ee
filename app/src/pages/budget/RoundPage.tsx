import { useMemo } from "react";
import * as Plot from "@observablehq/plot";
import { Link, useParams } from "wouter";
import { useCity, useNodeQuery } from "../../api";
import { Figure } from "../../charts/Figure";
import { useFormat, useT } from "../../i18n";
import { Hash } from "../../ui/Hash";
import { PageTitle } from "../../ui/PageTitle";
import { ScrollTable } from "../../ui/ScrollTable";
import { ErrorState, Loading, QueryState } from "../../ui/States";
import { useRecomputation, type Recomputation } from "./recompute";
import { PHASE_KEYS, STATUS_KEYS, envelopeName, recordedState, recordedWinners, ruleName, totalOf } from "./round";
import type { RoundJson } from "./types";
import "./budget.css";

export default function RoundPage() {
  const t = useT();
  const { id } = useParams<{ id: string }>();
  const round = useNodeQuery<RoundJson>(`/v1/budget/rounds/${encodeURIComponent(id)}`);
  return (
    <>
      <p>
        <Link href="/budget">← {t("budget.back")}</Link>
      </p>
      <QueryState query={round}>{(r) => <Round round={r} />}</QueryState>
    </>
  );
}

function Round({ round: r }: { round: RoundJson }) {
  const t = useT();
  const f = useFormat();
  const recomputation = useRecomputation(r);
  const title = t("budget.roundName", { id: r.id });
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <p>
        <span className="badge">{t(recordedState(r))}</span> <span className="badge">{ruleName(t, r.winnerRule)}</span>
      </p>
      <ul className="stats">
        <li className="stat">
          <span className="stat-value">{f.euro(totalOf(r))}</span>
          <span className="stat-label">{t("budget.envelopesTotal", { count: r.envelopes.length })}</span>
        </li>
        <li className="stat">
          <span className="stat-value">{f.number(r.ballots)}</span>
          <span className="stat-label">{t("budget.ballotsLabel")}</span>
        </li>
        <li className="stat">
          <span className="stat-value">{f.number(r.projects.length)}</span>
          <span className="stat-label">{t("budget.projectsLabel")}</span>
        </li>
        <li className="stat">
          <span className="stat-value">{f.euro(r.funded ? r.funded.total : r.escrow)}</span>
          <span className="stat-label">{t(r.funded ? "budget.fundedLabel" : "budget.escrowLabel")}</span>
        </li>
      </ul>
      <RecomputePanel round={r} />
      <Envelopes round={r} />
      <Projects round={r} recomputation={recomputation.data} />
      {r.challenges.length > 0 && <Challenges round={r} />}
      <p className="muted small">{t("budget.source", { seq: r.createdSeq })}</p>
    </>
  );
}

/** The page's proof: the winners recomputed here, from the ballots on the chain, with the round's own rule. */
function RecomputePanel({ round: r }: { round: RoundJson }) {
  const t = useT();
  const city = useCity();
  const recomputation = useRecomputation(r);
  const rule = ruleName(t, r.winnerRule);
  return (
    <section aria-labelledby="budget-recompute" className="card" data-testid="budget-recompute">
      <h2 id="budget-recompute">{t("budget.recomputeHeading")}</h2>
      <p>{t("budget.recomputeExplain", { rule })}</p>
      {city.data && !city.data.client ? (
        <p className="verdict">{t("budget.recomputeNoChain")}</p>
      ) : recomputation.isError ? (
        <ErrorState error={recomputation.error} retry={() => void recomputation.refetch()} />
      ) : !recomputation.data ? (
        <Loading label={t("budget.recomputing")} />
      ) : (
        <Verdict round={r} data={recomputation.data} />
      )}
    </section>
  );
}

function Verdict({ round: r, data }: { round: RoundJson; data: Recomputation }) {
  const t = useT();
  const f = useFormat();
  const name = (id: number) => t("budget.projectName", { id });
  const list = (ids: number[]) => ids.map(name).join(", ");
  const v = data.verdict;
  return (
    <>
      <p>
        {t("budget.chainPhase", { phase: t(PHASE_KEYS[data.phase]), start: f.dateTime(data.voteStart), end: f.dateTime(data.voteEnd) })}
      </p>
      <ol className="steps">
        <li className="step step-ok">
          <span className="step-title">{t("budget.stepLog", { ballots: data.ballots, voters: f.number(data.voters) })}</span>{" "}
          <Hash value={data.head} label={t("budget.logHead")} />
        </li>
        <li className="step step-ok">
          <span className="step-title">{t("budget.stepRule", { rule: ruleName(t, r.winnerRule) })}</span>{" "}
          {data.selected.map((ids, envelope) => (
            <span key={envelope} className="block">
              {t("budget.envelopeWinners", { envelope: envelopeName(t, r, envelope), projects: ids.length ? list(ids) : t("budget.noWinner") })}
            </span>
          ))}
        </li>
        {v && (
          <li className={v.matches && v.headMatches ? "step step-ok" : "step step-fail"}>
            <span className="step-title">{t("budget.stepCompare")}</span>
          </li>
        )}
      </ol>
      {/* The winners recomputed here, as the chain's bitmap of ballot indexes: what a test compares with winnersOf. */}
      <span hidden data-recomputed-winners={data.winners.toString()} />
      {v === null ? (
        <p className="verdict" data-verdict="provisional">
          {t("budget.provisional")}
        </p>
      ) : v.matches && v.headMatches ? (
        <p className="verdict verdict-ok" data-verdict="matches">
          {t("budget.matches")}
        </p>
      ) : (
        <div className="verdict verdict-fail" data-verdict="mismatch" role="alert">
          <p>
            <strong>{t("budget.mismatch")}</strong>
          </p>
          {!v.headMatches && <p>{t("budget.mismatchHead")}</p>}
          {v.onlyRecomputed.length > 0 && <p>{t("budget.onlyRecomputed", { projects: list(v.onlyRecomputed) })}</p>}
          {v.onlyRecorded.length > 0 && <p>{t("budget.onlyRecorded", { projects: list(v.onlyRecorded) })}</p>}
        </div>
      )}
    </>
  );
}

/** Each envelope's amount against what its winners cost: the cost drawn inside the amount, as a bullet chart. */
function Envelopes({ round: r }: { round: RoundJson }) {
  const t = useT();
  const f = useFormat();
  const rows = useMemo(() => {
    const winners = recordedWinners(r);
    return r.envelopes.map((e) => {
      const spent = r.projects.filter((p) => p.envelope === e.envelope && winners.has(p.projectId)).reduce((s, p) => s + BigInt(p.cost), 0n);
      const amount = BigInt(e.amount);
      // Whole euros are plenty for a bar; the table gives the exact amounts.
      return { name: envelopeName(t, r, e.envelope), amount, spent, amountEuros: Number(amount / 1_000_000n), spentEuros: Number(spent / 1_000_000n) };
    });
  }, [r, t]);
  const budgetLabel = t("budget.envelopeAmount");
  const spentLabel = t("budget.winnersCost");
  const axis = t("budget.eurosAxis");
  const options = useMemo(() => {
    const longest = Math.max(...rows.map((row) => row.name.length), 4);
    return {
      marginLeft: Math.min(170, 14 + longest * 7),
      marginRight: 24,
      height: 70 + rows.length * 44,
      x: { label: axis, grid: true },
      y: { label: null, domain: rows.map((row) => row.name) },
      color: { legend: true, domain: [budgetLabel, spentLabel], range: ["#c5cad3", "#0b5cad"] },
      marks: [
        Plot.barX(rows, { x: "amountEuros", y: "name", fill: () => budgetLabel }),
        Plot.barX(rows, { x: "spentEuros", y: "name", fill: () => spentLabel, insetTop: 7, insetBottom: 7 }),
        Plot.ruleX([0]),
      ],
    };
  }, [rows, budgetLabel, spentLabel, axis]);
  return (
    <section aria-labelledby="budget-envelopes">
      <h2 id="budget-envelopes">{t("budget.envelopesHeading")}</h2>
      <Figure
        title={t("budget.envelopesFigure")}
        desc={t(r.result ? "budget.envelopesFigureDesc" : "budget.envelopesFigureDescOpen")}
        options={options}
        table={{
          columns: [
            { key: "name", label: t("budget.envelope") },
            { key: "amount", label: budgetLabel, numeric: true },
            { key: "spent", label: spentLabel, numeric: true },
          ],
          rows: rows.map((row) => ({ name: row.name, amount: f.euro(row.amount), spent: r.result ? f.euro(row.spent) : "—" })),
        }}
      />
    </section>
  );
}

function Projects({ round: r, recomputation }: { round: RoundJson; recomputation: Recomputation | undefined }) {
  const t = useT();
  const f = useFormat();
  const winners = useMemo(() => recordedWinners(r), [r]);
  const rows = useMemo(
    () =>
      r.projects.map((p) => ({
        id: p.projectId,
        name: t("budget.projectName", { id: p.projectId }),
        envelope: envelopeName(t, r, p.envelope),
        votes: recomputation?.approvals.get(p.projectId) ?? 0,
        winner: winners.has(p.projectId),
      })),
    [r, t, recomputation, winners],
  );
  const winnerLabel = t("budget.winner");
  const otherLabel = t("budget.notSelected");
  const options = useMemo(() => {
    const onBallot = rows.filter((row) => r.projects.find((p) => p.projectId === row.id)?.ballotIndex !== null);
    return {
      marginLeft: 96,
      marginRight: 40,
      height: 70 + onBallot.length * 28,
      x: { label: t("budget.votesAxis"), grid: true },
      y: { label: null, domain: onBallot.map((row) => row.name) },
      color: { legend: true, domain: [winnerLabel, otherLabel], range: ["#15803d", "#9aa3b2"] },
      marks: [
        Plot.barX(onBallot, { x: "votes", y: "name", fill: (row: { winner: boolean }) => (row.winner ? winnerLabel : otherLabel) }),
        Plot.text(onBallot, { x: "votes", y: "name", text: (row: { votes: number }) => f.number(row.votes), dx: 6, textAnchor: "start", fill: "currentColor" }),
        Plot.ruleX([0]),
      ],
    };
  }, [rows, r, t, f, winnerLabel, otherLabel]);
  return (
    <section aria-labelledby="budget-projects">
      <h2 id="budget-projects">{t("budget.projectsHeading")}</h2>
      {recomputation && (
        <Figure
          title={t("budget.votesFigure")}
          desc={t("budget.votesFigureDesc")}
          options={options}
          table={{
            columns: [
              { key: "name", label: t("budget.project") },
              { key: "votes", label: t("budget.votesAxis"), numeric: true },
              { key: "winner", label: winnerLabel },
            ],
            rows: rows.map((row) => ({ name: row.name, votes: f.number(row.votes), winner: row.winner ? t("budget.yes") : t("budget.no") })),
          }}
        />
      )}
      <ScrollTable label={t("budget.projectsTable")}>
          <thead>
            <tr>
              <th scope="col">{t("budget.project")}</th>
              <th scope="col">{t("budget.envelope")}</th>
              <th scope="col" className="num">
                {t("budget.cost")}
              </th>
              <th scope="col" className="num">
                {t("budget.support")}
              </th>
              <th scope="col" className="num">
                {t("budget.votesAxis")}
              </th>
              <th scope="col">{t("budget.status")}</th>
            </tr>
          </thead>
          <tbody>
            {r.projects.map((p) => (
              <tr key={p.projectId}>
                <th scope="row">{t("budget.projectName", { id: p.projectId })}</th>
                <td>{envelopeName(t, r, p.envelope)}</td>
                <td className="num">{f.euro(p.cost)}</td>
                <td className="num">{f.number(p.supportCount)}</td>
                <td className="num">{recomputation ? f.number(recomputation.approvals.get(p.projectId) ?? 0) : "—"}</td>
                <td>
                  {winners.has(p.projectId) && <span className="badge badge-ok">{t("budget.winner")}</span>} {t(STATUS_KEYS[p.status])}
                </td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
    </section>
  );
}

function Challenges({ round: r }: { round: RoundJson }) {
  const t = useT();
  return (
    <section aria-labelledby="budget-challenges">
      <h2 id="budget-challenges">{t("budget.challengesHeading")}</h2>
      <ul>
        {r.challenges.map((c) => (
          <li key={c.seq}>
            {t("budget.challengeBy")} <Hash value={c.challenger} label={t("budget.challengeBy")} />{" "}
            {c.resolution === null
              ? t("budget.challengePending")
              : t(c.resolution.upheld ? "budget.challengeUpheld" : "budget.challengeRejected")}
          </li>
        ))}
      </ul>
    </section>
  );
}
