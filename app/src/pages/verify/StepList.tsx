import type { ReactNode } from "react";
import { useT, type MessageKey } from "../../i18n";
import { Hash } from "../../ui/Hash";
import { Loading } from "../../ui/States";
import type { Step } from "./checks";

/** The verdict first (what a person came for), then every step with what it compared. */
export function Result({ steps, fetching, ok, fail }: { steps: Step[] | undefined; fetching: boolean; ok: string; fail: (step: string) => string }) {
  const t = useT();
  if (!steps || fetching) return <Loading label={t("verify.running")} />;
  const failed = steps.find((s) => s.status === "fail");
  return (
    <div className="verify-result" data-verdict={failed ? "fail" : "ok"}>
      <p className={failed ? "verdict verdict-fail" : "verdict verdict-ok"} role="status">
        {failed ? fail(t(`verify.step_${failed.id}` as MessageKey)) : ok}
      </p>
      <ol className="steps">
        {steps.map((step) => (
          <StepView key={step.id} step={step} />
        ))}
      </ol>
    </div>
  );
}

const STATUS = { ok: ["verify.stepOk", "badge-ok"], fail: ["verify.stepFail", "badge-fail"], skipped: ["verify.stepSkipped", "badge-warn"] } as const;

function StepView({ step }: { step: Step }) {
  const t = useT();
  const [label, badge] = STATUS[step.status];
  return (
    <li className={`step step-${step.status}`} data-step={step.id} data-status={step.status}>
      <p className="step-title">
        <span>{t(`verify.step_${step.id}` as MessageKey)}</span>
        <span className={`badge ${badge}`}>{t(label)}</span>
      </p>
      <p className="muted small">{t(`verify.step_${step.id}Desc` as MessageKey)}</p>
      {step.error && (
        <p className="state state-error" translate="no">
          {step.error}
        </p>
      )}
      {step.status === "skipped" ? (
        <p className="muted small">{t("verify.stepSkippedWhy")}</p>
      ) : (
        <dl className="facts">
          {Object.entries(step.facts).map(([name, value]) => (
            <Fact key={name} name={name} value={value} />
          ))}
        </dl>
      )}
    </li>
  );
}

function Fact({ name, value }: { name: string; value: string | string[] }) {
  const t = useT();
  let shown: ReactNode;
  if (Array.isArray(value)) {
    shown =
      value.length === 0 ? (
        t("verify.emptyPath")
      ) : (
        <ol>
          {value.map((v, i) => (
            <li key={i}>
              <Hash value={v} full={name !== "signers"} href={name === "signers" ? `/log?q=${v}` : undefined} />
            </li>
          ))}
        </ol>
      );
  } else if (name === "note") shown = <pre translate="no">{value}</pre>;
  else if (name === "source") shown = t(value === "chain" ? "verify.sourceChain" : "verify.sourceLog");
  else if (name === "none") shown = t("verify.noAnchorYet");
  else if (/^0x[0-9a-f]{64}$/i.test(value)) shown = <Hash value={value} full />;
  else shown = <span translate="no">{value}</span>;
  return (
    <>
      <dt>{t(`verify.fact_${name}` as MessageKey)}</dt>
      <dd>{shown}</dd>
    </>
  );
}
