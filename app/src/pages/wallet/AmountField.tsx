import { useId } from "react";
import { useT } from "../../i18n";
import { FieldError } from "./FieldError";

/**
 * An amount in euros as a person types it (kept as text: pay.ts's parseEuroAmount turns it into base units, never a
 * float), with its hint and its error tied to the input for screen readers.
 */
export function AmountField({ value, onChange, error, label }: { value: string; onChange: (value: string) => void; error: string | undefined; label?: string }) {
  const t = useT();
  const id = useId();
  return (
    <>
      <label htmlFor={`${id}-amount`}>{label ?? t("wallet.payAmount")}</label>
      <input
        id={`${id}-amount`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        inputMode="decimal"
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
      />
      <p id={`${id}-hint`} className="muted small">
        {t("wallet.payAmountHint")}
      </p>
      <FieldError id={`${id}-error`} message={error} />
    </>
  );
}
