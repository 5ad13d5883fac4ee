import { BULLETIN_TABLES, type BulletinTable, type DataUseBulletin } from "./bulletin";

/**
 * The bulletin as people and spreadsheets read it: Markdown, a self-contained HTML page (a bar chart per purpose over
 * the trend's months, no script), and one CSV per table. Every figure comes from the JSON bulletin, nothing else.
 */

type Row = Record<string, string | number | boolean | null>;

/** The rows of one table (what its CSV holds). */
export function bulletinRows(bulletin: DataUseBulletin, table: BulletinTable): Row[] {
  return bulletin[table] as unknown as Row[];
}

/**
 * One table as CSV (RFC 4180: comma-separated, CRLF, quoted when needed), header first; empty cells for null.
 *
 * @example
 * ```ts
 * fs.writeFileSync("purposes.csv", bulletinCsv(bulletin, "purposes"));
 * ```
 */
export function bulletinCsv(bulletin: DataUseBulletin, table: BulletinTable): string {
  const rows = bulletinRows(bulletin, table);
  const columns = rows.length > 0 ? Object.keys(rows[0]!) : COLUMNS[table];
  const cell = (v: Row[string]) => {
    const text = v === null || v === undefined ? "" : String(v);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [columns.join(","), ...rows.map((r) => columns.map((c) => cell(r[c] ?? null)).join(","))].map((l) => `${l}\r\n`).join("");
}

/** Columns of each table, for the header of an empty one. */
const COLUMNS: Record<BulletinTable, string[]> = {
  purposes: ["processorId", "purposeId", "legalBasis", "categories", "accesses", "records", "membersConcerned", "consenting", "consentRateBp", "grants", "withdrawals", "lapsed", "violations", "previousAccesses", "change"],
  categories: ["processorId", "purposeId", "category", "accesses", "records"],
  violations: ["processorId", "purposeId", "kind", "member", "pseudonym", "category", "count", "timeBucket", "index"],
  trend: ["processorId", "purposeId", "period", "accesses", "complete"],
  batches: ["processorId", "root", "recordCount", "revealed", "recordsSubmitted"],
};

const TITLES: Record<BulletinTable, string> = {
  purposes: "Per processor and purpose",
  categories: "Accesses by data category",
  violations: "Violations",
  trend: "Accesses over the last months",
  batches: "Access-record batches of the month",
};

const rate = (bp: number | null) => (bp === null ? "—" : `${(bp / 100).toFixed(2)} %`);
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

function intro(bulletin: DataUseBulletin): string[] {
  return [
    `Computed from the city's log at size ${bulletin.log.size} (root ${bulletin.log.root}) and the access records processors submitted, checked against their on-chain roots.`,
    `Eligible members (registered before the month's end, active at this log size): ${bulletin.eligibleMembers}. Records matching no member: ${bulletin.unmatchedRecords}. Time buckets: ${bulletin.bucketSeconds / 3600} h.`,
  ];
}

/** Cells of a table as text, for Markdown and HTML alike. */
function textRows(bulletin: DataUseBulletin, table: BulletinTable): { head: string[]; rows: string[][] } {
  if (table === "purposes") {
    return {
      head: ["processor", "purpose", "basis", "accesses", "records", "members", "consent rate", "grants", "withdrawals", "lapsed", "violations", "vs previous month"],
      rows: bulletin.purposes.map((p) => [
        p.processorId,
        p.purposeId,
        p.legalBasis,
        String(p.accesses),
        String(p.records),
        p.membersConcerned === null ? "unknown" : String(p.membersConcerned),
        p.consenting === null ? "—" : `${rate(p.consentRateBp)} (${p.consenting})`,
        String(p.grants),
        String(p.withdrawals),
        String(p.lapsed),
        String(p.violations),
        `${signed(p.change)} (was ${p.previousAccesses})`,
      ]),
    };
  }
  const rows = bulletinRows(bulletin, table);
  const head = COLUMNS[table];
  return { head, rows: rows.map((r) => head.map((c) => (r[c] === null ? "" : String(r[c])))) };
}

/**
 * The bulletin as Markdown, with the node's signed note (when given) at the end.
 *
 * @example
 * ```ts
 * fs.writeFileSync("bulletin.md", bulletinMarkdown(bulletin, note));
 * ```
 */
export function bulletinMarkdown(bulletin: DataUseBulletin, note?: string): string {
  const out = [`# Data-use bulletin, ${bulletin.period}`, "", ...intro(bulletin), ""];
  for (const table of BULLETIN_TABLES) {
    const { head, rows } = textRows(bulletin, table);
    out.push(`## ${TITLES[table]}`, "");
    if (rows.length === 0) {
      out.push("None.", "");
      continue;
    }
    const esc = (c: string) => c.replace(/\|/g, "\\|");
    out.push(`| ${head.map(esc).join(" | ")} |`, `|${head.map(() => " --- ").join("|")}|`, ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`), "");
  }
  if (note) out.push("## Signature", "", "The node's signed note (a checkpoint of the log with the bulletin's SHA-256):", "", "```", note.trimEnd(), "```", "");
  return out.join("\n");
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** An inline SVG bar chart of one purpose's accesses over the trend's months. */
function chart(bulletin: DataUseBulletin, purposeId: string): string {
  const rows = bulletin.trend.filter((t) => t.purposeId === purposeId);
  const max = Math.max(1, ...rows.map((r) => r.accesses));
  const bars = rows
    .map((r, i) => {
      const h = Math.round((r.accesses / max) * 80);
      return `<g><rect x="${i * 50 + 5}" y="${90 - h}" width="40" height="${h}" fill="#3558a8"/><text x="${i * 50 + 25}" y="${85 - h}" font-size="10" text-anchor="middle">${r.accesses}${r.complete ? "" : "?"}</text><text x="${i * 50 + 25}" y="104" font-size="9" text-anchor="middle">${escapeHtml(r.period)}</text></g>`;
    })
    .join("");
  return `<figure><svg role="img" aria-label="Accesses under purpose ${escapeHtml(purposeId)} per month" width="${rows.length * 50 + 10}" height="110">${bars}</svg><figcaption>Purpose ${escapeHtml(purposeId)}: accesses per month</figcaption></figure>`;
}

/**
 * The bulletin as a self-contained HTML page (no script, no external resource).
 *
 * @example
 * ```ts
 * fs.writeFileSync("bulletin.html", bulletinHtml(bulletin, note));
 * ```
 */
export function bulletinHtml(bulletin: DataUseBulletin, note?: string): string {
  const parts = [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Data-use bulletin ${escapeHtml(bulletin.period)}</title>`,
    "<style>body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;margin-bottom:1.5rem}th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:left}figure{display:inline-block;margin:0 1rem 1rem 0}code,pre{overflow-wrap:anywhere;white-space:pre-wrap}</style></head><body>",
    `<h1>Data-use bulletin, ${escapeHtml(bulletin.period)}</h1>`,
    ...intro(bulletin).map((p) => `<p>${escapeHtml(p)}</p>`),
  ];
  for (const table of BULLETIN_TABLES) {
    const { head, rows } = textRows(bulletin, table);
    parts.push(`<h2>${TITLES[table]}</h2>`);
    if (table === "trend") parts.push(...[...new Set(bulletin.trend.map((t) => t.purposeId))].map((id) => chart(bulletin, id)));
    if (rows.length === 0) {
      parts.push("<p>None.</p>");
      continue;
    }
    parts.push(
      `<table><thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>`,
      ...rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`),
      "</tbody></table>",
    );
  }
  if (note) parts.push("<h2>Signature</h2><p>The node's signed note (a checkpoint of the log with the bulletin's SHA-256):</p>", `<pre>${escapeHtml(note)}</pre>`);
  parts.push("</body></html>");
  return parts.join("\n");
}
