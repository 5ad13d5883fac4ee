import { useMemo } from "react";
import * as Plot from "@observablehq/plot";
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "wouter";
import { useCity, useNodeQuery } from "../../api";
import { Figure } from "../../charts/Figure";
import { useFormat, useT } from "../../i18n";
import { useChainTime } from "../../ui/chainTime";
import { Hash } from "../../ui/Hash";
import { PageTitle } from "../../ui/PageTitle";
import { Progress } from "../../ui/Progress";
import { Loading, QueryState } from "../../ui/States";
import { wholeNumbers } from "../votes/charts";
import { titleOf } from "./GovernancePage";
import { collegeName } from "./labels";
import { PHASE_BADGES, PHASE_KEYS, readableCalls, scoreOf, useProposalPhase, type ProposalCalls } from "./proposal";
import type { ProposalJson } from "./types";
import "./governance.css";

export default function ProposalPage() {
  const t = useT();
  const { id } = useParams<{ id: string }>();
  const proposal = useNodeQuery<ProposalJson>(`/v1/governance/proposals/${encodeURIComponent(id)}`);
  return (
    <>
      <p>
        <Link href="/governance">← {t("governance.back")}</Link>
      </p>
      <QueryState query={proposal}>{(p) => <Proposal proposal={p} />}</QueryState>
    </>
  );
}

function Proposal({ proposal: p }: { proposal: ProposalJson }) {
  const t = useT();
  const f = useFormat();
  const { now } = useChainTime();
  const { phase, fromChain } = useProposalPhase(p, now);
  const title = titleOf(p);
  const rest = p.description.split("\n").slice(1).join("\n").trim();
  return (
    <>
      <PageTitle title={title}>
        <span translate="no">{title}</span>
      </PageTitle>
      <p>
        <span className={PHASE_BADGES[phase]}>{t(PHASE_KEYS[phase])}</span>{" "}
        {p.constitutional && <span className="badge badge-warn">{t("governance.constitutional")}</span>}
      </p>
      <p className="muted small">{t(fromChain ? "governance.stateFromChain" : "governance.stateFromLog")}</p>
      {rest && (
        <p className="lead" translate="no">
          {rest}
        </p>
      )}
      <dl className="facts">
        <dt>{t("governance.proposer")}</dt>
        <dd>
          <Hash value={p.proposer} label={t("governance.proposer")} />
        </dd>
        <dt>{t("governance.voteWindowLabel")}</dt>
        <dd>{t("governance.voteWindow", { start: f.dateTime(p.voteStart), end: f.dateTime(p.voteEnd) })}</dd>
        <dt>{t("governance.charterLabel")}</dt>
        <dd>{t("governance.charterVersion", { version: p.charterVersion })}</dd>
        {p.cosigners.length > 0 && (
          <>
            <dt>{t("governance.cosigners")}</dt>
            <dd>{t("governance.cosignerCount", { count: p.cosigners.length })}</dd>
          </>
        )}
        {p.petitionId !== null && (
          <>
            <dt>{t("governance.petition")}</dt>
            <dd>
              <Link href={`/votes/${p.petitionId}`}>{t("governance.petitionLink", { id: p.petitionId })}</Link>
            </dd>
          </>
        )}
        {p.cancelReason !== null && (
          <>
            <dt>{t("governance.cancelReason")}</dt>
            <dd translate="no">{p.cancelReason}</dd>
          </>
        )}
      </dl>
      <Calls proposal={p} />
      <Votes proposal={p} />
      <Timelock proposal={p} now={now} />
      <Veto proposal={p} />
      <p className="muted small">{t("governance.source", { seq: p.createdSeq })}</p>
    </>
  );
}

/** The calls in words (the wallet shows them too, to a member who votes, co-signs or vetoes). */
export function Calls({ proposal: p }: { proposal: ProposalCalls }) {
  const t = useT();
  const city = useCity();
  const deployment = city.data?.deployment;
  const calls = useMemo(() => readableCalls(p, deployment), [p, deployment]);
  // Until the deployment is known every target would look foreign: wait for it (or for its failure).
  if (city.isPending) return <Loading />;
  return (
    <section aria-labelledby="proposal-calls">
      <h2 id="proposal-calls">{t("governance.callsHeading", { count: calls.length })}</h2>
      <p>{t("governance.callsExplain")}</p>
      <ol className="calls">
        {calls.map((c, i) => (
          <li key={i} className="card">
            <p className="call-name" translate="no">
              <strong>{c.contract ?? t("governance.unknownContract")}</strong>
              {c.functionName ? `.${c.functionName}(…)` : ""}
            </p>
            {c.args.length > 0 && (
              <dl className="facts">
                {c.args.map((a) => (
                  <div key={a.name} className="contents">
                    <dt translate="no">{a.name}</dt>
                    <dd className="call-value" translate="no">
                      {a.value}
                    </dd>
                  </div>
                ))}
              </dl>
            )}
            {!c.functionName && <p>{t("governance.undecoded")}</p>}
            {c.value > 0n && <p>{t("governance.callValue", { wei: c.value.toString() })}</p>}
            <details>
              <summary>{t("governance.rawCall")}</summary>
              <p>
                {t("governance.target")} <Hash value={c.target} label={t("governance.target")} />
              </p>
              <p className="call-value" translate="no">
                <code>{c.data}</code>
              </p>
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}

function Votes({ proposal: p }: { proposal: ProposalJson }) {
  const t = useT();
  const f = useFormat();
  const score = scoreOf(p);
  const support = useMemo(() => [t("governance.for"), t("governance.against"), t("governance.abstain")], [t]);
  const rows = useMemo(
    () =>
      p.colleges.flatMap((c) => {
        const name = collegeName(t, c.college);
        return [
          { college: name, support: support[0]!, votes: Number(c.forVotes) },
          { college: name, support: support[1]!, votes: Number(c.againstVotes) },
          { college: name, support: support[2]!, votes: Number(c.abstainVotes) },
        ];
      }),
    [p, t, support],
  );
  const axis = t("governance.votesAxis");
  const options = useMemo(() => {
    const names = p.colleges.map((c) => collegeName(t, c.college));
    const longest = Math.max(...names.map((n) => n.length), 4);
    return {
      marginLeft: Math.min(170, 14 + longest * 7),
      height: 70 + names.length * 34,
      x: { label: axis, grid: true, tickFormat: wholeNumbers },
      y: { label: null, domain: names },
      color: { legend: true, domain: support, range: ["#15803d", "#c2410c", "#5b616e"] },
      marks: [Plot.barX(rows, Plot.stackX({ x: "votes", y: "college", fill: "support", order: support })), Plot.ruleX([0])],
    };
  }, [p, t, rows, axis, support]);
  return (
    <section aria-labelledby="proposal-votes">
      <h2 id="proposal-votes">{t("governance.votesHeading")}</h2>
      <p>{t("governance.scoreExplain")}</p>
      <Progress
        label={t("governance.score")}
        value={score}
        max={1}
        mark={p.thresholdBps / 10_000}
        tone={score * 10_000 > p.thresholdBps ? "ok" : "warn"}
        text={t("governance.scoreOf", { score: f.percent(score, 1), threshold: f.percent(p.thresholdBps / 10_000, 2) })}
      />
      <Figure
        title={t("governance.perCollege")}
        desc={t("governance.perCollegeDesc")}
        options={options}
        table={{
          columns: [
            { key: "college", label: t("governance.college") },
            { key: "weight", label: t("governance.weight"), numeric: true },
            { key: "for", label: support[0]!, numeric: true },
            { key: "against", label: support[1]!, numeric: true },
            { key: "abstain", label: support[2]!, numeric: true },
            { key: "share", label: t("governance.forShare"), numeric: true },
          ],
          rows: p.colleges.map((c) => {
            const decided = Number(c.forVotes) + Number(c.againstVotes);
            return {
              college: collegeName(t, c.college),
              weight: f.percent(c.weightBps / 10_000, 2),
              for: f.number(Number(c.forVotes)),
              against: f.number(Number(c.againstVotes)),
              abstain: f.number(Number(c.abstainVotes)),
              share: decided > 0 ? f.percent(Number(c.forVotes) / decided, 1) : "—",
            };
          }),
        }}
      />
      <CollegeQuorums proposal={p} />
    </section>
  );
}

/** Quorums need each college's size at the snapshot, which only the chain knows: read through the SDK when possible. */
function CollegeQuorums({ proposal: p }: { proposal: ProposalJson }) {
  const t = useT();
  const f = useFormat();
  const client = useCity().data?.client;
  const results = useQuery({
    queryKey: ["chain", "college-results", p.id, p.colleges.map((c) => c.forVotes + c.againstVotes + c.abstainVotes).join()],
    enabled: client !== undefined,
    queryFn: () => client!.governance.getCollegeResults({ proposalId: BigInt(p.id) }),
  });
  if (!client) return <p className="muted">{t("governance.quorumsNeedChain")}</p>;
  if (!results.data) return null;
  return (
    <>
      <h3>{t("governance.quorumsHeading")}</h3>
      {results.data.colleges.map((c) => {
        const members = Number(c.members);
        const cast = Number(c.forVotes + c.againstVotes + c.abstainVotes);
        return (
          <Progress
            key={c.college}
            label={collegeName(t, c.college)}
            value={cast}
            max={Math.max(1, members)}
            mark={(members * c.quorumBps) / 10_000}
            tone={c.quorumReached ? "ok" : "warn"}
            text={t(c.quorumReached ? "governance.quorumReached" : "governance.quorumMissing", {
              cast,
              members: f.number(members),
              quorum: f.percent(c.quorumBps / 10_000, 2),
            })}
          />
        );
      })}
    </>
  );
}

function Timelock({ proposal: p, now }: { proposal: ProposalJson; now: number }) {
  const t = useT();
  const f = useFormat();
  if (p.operationId === null && p.eta === null && p.status !== "executed") return null;
  return (
    <section aria-labelledby="proposal-timelock">
      <h2 id="proposal-timelock">{t("governance.timelockHeading")}</h2>
      <p>
        {p.status === "executed"
          ? t("governance.timelockExecuted")
          : p.status === "vetoed" || p.status === "canceled"
            ? t("governance.timelockCanceled")
            : p.eta !== null && now < p.eta
              ? t("governance.timelockWaiting", { eta: f.dateTime(p.eta) })
              : t("governance.timelockReady", { eta: p.eta === null ? "—" : f.dateTime(p.eta) })}
      </p>
      {p.operationId && (
        <p>
          {t("governance.operation")} <Hash value={p.operationId} label={t("governance.operation")} />
        </p>
      )}
    </section>
  );
}

function Veto({ proposal: p }: { proposal: ProposalJson }) {
  const t = useT();
  const f = useFormat();
  const client = useCity().data?.client;
  // The threshold is recorded with the first veto signature; before that, the chain knows it.
  const progress = useQuery({
    queryKey: ["chain", "veto-progress", p.id, p.veto.signatures],
    enabled: client !== undefined && p.veto.needed === 0,
    queryFn: () => client!.governance.getVetoProgress({ proposalId: BigInt(p.id) }),
  });
  const needed = p.veto.needed || Number(progress.data?.needed ?? 0);
  if (p.status !== "queued" && p.status !== "vetoed" && p.veto.signatures === 0) return null;
  return (
    <section aria-labelledby="proposal-veto">
      <h2 id="proposal-veto">{t("governance.vetoHeading")}</h2>
      <p>{t("governance.vetoExplain", { college: collegeName(t, p.veto.college) })}</p>
      {needed > 0 ? (
        <Progress
          label={t("governance.vetoSignatures")}
          value={p.veto.signatures}
          max={needed}
          tone={p.status === "vetoed" ? "fail" : "neutral"}
          text={t("governance.vetoSoFar", { count: p.veto.signatures, needed: f.number(needed) })}
        />
      ) : (
        <p>{t("governance.vetoCount", { count: p.veto.signatures })}</p>
      )}
      {p.status === "vetoed" && <p className="verdict verdict-fail">{t("governance.vetoed")}</p>}
    </section>
  );
}
