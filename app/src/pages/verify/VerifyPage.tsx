import { useId, useState, type FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { useLocation, useParams } from "wouter";
import { useCity, type City } from "../../api/city";
import { useNodeQuery } from "../../api/query";
import type { CheckpointJson } from "../../api/types";
import { useT } from "../../i18n";
import { Hash } from "../../ui/Hash";
import { PageTitle } from "../../ui/PageTitle";
import { Loading, QueryState } from "../../ui/States";
import { anchoredOriginOnChain, lastAnchor, useAnchors, type AnchorRecord } from "../anchors/anchors";
import { verifyCheckpoints, verifyEntry } from "./checks";
import { Result } from "./StepList";

export default function VerifyPage() {
  const t = useT();
  const city = useCity();
  const head = useNodeQuery<CheckpointJson>("/v1/checkpoint");
  return (
    <>
      <PageTitle title={t("verify.title")}>{t("verify.title")}</PageTitle>
      <p className="lead">{t("verify.lead")}</p>
      <QueryState query={city}>
        {(c) => (
          <QueryState query={head}>
            {(checkpoint) => (
              <>
                <EntryCheck city={c} size={checkpoint.size} />
                <ConsistencyCheck city={c} size={checkpoint.size} />
                <Keys city={c} />
              </>
            )}
          </QueryState>
        )}
      </QueryState>
    </>
  );
}

/** The keys a verification trusts, each with where it comes from. */
function Keys({ city }: { city: City }) {
  const t = useT();
  const { node } = city;
  return (
    <section className="card" aria-labelledby="keys">
      <h2 id="keys">{t("verify.keysTitle")}</h2>
      <h3>{t("verify.nodeKeyLabel")}</h3>
      <p>
        <Hash value={node.verifierKey} full label={t("verify.nodeKeyLabel")} />
      </p>
      <p className="muted small">{t("verify.nodeKeySource")}</p>
      <h3>{t("verify.witnessesLabel")}</h3>
      {node.anchor ? (
        <>
          <ul>
            {node.witnesses.map((w) => (
              <li key={w.address}>
                <Hash value={w.address} href={`/log?q=${w.address}`} />
              </li>
            ))}
          </ul>
          <p className="muted small">
            {t("verify.witnessesSource", { address: node.anchor.address, block: node.anchor.blockNumber, threshold: node.anchor.threshold })}
          </p>
        </>
      ) : (
        <p>{t("verify.noWitnesses")}</p>
      )}
    </section>
  );
}

function EntryCheck({ city, size }: { city: City; size: number }) {
  const t = useT();
  const params = useParams<{ seq?: string }>();
  const [, navigate] = useLocation();
  const anchors = useAnchors();
  const last = size - 1;
  const seq = params.seq !== undefined ? Number(params.seq) : last;
  const valid = Number.isSafeInteger(seq) && seq >= 0 && seq <= last;
  const run = useQuery({
    queryKey: ["verify", "entry", seq, city.node.verifierKey],
    queryFn: () => verifyEntry(seq, city.node.verifierKey, () => lastAnchor(city, anchors.data ?? []), () => anchoredOriginOnChain(city)),
    enabled: valid && anchors.data !== undefined,
    staleTime: Infinity,
  });
  const anchored = run.data?.find((s) => s.id === "anchor")?.facts.none === undefined;
  return (
    <section aria-labelledby="entry-check">
      <h2 id="entry-check">{t("verify.entryTitle")}</h2>
      <NumberForm
        fields={[{ name: "seq", label: t("verify.entryLabel"), hint: t("verify.entryHint", { last }), value: String(seq) }]}
        error={t("verify.invalidEntry", { last })}
        accept={([v]) => v! >= 0 && v! <= last}
        onSubmit={([v]) => (v === seq ? void run.refetch() : navigate(`/verify/${v}`))}
        submitLabel={run.data ? t("verify.again") : t("verify.verifyButton")}
      />
      {!valid && params.seq !== undefined && <p className="state state-error">{t("verify.invalidEntry", { last })}</p>}
      {valid && (
        <Result
          steps={run.data}
          fetching={run.isFetching}
          ok={t(anchored ? "verify.verdictOk" : "verify.verdictOkNoAnchor", { seq })}
          fail={(step) => t("verify.verdictFail", { step })}
        />
      )}
    </section>
  );
}

function ConsistencyCheck({ city, size }: { city: City; size: number }) {
  const t = useT();
  const anchors = useAnchors();
  const lastAnchored: AnchorRecord | undefined = anchors.data?.at(-1);
  const [sizes, setSizes] = useState<[number, number] | undefined>(undefined);
  const [from, to] = sizes ?? [lastAnchored?.size ?? 1, size];
  const run = useQuery({
    queryKey: ["verify", "consistency", from, to, city.node.verifierKey],
    queryFn: () => verifyCheckpoints(from, to, city.node.verifierKey),
    enabled: sizes !== undefined,
    staleTime: Infinity,
  });
  return (
    <section aria-labelledby="consistency-check">
      <h2 id="consistency-check">{t("verify.consistencyTitle")}</h2>
      <p>{t("verify.consistencyLead")}</p>
      {anchors.data === undefined ? (
        <Loading />
      ) : (
        <NumberForm
          // Until the person chooses, the older size follows the last anchor: the anchors arrive by the live stream
          // after the page loaded (the form's fields keep what they were first given).
          key={sizes ? "chosen" : `anchor-${lastAnchored?.size ?? "none"}`}
          fields={[
            { name: "from", label: t("verify.olderLabel"), value: String(from) },
            { name: "to", label: t("verify.newerLabel"), value: String(to) },
          ]}
          error={t("verify.invalidSizes", { size })}
          accept={([a, b]) => a! >= 1 && a! <= b! && b! <= size}
          onSubmit={([a, b]) => (sizes && a === from && b === to ? void run.refetch() : setSizes([a!, b!]))}
          submitLabel={t("verify.verifyButton")}
        />
      )}
      {sizes && (
        <Result
          steps={run.data}
          fetching={run.isFetching}
          ok={t("verify.consistencyOk", { from, to })}
          fail={(step) => t("verify.consistencyFail", { step })}
        />
      )}
    </section>
  );
}

interface Field {
  name: string;
  label: string;
  hint?: string;
  value: string;
}

/** A small form of whole numbers, with an error summary that links to the first field when `accept` refuses them. */
function NumberForm({
  fields,
  error,
  accept,
  onSubmit,
  submitLabel,
}: {
  fields: Field[];
  error: string;
  accept: (values: number[]) => boolean;
  onSubmit: (values: number[]) => void;
  submitLabel: string;
}) {
  const t = useT();
  const id = useId();
  const [invalid, setInvalid] = useState(false);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const values = fields.map((f) => String(data.get(f.name) ?? "").trim());
    const numbers = values.map(Number);
    const ok = values.every((v) => /^\d+$/.test(v)) && accept(numbers);
    setInvalid(!ok);
    if (ok) onSubmit(numbers);
  };
  return (
    <form onSubmit={submit} noValidate className="card">
      {invalid && (
        <div className="state state-error" role="alert">
          <p className="state-title">{t("log.errorSummary")}</p>
          <p>
            <a href={`#${id}-${fields[0]!.name}`}>{error}</a>
          </p>
        </div>
      )}
      <div className="form-row">
        {fields.map((f) => (
          <div className="field" key={`${f.name}-${f.value}`}>
            <label htmlFor={`${id}-${f.name}`}>{f.label}</label>
            {f.hint && (
              <span className="hint" id={`${id}-${f.name}-hint`}>
                {f.hint}
              </span>
            )}
            <input
              id={`${id}-${f.name}`}
              name={f.name}
              type="text"
              inputMode="numeric"
              defaultValue={f.value}
              aria-describedby={f.hint ? `${id}-${f.name}-hint` : undefined}
              aria-invalid={invalid || undefined}
              autoComplete="off"
            />
          </div>
        ))}
        <button type="submit" className="button">
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
