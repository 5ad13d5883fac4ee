import { Link } from "wouter";
import { useT } from "../i18n";

/**
 * Previous / next links between pages of a listing (links, not buttons: a page of results has its own address, can be
 * shared and opened in a new tab). `previousLabel` / `nextLabel` name the direction in the listing's own terms
 * ("Newer", "Older").
 */
export function Pager({
  previous,
  next,
  status,
  previousLabel,
  nextLabel,
}: {
  previous: string | undefined;
  next: string | undefined;
  status: string;
  previousLabel?: string;
  nextLabel?: string;
}) {
  const t = useT();
  return (
    <nav className="pager" aria-label={t("common.pagerLabel")}>
      {previous ? (
        <Link href={previous} className="button" rel="prev">
          ← {previousLabel ?? t("common.previous")}
        </Link>
      ) : (
        <span className="button" aria-disabled="true">
          ← {previousLabel ?? t("common.previous")}
        </span>
      )}
      <span className="pager-status">{status}</span>
      {next ? (
        <Link href={next} className="button" rel="next">
          {nextLabel ?? t("common.next")} →
        </Link>
      ) : (
        <span className="button" aria-disabled="true">
          {nextLabel ?? t("common.next")} →
        </span>
      )}
    </nav>
  );
}
