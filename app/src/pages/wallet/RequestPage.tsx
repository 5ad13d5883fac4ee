import { useEffect, useState, type FormEvent } from "react";
import { Link } from "wouter";
import type { Address } from "viem";
import type { City } from "../../api/city";
import { nodeJson } from "../../api/node";
import { useNodeQuery } from "../../api/query";
import { useFormat, useT, type MessageKey } from "../../i18n";
import { CopyButton, Hash } from "../../ui/Hash";
import { QrCode } from "../../ui/QrCode";
import { Loading } from "../../ui/States";
import type { AccountJson, TransferJson } from "./moves";
import { MAX_PAYMENT, parseEuroAmount, payLink, paymentRequest } from "./pay";
import { AmountField } from "./AmountField";
import { writeErrorMessage } from "./writeErrors";
import { SignedInPage } from "./SignedInPage";
import "./wallet.css";

/** How often the page looks for the payment while it waits (the node's account read, a few moves deep). */
const WATCH_EVERY_MS = 2000;

export default function RequestPage() {
  const t = useT();
  return <SignedInPage title={t("wallet.requestTitle")}>{(city, me) => <Request city={city} me={me} />}</SignedInPage>;
}

/** A shown request: what it asks, and the newest entry of the account when it was made (a payment comes after). */
interface Shown {
  units: bigint;
  request: string;
  after: number;
}

/** A merchant (any member) asks for an amount: an EIP-681 request as a QR code and a link, then the payment as it arrives. */
function Request({ city, me }: { city: City; me: Address }) {
  const t = useT();
  const format = useFormat();
  const [amount, setAmount] = useState("");
  const [error, setError] = useState<string>();
  const [shown, setShown] = useState<Shown>();

  const show = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseEuroAmount(amount);
    if ("problem" in parsed) return setError(t(`wallet.${parsed.problem}` as MessageKey, { max: format.euro(MAX_PAYMENT) }));
    setError(undefined);
    let account: AccountJson;
    try {
      account = await nodeJson<AccountJson>(`/v1/accounts/${me}?order=desc&limit=1`);
    } catch (e) {
      return setError(writeErrorMessage(e, t, format));
    }
    const request = paymentRequest(city.deployment.addresses.cityCoin, city.deployment.chainId, me, parsed.units);
    setShown({ units: parsed.units, request, after: account.history[0]?.seq ?? -1 });
  };

  if (shown) return <ShownRequest shown={shown} me={me} onNew={() => (setShown(undefined), setAmount(""))} />;
  return (
    <>
      <p className="lead">{t("wallet.requestLead")}</p>
      <form className="card" onSubmit={(e) => void show(e)} noValidate>
        <AmountField value={amount} onChange={setAmount} error={error} />
        <button type="submit" className="button">
          {t("wallet.requestShow")}
        </button>
      </form>
    </>
  );
}

function ShownRequest({ shown, me, onNew }: { shown: Shown; me: Address; onNew: () => void }) {
  const t = useT();
  const format = useFormat();
  const [paid, setPaid] = useState<TransferJson>();
  const link = payLink(window.location.origin, shown.request);
  // Watched until paid: the first transfer to this account of exactly this amount after the request was shown (kept
  // once seen, as later moves push it out of the newest ten).
  const account = useNodeQuery<AccountJson>(`/v1/accounts/${me}?order=desc&limit=10`, { refetchInterval: paid ? false : WATCH_EVERY_MS });
  const match = account.data?.history.findLast(
    (m) => m.seq > shown.after && m.kind === "transfer" && m.to.toLowerCase() === me.toLowerCase() && BigInt(m.amount) === shown.units,
  );
  useEffect(() => {
    if (match && !paid) setPaid(match);
  }, [match, paid]);
  const amount = format.euro(shown.units);
  return (
    <section className="card request" aria-labelledby="request-title">
      <h2 id="request-title">{t("wallet.requestFor", { amount })}</h2>
      <p className="muted">{t("wallet.requestScan")}</p>
      <QrCode text={shown.request} label={t("wallet.requestQrLabel", { amount })} />
      <p>
        <a href={link} data-testid="request-link">
          {t("wallet.requestOpenLink")}
        </a>{" "}
        <CopyButton value={link} label={t("wallet.requestCopyLink")} />
      </p>
      <p className="request-text">
        <code translate="no" data-testid="request-eip681">
          {shown.request}
        </code>{" "}
        <CopyButton value={shown.request} label={t("wallet.requestCopyText")} />
      </p>
      {paid ? (
        <p className="proven" role="status" data-testid="request-paid">
          ✓ {t("wallet.requestPaid", { amount })} <Hash value={paid.from} label={t("wallet.requestPayer")} /> ·{" "}
          <Link href={`/verify/${paid.seq}`}>{t("wallet.entryNo", { seq: format.number(paid.seq) })}</Link>
        </p>
      ) : (
        <Loading label={t("wallet.requestWaiting")} />
      )}
      <p>
        <button type="button" className="button button-secondary" onClick={onNew}>
          {t("wallet.requestNew")}
        </button>
      </p>
    </section>
  );
}
