import type { ReactNode } from "react";
import type { UseQueryResult } from "@tanstack/react-query";
import { NodeProblemError } from "../api/node";
import { useT } from "../i18n";

/** A polite "Loading…" for screen readers and a calm placeholder for the eyes. */
export function Loading({ label }: { label?: string }) {
  const t = useT();
  return (
    <p className="state state-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label ?? t("common.loading")}
    </p>
  );
}

/** What failed, in the node's own words (its problem's title and detail), with a retry when one can help. */
export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const t = useT();
  const problem = error instanceof NodeProblemError ? error : undefined;
  const detail = problem?.type === "network" ? t("common.errorNetwork") : problem ? problem.detail ?? problem.title : String((error as Error)?.message ?? error);
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{t("common.errorTitle")}</p>
      <p>{detail}</p>
      {problem && problem.status > 0 && (
        <p className="muted small" translate="no">
          {problem.status} {problem.title} · <code>{problem.path}</code>
        </p>
      )}
      {retry && (
        <button type="button" className="button" onClick={retry}>
          {t("common.retry")}
        </button>
      )}
    </div>
  );
}

/**
 * Renders a query: loading, its error (with retry), or `children(data)`. Keeps showing the last data while a live
 * update refetches, so pages don't flicker.
 */
export function QueryState<T>({ query, children, loading }: { query: UseQueryResult<T, Error>; children: (data: T) => ReactNode; loading?: string }) {
  if (query.data !== undefined) return <>{children(query.data)}</>;
  if (query.isError) return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  return <Loading label={loading} />;
}
