import { useState, type FormEvent } from "react";
import type { Address } from "viem";
import { cityRegistryAbi } from "@cityledger/sdk";
import { useNodeQuery } from "../../../api/query";
import { useFormat, useT, type Format, type Translate } from "../../../i18n";
import { CopyButton } from "../../../ui/Hash";
import { CountToward } from "../../../ui/Progress";
import { Loading, QueryState } from "../../../ui/States";
import { Calls } from "../../governance/ProposalPage";
import type { CharterJson, ListJson } from "../../governance/types";
import { useChainRead, useSignedClient } from "../../../wallet/session";
import { FieldError } from "../FieldError";
import { SignedInPage } from "../SignedInPage";
import type { Say } from "../say";
import { writeErrorMessage } from "../writeErrors";
import { changeCall, checkAnswer, draftProposalId, encodeDraft, type ChangeName, type Draft } from "./draft";
import "../wallet.css";

/** Co-signatures are asked for a week: long enough to gather them, short enough that a stale draft cannot linger. */
const COSIGN_DAYS = 7;

export default function ProposePage() {
  const t = useT();
  return <SignedInPage title={t("walletGovernance.proposeTitle")}>{(_city, me) => <Propose me={me} />}</SignedInPage>;
}

function Propose({ me }: { me: Address }) {
  const t = useT();
  const f = useFormat();
  const client = useSignedClient();
  const [draft, setDraft] = useState<{ draft: Draft; proposalId: bigint }>();
  const [change, setChange] = useState<ChangeName>("gridPrice");
  const [figure, setFigure] = useState("");
  const [title, setTitle] = useState("");
  const [errors, setErrors] = useState<{ title?: Say | undefined; figure?: Say | undefined }>();

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const c = client.data;
    if (!c) return;
    const call = changeCall(change, figure, c.addresses as unknown as Record<string, Address | undefined>);
    const found: { title?: Say | undefined; figure?: Say | undefined } = {
      title: title.trim() ? undefined : (tr) => tr("walletGovernance.titleMissing"),
      figure: call ? undefined : (tr) => tr(`walletGovernance.figureBad_${change}`),
    };
    setErrors(found);
    if (found.title || !call) return;
    const now = Number((await c.publicClient.getBlock({ blockTag: "latest" })).timestamp);
    const d: Draft = { targets: [call.target], values: ["0"], calldatas: [call.data], description: title.trim(), deadline: now + COSIGN_DAYS * 86_400 };
    setDraft({ draft: d, proposalId: await draftProposalId(c, d) });
  };

  if (draft) return <Gather me={me} draft={draft.draft} proposalId={draft.proposalId} />;
  return (
    <form className="card" onSubmit={(e) => void create(e)} noValidate>
      <h2>{t("walletGovernance.draftHeading")}</h2>
      <p>{t("walletGovernance.draftLead")}</p>
      <label htmlFor="draft-title">{t("walletGovernance.draftTitle")}</label>
      <input id="draft-title" value={title} onChange={(e) => setTitle(e.target.value)} aria-invalid={!!errors?.title} aria-describedby="draft-title-error" />
      <FieldError id="draft-title-error" message={errors?.title?.(t, f)} />
      <label htmlFor="draft-change">{t("walletGovernance.draftChange")}</label>
      <select id="draft-change" value={change} onChange={(e) => setChange(e.target.value as ChangeName)}>
        <option value="gridPrice">{t("walletGovernance.change_gridPrice")}</option>
        <option value="parkingFee">{t("walletGovernance.change_parkingFee")}</option>
      </select>
      <label htmlFor="draft-figure">{t(`walletGovernance.figure_${change}`)}</label>
      <input id="draft-figure" inputMode="decimal" value={figure} onChange={(e) => setFigure(e.target.value)} aria-invalid={!!errors?.figure} aria-describedby="draft-figure-error" />
      <FieldError id="draft-figure-error" message={errors?.figure?.(t, f)} />
      <button type="submit" className="button" disabled={!client.data}>
        {t("walletGovernance.draftCreate")}
      </button>
    </form>
  );
}

/** The proposer's side: the link to share, the co-signatures pasted back, the progress to the charter's share. */
function Gather({ me, draft, proposalId }: { me: Address; draft: Draft; proposalId: bigint }) {
  const t = useT();
  const f = useFormat();
  const client = useSignedClient();
  const charters = useNodeQuery<ListJson<CharterJson>>("/v1/governance/charters");
  const [answer, setAnswer] = useState("");
  const [cosigners, setCosigners] = useState<{ cosigner: Address; signature: `0x${string}` }[]>([]);
  const [error, setError] = useState<Say>();
  const [sendError, setSendError] = useState<Say>();
  const [state, setState] = useState<"gathering" | "sending" | "done">("gathering");
  const link = `${window.location.origin}/wallet/governance/cosign#d=${encodeDraft(draft)}`;
  // The charter counts members at the block before the proposal: today's count is what the member can aim for.
  const members = useChainRead(["member-count"], async (c) => {
    const now = (await c.publicClient.getBlock({ blockTag: "latest" })).timestamp;
    return c.publicClient.readContract({ address: c.addresses.cityRegistry, abi: cityRegistryAbi, functionName: "getPastTotalSupply", args: [now - 1n] });
  });

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const checked = await checkAnswer(client.data!, answer, proposalId, draft.deadline);
    if ("problem" in checked) return setError(() => (tr: Translate) => tr(`walletGovernance.${checked.problem}`));
    if (checked.cosigner.toLowerCase() === me.toLowerCase()) return setError(() => (tr: Translate) => tr("walletGovernance.answerYours"));
    if (cosigners.some((c) => c.cosigner === checked.cosigner)) return setError(() => (tr: Translate) => tr("walletGovernance.answerTwice"));
    setCosigners((now) => [...now, checked]);
    setAnswer("");
  };

  const submit = async () => {
    setState("sending");
    setSendError(undefined);
    try {
      await client.data!.governance.proposeWithCosigners({
        targets: draft.targets,
        values: draft.values.map(BigInt),
        calldatas: draft.calldatas,
        description: draft.description,
        deadline: BigInt(draft.deadline),
        cosigners: cosigners.map((c) => ({ address: c.cosigner, signature: c.signature })),
        gasless: true,
        wait: true,
      });
      setState("done");
    } catch (e) {
      setSendError(() => (tr: Translate, fm: Format) => writeErrorMessage(e, tr, fm));
      setState("gathering");
    }
  };

  return (
    <section className="card" aria-labelledby="draft-gather">
      <h2 id="draft-gather" translate="no">
        {draft.description}
      </h2>
      <Calls proposal={draft} />
      {state === "done" ? (
        <p className="proven" role="status" data-testid="proposal-submitted">
          ✓ {t("walletGovernance.submitted", { count: cosigners.length })}
        </p>
      ) : (
        <>
          <p>{t("walletGovernance.shareLead", { date: f.dateTime(draft.deadline) })}</p>
          <p className="confirm-text">
            <a href={link} data-testid="cosign-link">
              {t("walletGovernance.shareLink")}
            </a>{" "}
            <CopyButton value={link} label={t("walletGovernance.shareLink")} />
          </p>
          <QueryState query={charters}>
            {(list) => {
              const share = list.items[list.items.length - 1]?.cosignShareBps ?? 0;
              if (members.data === undefined) return <Loading />;
              // The charter's rule: signers (the proposer and co-signers) × 10 000 ≥ share × members.
              const needed = Number((BigInt(share) * members.data + 9_999n) / 10_000n);
              const signers = cosigners.length + 1;
              return (
                <>
                  <CountToward
                    label={t("walletGovernance.signers")}
                    count={signers}
                    needed={needed}
                    reached="ok"
                    text={t("walletGovernance.signersOf", { count: signers, needed: f.number(needed) })}
                  />
                  <form onSubmit={(e) => void add(e)} noValidate>
                    <label htmlFor="cosign-answer">{t("walletGovernance.answerLabel")}</label>
                    <input id="cosign-answer" value={answer} onChange={(e) => setAnswer(e.target.value)} aria-invalid={!!error} aria-describedby="cosign-answer-error" translate="no" />
                    <FieldError id="cosign-answer-error" message={error?.(t, f)} />
                    <button type="submit" className="button button-secondary">
                      {t("walletGovernance.answerAdd")}
                    </button>
                  </form>
                  <button type="button" className="button" disabled={state === "sending" || signers < needed} onClick={() => void submit()}>
                    {state === "sending" ? t("walletGovernance.sending") : t("walletGovernance.submit")}
                  </button>
                  {signers < needed && <p className="muted small">{t("walletGovernance.needMore", { count: needed - signers })}</p>}
                </>
              );
            }}
          </QueryState>
          <FieldError message={sendError?.(t, f)} />
        </>
      )}
    </section>
  );
}
