import { useId } from "react";
import "./progress.css";

/**
 * A bar for a part of a whole (turnout, signatures, veto, a score), with its figures in words beside it, never colour
 * alone. `mark` draws the line to reach (a quorum, a threshold), as a share of `max`; `tone` says whether it is reached.
 */
export function Progress({
  label,
  value,
  max,
  text,
  mark,
  tone = "neutral",
}: {
  label: string;
  value: number;
  max: number;
  /** The figures, formatted for the locale ("12 of 40 · 30 %"). */
  text: string;
  mark?: number;
  tone?: "neutral" | "ok" | "warn" | "fail";
}) {
  const id = useId();
  const share = max > 0 ? Math.min(1, Math.max(0, value / max)) : 0;
  return (
    <div className="progress">
      <div className="progress-head">
        <span id={id} className="progress-label">
          {label}
        </span>
        <span className="progress-text">{text}</span>
      </div>
      <div
        className={`progress-track progress-${tone}`}
        role="progressbar"
        aria-labelledby={id}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={Math.min(value, max)}
        aria-valuetext={text}
      >
        <span className="progress-fill" style={{ width: `${share * 100}%` }} />
        {mark !== undefined && max > 0 && (
          <span className="progress-mark" style={{ left: `${Math.min(1, mark / max) * 100}%` }} aria-hidden="true" />
        )}
      </div>
    </div>
  );
}

/**
 * A count toward a number needed (signers, vetoes): full when reached, in `reached`'s tone — good news for a proposal's
 * co-signers, bad news for a proposal under veto.
 */
export function CountToward({ label, count, needed, text, reached }: { label: string; count: number; needed: number; text: string; reached: "ok" | "fail" }) {
  return <Progress label={label} value={count} max={Math.max(1, needed)} tone={count >= needed ? reached : "neutral"} text={text} />;
}
