import { useState } from "react";
import { Link } from "wouter";
import { useT } from "../i18n";

/** `0x1234…cdef`: enough to compare by eye, short enough for a phone. */
export function shorten(value: string, keep = 6): string {
  return value.length <= 2 + keep * 2 + 1 ? value : `${value.slice(0, 2 + keep)}…${value.slice(-keep)}`;
}

/**
 * An address or a hash: shortened unless `full`, the whole value in its title, never translated, with a copy button
 * (a hash is copied to be checked elsewhere, not read). With `href` the value links to its page.
 */
export function Hash({ value, full, href, label }: { value: string; full?: boolean; href?: string; label?: string }) {
  const t = useT();
  const text = full ? value : shorten(value);
  const code = (
    <code className={full ? "hash hash-full" : "hash"} title={value} translate="no">
      {text}
    </code>
  );
  return (
    <span className="hash-wrap">
      {href ? <Link href={href}>{code}</Link> : code}
      <CopyButton value={value} label={t("common.copyLabel", { what: label ?? value })} />
    </span>
  );
}

export function CopyButton({ value, label }: { value: string; label: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      // clipboard refused (insecure context): the value stays selectable in the page
    }
  };
  return (
    <button type="button" className="copy" onClick={() => void copy()} aria-label={label} title={label}>
      {copied ? <CheckIcon /> : <CopyIcon />}
      <span className="visually-hidden" aria-live="polite">
        {copied ? t("common.copied") : ""}
      </span>
    </button>
  );
}

/** Two overlapping sheets: the usual copy icon, drawn (no icon font, no glyph a system may lack). */
function CopyIcon() {
  return (
    <svg aria-hidden="true" width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5">
      <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" />
      <path d="M10.5 3.5v-1a1 1 0 0 0-1-1h-6a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h1" />
    </svg>
  );
}

function CheckIcon() {
  return (
    <svg aria-hidden="true" width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="2">
      <path d="M3 8.5l3.5 3.5L13 4.5" />
    </svg>
  );
}
