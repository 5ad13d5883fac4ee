import { Link } from "wouter";
import { useNodeQuery } from "../../../api/query";
import { useFormat, useT, type MessageKey } from "../../../i18n";
import { Loading, QueryState } from "../../../ui/States";
import { PHASE_KEYS, ruleName, totalOf } from "../../budget/round";
import type { Page, RoundJson } from "../../budget/types";
import { SignedInPage } from "../SignedInPage";
import { useChainRound, type PhaseName } from "./chainRound";
import "../wallet.css";
import "./budget.css";

export default function BudgetWalletPage() {
  const t = useT();
  return <SignedInPage title={t("walletBudget.title")}>{() => <Rounds />}</SignedInPage>;
}

function Rounds() {
  const t = useT();
  const rounds = useNodeQuery<Page<RoundJson>>("/v1/budget/rounds?limit=100");
  return (
    <>
      <p className="lead">{t("walletBudget.lead")}</p>
      <QueryState query={rounds}>
        {(page) =>
          page.items.length === 0 ? (
            <p className="muted">{t("walletBudget.none")}</p>
          ) : (
            [...page.items].reverse().map((r) => <RoundCard key={r.id} round={r} />)
          )
        }
      </QueryState>
    </>
  );
}

/** What a member does in each phase: the link's words. */
const ACTION_KEYS: Record<PhaseName, MessageKey> = {
  none: "walletBudget.actionSee",
  proposals: "walletBudget.actionPropose",
  support: "walletBudget.actionSupport",
  review: "walletBudget.actionSee",
  vote: "walletBudget.actionVote",
  tally: "walletBudget.actionSee",
  funding: "walletBudget.actionResult",
};

function RoundCard({ round: r }: { round: RoundJson }) {
  const t = useT();
  const f = useFormat();
  const chain = useChainRound(r.id);
  const name = t("walletBudget.roundName", { id: r.id });
  return (
    <article className="card" aria-labelledby={`wallet-round-${r.id}`} data-round={r.id}>
      <h2 id={`wallet-round-${r.id}`}>{name}</h2>
      {!chain.data ? (
        <Loading />
      ) : (
        <>
          <p>
            <span className="badge" data-phase={chain.data.phase}>
              {t(PHASE_KEYS[chain.data.phase])}
            </span>{" "}
            <span className="badge">{ruleName(t, r.winnerRule)}</span>
          </p>
          <p className="muted small">{t("walletBudget.roundSummary", { total: f.euro(totalOf(r)), projects: r.projects.length })}</p>
          <p className="actions">
            <Link href={`/wallet/budget/${r.id}`} className={chain.data.phase === "vote" || chain.data.phase === "proposals" || chain.data.phase === "support" ? "button" : "button button-secondary"}>
              {t(ACTION_KEYS[chain.data.phase])}
              <span className="visually-hidden"> · {name}</span>
            </Link>
          </p>
        </>
      )}
    </article>
  );
}
