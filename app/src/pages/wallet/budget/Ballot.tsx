import { useEffect, useId, useState, type FormEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { Address } from "viem";
import { ballotIndexesOf, budgetBallotRules, budgetSelection } from "@cityledger/sdk";
import { useFormat, useT, type Format, type Translate } from "../../../i18n";
import { Loading } from "../../../ui/States";
import { useSignedClient } from "../../../wallet/session";
import { useRecomputation } from "../../budget/recompute";
import { envelopeName } from "../../budget/round";
import type { RoundJson } from "../../budget/types";
import { FieldError } from "../FieldError";
import { refusal, said, type Said } from "../say";
import { ballotProblem, leftIn, type BallotEnvelope, type BallotProblem } from "./ballot";
import { readRound, type ChainRound } from "./chainRound";
import { projectLine } from "./labels";

/** The member's last ballot in the round, from the ballot log the page reads from the chain (undefined: none yet). */
export function useMyBallot(round: RoundJson, me: Address): { loading: boolean; selection: bigint | undefined } {
  const recomputation = useRecomputation(round);
  if (!recomputation.data) return { loading: recomputation.isPending, selection: undefined };
  for (const [voter, selection] of recomputation.data.log.lastBallots) if (voter.toLowerCase() === me.toLowerCase()) return { loading: false, selection };
  return { loading: false, selection: undefined };
}

/**
 * The ballot: the city-wide envelope and the member's district's, with what is left in each as they tick projects
 * (money for a knapsack ballot, a count for an approval of k). Cast, or replaced, until the vote closes.
 */
export function Ballot({ round: r, chain, me, envelopes }: { round: RoundJson; chain: ChainRound; me: Address; envelopes: BallotEnvelope[] }) {
  const t = useT();
  const f = useFormat();
  const id = useId();
  const client = useSignedClient();
  const queryClient = useQueryClient();
  const mine = useMyBallot(r, me);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<Said>();
  const [busy, setBusy] = useState(false);
  const [cast, setCast] = useState<number>();
  useEffect(() => {
    if (!touched && mine.selection !== undefined) setSelected(new Set(ballotIndexesOf(mine.selection)));
  }, [mine.selection, touched]);
  const approval = chain.ballotRule === budgetBallotRules.approval;

  const toggle = (index: number) => {
    setTouched(true);
    setError(undefined);
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(index)) next.add(index);
      return next;
    });
  };

  const problemText = (p: BallotProblem, t: Translate, f: Format) =>
    p.key === "ballotEmpty"
      ? t("walletBudget.ballotEmpty")
      : p.key === "ballotOverBudget"
        ? t("walletBudget.ballotOverBudget", { envelope: envelopeName(t, r, p.envelope), over: f.euro(p.over) })
        : t("walletBudget.ballotOverK", { envelope: envelopeName(t, r, p.envelope), max: p.max });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setCast(undefined);
    const problem = ballotProblem(envelopes, selected, chain.ballotRule, chain.maxApprovals);
    if (problem) return setError(said((t, f) => problemText(problem, t, f)));
    setBusy(true);
    setError(undefined);
    try {
      const c = client.data!;
      // The page may have stayed open past the close: the chain's phase now, not the one the page loaded with.
      const now = await readRound(c, r.id);
      if (now.phase !== "vote") {
        const closed = now.phase === "tally" || now.phase === "funding";
        return setError(said((t, f) => (closed ? t("walletBudget.voteClosed", { date: f.dateTime(now.voteEnd) }) : t("walletBudget.voteNotOpen", { date: f.dateTime(now.voteStart) }))));
      }
      await c.budget.castBudgetBallot({ roundId: BigInt(r.id), selection: budgetSelection([...selected]), gasless: true, wait: true });
      setCast(selected.size);
      setTouched(false);
      await queryClient.invalidateQueries({ queryKey: ["node"] });
    } catch (e) {
      setError(refusal(e, "walletBudget"));
    } finally {
      setBusy(false);
    }
  };

  if (mine.loading) return <Loading />;
  return (
    <form className="card ballot" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("walletBudget.ballotTitle")}</h2>
      <p>
        {approval ? t("walletBudget.ballotLeadApproval", { max: chain.maxApprovals }) : t("walletBudget.ballotLeadKnapsack")}{" "}
        {t("walletBudget.ballotUntil", { date: f.dateTime(chain.voteEnd) })}
      </p>
      {mine.selection !== undefined && cast === undefined && (
        <p className="notice" data-testid="ballot-counts">
          {t("walletBudget.ballotCounts", { count: ballotIndexesOf(mine.selection).length })}
        </p>
      )}
      {cast !== undefined && (
        <p className="proven" role="status" data-testid="ballot-cast">
          ✓ {t("walletBudget.ballotCast", { count: cast })}
        </p>
      )}
      {envelopes.map((e) => {
        const left = leftIn(e, selected, chain.ballotRule, chain.maxApprovals);
        const over = left.kind === "money" ? left.left < 0n : left.left < 0;
        const name = envelopeName(t, r, e.envelope);
        return (
          <fieldset key={e.envelope} className="envelope" data-envelope={e.envelope}>
            <legend>{t("walletBudget.envelopeLegend", { envelope: name, amount: f.euro(e.amount) })}</legend>
            <p className={over ? "left left-over" : "left"} aria-live="polite" data-left={left.left.toString()}>
              {left.kind === "money"
                ? over
                  ? t("walletBudget.overBy", { amount: f.euro(-left.left) })
                  : t("walletBudget.moneyLeft", { amount: f.euro(left.left), total: f.euro(left.amount) })
                : over
                  ? t("walletBudget.countOver", { count: -left.left, max: left.max })
                  : t("walletBudget.countLeft", { count: left.left, max: left.max })}
            </p>
            {e.projects.length === 0 ? (
              <p className="muted">{t("walletBudget.noProjects")}</p>
            ) : (
              e.projects.map((p) => (
                <div key={p.projectId} className="choice">
                  <input type="checkbox" id={`${id}-p${p.projectId}`} checked={selected.has(p.ballotIndex!)} onChange={() => toggle(p.ballotIndex!)} />
                  <label htmlFor={`${id}-p${p.projectId}`}>{projectLine(t, f, r, p)}</label>
                </div>
              ))
            )}
          </fieldset>
        );
      })}
      <FieldError message={error?.say(t, f)} />
      <button type="submit" className="button" disabled={busy || !client.data}>
        {busy ? t("walletBudget.sending") : mine.selection !== undefined || cast !== undefined ? t("walletBudget.replaceBallot") : t("walletBudget.castBallot")}
      </button>
    </form>
  );
}
