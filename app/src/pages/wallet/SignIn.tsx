import { useId, useState, type FormEvent } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { Address, EIP1193Provider } from "viem";
import type { City } from "../../api/city";
import { useT } from "../../i18n";
import { shorten } from "../../ui/Hash";
import { deleteKey, listKeys, saveKey } from "../../wallet/keystore";
import { useSession } from "../../wallet/session";
import { FieldError } from "./FieldError";
import { MIN_PASSPHRASE_LENGTH, NotASealedKeyError, openKey, parseSealedKey, sealKey, WrongPassphraseError, type SealedKey } from "../../wallet/vault";

const accounts = () => import("../../wallet/accounts");

/** The three ways in: a city key (saved, new, restored), a browser wallet, and in the dev city a demo member. */
export function SignIn({ city }: { city: City }) {
  const t = useT();
  const { lockedBecause } = useSession();
  return (
    <>
      <p className="lead">{t("wallet.signInLead")}</p>
      {lockedBecause === "inactivity" && (
        <p className="notice" role="status">
          {t("wallet.lockedInactivity")}
        </p>
      )}
      <CityKey city={city} />
      <Injected />
      {city.node.demoMembers !== undefined && <Demo count={city.node.demoMembers} />}
    </>
  );
}

function CityKey({ city }: { city: City }) {
  const t = useT();
  const chainId = city.deployment.chainId;
  const saved = useQuery({ queryKey: ["wallet", "keys", chainId], queryFn: () => listKeys(chainId) });
  return (
    <section className="card" aria-labelledby="city-key-title">
      <h2 id="city-key-title">{t("wallet.cityKeyTitle")}</h2>
      <p>{t("wallet.cityKeyLead")}</p>
      {saved.data && saved.data.length > 0 && (
        <>
          <h3>{t("wallet.savedKeys")}</h3>
          {saved.data.map((key) => (
            <Unlock key={key.address} sealed={key} />
          ))}
        </>
      )}
      <Create chainId={chainId} />
      <Restore chainId={chainId} />
    </section>
  );
}

/** One saved key: its address, a passphrase field, Unlock; a wrong passphrase says so and keeps the field. */
function Unlock({ sealed }: { sealed: SealedKey }) {
  const t = useT();
  const { signIn } = useSession();
  const queryClient = useQueryClient();
  const id = useId();
  const [passphrase, setPassphrase] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const phrase = await openKey(sealed, passphrase);
      const account = (await accounts()).phraseAccount(phrase);
      signIn({ kind: "cityKey", address: account.address, account });
    } catch (e) {
      setError(e instanceof WrongPassphraseError ? t("wallet.wrongPassphrase") : t("wallet.unknownError", { message: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  };
  const forget = async () => {
    if (!window.confirm(t("wallet.forgetConfirm", { address: sealed.address }))) return;
    await deleteKey(sealed.chainId, sealed.address);
    await queryClient.invalidateQueries({ queryKey: ["wallet", "keys"] });
  };
  return (
    <form className="key-unlock" onSubmit={submit} data-testid="unlock-form">
      <p>
        <code translate="no" title={sealed.address}>
          {shorten(sealed.address)}
        </code>
      </p>
      <label htmlFor={`${id}-pass`}>{t("wallet.passphrase")}</label>
      <input
        id={`${id}-pass`}
        type="password"
        autoComplete="current-password"
        value={passphrase}
        onChange={(e) => setPassphrase(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        required
      />
      <FieldError id={`${id}-error`} message={error} />
      <div className="actions">
        <button type="submit" className="button" disabled={busy}>
          {busy ? t("wallet.unlocking") : t("wallet.unlock")}
        </button>
        <button type="button" className="button button-secondary" onClick={() => void forget()}>
          {t("wallet.forget")}
        </button>
      </div>
    </form>
  );
}

/** Passphrase + confirmation, checked the same way wherever a key is sealed. */
function usePassphrasePair() {
  const t = useT();
  const [passphrase, setPassphrase] = useState("");
  const [again, setAgain] = useState("");
  const problem = (): string | undefined =>
    passphrase.length < MIN_PASSPHRASE_LENGTH
      ? t("wallet.passphraseShort", { min: MIN_PASSPHRASE_LENGTH })
      : passphrase !== again
        ? t("wallet.passphraseMismatch")
        : undefined;
  return { passphrase, setPassphrase, again, setAgain, problem };
}

function PassphraseFields({ pair, idPrefix }: { pair: ReturnType<typeof usePassphrasePair>; idPrefix: string }) {
  const t = useT();
  return (
    <>
      <label htmlFor={`${idPrefix}-pass`}>{t("wallet.passphrase")}</label>
      <input
        id={`${idPrefix}-pass`}
        type="password"
        autoComplete="new-password"
        value={pair.passphrase}
        onChange={(e) => pair.setPassphrase(e.target.value)}
        aria-describedby={`${idPrefix}-hint`}
      />
      <p id={`${idPrefix}-hint`} className="muted small">
        {t("wallet.passphraseHint", { min: MIN_PASSPHRASE_LENGTH })}
      </p>
      <label htmlFor={`${idPrefix}-again`}>{t("wallet.passphraseConfirm")}</label>
      <input id={`${idPrefix}-again`} type="password" autoComplete="new-password" value={pair.again} onChange={(e) => pair.setAgain(e.target.value)} />
    </>
  );
}

/** Seals a phrase, saves it, signs in: shared by "create" and "restore". */
function useSealAndSignIn(chainId: number) {
  const { signIn } = useSession();
  const queryClient = useQueryClient();
  return async (phrase: string, passphrase: string) => {
    const account = (await accounts()).phraseAccount(phrase);
    await saveKey(await sealKey(phrase, passphrase, { address: account.address, chainId }));
    await queryClient.invalidateQueries({ queryKey: ["wallet", "keys"] });
    signIn({ kind: "cityKey", address: account.address, account });
  };
}

function Create({ chainId }: { chainId: number }) {
  const t = useT();
  const id = useId();
  const [phrase, setPhrase] = useState<string>();
  const [written, setWritten] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const pair = usePassphrasePair();
  const sealAndSignIn = useSealAndSignIn(chainId);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = pair.problem();
    setError(problem);
    if (problem || !phrase) return;
    setBusy(true);
    await sealAndSignIn(phrase, pair.passphrase).catch((e: Error) => setError(t("wallet.unknownError", { message: e.message })));
    setBusy(false);
  };
  return (
    <details className="wallet-option">
      <summary>{t("wallet.createTitle")}</summary>
      <p>{t("wallet.createLead")}</p>
      {!phrase ? (
        <button type="button" className="button button-secondary" onClick={() => void accounts().then((a) => setPhrase(a.newPhrase()))}>
          {t("wallet.createStart")}
        </button>
      ) : (
        <form onSubmit={submit}>
          <p>{t("wallet.phraseShown")}</p>
          <ol className="phrase" translate="no" data-testid="backup-phrase">
            {phrase.split(" ").map((word, i) => (
              <li key={i}>{word}</li>
            ))}
          </ol>
          <p>
            <input id={`${id}-written`} type="checkbox" checked={written} onChange={(e) => setWritten(e.target.checked)} />{" "}
            <label htmlFor={`${id}-written`}>{t("wallet.phraseWritten")}</label>
          </p>
          <PassphraseFields pair={pair} idPrefix={`${id}-create`} />
          <FieldError message={error} />
          <button type="submit" className="button" disabled={!written || busy}>
            {busy ? t("wallet.saving") : t("wallet.createSave")}
          </button>
        </form>
      )}
    </details>
  );
}

function Restore({ chainId }: { chainId: number }) {
  const t = useT();
  const id = useId();
  const { signIn } = useSession();
  const queryClient = useQueryClient();
  const [phrase, setPhrase] = useState("");
  const [error, setError] = useState<string>();
  const [fileError, setFileError] = useState<string>();
  const [filePassphrase, setFilePassphrase] = useState("");
  const [file, setFile] = useState<File>();
  const [busy, setBusy] = useState(false);
  const pair = usePassphrasePair();
  const sealAndSignIn = useSealAndSignIn(chainId);

  const fromPhrase = async (event: FormEvent) => {
    event.preventDefault();
    const { normalizePhrase, phraseAccount } = await accounts();
    const words = normalizePhrase(phrase);
    try {
      phraseAccount(words);
    } catch {
      return setError(t("wallet.phraseInvalid"));
    }
    const problem = pair.problem();
    setError(problem);
    if (problem) return;
    setBusy(true);
    await sealAndSignIn(words, pair.passphrase).catch((e: Error) => setError(t("wallet.unknownError", { message: e.message })));
    setBusy(false);
  };

  const fromFile = async (event: FormEvent) => {
    event.preventDefault();
    setFileError(undefined);
    if (!file) return;
    try {
      const sealed = parseSealedKey(await file.text());
      if (sealed.chainId !== chainId) return setFileError(t("wallet.fileOtherChain", { chainId: String(sealed.chainId) }));
      const account = (await accounts()).phraseAccount(await openKey(sealed, filePassphrase));
      if (account.address.toLowerCase() !== sealed.address.toLowerCase()) return setFileError(t("wallet.fileInvalid"));
      await saveKey(sealed);
      await queryClient.invalidateQueries({ queryKey: ["wallet", "keys"] });
      signIn({ kind: "cityKey", address: account.address, account });
    } catch (e) {
      setFileError(
        e instanceof WrongPassphraseError
          ? t("wallet.wrongPassphrase")
          : e instanceof NotASealedKeyError
            ? t("wallet.fileInvalid")
            : t("wallet.unknownError", { message: (e as Error).message }),
      );
    }
  };

  return (
    <details className="wallet-option">
      <summary>{t("wallet.restoreTitle")}</summary>
      <p>{t("wallet.restoreLead")}</p>
      <form onSubmit={fromPhrase}>
        <label htmlFor={`${id}-phrase`}>{t("wallet.phraseInput")}</label>
        <textarea id={`${id}-phrase`} rows={3} autoComplete="off" spellCheck={false} value={phrase} onChange={(e) => setPhrase(e.target.value)} />
        <PassphraseFields pair={pair} idPrefix={`${id}-restore`} />
        <FieldError message={error} />
        <button type="submit" className="button button-secondary" disabled={busy}>
          {busy ? t("wallet.saving") : t("wallet.restoreSave")}
        </button>
      </form>
      <form onSubmit={fromFile}>
        <label htmlFor={`${id}-file`}>{t("wallet.backupFile")}</label>
        <input id={`${id}-file`} type="file" accept="application/json,.json" onChange={(e) => setFile(e.target.files?.[0])} />
        <label htmlFor={`${id}-file-pass`}>{t("wallet.passphrase")}</label>
        <input id={`${id}-file-pass`} type="password" autoComplete="current-password" value={filePassphrase} onChange={(e) => setFilePassphrase(e.target.value)} />
        <FieldError message={fileError} />
        <button type="submit" className="button button-secondary" disabled={!file}>
          {t("wallet.restoreFile")}
        </button>
      </form>
    </details>
  );
}

declare global {
  interface Window {
    ethereum?: EIP1193Provider;
  }
}

/** EIP-1193: the browser's wallet (window.ethereum) gives an account with eth_requestAccounts. */
function Injected() {
  const t = useT();
  const { signIn } = useSession();
  const [error, setError] = useState<string>();
  const provider = typeof window !== "undefined" ? window.ethereum : undefined;
  const connect = async () => {
    setError(undefined);
    try {
      const [address] = (await provider!.request({ method: "eth_requestAccounts" })) as Address[];
      if (!address) return setError(t("wallet.injectedRefused"));
      signIn({ kind: "injected", address, provider: provider! });
    } catch {
      setError(t("wallet.injectedRefused"));
    }
  };
  return (
    <section className="card" aria-labelledby="injected-title">
      <h2 id="injected-title">{t("wallet.injectedTitle")}</h2>
      <p>{t("wallet.injectedLead")}</p>
      {provider ? (
        <button type="button" className="button button-secondary" onClick={() => void connect()}>
          {t("wallet.injectedConnect")}
        </button>
      ) : (
        <p className="muted">{t("wallet.injectedNone")}</p>
      )}
      <FieldError message={error} />
    </section>
  );
}

function Demo({ count }: { count: number }) {
  const t = useT();
  const id = useId();
  const { signIn } = useSession();
  const [index, setIndex] = useState(0);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const account = (await accounts()).demoAccount(index);
    signIn({ kind: "demo", index, address: account.address, account });
  };
  return (
    <section className="card card-warning" aria-labelledby="demo-title">
      <h2 id="demo-title">{t("wallet.demoTitle")}</h2>
      <p>{t("wallet.demoLead")}</p>
      <form onSubmit={(e) => void submit(e)}>
        <label htmlFor={`${id}-member`}>{t("wallet.demoMember")}</label>
        <select id={`${id}-member`} value={index} onChange={(e) => setIndex(Number(e.target.value))}>
          {Array.from({ length: count }, (_, n) => (
            <option key={n} value={n}>
              {t("wallet.demoMemberOption", { n: String(n) })}
            </option>
          ))}
        </select>
        <button type="submit" className="button">
          {t("wallet.demoSignIn")}
        </button>
      </form>
    </section>
  );
}
