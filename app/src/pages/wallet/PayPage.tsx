import { useId, useState, type FormEvent } from "react";
import { Link, useSearch } from "wouter";
import { getAddress, isAddress, parseEventLogs, type Address, type Hash as TxHash } from "viem";
import { cityCoinAbi } from "@cityledger/sdk/abis";
import { formatCity, type VerifiedReceipt } from "@cityledger/sdk";
import type { City } from "../../api/city";
import { nodeJson } from "../../api/node";
import { useFormat, useT, type MessageKey } from "../../i18n";
import { Hash } from "../../ui/Hash";
import { Loading } from "../../ui/States";
import { useSignedClient } from "../../wallet/session";
import type { AccountJson } from "./moves";
import { MAX_PAYMENT, parseEuroAmount, parsePaymentRequest, requestFromPasted, type LinkProblem } from "./pay";
import { writeErrorMessage } from "./writeErrors";
import { SignedInPage } from "./SignedInPage";
import "./wallet.css";
import { AmountField } from "./AmountField";
import { FieldError } from "./FieldError";

export default function PayPage() {
  const t = useT();
  return <SignedInPage title={t("wallet.payTitle")}>{(city, me) => <Pay city={city} me={me} />}</SignedInPage>;
}

type Stage =
  | { step: "form" }
  | { step: "confirm"; to: Address; units: bigint }
  | { step: "sending"; to: Address; units: bigint }
  | { step: "proving"; to: Address; units: bigint; txHash: TxHash }
  | { step: "done"; to: Address; units: bigint; txHash: TxHash; receipt: VerifiedReceipt };

/** The form, its checks (before anything is signed), the confirmation, the relayed payment and its proof in the log. */
function Pay({ city, me }: { city: City; me: Address }) {
  const t = useT();
  const format = useFormat();
  const id = useId();
  const client = useSignedClient();
  const search = new URLSearchParams(useSearch());
  const coin = city.deployment.addresses.cityCoin;
  // A merchant's link (`/wallet/pay?request=ethereum:…`) arrives with its request, checked like a pasted one.
  const [opened] = useState(() => {
    const request = search.get("request");
    return request === null ? undefined : parsePaymentRequest(request, coin, city.deployment.chainId);
  });
  const [to, setTo] = useState(opened && "to" in opened ? opened.to : "");
  const [amount, setAmount] = useState(opened && "units" in opened ? formatCity(opened.units) : "");
  const [link, setLink] = useState(search.get("request") ?? "");
  const [errors, setErrors] = useState<{ to?: string; amount?: string; link?: string; send?: string }>(() =>
    opened && "problem" in opened ? { link: linkMessage(opened.problem) } : {},
  );
  const [stage, setStage] = useState<Stage>({ step: "form" });

  const useLink = () => {
    const parsed = parsePaymentRequest(requestFromPasted(link), coin, city.deployment.chainId);
    if ("problem" in parsed) return setErrors({ link: linkMessage(parsed.problem) });
    setTo(parsed.to);
    setAmount(formatCity(parsed.units));
    setErrors({});
  };
  function linkMessage(problem: LinkProblem): string {
    return problem.key === "linkOtherChain" ? t("wallet.linkOtherChain", { chainId: String(problem.chainId) }) : t(`wallet.${problem.key}`);
  }

  const review = async (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    const found: typeof errors = {};
    const parsed = parseEuroAmount(amount);
    if ("problem" in parsed) found.amount = t(`wallet.${parsed.problem}` as MessageKey, { max: format.euro(MAX_PAYMENT) });
    if (!isAddress(to.trim(), { strict: false })) found.to = t("wallet.badAddress");
    else if (to.trim().toLowerCase() === me.toLowerCase()) found.to = t("wallet.selfPayment");
    if (!found.to || !found.amount) {
      // The currency only moves between active members and city accounts: ask the node before anything is signed.
      let recipient: AccountJson | undefined, mine: AccountJson;
      try {
        [recipient, mine] = await Promise.all([
          found.to ? undefined : nodeJson<AccountJson>(`/v1/accounts/${to.trim()}?limit=1`),
          nodeJson<AccountJson>(`/v1/accounts/${me}?limit=1`),
        ]);
      } catch (error) {
        return setErrors({ send: writeErrorMessage(error, t, format) });
      }
      if (recipient && !recipient.member && !recipient.cityAccount) found.to = t("wallet.notRecipient");
      if ("units" in parsed && parsed.units > BigInt(mine.balance)) found.amount = t("wallet.overBalance", { balance: format.euro(mine.balance) });
    }
    setErrors(found);
    if (found.to || found.amount || !("units" in parsed)) return;
    setStage({ step: "confirm", to: getAddress(to.trim()), units: parsed.units });
  };

  const send = async (target: Address, units: bigint) => {
    setStage({ step: "sending", to: target, units });
    const c = client.data!;
    let txHash: TxHash;
    try {
      txHash = await c.currency.transfer({ to: target, amount: units, gasless: true, wait: true });
    } catch (error) {
      setErrors({ send: writeErrorMessage(error, t, format) });
      return setStage({ step: "form" });
    }
    setStage({ step: "proving", to: target, units, txHash });
    // The payment is final on chain; its proof waits for the node to log it under a signed checkpoint (a second or two).
    const receipt = await c.publicClient.getTransactionReceipt({ hash: txHash });
    const [transfer] = parseEventLogs({ abi: cityCoinAbi, eventName: "Transfer", logs: receipt.logs });
    for (let attempt = 0; ; attempt++) {
      try {
        const proven = await c.ledger.verifyReceipt({ txHash, logIndex: transfer!.logIndex, verifierKey: city.node.verifierKey });
        return setStage({ step: "done", to: target, units, txHash, receipt: proven });
      } catch (error) {
        if (attempt >= 30) return setErrors({ send: writeErrorMessage(error, t, format) });
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  };

  if (stage.step === "confirm" || stage.step === "sending") {
    return (
      <section className="card" aria-labelledby="confirm-title">
        <h2 id="confirm-title">{t("wallet.payConfirmTitle")}</h2>
        <p className="confirm-text">{t("wallet.payConfirmText", { amount: format.euro(stage.units), to: stage.to })}</p>
        {stage.step === "sending" ? (
          <Loading label={t("wallet.paySending")} />
        ) : (
          <div className="actions">
            <button type="button" className="button" disabled={!client.data} onClick={() => void send(stage.to, stage.units)}>
              {t("wallet.payConfirm")}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setStage({ step: "form" })}>
              {t("wallet.payEdit")}
            </button>
          </div>
        )}
      </section>
    );
  }
  if (stage.step === "proving" || stage.step === "done") {
    return (
      <section className="card" aria-labelledby="paid-title" data-testid="payment-done">
        <h2 id="paid-title">{t("wallet.paySent", { amount: format.euro(stage.units), to: stage.to })}</h2>
        <p>
          <Hash value={stage.txHash} />
        </p>
        {stage.step === "proving" ? (
          errors.send ? (
            <FieldError message={errors.send} />
          ) : (
            <Loading label={t("wallet.payProving")} />
          )
        ) : (
          <>
            <p className="proven" role="status" data-testid="payment-proven">
              ✓ {t("wallet.payProven", { seq: stage.receipt.seq, size: stage.receipt.treeSize })}
            </p>
            <p>
              <Link href={`/verify/${stage.receipt.seq}`}>{t("wallet.payProofLink")}</Link>
            </p>
          </>
        )}
        <p>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              setTo("");
              setAmount("");
              setErrors({});
              setStage({ step: "form" });
            }}
          >
            {t("wallet.payAnother")}
          </button>
        </p>
      </section>
    );
  }
  return (
    <>
      <p className="lead">{t("wallet.payLead")}</p>
      {errors.send && (
        <p className="notice notice-error" role="alert">
          {t("wallet.refused")} {errors.send}
        </p>
      )}
      <form className="card" onSubmit={(e) => void review(e)} noValidate>
        <label htmlFor={`${id}-to`}>{t("wallet.payTo")}</label>
        <input
          id={`${id}-to`}
          value={to}
          onChange={(e) => setTo(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          translate="no"
          aria-invalid={errors.to ? true : undefined}
          aria-describedby={errors.to ? `${id}-to-error` : undefined}
        />
        <FieldError id={`${id}-to-error`} message={errors.to} />
        <AmountField value={amount} onChange={setAmount} error={errors.amount} />
        <button type="submit" className="button">
          {t("wallet.payReview")}
        </button>
      </form>
      <div className="card">
        <label htmlFor={`${id}-link`}>{t("wallet.payLink")}</label>
        <input id={`${id}-link`} value={link} onChange={(e) => setLink(e.target.value)} autoComplete="off" spellCheck={false} translate="no" />
        <FieldError message={errors.link} />
        <button type="button" className="button button-secondary" onClick={useLink}>
          {t("wallet.payLinkUse")}
        </button>
      </div>
    </>
  );
}
