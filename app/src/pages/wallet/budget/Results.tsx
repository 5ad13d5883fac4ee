import type { Address } from "viem";
import { ballotIndexesOf, type EqualSharesResult } from "@cityledger/sdk";
import { useFormat, useT } from "../../../i18n";
import { ErrorState, Loading } from "../../../ui/States";
import { useRecomputation, type Recomputation } from "../../budget/recompute";
import { envelopeName, recordedWinners } from "../../budget/round";
import type { RoundJson } from "../../budget/types";
import { useMyBallot } from "./Ballot";
import { projectLine } from "./labels";

/**
 * After the tally: which projects of the member's ballot won, and — with Equal Shares, recomputed in this page from the
 * ballots on the chain with the explorer's code — what the member's share was and how much of it paid for winners
 * they approved.
 */
export function Results({ round: r, me }: { round: RoundJson; me: Address }) {
  const t = useT();
  const recomputation = useRecomputation(r);
  const mine = useMyBallot(r, me);
  return (
    <section className="card" aria-labelledby="results-title" data-testid="my-results">
      <h2 id="results-title">{t("walletBudget.resultsTitle")}</h2>
      {recomputation.isError ? (
        <ErrorState error={recomputation.error} retry={() => void recomputation.refetch()} />
      ) : !recomputation.data ? (
        <Loading label={t("walletBudget.recomputing")} />
      ) : mine.selection === undefined ? (
        <p className="muted">{t("walletBudget.didNotVote")}</p>
      ) : (
        <MyOutcome round={r} me={me} data={recomputation.data} selection={mine.selection} />
      )}
    </section>
  );
}

function MyOutcome({ round: r, me, data, selection }: { round: RoundJson; me: Address; data: Recomputation; selection: bigint }) {
  const t = useT();
  const f = useFormat();
  const winners = recordedWinners(r);
  const chosen = new Set(ballotIndexesOf(selection));
  const approved = r.projects.filter((p) => p.ballotIndex !== null && chosen.has(p.ballotIndex));
  const won = approved.filter((p) => winners.has(p.projectId));
  const name = (id: string) => t("walletBudget.projectName", { id });
  return (
    <>
      <p data-testid="my-winners">
        {won.length === 0 ? t("walletBudget.noneWon", { count: approved.length }) : t("walletBudget.someWon", { won: won.length, count: approved.length })}
      </p>
      <ul className="budget-projects">
        {approved.map((p) => (
          <li key={p.projectId} data-approved={p.projectId} data-won={winners.has(p.projectId) ? "yes" : "no"}>
            <span>{projectLine(t, f, r, p)}</span>
            <span className={winners.has(p.projectId) ? "proven" : "muted"}>{winners.has(p.projectId) ? `✓ ${t("walletBudget.won")}` : t("walletBudget.notSelected")}</span>
          </li>
        ))}
      </ul>
      {data.log.elections.map((election, envelope) => {
        const voter = election.voters.findIndex((v) => v.id.toLowerCase() === me.toLowerCase());
        const outcome = data.outcomes[envelope];
        if (voter < 0 || !outcome) return null;
        const envelopeLabel = envelopeName(t, r, envelope);
        if (!("payments" in outcome)) {
          return (
            <p key={envelope} data-share-envelope={envelope}>
              {t("walletBudget.greedyEnvelope", { envelope: envelopeLabel })}
            </p>
          );
        }
        const mes = outcome as EqualSharesResult;
        const approvals = new Set(election.voters[voter]!.approvals);
        const paidFor = mes.mesWinners.filter((id) => approvals.has(id));
        const filled = mes.addedByGreedy.filter((id) => approvals.has(id));
        // Base units, rounded down to the micro-euro: the exact shares are fractions.
        const share = mes.endowment.floor();
        const paid = mes.payments[voter]!.floor();
        return (
          <div key={envelope} className="share" data-share-envelope={envelope} data-share={share.toString()} data-paid={paid.toString()}>
            <h3>{envelopeLabel}</h3>
            <p>{t("walletBudget.share", { share: f.euro(share), voters: election.voters.length, budget: f.euro(election.budget) })}</p>
            <p>
              {paidFor.length === 0
                ? t("walletBudget.sharePaidNothing")
                : t("walletBudget.sharePaid", { paid: f.euro(paid), projects: paidFor.map(name).join(", ") })}{" "}
              {t("walletBudget.shareLeft", { left: f.euro(share - paid) })}
            </p>
            {filled.length > 0 && <p>{t("walletBudget.shareFilled", { projects: filled.map(name).join(", ") })}</p>}
          </div>
        );
      })}
      {data.verdict && (
        <p className={data.verdict.matches && data.verdict.headMatches ? "proven" : "field-error"} role="status" data-verdict={data.verdict.matches && data.verdict.headMatches ? "matches" : "mismatch"}>
          {data.verdict.matches && data.verdict.headMatches ? `✓ ${t("walletBudget.recomputedMatches", { ballots: data.ballots })}` : t("walletBudget.recomputedMismatch")}
        </p>
      )}
    </>
  );
}
