import { useState } from "react";
import type { Address } from "viem";
import { cityGovernorAbi } from "@cityledger/sdk";
import { useFormat, useT, type Format, type Translate } from "../../../i18n";
import { CopyButton } from "../../../ui/Hash";
import { Loading } from "../../../ui/States";
import { Calls } from "../../governance/ProposalPage";
import { useChainRead, useSignedClient } from "../../../wallet/session";
import { FieldError } from "../FieldError";
import { SignedInPage } from "../SignedInPage";
import { useMember } from "../member";
import type { Say } from "../say";
import { writeErrorMessage } from "../writeErrors";
import { decodeDraft, draftProposalId, encodeAnswer, type Draft } from "./draft";
import "../wallet.css";

export default function CosignPage() {
  const t = useT();
  // The draft is in the fragment, which the browser never sends: the node does not see drafts.
  const draft = decodeDraft(window.location.hash.slice(1));
  return (
    <SignedInPage title={t("walletGovernance.cosignTitle")}>
      {(_city, me) =>
        draft ? (
          <Cosign draft={draft} me={me} />
        ) : (
          <p className="notice notice-error" role="alert">
            {t("walletGovernance.draftInvalid")}
          </p>
        )
      }
    </SignedInPage>
  );
}

function Cosign({ draft, me }: { draft: Draft; me: Address }) {
  const t = useT();
  const f = useFormat();
  const client = useSignedClient();
  const { record } = useMember(me);
  const [answer, setAnswer] = useState<string>();
  const [error, setError] = useState<Say>();
  const [busy, setBusy] = useState(false);
  const id = useChainRead(["draft-id", draft.targets, draft.calldatas, draft.description], (c) => draftProposalId(c, draft));

  const cosign = async () => {
    const c = client.data!;
    setBusy(true);
    setError(undefined);
    try {
      // Refused before anything is signed: a co-signature past its deadline, or for a proposal already on the agenda.
      const now = Number((await c.publicClient.getBlock({ blockTag: "latest" })).timestamp);
      if (now > draft.deadline) return setError(() => (tr: Translate, fm: Format) => tr("walletGovernance.cosignExpired", { date: fm.dateTime(draft.deadline) }));
      if (record?.status !== "active") return setError(() => (tr: Translate) => tr("walletGovernance.cosignNotMember"));
      const snapshot = await c.publicClient.readContract({ address: c.addresses.cityGovernor!, abi: cityGovernorAbi, functionName: "proposalSnapshot", args: [id.data!] });
      if (snapshot !== 0n) return setError(() => (tr: Translate) => tr("walletGovernance.cosignAlreadyProposed"));
      const signature = await c.governance.signCosign({ proposalId: id.data!, deadline: BigInt(draft.deadline) });
      setAnswer(encodeAnswer(me, signature));
    } catch (e) {
      setError(() => (tr: Translate, fm: Format) => writeErrorMessage(e, tr, fm));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="cosign-draft">
      <h2 id="cosign-draft" translate="no">
        {draft.description}
      </h2>
      <p>{t("walletGovernance.cosignLead", { date: f.dateTime(draft.deadline) })}</p>
      <Calls proposal={draft} />
      {id.data === undefined ? (
        <Loading />
      ) : answer ? (
        <>
          <p className="proven" role="status">
            ✓ {t("walletGovernance.cosigned")}
          </p>
          <label htmlFor="cosign-answer-out">{t("walletGovernance.answerOut")}</label>
          <textarea id="cosign-answer-out" readOnly value={answer} rows={4} translate="no" data-testid="cosign-answer" />
          <CopyButton value={answer} label={t("walletGovernance.answerOut")} />
        </>
      ) : (
        <button type="button" className="button" disabled={busy} onClick={() => void cosign()}>
          {busy ? t("walletGovernance.sending") : t("walletGovernance.cosign")}
        </button>
      )}
      <FieldError message={error?.(t, f)} />
    </section>
  );
}
