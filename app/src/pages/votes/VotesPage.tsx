import { Link } from "wouter";
import { useNodeQuery } from "../../api";
import { useFormat, useT } from "../../i18n";
import { useChainTime } from "../../ui/chainTime";
import { PageTitle } from "../../ui/PageTitle";
import { Progress } from "../../ui/Progress";
import { QueryState } from "../../ui/States";
import { KIND_KEYS, PHASE_KEYS, optionNames, phaseOf, rememberedText, shownResult, toNumber, type BallotPhase } from "./ballot";
import type { BallotJson, Page } from "./types";

/** Ballots are few (a city votes a handful of times a year): one page of the newest holds them. */
const LIST_PATH = "/v1/ballots?limit=200";

export default function VotesPage() {
  const t = useT();
  const ballots = useNodeQuery<Page<BallotJson>>(LIST_PATH);
  return (
    <>
      <PageTitle title={t("votes.title")}>{t("votes.title")}</PageTitle>
      <p className="lead">{t("votes.lead")}</p>
      <p>
        <Link href="/budget">{t("votes.seeBudget")}</Link>
      </p>
      <QueryState query={ballots}>
        {(page) => {
          const votes = page.items.filter((b) => b.kind !== "petition");
          const petitions = page.items.filter((b) => b.kind === "petition");
          return (
            <>
              <section aria-labelledby="votes-ballots">
                <h2 id="votes-ballots">{t("votes.ballotsHeading")}</h2>
                {votes.length === 0 ? <p className="muted">{t("votes.none")}</p> : votes.map((b) => <BallotCard key={b.id} ballot={b} />)}
              </section>
              <section aria-labelledby="votes-petitions">
                <h2 id="votes-petitions">{t("votes.petitionsHeading")}</h2>
                {petitions.length === 0 ? <p className="muted">{t("votes.noPetitions")}</p> : petitions.map((b) => <BallotCard key={b.id} ballot={b} />)}
              </section>
            </>
          );
        }}
      </QueryState>
    </>
  );
}

export const PHASE_BADGE: Record<BallotPhase, string> = {
  upcoming: "badge",
  open: "badge badge-ok",
  revealing: "badge badge-warn",
  closed: "badge badge-warn",
  final: "badge",
};

/** The heading of a ballot: its question once this browser checked the published text, else its kind and number. */
export function ballotTitle(t: ReturnType<typeof useT>, b: BallotJson): string {
  const text = rememberedText(b.questionHash);
  const name = t("votes.ballotName", { kind: t(KIND_KEYS[b.kind]), id: b.id });
  return text ? `${name} · ${text.question}` : name;
}

/** "30 voters of 40 · 75 %", and the quorum to reach when there is one (the bar's mark). */
export function turnoutText(t: ReturnType<typeof useT>, f: ReturnType<typeof useFormat>, turnout: number, electorate: number, quorumBps: number): string {
  const text = t("votes.turnoutOf", { count: turnout, electorate: f.number(electorate), share: f.percent(turnout / electorate) });
  return quorumBps > 0 ? `${text} · ${t("votes.quorumMark", { share: f.percent(quorumBps / 10_000, 2) })}` : text;
}

function BallotCard({ ballot: b }: { ballot: BallotJson }) {
  const t = useT();
  const f = useFormat();
  const { now } = useChainTime();
  const phase = phaseOf(b, now);
  const result = shownResult(b);
  const names = optionNames(t, b, rememberedText(b.questionHash));
  const electorate = toNumber(b.electorate);
  const turnout = toNumber(result.turnout);
  const hidden = b.sealed && (phase === "open" || phase === "upcoming");
  // The leading option, when counts are public and someone voted.
  const counts = result.counts.map(toNumber);
  const most = Math.max(0, ...counts);
  const leaders = names.filter((_, i) => counts[i] === most);
  return (
    <article className="card" aria-labelledby={`ballot-${b.id}`}>
      <h3 id={`ballot-${b.id}`}>
        <Link href={`/votes/${b.id}`}>{ballotTitle(t, b)}</Link>
      </h3>
      <p>
        <span className={PHASE_BADGE[phase]}>{t(PHASE_KEYS[phase])}</span> {b.sealed && <span className="badge">{t("votes.sealed")}</span>}{" "}
        {b.kind !== "petition" && <span className="badge">{t(b.binding ? "votes.binding" : "votes.advisory")}</span>}
      </p>
      <p className="muted small">{t("votes.schedule", { opens: f.dateTime(b.opensAt), closes: f.dateTime(b.closesAt) })}</p>
      {b.kind === "petition" ? (
        <Progress
          label={t("votes.signatures")}
          value={turnout}
          max={toNumber(b.needed)}
          text={t("votes.signaturesOf", { count: turnout, needed: f.number(toNumber(b.needed)) })}
          tone={b.reached ? "ok" : "neutral"}
        />
      ) : electorate > 0 ? (
        <Progress
          label={hidden ? t("votes.commitments") : t("votes.turnout")}
          value={turnout}
          max={electorate}
          mark={b.thresholdBps > 0 ? (electorate * b.thresholdBps) / 10_000 : undefined}
          text={turnoutText(t, f, turnout, electorate, b.kind === "referendum" ? b.thresholdBps : 0)}
        />
      ) : (
        <p>{t("votes.turnoutCount", { count: turnout })}</p>
      )}
      {b.kind !== "petition" && !hidden && most > 0 && (
        <p>
          {t(leaders.length > 1 ? "votes.tied" : phase === "final" ? "votes.winner" : "votes.leading", {
            option: leaders.join(", "),
            count: most,
            share: f.percent(most / Math.max(1, toNumber(result.counted))),
          })}
        </p>
      )}
      {hidden && <p>{t("votes.sealedNote", { closes: f.dateTime(b.closesAt) })}</p>}
    </article>
  );
}
