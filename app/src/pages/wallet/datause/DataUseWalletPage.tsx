import { useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { Address } from "viem";
import { dataCategories, type CityClient, type MemberPurpose, type VerifiedAccess } from "@cityledger/sdk";
import type { City } from "../../../api/city";
import { nodeJson } from "../../../api/node";
import { useFormat, useT, type MessageKey } from "../../../i18n";
import { Hash } from "../../../ui/Hash";
import { ErrorState, Loading, QueryState } from "../../../ui/States";
import { useSignedClient } from "../../../wallet/session";
import { FieldError } from "../FieldError";
import { SignedInPage } from "../SignedInPage";
import { refusal, type Said } from "../say";
import "../wallet.css";
import "./datause.css";

export default function DataUseWalletPage() {
  const t = useT();
  return <SignedInPage title={t("walletDatause.title")}>{(city, me) => <MyDataUse city={city} me={me} />}</SignedInPage>;
}

const purposesKey = (me: Address) => ["wallet", "datause", "purposes", me] as const;

function MyDataUse({ city, me }: { city: City; me: Address }) {
  const t = useT();
  const purposes = useQuery({
    queryKey: purposesKey(me),
    enabled: city.client !== undefined,
    queryFn: () => (city.client as CityClient).datause.getMemberPurposes({ member: me }),
  });
  return (
    <>
      <p className="lead">{t("walletDatause.lead")}</p>
      <Accesses city={city} me={me} />
      <section aria-labelledby="purposes-title">
        <h2 id="purposes-title">{t("walletDatause.purposesTitle")}</h2>
        <p>{t("walletDatause.purposesLead")}</p>
        <QueryState query={purposes}>
          {(list) =>
            list.length === 0 ? <p className="muted">{t("walletDatause.noPurpose")}</p> : list.map((p) => <Purpose key={p.purposeId} purpose={p} me={me} />)
          }
        </QueryState>
      </section>
    </>
  );
}

/** Category names of a bit set, in the explorer's words. */
function categoryNames(t: ReturnType<typeof useT>, bits: number): string {
  return Object.entries(dataCategories)
    .filter(([, bit]) => (bits & bit) !== 0)
    .map(([name]) => t(`datause.category_${name}` as MessageKey))
    .join(", ");
}

const DAY = 86_400;

/** One purpose: who, why (its legal basis), which data, for how long, and the member's consent with its button. */
function Purpose({ purpose: p, me }: { purpose: MemberPurpose; me: Address }) {
  const t = useT();
  const f = useFormat();
  const client = useSignedClient();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Said>();
  const [done, setDone] = useState<"granted" | "withdrawn">();
  const granted = p.consent?.granted === true;
  const change = async (grant: boolean) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const c = client.data!;
      const purposeId = BigInt(p.purposeId);
      if (grant) await c.datause.grantConsent({ purposeId, gasless: true, wait: true });
      else await c.datause.withdrawConsent({ purposeId, gasless: true, wait: true });
      setDone(grant ? "granted" : "withdrawn");
      // The node projects the new consent a block or two after the chain has it: ask again until it shows.
      for (let attempt = 0; attempt < 20; attempt++) {
        const list = await c.datause.getMemberPurposes({ member: me });
        if ((list.find((x) => x.purposeId === p.purposeId)?.consent?.granted === true) === grant) {
          queryClient.setQueryData(purposesKey(me), list);
          break;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    } catch (e) {
      setError(refusal(e, "walletDatause"));
    } finally {
      setBusy(false);
    }
  };
  const purposeName = t("datause.purposeName", { id: p.purposeId });
  return (
    <article className={`card purpose${p.active ? "" : " purpose-retired"}`} aria-labelledby={`purpose-${p.purposeId}`} data-purpose={p.purposeId}>
      <h3 id={`purpose-${p.purposeId}`}>{purposeName}</h3>
      <dl className="facts">
        <dt>{t("walletDatause.processor")}</dt>
        <dd>
          {t("datause.processorName", { id: p.processorId })}
          {p.contactUri && (
            <>
              {" · "}
              <a href={p.contactUri} rel="noreferrer">
                {t("walletDatause.contact")}
              </a>
            </>
          )}
        </dd>
        <dt>{t("walletDatause.basis")}</dt>
        <dd>{t(`datause.basis_${p.legalBasis}` as MessageKey)}</dd>
        <dt>{t("walletDatause.categories")}</dt>
        <dd>{categoryNames(t, p.categories)}</dd>
        <dt>{t("walletDatause.retention")}</dt>
        <dd>{t("walletDatause.retentionDays", { days: Math.round(p.retention / DAY) })}</dd>
        <dt>{t("walletDatause.consent")}</dt>
        <dd data-consent={p.consentBased ? (granted ? "granted" : "none") : "not-needed"}>
          {!p.consentBased
            ? t("walletDatause.consentNotNeeded")
            : granted
              ? t("walletDatause.consentGiven")
              : p.consent?.lapsed
                ? t("walletDatause.consentLapsed")
                : p.consent
                  ? t("walletDatause.consentWithdrawn")
                  : t("walletDatause.consentNever")}
        </dd>
      </dl>
      {!p.active && <p className="muted">{t("walletDatause.retired")}</p>}
      {done && (
        <p className="proven" role="status">
          ✓ {t(done === "granted" ? "walletDatause.grantedNow" : "walletDatause.withdrawnNow")}
        </p>
      )}
      {p.consentBased && (
        <div className="actions">
          {granted ? (
            <button type="button" className="button button-secondary" disabled={busy || !client.data} onClick={() => void change(false)}>
              {busy ? t("walletDatause.sending") : t("walletDatause.withdraw", { purpose: purposeName })}
            </button>
          ) : (
            p.active && (
              <button type="button" className="button" disabled={busy || !client.data} onClick={() => void change(true)}>
                {busy ? t("walletDatause.sending") : t("walletDatause.grant", { purpose: purposeName })}
              </button>
            )
          )}
        </div>
      )}
      <FieldError message={error?.say(t, f)} />
    </article>
  );
}

/** YYYYMM → "2026-11". */
const periodText = (period: number) => `${Math.floor(period / 100)}-${String(period % 100).padStart(2, "0")}`;

interface NodeAccess {
  processorId: string;
  period: number;
  index: number;
  record: { purposeId: string; category: number; count: number; timeBucket: number };
  violation?: string;
}

/**
 * Every access to the member's data the processors recorded, each checked in this page by the SDK against the chain
 * (salt commitment, pseudonym, inclusion proof to the batch's on-chain root). Shown as verified only when that
 * passed; otherwise the node's list is shown, marked unverified, with the reason.
 */
function Accesses({ city, me }: { city: City; me: Address }) {
  const t = useT();
  const verified = useQuery({
    queryKey: ["wallet", "datause", "accesses", me],
    enabled: city.client !== undefined,
    retry: false,
    queryFn: () => (city.client as CityClient).datause.getMyAccesses({ member: me }),
  });
  const unverified = useQuery({
    queryKey: ["wallet", "datause", "accesses-unverified", me],
    enabled: verified.isError,
    queryFn: () => nodeJson<{ accesses: NodeAccess[] }>(`/v1/datause/members/${me}/accesses`),
  });
  return (
    <section aria-labelledby="accesses-title">
      <h2 id="accesses-title">{t("walletDatause.accessesTitle")}</h2>
      <p>{t("walletDatause.accessesLead")}</p>
      {verified.isPending ? (
        <Loading label={t("walletDatause.verifying")} />
      ) : verified.isError ? (
        <>
          <p className="notice notice-error" role="alert" data-testid="accesses-unverified">
            {t("walletDatause.notVerified", { reason: (verified.error as { shortMessage?: string }).shortMessage ?? verified.error.message })}
          </p>
          {unverified.isError ? (
            <ErrorState error={unverified.error} retry={() => void unverified.refetch()} />
          ) : !unverified.data ? (
            <Loading />
          ) : (
            <AccessList items={unverified.data.accesses.map((a) => ({ ...a, purposeId: a.record.purposeId, verified: undefined }))} />
          )}
        </>
      ) : verified.data.length === 0 ? (
        <p className="muted">{t("walletDatause.noAccess")}</p>
      ) : (
        <AccessList
          items={verified.data.map((a: VerifiedAccess) => ({
            processorId: a.processorId.toString(),
            period: a.period,
            index: a.index,
            purposeId: a.record.purposeId.toString(),
            record: a.record,
            violation: a.violation,
            verified: a.root,
          }))}
        />
      )}
    </section>
  );
}

interface AccessItem {
  processorId: string;
  period: number;
  index: number;
  purposeId: string;
  record: { category: number; count: number; timeBucket: number };
  violation?: string | undefined;
  /** The on-chain root its proof verified against; undefined: not verified. */
  verified: string | undefined;
}

function AccessList({ items }: { items: AccessItem[] }) {
  const t = useT();
  const f = useFormat();
  const sorted = [...items].sort((a, b) => b.record.timeBucket - a.record.timeBucket || Number(a.processorId) - Number(b.processorId));
  const violations = sorted.filter((a) => a.violation);
  return (
    <>
      {violations.length > 0 && (
        <p className="notice notice-error" role="alert" data-testid="violations">
          <strong>{t("walletDatause.violationsCount", { count: violations.length })}</strong> {t("walletDatause.violationsWhat")}
        </p>
      )}
      <ul className="accesses" aria-label={t("walletDatause.accessesTitle")}>
        {sorted.map((a) => (
          <li
            key={`${a.processorId}/${a.period}/${a.index}`}
            className={a.violation ? "access access-violation" : "access"}
            data-access={`${a.processorId}/${a.period}/${a.index}`}
            data-violation={a.violation ?? ""}
            data-verified={a.verified ? "yes" : "no"}
          >
            <span className="access-what">
              {t("walletDatause.accessLine", {
                processor: t("datause.processorName", { id: a.processorId }),
                purpose: t("datause.purposeName", { id: a.purposeId }),
                category: categoryNames(t, a.record.category),
                count: a.record.count,
              })}
            </span>
            <span className="muted small">
              {t("walletDatause.accessWhen", { time: f.dateTime(a.record.timeBucket), period: periodText(a.period) })}
            </span>
            {a.violation && (
              <span className="access-flag">
                ⚠ {t(a.violation === "undeclared-purpose" ? "walletDatause.violationUndeclared" : "walletDatause.violationNoConsent")}
              </span>
            )}
            {a.verified ? (
              <span className="proven small">
                ✓ {t("walletDatause.verified")} <Hash value={a.verified} label={t("walletDatause.root")} />
              </span>
            ) : (
              <span className="muted small">{t("walletDatause.unverifiedItem")}</span>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
