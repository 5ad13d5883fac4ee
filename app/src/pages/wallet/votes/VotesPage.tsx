import { useState, type FormEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { Link } from "wouter";
import type { Address } from "viem";
import type { CityClient, VerifiedReceipt } from "@cityledger/sdk";
import { approvalOf } from "@cityledger/sdk";
import type { City } from "../../../api/city";
import { useNodeQuery } from "../../../api/query";
import { useFormat, useT, type Format, type Translate } from "../../../i18n";
import { useChainTime } from "../../../ui/chainTime";
import { Progress } from "../../../ui/Progress";
import { Loading, QueryState } from "../../../ui/States";
import { PHASE_KEYS, optionNames, phaseOf, rememberedText, shownResult, toNumber } from "../../votes/ballot";
import type { BallotJson, Page } from "../../votes/types";
import { PHASE_BADGE, ballotTitle } from "../../votes/VotesPage";
import { useChainRead, useSignedClient } from "../../../wallet/session";
import { FieldError } from "../FieldError";
import { SignedInPage } from "../SignedInPage";
import type { Say } from "../say";
import { writeErrorMessage } from "../writeErrors";
import { exportSealed, hasSealedVote, importSealed, sealedStore } from "./sealedStore";
import { REVEALED, NONE, useRevealsDue } from "./reveals";
import "../wallet.css";
import "./votes.css";

export default function VotesPage() {
  const t = useT();
  return <SignedInPage title={t("walletVotes.title")}>{(city, me) => <Ballots city={city} me={me} />}</SignedInPage>;
}

/** Ballots are few: one page of the newest holds them (as on the explorer's page). */
const LIST_PATH = "/v1/ballots?limit=200";

function Ballots({ city, me }: { city: City; me: Address }) {
  const t = useT();
  const { now } = useChainTime();
  const ballots = useNodeQuery<Page<BallotJson>>(LIST_PATH);
  const due = useRevealsDue(me);
  return (
    <>
      <p className="lead">{t("walletVotes.lead")}</p>
      {due.length > 0 && (
        <p className="notice notice-warning" role="status" data-testid="reveal-due">
          {t("walletVotes.revealDue", { count: due.length })}
        </p>
      )}
      <QueryState query={ballots}>
        {(page) => {
          const open = page.items.filter((b) => ["open", "revealing"].includes(phaseOf(b, now)));
          const past = page.items.filter((b) => ["closed", "final"].includes(phaseOf(b, now)));
          return (
            <>
              <section aria-labelledby="votes-open">
                <h2 id="votes-open">{t("walletVotes.openHeading")}</h2>
                {open.length === 0 ? <p className="muted">{t("walletVotes.noneOpen")}</p> : open.map((b) => <BallotCard key={b.id} ballot={b} city={city} me={me} />)}
              </section>
              <section aria-labelledby="votes-past">
                <h2 id="votes-past">{t("walletVotes.pastHeading")}</h2>
                {past.length === 0 ? <p className="muted">{t("walletVotes.nonePast")}</p> : past.map((b) => <BallotCard key={b.id} ballot={b} city={city} me={me} />)}
              </section>
            </>
          );
        }}
      </QueryState>
      <Backup city={city} me={me} />
    </>
  );
}

/** What the chain holds of the member's ballot: the open-mode choice (or signature) and the sealed commitment. */
interface Mine {
  voted: boolean;
  choice: bigint;
  /** 0x00…00 none, 0x00…01 revealed, else the commitment waiting for its reveal. */
  commitment: string;
}

/** The chain's time now: a ballot's window is the chain's, and the page's clock may be 15 s behind it. */
async function chainNow(client: CityClient): Promise<number> {
  return Number((await client.publicClient.getBlock({ blockTag: "latest" })).timestamp);
}

function BallotCard({ ballot: b, city, me }: { ballot: BallotJson; city: City; me: Address }) {
  const t = useT();
  const f = useFormat();
  const { now } = useChainTime();
  const client = useSignedClient();
  const queryClient = useQueryClient();
  const phase = phaseOf(b, now);
  const id = BigInt(b.id);
  const names = optionNames(t, b, rememberedText(b.questionHash));
  const [picked, setPicked] = useState<number[]>([]);
  const [error, setError] = useState<Say>();
  const [busy, setBusy] = useState(false);
  const [receipt, setReceipt] = useState<{ state: "proving" } | { state: "verified"; proof: VerifiedReceipt } | { state: "failed"; message: Say }>();
  const mine = useChainRead(["ballot", b.id, me], async (c): Promise<Mine> => {
    const [choice, commitment] = await Promise.all([c.ballots.getChoice({ ballotId: id, voter: me }), b.sealed ? c.ballots.getCommitment({ ballotId: id, voter: me }) : NONE]);
    return { ...choice, commitment };
  });

  /** Runs a write: refuses first what the page can tell (`refusal`), then sends, then proves the ballot in the log. */
  const run = async (refusal: () => Promise<Say | undefined>, send: (c: CityClient) => Promise<unknown>) => {
    const c = client.data;
    if (!c) return;
    setBusy(true);
    setError(undefined);
    setReceipt(undefined);
    try {
      const refused = await refusal();
      if (refused) return setError(() => refused);
      await send(c);
    } catch (e) {
      return setError(() => (tr: Translate, fm: Format) => writeErrorMessage(e, tr, fm));
    } finally {
      setBusy(false);
      // The reminder on this page and the wallet's follows a reveal.
      await Promise.all([mine.refetch(), queryClient.invalidateQueries({ queryKey: ["node"] }), queryClient.invalidateQueries({ queryKey: ["wallet", "reveals-due"] })]);
    }
    setReceipt({ state: "proving" });
    // The ballot is final on chain; its proof waits for the node to log it under a signed checkpoint.
    for (let attempt = 0; ; attempt++) {
      try {
        const verified = await c.ballots.verifyBallotReceipt({ ballotId: id, voter: me, verifierKey: city.node.verifierKey });
        return setReceipt({ state: "verified", proof: verified.reveal ?? verified.cast });
      } catch (e) {
        if (attempt >= 30) return setReceipt({ state: "failed", message: (tr, fm) => writeErrorMessage(e, tr, fm) });
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  };

  const closedRefusal = async (c: CityClient): Promise<Say | undefined> => {
    const at = await chainNow(c);
    if (at >= b.closesAt) return (tr, fm) => tr("walletVotes.closedNow", { date: fm.dateTime(b.closesAt) });
    if (at < b.opensAt) return (tr, fm) => tr("walletVotes.notOpenYet", { date: fm.dateTime(b.opensAt) });
    return undefined;
  };

  const choiceOf = (): bigint => (b.approval ? approvalOf(picked) : BigInt(picked[0]!));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const c = client.data!;
    const refusal = async (): Promise<Say | undefined> => {
      if (picked.length === 0) return (tr) => tr(b.approval ? "walletVotes.pickAtLeastOne" : "walletVotes.pickOne");
      if (b.approval && picked.length > b.maxApprovals) return (tr) => tr("walletVotes.tooMany", { k: b.maxApprovals, count: picked.length });
      return closedRefusal(c);
    };
    if (b.sealed) {
      void run(refusal, (cc) => cc.ballots.commitVote({ ballotId: id, choice: choiceOf(), store: sealedStore(cc, city.deployment.chainId, me), gasless: true, wait: true }));
    } else {
      void run(refusal, (cc) => cc.ballots.vote({ ballotId: id, choice: choiceOf(), gasless: true, wait: true }));
    }
  };

  const sign = () => void run(() => closedRefusal(client.data!), (c) => c.ballots.signPetition({ petitionId: id, gasless: true, wait: true }));

  const reveal = () =>
    void run(
      async (): Promise<Say | undefined> => {
        const c = client.data!;
        if (!hasSealedVote(city.deployment.chainId, id, me)) return (tr) => tr("walletVotes.noSealedVote");
        const at = await chainNow(c);
        if (at < b.closesAt) return (tr, fm) => tr("walletVotes.revealTooEarly", { date: fm.dateTime(b.closesAt) });
        if (at >= b.closesAt + b.revealWindow) return (tr, fm) => tr("walletVotes.revealTooLate", { date: fm.dateTime(b.closesAt + b.revealWindow) });
        return undefined;
      },
      (c) => c.ballots.revealVote({ ballotId: id, store: sealedStore(c, city.deployment.chainId, me), gasless: true, wait: true }),
    );

  const toggle = (option: number, checked: boolean) => {
    if (!b.approval) return setPicked([option]);
    setPicked((now) => (checked ? [...now.filter((o) => o !== option), option].sort((x, y) => x - y) : now.filter((o) => o !== option)));
  };

  const m = mine.data;
  const committed = m !== undefined && m.commitment !== NONE && m.commitment !== REVEALED;
  const revealed = m?.commitment === REVEALED;
  const choiceNames = (choice: bigint) => (b.approval ? names.filter((_, i) => (choice >> BigInt(i)) & 1n) : [names[Number(choice)] ?? "?"]).join(", ");
  const result = shownResult(b);
  const hidden = b.sealed && phase === "open";
  const fieldName = `ballot-${b.id}-choice`;

  return (
    <article className="card" aria-labelledby={`wallet-ballot-${b.id}`} data-ballot={b.id}>
      <h3 id={`wallet-ballot-${b.id}`}>{ballotTitle(t, b)}</h3>
      <p>
        <span className={PHASE_BADGE[phase]}>{t(PHASE_KEYS[phase])}</span> {b.sealed && <span className="badge">{t("votes.sealed")}</span>}
      </p>
      <p className="muted small">
        {phase === "revealing"
          ? t("walletVotes.revealWindow", { until: f.dateTime(b.closesAt + b.revealWindow) })
          : t("votes.schedule", { opens: f.dateTime(b.opensAt), closes: f.dateTime(b.closesAt) })}
      </p>
      {m === undefined ? (
        <Loading />
      ) : (
        <p data-testid="my-ballot">
          {b.kind === "petition"
            ? m.voted
              ? t("walletVotes.youSigned")
              : t("walletVotes.notSigned")
            : revealed
              ? t("walletVotes.youRevealed")
              : committed
                ? t("walletVotes.youCommitted")
                : m.voted
                  ? t("walletVotes.youVoted", { choice: choiceNames(m.choice) })
                  : t("walletVotes.notVoted")}
        </p>
      )}
      {phase === "open" && m !== undefined && b.kind === "petition" && !m.voted && (
        <button type="button" className="button" disabled={busy} onClick={sign}>
          {busy ? t("walletVotes.sending") : t("walletVotes.sign")}
        </button>
      )}
      {phase === "open" && m !== undefined && b.kind !== "petition" && (
        <form onSubmit={submit} noValidate>
          <fieldset>
            <legend>{b.approval ? t("walletVotes.pickApproval", { k: b.maxApprovals }) : t("walletVotes.pickSingle")}</legend>
            {names.map((name, i) => (
              <div key={i} className="choice">
                <input
                  type={b.approval ? "checkbox" : "radio"}
                  id={`${fieldName}-${i}`}
                  name={fieldName}
                  checked={picked.includes(i)}
                  onChange={(e) => toggle(i, e.target.checked)}
                />
                <label htmlFor={`${fieldName}-${i}`}>{name}</label>
              </div>
            ))}
            {b.approval && (
              <p className="muted small" aria-live="polite">
                {t("walletVotes.approvalLeft", { count: Math.max(0, b.maxApprovals - picked.length) })}
              </p>
            )}
          </fieldset>
          <button type="submit" className="button" disabled={busy}>
            {busy ? t("walletVotes.sending") : b.sealed ? t("walletVotes.commit") : m.voted ? t("walletVotes.change") : t("walletVotes.vote")}
          </button>
        </form>
      )}
      {b.sealed && committed && (phase === "open" || phase === "revealing") && (
        <>
          {phase === "revealing" && <p className="notice notice-warning">{t("walletVotes.revealNow", { until: f.dateTime(b.closesAt + b.revealWindow) })}</p>}
          <button type="button" className={phase === "revealing" ? "button" : "button button-secondary"} disabled={busy} onClick={reveal}>
            {t("walletVotes.reveal")}
          </button>
        </>
      )}
      <FieldError message={error?.(t, f)} />
      {receipt?.state === "proving" && <Loading label={t("walletVotes.proving")} />}
      {receipt?.state === "verified" && (
        <p className="proven" role="status" data-testid="ballot-verified">
          ✓ {t("walletVotes.verified", { seq: f.number(receipt.proof.seq), size: f.number(receipt.proof.treeSize) })}
        </p>
      )}
      {receipt?.state === "failed" && (
        <p className="field-error" role="alert">
          {t("walletVotes.notVerified", { reason: receipt.message(t, f) })}
        </p>
      )}
      {!hidden && (
        <details className="wallet-option">
          <summary>{t("walletVotes.results")}</summary>
          {b.kind === "petition" ? (
            <Progress
              label={t("votes.signatures")}
              value={toNumber(result.turnout)}
              max={toNumber(b.needed)}
              text={t("votes.signaturesOf", { count: toNumber(result.turnout), needed: f.number(toNumber(b.needed)) })}
              tone={b.reached ? "ok" : "neutral"}
            />
          ) : (
            <ul className="results" data-testid="results">
              {names.map((name, i) => (
                <li key={i}>
                  {name}: {t("walletVotes.votesCount", { count: toNumber(result.counts[i] ?? "0") })}
                </li>
              ))}
            </ul>
          )}
          <p>
            <Link href={`/votes/${b.id}`}>{t("walletVotes.fullResults")}</Link>
          </p>
        </details>
      )}
    </article>
  );
}

/** The sealed votes kept in this browser, as an encrypted file to keep elsewhere, and restored from one. */
function Backup({ city, me }: { city: City; me: Address }) {
  const t = useT();
  const f = useFormat();
  const [message, setMessage] = useState<{ ok: boolean; text: Say }>();
  const chainId = city.deployment.chainId;
  const download = () => {
    const backup = exportSealed(chainId, me);
    const url = URL.createObjectURL(new Blob([JSON.stringify(backup, null, 2)], { type: "application/json" }));
    Object.assign(document.createElement("a"), { href: url, download: `cityledger-sealed-votes-${me.slice(2, 8)}.json` }).click();
    URL.revokeObjectURL(url);
    const count = Object.keys(backup.records).length;
    setMessage({ ok: true, text: (tr) => tr("walletVotes.backupSaved", { count }) });
  };
  const restore = async (file: File | undefined) => {
    if (!file) return;
    try {
      const count = importSealed(await file.text(), chainId, me);
      setMessage({ ok: true, text: (tr) => tr("walletVotes.backupRestored", { count }) });
    } catch {
      setMessage({ ok: false, text: (tr) => tr("walletVotes.backupInvalid") });
    }
  };
  return (
    <section className="card" aria-labelledby="sealed-backup">
      <h2 id="sealed-backup">{t("walletVotes.backupTitle")}</h2>
      <p>{t("walletVotes.backupLead")}</p>
      <div className="actions">
        <button type="button" className="button button-secondary" onClick={download}>
          {t("walletVotes.backupDownload")}
        </button>
      </div>
      <label htmlFor="sealed-restore">{t("walletVotes.backupRestore")}</label>
      <input id="sealed-restore" type="file" accept="application/json,.json" onChange={(e) => void restore(e.target.files?.[0])} />
      {message && (
        <p className={message.ok ? "proven" : "field-error"} role={message.ok ? "status" : "alert"}>
          {message.text(t, f)}
        </p>
      )}
    </section>
  );
}
