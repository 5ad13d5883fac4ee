import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { Link } from "wouter";
import type { Address } from "viem";
import { citizensVetoAbi, cityGovernorAbi, type CityClient, type VoteSupport } from "@cityledger/sdk";
import { useNodeQuery } from "../../../api/query";
import { useFormat, useT, type Format, type MessageKey, type Translate } from "../../../i18n";
import { useChainTime } from "../../../ui/chainTime";
import { CountToward } from "../../../ui/Progress";
import { Loading, QueryState } from "../../../ui/States";
import { titleOf } from "../../governance/GovernancePage";
import { collegeName } from "../../governance/labels";
import { PHASE_BADGES, PHASE_KEYS, useProposalPhase } from "../../governance/proposal";
import { Calls } from "../../governance/ProposalPage";
import type { Page, ProposalJson } from "../../governance/types";
import { useChainRead, useSignedClient } from "../../../wallet/session";
import { FieldError } from "../FieldError";
import { SignedInPage } from "../SignedInPage";
import { useMember, type MemberJson } from "../member";
import type { Say } from "../say";
import { writeErrorMessage } from "../writeErrors";
import "../wallet.css";

export default function GovernancePage() {
  const t = useT();
  return <SignedInPage title={t("walletGovernance.title")}>{(_city, me) => <Proposals me={me} />}</SignedInPage>;
}

function Proposals({ me }: { me: Address }) {
  const t = useT();
  const proposals = useNodeQuery<Page<ProposalJson>>("/v1/governance/proposals?limit=200");
  const { record } = useMember(me);
  return (
    <>
      <p className="lead">{t("walletGovernance.lead")}</p>
      <p className="actions">
        <Link href="/wallet/governance/propose" className="button button-secondary">
          {t("walletGovernance.proposeNav")}
        </Link>
      </p>
      <QueryState query={proposals}>
        {(page) =>
          !record ? (
            <Loading />
          ) : page.items.length === 0 ? (
            <p className="muted">{t("governance.noProposals")}</p>
          ) : (
            page.items.map((p) => <ProposalCard key={p.id} proposal={p} me={me} member={record} />)
          )
        }
      </QueryState>
    </>
  );
}

const SUPPORTS: { support: VoteSupport; key: MessageKey }[] = [
  { support: 1, key: "walletGovernance.voteFor" },
  { support: 0, key: "walletGovernance.voteAgainst" },
  { support: 2, key: "walletGovernance.voteAbstain" },
];

/** A proposal as a member acts on it: vote while it is active, sign the veto while it waits in the timelock. */
function ProposalCard({ proposal: p, me, member }: { proposal: ProposalJson; me: Address; member: MemberJson }) {
  const t = useT();
  const f = useFormat();
  const { now } = useChainTime();
  const { phase } = useProposalPhase(p, now);
  const client = useSignedClient();
  const queryClient = useQueryClient();
  const [error, setError] = useState<Say>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Say>();
  const id = BigInt(p.id);
  // The chain's answers: whether the member voted or vetoed, and the veto's progress (the node's may lag by a block).
  const mine = useChainRead(
    ["proposal", p.id, me],
    async (c) => {
      const [voted, vetoed, progress] = await Promise.all([
        c.publicClient.readContract({ address: c.addresses.cityGovernor!, abi: cityGovernorAbi, functionName: "hasVoted", args: [id, me] }),
        c.publicClient.readContract({ address: c.addresses.citizensVeto!, abi: citizensVetoAbi, functionName: "hasVetoed", args: [id, me] }),
        c.governance.getVetoProgress({ proposalId: id }),
      ]);
      return { voted, vetoed, progress };
    },
    { when: phase === "active" || phase === "queued" },
  );

  /** Refuses what the chain already says (a vote or veto cast from another tab or device), else sends. */
  const act = async (already: (m: NonNullable<typeof mine.data>) => Say | undefined, send: (c: CityClient) => Promise<unknown>, success: Say) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const fresh = (await mine.refetch()).data;
      const refused = fresh && already(fresh);
      if (refused) return setError(() => refused);
      await send(client.data!);
      setDone(() => success);
    } catch (e) {
      setError(() => (tr: Translate, fm: Format) => writeErrorMessage(e, tr, fm));
    } finally {
      setBusy(false);
      await Promise.all([mine.refetch(), queryClient.invalidateQueries({ queryKey: ["node"] })]);
    }
  };

  const vote = (support: VoteSupport, label: MessageKey) =>
    void act(
      (m) => (m.voted ? (tr) => tr("walletGovernance.alreadyVoted") : undefined),
      (c) => c.governance.castVote({ proposalId: id, support, gasless: true, wait: true }),
      (tr) => tr("walletGovernance.voted", { choice: tr(label) }),
    );

  const veto = () =>
    void act(
      (m) => (m.vetoed ? (tr) => tr("walletGovernance.alreadyVetoed") : undefined),
      (c) => c.governance.veto({ proposalId: id, gasless: true, wait: true }),
      (tr) => tr("walletGovernance.vetoed"),
    );

  const college = p.colleges.find((c) => c.college === member.college);
  const m = mine.data;
  const vetoCollege = m ? m.progress.college : p.veto.college;
  const signatures = m ? Number(m.progress.signatures) : p.veto.signatures;
  const needed = m ? Number(m.progress.needed) : p.veto.needed;
  return (
    <article className="card" aria-labelledby={`wallet-proposal-${p.id}`} data-proposal={p.id}>
      <h2 id={`wallet-proposal-${p.id}`}>
        <Link href={`/governance/${p.id}`} translate="no">
          {titleOf(p)}
        </Link>
      </h2>
      <p>
        <span className={PHASE_BADGES[phase]}>{t(PHASE_KEYS[phase])}</span>
      </p>
      {(phase === "active" || phase === "queued") && <Calls proposal={p} />}
      {phase === "active" && (
        <>
          <p>{t("governance.voteWindow", { start: f.dateTime(p.voteStart), end: f.dateTime(p.voteEnd) })}</p>
          <p>
            {t("walletGovernance.yourCollege", { college: collegeName(t, member.college) })}
            {college && (
              <>
                {" "}
                {t("walletGovernance.collegeTally", {
                  for: f.number(Number(college.forVotes)),
                  against: f.number(Number(college.againstVotes)),
                  abstain: f.number(Number(college.abstainVotes)),
                })}
              </>
            )}
          </p>
          {m === undefined ? (
            <Loading />
          ) : m.voted && !error ? (
            <p data-testid="governance-voted">{t("walletGovernance.youVoted")}</p>
          ) : (
            <div className="actions" role="group" aria-label={t("walletGovernance.voteGroup")}>
              {SUPPORTS.map(({ support, key }) => (
                <button key={support} type="button" className="button" disabled={busy} onClick={() => vote(support, key)}>
                  {t(key)}
                </button>
              ))}
            </div>
          )}
        </>
      )}
      {phase === "queued" && (
        <>
          {p.eta !== null && <p>{t("governance.queuedUntil", { eta: f.dateTime(p.eta) })}</p>}
          <CountToward
            label={t("walletGovernance.vetoProgress")}
            count={signatures}
            needed={needed}
            reached="fail"
            text={t("walletGovernance.vetoOf", { count: signatures, needed: f.number(needed) })}
          />
          {m === undefined ? (
            <Loading />
          ) : m.vetoed && !error ? (
            <p data-testid="governance-vetoed">{t("walletGovernance.youVetoed")}</p>
          ) : member.college !== vetoCollege ? (
            <p className="notice" data-testid="veto-not-yours">
              {t("walletGovernance.vetoNotYourCollege", { college: collegeName(t, vetoCollege), yours: collegeName(t, member.college) })}
            </p>
          ) : (
            <>
              <p>{t("walletGovernance.vetoExplain")}</p>
              <button type="button" className="button" disabled={busy} onClick={veto}>
                {t("walletGovernance.signVeto")}
              </button>
            </>
          )}
        </>
      )}
      {busy && <Loading label={t("walletGovernance.sending")} />}
      {done && (
        <p className="proven" role="status">
          ✓ {done(t, f)}
        </p>
      )}
      <FieldError message={error?.(t, f)} />
    </article>
  );
}
