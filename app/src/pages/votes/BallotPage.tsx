import { useMemo, useState, type FormEvent } from "react";
import { Link, useParams } from "wouter";
import { useNodeQuery } from "../../api";
import { Figure } from "../../charts/Figure";
import { useFormat, useT } from "../../i18n";
import { useChainTime } from "../../ui/chainTime";
import { Hash } from "../../ui/Hash";
import { PageTitle } from "../../ui/PageTitle";
import { ScrollTable } from "../../ui/ScrollTable";
import { Progress } from "../../ui/Progress";
import { QueryState } from "../../ui/States";
import { collegeName, collegesOf, districtName } from "../governance/labels";
import {
  KIND_KEYS,
  PHASE_KEYS,
  checkPublishedText,
  optionNames,
  phaseOf,
  rememberText,
  rememberedText,
  shownResult,
  toNumber,
  type PublishedText,
} from "./ballot";
import { breakdownTable, optionBars, shareBars } from "./charts";
import type { BallotJson, CommitmentJson, Page } from "./types";
import "./votes.css";
import { PHASE_BADGE, ballotTitle, turnoutText } from "./VotesPage";

export default function BallotPage() {
  const t = useT();
  const { id } = useParams<{ id: string }>();
  const ballot = useNodeQuery<BallotJson>(`/v1/ballots/${encodeURIComponent(id)}`);
  return (
    <>
      <p>
        <Link href="/votes">← {t("votes.back")}</Link>
      </p>
      <QueryState query={ballot}>{(b) => <Ballot ballot={b} />}</QueryState>
    </>
  );
}

function Ballot({ ballot: b }: { ballot: BallotJson }) {
  const t = useT();
  const { now } = useChainTime();
  const [published, setPublished] = useState<PublishedText | undefined>(() => rememberedText(b.questionHash));
  const phase = phaseOf(b, now);
  const names = optionNames(t, b, published);
  const title = ballotTitle(t, b);
  const hidden = b.sealed && (phase === "open" || phase === "upcoming");
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <p>
        <span className={PHASE_BADGE[phase]}>{t(PHASE_KEYS[phase])}</span> {b.sealed && <span className="badge">{t("votes.sealed")}</span>}{" "}
        {b.kind !== "petition" && <span className="badge">{t(b.binding ? "votes.binding" : "votes.advisory")}</span>}
      </p>
      {published && (
        <p className="lead">
          <span className="visually-hidden">{t("votes.question")}: </span>
          <span translate="no">{published.question}</span>
        </p>
      )}
      <Facts ballot={b} names={names} />
      {b.kind === "petition" ? <Petition ballot={b} /> : hidden ? <Sealed ballot={b} /> : <Results ballot={b} names={names} />}
      <QuestionCheck
        ballot={b}
        published={published}
        onChecked={(text, parsed) => {
          rememberText(b.questionHash, text);
          setPublished(parsed);
        }}
      />
      <p className="muted small">{t("votes.source", { seq: b.createdSeq })}</p>
    </>
  );
}

function Facts({ ballot: b, names }: { ballot: BallotJson; names: string[] }) {
  const t = useT();
  const f = useFormat();
  const colleges = collegesOf(b.collegeMask);
  const allColleges = colleges.length >= 16;
  return (
    <section aria-labelledby="ballot-facts">
      <h2 id="ballot-facts">{t("votes.factsHeading")}</h2>
      <dl className="facts">
        <dt>{t("votes.kind")}</dt>
        <dd>{t(KIND_KEYS[b.kind])}</dd>
        <dt>{t("votes.how")}</dt>
        <dd>
          {b.kind === "petition"
            ? t("votes.howPetition")
            : b.approval
              ? t("votes.howApproval", { k: b.maxApprovals })
              : t("votes.howSingle")}
          {b.sealed ? ` ${t("votes.howSealed")}` : ""}
        </dd>
        {b.kind !== "petition" && (
          <>
            <dt>{t("votes.options")}</dt>
            <dd>
              {names.map((name, i) => (
                <span key={i}>
                  {i > 0 && " · "}
                  {name}
                </span>
              ))}
            </dd>
          </>
        )}
        <dt>{t("votes.electorate")}</dt>
        <dd>
          {toNumber(b.electorate) > 0 ? t("votes.members", { count: toNumber(b.electorate) }) : t("votes.electorateUncounted")}
          {" · "}
          {allColleges ? t("votes.allColleges") : colleges.map((c) => collegeName(t, c)).join(", ")}
          {" · "}
          {b.districts.length === 0 ? t("votes.wholeCity") : b.districts.map((d) => districtName(t, d)).join(", ")}
        </dd>
        <dt>{t("votes.snapshot")}</dt>
        <dd>{f.dateTime(b.snapshot)}</dd>
        <dt>{t("votes.opens")}</dt>
        <dd>{f.dateTime(b.opensAt)}</dd>
        <dt>{t("votes.closes")}</dt>
        <dd>{f.dateTime(b.closesAt)}</dd>
        {b.sealed && (
          <>
            <dt>{t("votes.revealUntil")}</dt>
            <dd>{f.dateTime(b.closesAt + b.revealWindow)}</dd>
          </>
        )}
        {b.kind === "referendum" && (
          <>
            <dt>{t("votes.quorum")}</dt>
            <dd>{b.thresholdBps > 0 ? t("votes.quorumOf", { share: f.percent(b.thresholdBps / 10_000, 2) }) : t("votes.noQuorum")}</dd>
          </>
        )}
        <dt>{t("votes.questionHash")}</dt>
        <dd>
          <Hash value={b.questionHash} label={t("votes.questionHash")} />
        </dd>
      </dl>
    </section>
  );
}

function Results({ ballot: b, names }: { ballot: BallotJson; names: string[] }) {
  const t = useT();
  const f = useFormat();
  const result = shownResult(b);
  const counted = toNumber(result.counted);
  const electorate = toNumber(b.electorate);
  const turnout = toNumber(result.turnout);
  const votesAxis = t("votes.votesAxis");
  const rows = useMemo(
    () =>
      result.counts.map((c, i) => ({
        name: names[i]!,
        votes: toNumber(c),
        label: `${f.number(toNumber(c))} · ${f.percent(toNumber(c) / Math.max(1, counted))}`,
      })),
    [result, names, counted, f],
  );
  const options = useMemo(() => optionBars(rows, votesAxis), [rows, votesAxis]);
  return (
    <section aria-labelledby="ballot-results">
      <h2 id="ballot-results">{t(b.final ? "votes.resultsFinal" : "votes.resultsLive")}</h2>
      <p>{t(b.final ? "votes.resultsFinalNote" : "votes.resultsLiveNote")}</p>
      {electorate > 0 && (
        <Progress
          label={t("votes.turnout")}
          value={turnout}
          max={electorate}
          mark={b.thresholdBps > 0 && b.kind === "referendum" ? (electorate * b.thresholdBps) / 10_000 : undefined}
          tone={b.kind === "referendum" && b.thresholdBps > 0 ? (result.quorumMet ? "ok" : "warn") : "neutral"}
          text={turnoutText(t, f, turnout, electorate, b.kind === "referendum" ? b.thresholdBps : 0)}
        />
      )}
      {b.kind === "referendum" && b.thresholdBps > 0 && (
        <p>
          <span className={result.quorumMet ? "badge badge-ok" : "badge badge-warn"}>
            {t(result.quorumMet ? "votes.quorumMet" : "votes.quorumNotMet")}
          </span>
        </p>
      )}
      {b.sealed && <p>{t("votes.revealedOf", { counted, turnout: f.number(turnout) })}</p>}
      <Figure
        title={t("votes.perOption")}
        desc={t(b.approval ? "votes.perOptionApprovalDesc" : "votes.perOptionDesc", { counted })}
        options={options}
        table={{
          columns: [
            { key: "name", label: t("votes.option") },
            { key: "votes", label: votesAxis, numeric: true },
            { key: "share", label: t("votes.share"), numeric: true },
          ],
          rows: rows.map((r) => ({ name: r.name, votes: f.number(r.votes), share: f.percent(r.votes / Math.max(1, counted)) })),
        }}
      />
      <Breakdown ballot={b} names={names} by="college" />
      <Breakdown ballot={b} names={names} by="district" />
    </section>
  );
}

/** The votes of each college or district, as shares of its own votes. */
function Breakdown({ ballot: b, names, by }: { ballot: BallotJson; names: string[]; by: "college" | "district" }) {
  const t = useT();
  const f = useFormat();
  const groups = useMemo(
    () =>
      by === "college"
        ? b.results.byCollege.map((r) => ({ ...r, name: collegeName(t, r.college) }))
        : b.results.byDistrict.map((r) => ({ ...r, name: districtName(t, r.district) })),
    [b, by, t],
  );
  const axis = t("votes.shareAxis");
  const options = useMemo(() => {
    const rows = groups.flatMap((g) => g.counts.map((c, i) => ({ group: g.name, option: names[i]!, votes: toNumber(c) })));
    return shareBars(rows, groups.map((g) => g.name), names, axis);
  }, [groups, names, axis]);
  const isCollege = by === "college";
  return (
    <Figure
      title={t(isCollege ? "votes.perCollege" : "votes.perDistrict")}
      desc={t(isCollege ? "votes.perCollegeDesc" : "votes.perDistrictDesc")}
      options={options}
      table={breakdownTable(t(isCollege ? "votes.college" : "votes.district"), groups, names, t("votes.turnout"), (n) => f.number(n))}
    />
  );
}

/** A sealed ballot while voting is open: no count exists, only the commitments, public so each voter finds theirs. */
function Sealed({ ballot: b }: { ballot: BallotJson }) {
  const t = useT();
  const f = useFormat();
  const commitments = useNodeQuery<Page<CommitmentJson>>(`/v1/ballots/${b.id}/commitments?limit=1000`);
  const electorate = toNumber(b.electorate);
  const turnout = toNumber(b.results.turnout);
  const byCollege = useMemo(
    () => b.results.byCollege.map((r) => ({ name: collegeName(t, r.college), commitments: toNumber(r.turnout) })),
    [b, t],
  );
  const axis = t("votes.commitments");
  const options = useMemo(() => optionBars(byCollege.map((r) => ({ name: r.name, votes: r.commitments, label: f.number(r.commitments) })), axis), [byCollege, axis, f]);
  return (
    <section aria-labelledby="ballot-sealed">
      <h2 id="ballot-sealed">{t("votes.sealedHeading")}</h2>
      <p>{t("votes.sealedExplain", { closes: f.dateTime(b.closesAt), reveal: f.dateTime(b.closesAt + b.revealWindow) })}</p>
      {electorate > 0 && (
        <Progress
          label={t("votes.commitments")}
          value={turnout}
          max={electorate}
          text={t("votes.turnoutOf", { count: turnout, electorate: f.number(electorate), share: f.percent(turnout / electorate) })}
        />
      )}
      <Figure
        title={t("votes.commitmentsPerCollege")}
        desc={t("votes.commitmentsPerCollegeDesc")}
        options={options}
        table={{
          columns: [
            { key: "name", label: t("votes.college") },
            { key: "n", label: axis, numeric: true },
          ],
          rows: byCollege.map((r) => ({ name: r.name, n: f.number(r.commitments) })),
        }}
      />
      <h3>{t("votes.commitmentList")}</h3>
      <QueryState query={commitments}>
        {(page) => (
          <ScrollTable label={t("votes.commitmentList")}>
              <thead>
                <tr>
                  <th scope="col">{t("votes.voter")}</th>
                  <th scope="col">{t("votes.college")}</th>
                  <th scope="col">{t("votes.district")}</th>
                  <th scope="col">{t("votes.commitment")}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((c) => (
                  <tr key={c.voter}>
                    <td>
                      <Hash value={c.voter} label={t("votes.voter")} />
                    </td>
                    <td>{collegeName(t, c.college)}</td>
                    <td>{districtName(t, c.district)}</td>
                    <td>
                      <Hash value={c.commitment} label={t("votes.commitment")} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </ScrollTable>
        )}
      </QueryState>
    </section>
  );
}

function Petition({ ballot: b }: { ballot: BallotJson }) {
  const t = useT();
  const f = useFormat();
  const signatures = toNumber(b.results.turnout);
  const needed = toNumber(b.needed);
  return (
    <section aria-labelledby="ballot-petition">
      <h2 id="ballot-petition">{t("votes.petitionHeading")}</h2>
      <Progress
        label={t("votes.signatures")}
        value={signatures}
        max={needed}
        tone={b.reached ? "ok" : "neutral"}
        text={t("votes.signaturesOf", { count: signatures, needed: f.number(needed) })}
      />
      <p>
        {b.reached
          ? b.referendumId !== "0"
            ? t("votes.petitionReachedReferendum", { id: b.referendumId })
            : t("votes.petitionReachedProposal", { id: b.proposalId })
          : t("votes.petitionNeeds", { count: Math.max(0, needed - signatures), closes: f.dateTime(b.closesAt), share: f.percent(b.thresholdBps / 10_000, 2) })}
      </p>
      {b.reached && b.referendumId !== "0" && (
        <p>
          <Link href={`/votes/${b.referendumId}`}>{t("votes.openReferendum", { id: b.referendumId })}</Link>
        </p>
      )}
      {b.openedBy && (
        <p>
          {t("votes.openedBy")} <Hash value={b.openedBy} label={t("votes.openedBy")} />
        </p>
      )}
    </section>
  );
}

/** The question's text is published off chain; anyone can check a copy against the hash the ballot carries. */
function QuestionCheck({
  ballot: b,
  published,
  onChecked,
}: {
  ballot: BallotJson;
  published: PublishedText | undefined;
  onChecked: (text: string, parsed: PublishedText) => void;
}) {
  const t = useT();
  const [text, setText] = useState("");
  const [verdict, setVerdict] = useState<"match" | "mismatch" | undefined>(undefined);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = checkPublishedText(text, b.questionHash);
    setVerdict(parsed ? "match" : "mismatch");
    if (parsed) onChecked(text, parsed);
  };
  return (
    <section aria-labelledby="ballot-text" className="card">
      <h2 id="ballot-text">{t("votes.textHeading")}</h2>
      <p>{t(published ? "votes.textKnown" : "votes.textExplain")}</p>
      <form onSubmit={submit}>
        <label htmlFor="ballot-text-input">{t("votes.textLabel")}</label>
        <span className="hint" id="ballot-text-hint">
          {t("votes.textHint")}
        </span>
        <textarea
          id="ballot-text-input"
          className="text-input"
          rows={5}
          value={text}
          aria-describedby="ballot-text-hint"
          onChange={(e) => {
            setText(e.target.value);
            setVerdict(undefined);
          }}
        />
        <p>
          <button type="submit" className="button">
            {t("votes.textCheck")}
          </button>
        </p>
      </form>
      <div aria-live="polite">
        {verdict === "match" && <p className="verdict verdict-ok">{t("votes.textMatch")}</p>}
        {verdict === "mismatch" && <p className="verdict verdict-fail">{t("votes.textMismatch")}</p>}
      </div>
    </section>
  );
}
