import { useId, useRef, useState, type FormEvent } from "react";
import { Link, useLocation, useSearch } from "wouter";
import { useLogIndex } from "../../api/logIndex";
import { useNodeQuery } from "../../api/query";
import type { EntriesPage, EntryJson } from "../../api/types";
import { useT } from "../../i18n";
import { PageTitle } from "../../ui/PageTitle";
import { Pager } from "../../ui/Pager";
import { QueryState } from "../../ui/States";
import { EntryItem } from "./Entry";
import { parseLogQuery, searchEntries, type LogQuery } from "./search";

/** Entries per page. */
export const PAGE_SIZE = 25;

export default function LogPage() {
  const t = useT();
  const params = new URLSearchParams(useSearch());
  const q = params.get("q") ?? "";
  const query = q ? parseLogQuery(q) : undefined;
  return (
    <>
      <PageTitle title={t("log.title")}>{t("log.title")}</PageTitle>
      <p className="lead">{t("log.lead")}</p>
      <SearchForm initial={q} />
      {query && query.kind !== "invalid" && query.kind !== "entry" ? (
        <SearchResults query={query} text={q} page={pageParam(params)} />
      ) : (
        <Latest from={params.get("from")} />
      )}
    </>
  );
}

function pageParam(params: URLSearchParams): number {
  const page = Number(params.get("page") ?? "1");
  return Number.isSafeInteger(page) && page >= 1 ? page : 1;
}

/**
 * The search box, GOV.UK style: a visible label and hint, an error summary at the top that links to the field when
 * what was typed is not a number, an address or a transaction hash. An entry number opens that entry.
 */
function SearchForm({ initial }: { initial: string }) {
  const t = useT();
  const [, navigate] = useLocation();
  const [value, setValue] = useState(initial);
  const [invalid, setInvalid] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const query = parseLogQuery(value);
    if (query.kind === "invalid") {
      setInvalid(true);
      requestAnimationFrame(() => summary.current?.focus());
      return;
    }
    setInvalid(false);
    navigate(query.kind === "entry" ? `/log/${query.seq}` : `/log?q=${encodeURIComponent(value.trim())}`);
  };
  return (
    <form role="search" onSubmit={submit} noValidate className="card">
      {invalid && (
        <div ref={summary} tabIndex={-1} className="state state-error" role="alert">
          <p className="state-title">{t("log.errorSummary")}</p>
          <p>
            <a href={`#${id}`}>{t("log.searchInvalid", { hint: t("log.searchHint") })}</a>
          </p>
        </div>
      )}
      <div className="form-row">
        <div className="field">
          <label htmlFor={id}>{t("log.searchLabel")}</label>
          <span className="hint" id={`${id}-hint`}>
            {t("log.searchHint")}
          </span>
          <input
            id={id}
            type="search"
            name="q"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            aria-describedby={`${id}-hint`}
            aria-invalid={invalid || undefined}
            autoComplete="off"
            spellCheck={false}
            translate="no"
          />
        </div>
        <button type="submit" className="button">
          {t("log.searchButton")}
        </button>
      </div>
    </form>
  );
}

/** The newest entries (or those before `from`), newest first. */
function Latest({ from }: { from: string | null }) {
  const t = useT();
  // The page starting at `from`; without it, the last page: the node's size is known only from an answer, so the
  // first read asks for the newest entries through the checkpoint's size.
  const head = useNodeQuery<{ size: number }>("/v1/checkpoint");
  const size = head.data?.size;
  const start = from !== null && /^\d+$/.test(from) ? Number(from) : size === undefined ? undefined : Math.max(0, size - PAGE_SIZE);
  const page = useNodeQuery<EntriesPage>(`/v1/entries?from=${start ?? 0}&limit=${PAGE_SIZE}`, { enabled: start !== undefined });
  return (
    <QueryState query={start === undefined ? head : page}>
      {() =>
        page.data ? (
          <EntryList
            entries={[...page.data.entries].reverse()}
            status={
              page.data.entries.length === 0
                ? t("log.empty")
                : t("log.entriesRange", { first: page.data.from, last: page.data.from + page.data.entries.length - 1, size: page.data.size })
            }
            newer={page.data.next !== null ? `/log?from=${Math.min(page.data.next, Math.max(0, page.data.size - PAGE_SIZE))}` : undefined}
            older={page.data.from > 0 ? `/log?from=${Math.max(0, page.data.from - PAGE_SIZE)}` : undefined}
          />
        ) : null
      }
    </QueryState>
  );
}

function SearchResults({ query, text, page }: { query: Exclude<LogQuery, { kind: "invalid" | "entry" }>; text: string; page: number }) {
  const t = useT();
  const index = useLogIndex();
  return (
    <QueryState query={index}>
      {(entries) => {
        const found = searchEntries(entries, query);
        const pages = Math.max(1, Math.ceil(found.length / PAGE_SIZE));
        const shown = found.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
        const link = (p: number) => `/log?q=${encodeURIComponent(text)}&page=${p}`;
        return (
          <>
            <p role="status">
              {t("log.results", { count: found.length, query: text })}{" "}
              <Link href="/log">{t("log.clearSearch")}</Link>
            </p>
            {found.length > 0 && (
              <EntryList
                entries={shown}
                status={t("common.pageOf", { page, pages })}
                newer={page > 1 ? link(page - 1) : undefined}
                older={page < pages ? link(page + 1) : undefined}
              />
            )}
          </>
        );
      }}
    </QueryState>
  );
}

function EntryList({ entries, status, newer, older }: { entries: EntryJson[]; status: string; newer?: string; older?: string }) {
  const t = useT();
  return (
    <>
      <Pager previous={newer} next={older} status={status} previousLabel={t("common.newer")} nextLabel={t("common.older")} />
      <ol className="entries" reversed>
        {entries.map((entry) => (
          <EntryItem key={entry.seq} entry={entry} />
        ))}
      </ol>
      <Pager previous={newer} next={older} status={status} previousLabel={t("common.newer")} nextLabel={t("common.older")} />
    </>
  );
}
