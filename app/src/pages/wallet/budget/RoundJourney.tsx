import { useId, useState, type FormEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "wouter";
import { keccak256, parseEventLogs, toBytes, type Address } from "viem";
import { participatoryBudgetAbi } from "@cityledger/sdk/abis";
import { useNodeQuery } from "../../../api/query";
import { useFormat, useT, type MessageKey } from "../../../i18n";
import { Loading, QueryState } from "../../../ui/States";
import { useSignedClient } from "../../../wallet/session";
import { PHASE_KEYS, STATUS_KEYS, envelopeName, recordedWinners, ruleName } from "../../budget/round";
import type { RoundJson } from "../../budget/types";
import { FieldError } from "../FieldError";
import { SignedInPage } from "../SignedInPage";
import { useMember } from "../member";
import { MAX_PAYMENT, parseEuroAmount } from "../pay";
import { refusal, said, type Said } from "../say";
import { ballotEnvelopes } from "./ballot";
import { Ballot } from "./Ballot";
import { useChainRound, type ChainRound } from "./chainRound";
import { Results } from "./Results";
import { projectLine } from "./labels";
import "../wallet.css";
import "./budget.css";

export default function RoundJourney() {
  const t = useT();
  const { id } = useParams<{ id: string }>();
  return (
    <SignedInPage title={t("walletBudget.roundName", { id })}>
      {(_city, me) => <RoundLoader me={me} id={id} />}
    </SignedInPage>
  );
}

function RoundLoader({ me, id }: { me: Address; id: string }) {
  const round = useNodeQuery<RoundJson>(`/v1/budget/rounds/${encodeURIComponent(id)}`);
  const chain = useChainRound(id);
  const { record } = useMember(me);
  return (
    <QueryState query={round}>
      {(r) => (!chain.data || !record ? <Loading /> : <Round me={me} round={r} chain={chain.data} district={record.district} />)}
    </QueryState>
  );
}

const sameAddress = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function Round({ me, round: r, chain, district }: { me: Address; round: RoundJson; chain: ChainRound; district: number }) {
  const t = useT();
  const f = useFormat();
  return (
    <>
      <p>
        <span className="badge" data-phase={chain.phase}>
          {t(PHASE_KEYS[chain.phase])}
        </span>{" "}
        <span className="badge">{ruleName(t, r.winnerRule)}</span>
      </p>
      <dl className="facts">
        <dt>{t("walletBudget.proposalsUntil")}</dt>
        <dd>{f.dateTime(chain.proposalsEnd)}</dd>
        <dt>{t("walletBudget.supportUntil")}</dt>
        <dd>{f.dateTime(chain.supportEnd)}</dd>
        <dt>{t("walletBudget.voteWindow")}</dt>
        <dd>{t("walletBudget.fromTo", { start: f.dateTime(chain.voteStart), end: f.dateTime(chain.voteEnd) })}</dd>
      </dl>
      {chain.phase === "proposals" && <Propose round={r} district={district} />}
      {chain.phase === "support" && <Support round={r} chain={chain} />}
      {chain.phase === "review" && <p className="notice">{t("walletBudget.inReview", { date: f.dateTime(chain.voteStart) })}</p>}
      {chain.phase === "vote" && <Ballot round={r} chain={chain} me={me} envelopes={ballotEnvelopes(r, district)} />}
      {chain.phase === "tally" && !r.result && <p className="notice">{t("walletBudget.awaitingResult", { date: f.dateTime(chain.voteEnd) })}</p>}
      {r.result && <Results round={r} me={me} />}
      <MyProjects round={r} me={me} />
      <p className="muted small">
        <Link href={`/budget/${r.id}`}>{t("walletBudget.explorerLink")}</Link>
      </p>
    </>
  );
}

const TITLE_MAX = 120;
const URL_PATTERN = /^https:\/\/[^\s]+$/;

/** Proposing a project: checked here (title, link, cost within its envelope) before the member signs. */
function Propose({ round: r, district }: { round: RoundJson; district: number }) {
  const t = useT();
  const f = useFormat();
  const id = useId();
  const client = useSignedClient();
  const queryClient = useQueryClient();
  const own = r.envelopes.find((e) => e.envelope !== 0 && e.district === district);
  const [title, setTitle] = useState("");
  const [link, setLink] = useState("");
  const [envelope, setEnvelope] = useState(0);
  const [cost, setCost] = useState("");
  const [errors, setErrors] = useState<{ title?: Said; link?: Said; cost?: Said; send?: Said }>({});
  const [busy, setBusy] = useState(false);
  const [submitted, setSubmitted] = useState<number>();
  const chosen = r.envelopes.find((e) => e.envelope === envelope)!;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: typeof errors = {};
    const text = title.trim();
    if (text.length < 3) found.title = said((t) => t("walletBudget.titleMissing"));
    else if (text.length > TITLE_MAX) found.title = said((t) => t("walletBudget.titleTooLong", { max: TITLE_MAX }));
    if (link.trim() && !URL_PATTERN.test(link.trim())) found.link = said((t) => t("walletBudget.badLink"));
    const parsed = parseEuroAmount(cost);
    if ("problem" in parsed) {
      const problem = parsed.problem;
      found.cost = said((t, f) => t(`wallet.${problem}` as MessageKey, { max: f.euro(MAX_PAYMENT) }));
    } else if (parsed.units > BigInt(chosen.amount)) {
      found.cost = said((t, f) => t("walletBudget.costOverEnvelope", { amount: f.euro(chosen.amount), envelope: envelopeName(t, r, envelope) }));
    }
    setErrors(found);
    if (found.title || found.link || found.cost || !("units" in parsed)) return;
    setBusy(true);
    try {
      const c = client.data!;
      // The description stays off chain; its hash is pinned so that anyone can check the published text.
      const contentHash = keccak256(toBytes(JSON.stringify({ title: text, uri: link.trim() })));
      const txHash = await c.budget.submitProject({ roundId: BigInt(r.id), envelope, cost: parsed.units, contentHash, uri: link.trim(), gasless: true, wait: true });
      const receipt = await c.publicClient.getTransactionReceipt({ hash: txHash });
      const [event] = parseEventLogs({ abi: participatoryBudgetAbi, eventName: "ProjectSubmitted", logs: receipt.logs });
      setSubmitted(event?.args.projectId);
      setTitle("");
      setCost("");
      setLink("");
      await queryClient.invalidateQueries({ queryKey: ["node"] });
    } catch (error) {
      setErrors({ send: refusal(error, "walletBudget") });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("walletBudget.proposeTitle")}</h2>
      <p>{t("walletBudget.proposeLead")}</p>
      {submitted !== undefined && (
        <p className="proven" role="status" data-testid="project-submitted">
          ✓ {t("walletBudget.proposed", { id: submitted })}
        </p>
      )}
      <FieldError message={errors.send?.say(t, f)} />
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor={`${id}-name`}>{t("walletBudget.projectTitle")}</label>
        <input
          id={`${id}-name`}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          autoComplete="off"
          aria-invalid={errors.title ? true : undefined}
          aria-describedby={errors.title ? `${id}-name-error` : undefined}
        />
        <FieldError id={`${id}-name-error`} message={errors.title?.say(t, f)} />
        <label htmlFor={`${id}-envelope`}>{t("walletBudget.envelope")}</label>
        <select id={`${id}-envelope`} value={envelope} onChange={(e) => setEnvelope(Number(e.target.value))}>
          {r.envelopes
            .filter((e) => e.envelope === 0 || e === own)
            .map((e) => (
              <option key={e.envelope} value={e.envelope}>
                {t("walletBudget.envelopeOption", { envelope: envelopeName(t, r, e.envelope), amount: f.euro(e.amount) })}
              </option>
            ))}
        </select>
        <label htmlFor={`${id}-cost`}>{t("walletBudget.cost")}</label>
        <input
          id={`${id}-cost`}
          value={cost}
          onChange={(e) => setCost(e.target.value)}
          inputMode="decimal"
          autoComplete="off"
          aria-invalid={errors.cost ? true : undefined}
          aria-describedby={`${id}-cost-hint${errors.cost ? ` ${id}-cost-error` : ""}`}
        />
        <p id={`${id}-cost-hint`} className="muted small">
          {t("walletBudget.costHint", { amount: f.euro(chosen.amount) })}
        </p>
        <FieldError id={`${id}-cost-error`} message={errors.cost?.say(t, f)} />
        <label htmlFor={`${id}-link`}>{t("walletBudget.link")}</label>
        <input
          id={`${id}-link`}
          value={link}
          onChange={(e) => setLink(e.target.value)}
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={errors.link ? true : undefined}
          aria-describedby={`${id}-link-hint${errors.link ? ` ${id}-link-error` : ""}`}
        />
        <p id={`${id}-link-hint`} className="muted small">
          {t("walletBudget.linkHint")}
        </p>
        <FieldError id={`${id}-link-error`} message={errors.link?.say(t, f)} />
        <button type="submit" className="button" disabled={busy || !client.data}>
          {busy ? t("walletBudget.sending") : t("walletBudget.propose")}
        </button>
      </form>
    </section>
  );
}

/** Supporting projects: once per member and project (the contract refuses a second support, before anything is signed). */
function Support({ round: r, chain }: { round: RoundJson; chain: ChainRound }) {
  const t = useT();
  const f = useFormat();
  const client = useSignedClient();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState<number>();
  const [done, setDone] = useState<Set<number>>(new Set());
  const [errors, setErrors] = useState<Record<number, Said | undefined>>({});
  const support = async (projectId: number) => {
    setBusy(projectId);
    setErrors((e) => ({ ...e, [projectId]: undefined }));
    try {
      await client.data!.budget.supportProject({ roundId: BigInt(r.id), projectId, gasless: true, wait: true });
      setDone((d) => new Set(d).add(projectId));
      await queryClient.invalidateQueries({ queryKey: ["node"] });
    } catch (error) {
      setErrors((e) => ({ ...e, [projectId]: refusal(error, "walletBudget") }));
    } finally {
      setBusy(undefined);
    }
  };
  const projects = r.projects.filter((p) => p.status === "submitted");
  return (
    <section className="card" aria-labelledby="support-title">
      <h2 id="support-title">{t("walletBudget.supportTitle")}</h2>
      <p>{t("walletBudget.supportLead", { threshold: chain.supportThreshold, date: f.dateTime(chain.supportEnd) })}</p>
      {projects.length === 0 ? (
        <p className="muted">{t("walletBudget.noProjects")}</p>
      ) : (
        <ul className="budget-projects">
          {projects.map((p) => (
            <li key={p.projectId} data-project={p.projectId}>
              <span>{projectLine(t, f, r, p)}</span>
              <span className="muted small">{t("walletBudget.supports", { count: p.supportCount, threshold: chain.supportThreshold })}</span>
              {done.has(p.projectId) && (
                <span className="proven" role="status">
                  ✓ {t("walletBudget.supported", { id: p.projectId })}
                </span>
              )}
              <button type="button" className="button button-secondary" disabled={busy !== undefined || !client.data} onClick={() => void support(p.projectId)}>
                {busy === p.projectId ? t("walletBudget.sending") : t("walletBudget.support", { id: p.projectId })}
              </button>
              <FieldError message={errors[p.projectId]?.say(t, f)} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The projects the member proposed, with what became of them. */
function MyProjects({ round: r, me }: { round: RoundJson; me: Address }) {
  const t = useT();
  const f = useFormat();
  const mine = r.projects.filter((p) => sameAddress(p.proposer, me));
  if (mine.length === 0) return null;
  const winners = recordedWinners(r);
  return (
    <section className="card" aria-labelledby="mine-title">
      <h2 id="mine-title">{t("walletBudget.myProjects")}</h2>
      <ul className="budget-projects">
        {mine.map((p) => (
          <li key={p.projectId} data-my-project={p.projectId}>
            <span>{projectLine(t, f, r, p)}</span>
            <span className="muted small">
              {winners.has(p.projectId) ? t("walletBudget.won") : t(STATUS_KEYS[p.status])} · {t("walletBudget.supportCount", { count: p.supportCount })}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
