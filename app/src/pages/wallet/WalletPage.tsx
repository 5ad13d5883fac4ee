import { useState, type ReactNode } from "react";
import { Link } from "wouter";
import type { Address } from "viem";
import { useCity, type City } from "../../api/city";
import { useNodeQuery } from "../../api/query";
import { useFormat, useT, type MessageKey } from "../../i18n";
import { Hash, shorten } from "../../ui/Hash";
import { PageTitle } from "../../ui/PageTitle";
import { QueryState } from "../../ui/States";
import { listKeys } from "../../wallet/keystore";
import { useSession } from "../../wallet/session";
import type { Signer } from "../../wallet/signer";
import { collegeName, districtName } from "../governance/labels";
import { SignIn } from "./SignIn";
import { useMember } from "./member";
import { moveKind, type AccountJson } from "./moves";
import { VotesLink } from "./votes/reveals";
import "./wallet.css";

export default function WalletPage() {
  const t = useT();
  const city = useCity();
  const { signer } = useSession();
  return (
    <>
      <PageTitle title={t("wallet.title")}>{t("wallet.title")}</PageTitle>
      <QueryState query={city}>
        {(c) => (!c.node.rpcUrl ? <p className="notice">{t("wallet.noRpc")}</p> : signer ? <Account city={c} signer={signer} /> : <SignIn city={c} />)}
      </QueryState>
    </>
  );
}

function Account({ city, signer }: { city: City; signer: Signer }) {
  const t = useT();
  const { signOut } = useSession();
  const kind = t(`wallet.kind_${signer.kind}` as MessageKey, signer.kind === "demo" ? { n: String(signer.index) } : undefined);
  return (
    <>
      <section className="card signed-in" aria-label={t("wallet.signedInAs")}>
        <p>
          {t("wallet.signedInAs")} <Hash value={signer.address} /> <span className="muted">({kind})</span>
        </p>
        <div className="actions">
          {signer.kind === "cityKey" && <ExportBackup city={city} address={signer.address} />}
          <button type="button" className="button button-secondary" onClick={signOut} data-testid="sign-out">
            {signer.kind === "cityKey" ? t("wallet.lock") : t("wallet.signOut")}
          </button>
        </div>
      </section>
      <Membership address={signer.address} />
      <Money city={city} address={signer.address} />
    </>
  );
}

/** Downloads the sealed key as saved in this browser: still encrypted, useless without the passphrase. */
function ExportBackup({ city, address }: { city: City; address: Address }) {
  const t = useT();
  const download = async () => {
    const sealed = (await listKeys(city.deployment.chainId)).find((k) => k.address.toLowerCase() === address.toLowerCase());
    if (!sealed) return;
    const url = URL.createObjectURL(new Blob([JSON.stringify(sealed, null, 2)], { type: "application/json" }));
    const a = Object.assign(document.createElement("a"), { href: url, download: `cityledger-key-${shorten(address, 4)}.json` });
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <button type="button" className="button button-secondary" onClick={() => void download()}>
      {t("wallet.exportBackup")}
    </button>
  );
}

const FLAG_KEYS: MessageKey[] = ["wallet.flag_resident", "wallet.flag_merchant", "wallet.flag_prosumer", "wallet.flag_parkingOwner", "wallet.flag_association"];

function Membership({ address }: { address: Address }) {
  const t = useT();
  const format = useFormat();
  const { member, record: m } = useMember(address);
  if (!m) return <QueryState query={member}>{() => null}</QueryState>;
  const flags = FLAG_KEYS.filter((_, bit) => (BigInt(m.flags) >> BigInt(bit)) & 1n).map((key) => t(key));
  return (
    <section className="card" aria-labelledby="membership-title">
      <h2 id="membership-title">{t("wallet.membership")}</h2>
      <p className={`member-status status-${m.status}`} data-status={m.status}>
        {t(`wallet.status_${m.status}` as MessageKey)}
      </p>
      {m.status !== "active" && <p role="status">{t(`wallet.statusWhy_${m.status}` as MessageKey)}</p>}
      {m.migratedTo && <p className="notice">{t("wallet.migratedTo", { to: m.migratedTo })}</p>}
      {m.pendingMigration && (
        <p className="notice notice-warning" role="alert">
          {t("wallet.migrationPending", { to: m.pendingMigration.to, date: format.dateTime(m.pendingMigration.readyAt) })}
        </p>
      )}
      {m.status !== "none" && (
        <dl className="facts">
          <dt>{t("wallet.college")}</dt>
          <dd>{collegeName(t, m.college)}</dd>
          <dt>{t("wallet.district")}</dt>
          <dd>{districtName(t, m.district)}</dd>
          <dt>{t("wallet.since")}</dt>
          <dd>{format.date(m.since)}</dd>
          <dt>{t("wallet.flags")}</dt>
          <dd>{flags.length ? flags.join(", ") : t("wallet.noFlags")}</dd>
        </dl>
      )}
    </section>
  );
}

const PAGE = 10;
const MINTED_OR_BURNED = new Set(["issue", "redeem", "fee"]);

function Money({ city, address }: { city: City; address: Address }) {
  const t = useT();
  const format = useFormat();
  const [offset, setOffset] = useState(0);
  const account = useNodeQuery<AccountJson>(`/v1/accounts/${address}?order=desc&limit=${PAGE}&offset=${offset}`);
  return (
    <QueryState query={account}>
      {(a) => (
        <>
          <section className="card" aria-labelledby="money-title">
            <h2 id="money-title">{t("wallet.balance")}</h2>
            <p className="balance" data-testid="balance">
              {format.euro(a.balance)}
            </p>
            <p className="actions">
              <Link href="/wallet/pay" className="button">
                {t("wallet.pay")}
              </Link>
              <Link href="/wallet/request" className="button button-secondary">
                {t("wallet.requestNav")}
              </Link>
            </p>
          </section>
          <Services me={address} />
          <section className="card" aria-labelledby="history-title">
            <h2 id="history-title">{t("wallet.history")}</h2>
            {a.history.length === 0 ? (
              <p className="muted">{t("wallet.historyEmpty")}</p>
            ) : (
              <ul className="moves" aria-label={t("wallet.history")}>
                {a.history.map((move) => {
                  const outgoing = move.from.toLowerCase() === address.toLowerCase();
                  const kind = moveKind(move, address, city.deployment.addresses);
                  return (
                    <li key={move.seq} className="move" data-move={kind}>
                      <span className="move-kind">{t(`wallet.move_${kind}` as MessageKey)}</span>
                      <span className={`move-amount ${outgoing ? "out" : "in"}`}>
                        {outgoing ? "−" : "+"}
                        {format.euro(move.amount)}
                      </span>
                      <span className="move-detail muted small">
                        {/* Coins issued, redeemed or charged as a fee come from or go to no one (address zero). */}
                        {!MINTED_OR_BURNED.has(kind) && (
                          <>
                            {t("wallet.counterparty")} <Hash value={outgoing ? move.to : move.from} /> ·{" "}
                          </>
                        )}
                        <Link href={`/log/${move.seq}`}>{t("wallet.entryNo", { seq: format.number(move.seq) })}</Link>
                      </span>
                    </li>
                  );
                })}
              </ul>
            )}
            <HistoryPager total={a.total} offset={offset} onChange={setOffset} />
          </section>
        </>
      )}
    </QueryState>
  );
}

/**
 * The city's services, one tap each: a grid of equal tiles rather than a row of buttons, which on a phone had
 * stacked ten high between the balance and its history.
 */
function Services({ me }: { me: Address }) {
  const t = useT();
  const link = (href: string, key: MessageKey) => (
    <Link href={href} className="button button-secondary">
      {t(key)}
    </Link>
  );
  const tiles: [string, ReactNode][] = [
    ["income", link("/wallet/income", "wallet.incomeNav")],
    ["parking", link("/wallet/parking", "walletParking.nav")],
    ["energy", link("/wallet/energy", "walletEnergy.nav")],
    ["votes", <VotesLink me={me} />],
    ["governance", link("/wallet/governance", "walletGovernance.nav")],
    ["budget", link("/wallet/budget", "walletBudget.nav")],
    ["datause", link("/wallet/datause", "walletDatause.nav")],
  ];
  return (
    <nav className="card" aria-labelledby="services-title">
      <h2 id="services-title">{t("wallet.services")}</h2>
      <ul className="services">
        {tiles.map(([name, tile]) => (
          <li key={name}>{tile}</li>
        ))}
      </ul>
    </nav>
  );
}

/** Buttons, not links: the history pages within the wallet page (the signed-in state has no address to share). */
function HistoryPager({ total, offset, onChange }: { total: number; offset: number; onChange: (offset: number) => void }) {
  const t = useT();
  if (total <= PAGE) return null;
  return (
    <nav className="pager" aria-label={t("common.pagerLabel")}>
      <button type="button" className="button button-secondary" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - PAGE))}>
        ← {t("wallet.newer")}
      </button>
      <span>{t("wallet.historyStatus", { from: offset + 1, to: Math.min(total, offset + PAGE), total })}</span>
      <button type="button" className="button button-secondary" disabled={offset + PAGE >= total} onClick={() => onChange(offset + PAGE)}>
        {t("wallet.older")} →
      </button>
    </nav>
  );
}
