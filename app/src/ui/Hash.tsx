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
      <span aria-hidden="true">{copied ? "✓" : "⧉"}</span>
      <span className="visually-hidden" aria-live="polite">
        {copied ? t("common.copied") : ""}
      </span>
    </button>
  );
}
