import { Link } from "wouter";
import { useNodeQuery } from "../../api";
import { useFormat, useT } from "../../i18n";
import { PageTitle } from "../../ui/PageTitle";
import { QueryState } from "../../ui/States";
import { recordedState, recordedWinners, ruleName, totalOf } from "./round";
import type { Page, RoundJson } from "./types";

export default function BudgetPage() {
  const t = useT();
  const rounds = useNodeQuery<Page<RoundJson>>("/v1/budget/rounds?limit=100");
  return (
    <>
      <PageTitle title={t("budget.title")}>{t("budget.title")}</PageTitle>
      <p className="lead">{t("budget.lead")}</p>
      <QueryState query={rounds}>
        {(page) =>
          page.items.length === 0 ? (
            <p className="muted">{t("budget.none")}</p>
          ) : (
            page.items.map((r) => <RoundCard key={r.id} round={r} />)
          )
        }
      </QueryState>
    </>
  );
}

function RoundCard({ round: r }: { round: RoundJson }) {
  const t = useT();
  const f = useFormat();
  const winners = recordedWinners(r);
  return (
    <article className="card" aria-labelledby={`round-${r.id}`}>
      <h2 id={`round-${r.id}`}>
        <Link href={`/budget/${r.id}`}>{t("budget.roundName", { id: r.id })}</Link>
      </h2>
      <p>
        <span className="badge">{t(recordedState(r))}</span> <span className="badge">{ruleName(t, r.winnerRule)}</span>
      </p>
      <ul className="stats">
        <li className="stat">
          <span className="stat-value">{f.euro(totalOf(r))}</span>
          <span className="stat-label">{t("budget.envelopesTotal", { count: r.envelopes.length })}</span>
        </li>
        <li className="stat">
          <span className="stat-value">{f.number(r.projects.length)}</span>
          <span className="stat-label">{t("budget.projectsLabel")}</span>
        </li>
        <li className="stat">
          <span className="stat-value">{f.number(r.ballots)}</span>
          <span className="stat-label">{t("budget.ballotsLabel")}</span>
        </li>
        {r.result && (
          <li className="stat">
            <span className="stat-value">{f.number(winners.size)}</span>
            <span className="stat-label">{t("budget.winnersLabel")}</span>
          </li>
        )}
      </ul>
    </article>
  );
}
