import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import type { ProjectionQueries } from "../domains";
import { ProblemError, problemResponses } from "../api/problems";
import { DateParam } from "../api/schemas";
import { toCsv } from "./csv";
import { utcDate, type EntryTime } from "./clock";
import { CATALOG_PATH, CSV_MEDIA_TYPE, catalog, csvPath, schemaPath, tableSchema } from "./catalog";
import { DATASETS, DATAUSE_BULLETINS, MAX_SPAN_DAYS, isNotDatable, type DatasetSpec, type DayRange, type Row } from "./datasets";

/**
 * The open data (`/v1/opendata/…`): one CSV per dataset with its Table Schema beside it, and the DCAT-AP catalogue
 * that lists them. Registered by the API beside the domains' routes; reads the same queries, so every answer carries
 * `X-Projection-Seq` too.
 */
export interface OpenDataRoutesOptions {
  /** The projections' reads; without them every dataset answers 503 not-ready (after checking its parameters). */
  queries?: ProjectionQueries;
  /** Dates log entries (the payments' days, the catalogue's issued/modified); without it payments answer 503. */
  entryTime?: EntryTime;
  /** Name of the publisher in the catalogue (default: the log's origin). */
  publisher?: string;
}

const RangeQuery = Type.Object(
  {
    from: Type.Optional(DateParam("First day (UTC, inclusive) of the rows; default: the data's first day.")),
    to: Type.Optional(DateParam("Last day (UTC, inclusive); default: the data's last day.")),
  },
  { additionalProperties: false },
);

const CsvText = Type.String({ description: "RFC 4180 CSV, UTF-8, a header record first, records ended by CRLF." });
const JsonDocument = Type.Object({}, { additionalProperties: true });

const DAY = 86_400;

/** A YYYY-MM-DD the schema accepted, as a UTC day number; a date that does not exist (2026-02-30) is refused. */
function dayParam(value: string, name: string): number {
  const t = Date.parse(`${value}T00:00:00Z`);
  if (!Number.isFinite(t) || utcDate(t / 1000) !== value) {
    throw new ProblemError("invalid-parameter", `${name} ${value} is not a calendar date`, {
      invalidParams: [{ in: "querystring", name, reason: "must be a calendar date YYYY-MM-DD" }],
    });
  }
  return t / 1000 / DAY;
}

function rangeOf(query: { from?: string; to?: string }): DayRange {
  const range: DayRange = {};
  if (query.from !== undefined) range.from = dayParam(query.from, "from");
  if (query.to !== undefined) range.to = dayParam(query.to, "to");
  if (range.from !== undefined && range.to !== undefined) {
    if (range.to < range.from) {
      throw new ProblemError("invalid-parameter", `to (${query.to}) is before from (${query.from})`, {
        invalidParams: [{ in: "querystring", name: "to", reason: "must not be before from" }],
      });
    }
    if (range.to - range.from + 1 > MAX_SPAN_DAYS) {
      throw new ProblemError("out-of-range", `from ${query.from} to ${query.to} spans ${range.to - range.from + 1} days; at most ${MAX_SPAN_DAYS} per request`);
    }
  }
  return range;
}

const notReady = (detail: string) => new ProblemError("not-ready", detail, {}, { "retry-after": "10" });

/** Origin of the node as this client reached it (behind a trusted proxy, the forwarded one). */
const baseOf = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

const openDataRoutes: FastifyPluginAsyncTypebox<OpenDataRoutesOptions> = async (app, options) => {
  const { queries, entryTime } = options;
  // Read when the catalogue is asked for: an API built over projections alone (tests) has no log store.
  const publisher = () => options.publisher ?? app.ledger.store.origin;
  const tag = ["opendata"];

  // Rows per dataset and range, kept while the projections stand still (the catalogue reads every dataset).
  const cache = new Map<string, { seq: number; rows: Row[] }>();
  async function rowsOf(spec: DatasetSpec, range: DayRange): Promise<Row[]> {
    if (!queries) throw notReady("projections not ready: this node serves the log only for now; retry later");
    const key = `${spec.id}|${range.from ?? ""}|${range.to ?? ""}`;
    const seq = queries.seq();
    const hit = cache.get(key);
    if (hit && hit.seq === seq) return hit.rows;
    try {
      const rows = await spec.rows({ queries, entryTime }, range);
      if (cache.size >= 64) cache.clear();
      cache.set(key, { seq, rows });
      return rows;
    } catch (error) {
      if (isNotDatable(error)) throw notReady(`${spec.id}: ${(error as Error).message}`);
      throw error;
    }
  }

  if (queries) {
    app.addHook("preHandler", async (_request, reply) => {
      reply.header("x-projection-seq", String(queries.seq()));
    });
  }

  app.get(
    CATALOG_PATH,
    {
      schema: {
        tags: tag,
        summary: "DCAT-AP catalogue of the open data",
        description:
          "The datasets as a DCAT-AP 3 catalogue in JSON-LD (dcat:Catalog, dcat:Dataset, dcat:Distribution), titles and " +
          "descriptions in French and English, themes from the EU data-theme vocabulary, each CSV's Table Schema as " +
          "dct:conformsTo: what open-data portals harvest. Any other name under /v1/opendata/ answers a 404 not-found problem " +
          "that names the datasets.",
        response: { 200: { description: "JSON-LD (compacted, prefixes only in its @context).", content: { "application/ld+json": { schema: JsonDocument } } }, ...problemResponses(503) },
      },
    },
    async (request, reply) => {
      const coverage = new Map<string, { start: string; end: string }>();
      for (const spec of DATASETS) {
        if (spec.temporal === undefined) continue;
        let rows: Row[];
        try {
          rows = await rowsOf(spec, {});
        } catch (error) {
          // A dataset this node cannot date is still listed, without its coverage.
          if (error instanceof ProblemError && error.kind === "not-ready" && queries) continue;
          throw error;
        }
        const column = spec.fields.findIndex((f) => f.name === spec.temporal);
        const days = rows.map((r) => String(r[column]).slice(0, 10)).sort();
        if (days.length > 0) coverage.set(spec.id, { start: days[0], end: days[days.length - 1] });
      }
      let issued: string | undefined;
      let modified: string | undefined;
      const size = app.ledger.store.size;
      if (entryTime && size > 0) {
        const [first, last] = await entryTime([0, size - 1]);
        issued = utcDate(first);
        modified = utcDate(last);
      }
      const doc = catalog({ base: baseOf(request), publisher: publisher(), issued, modified, coverage }, DATASETS, [DATAUSE_BULLETINS]);
      return reply.type("application/ld+json; charset=utf-8").send(JSON.stringify(doc));
    },
  );

  for (const spec of DATASETS) {
    app.get(
      csvPath(spec.id),
      {
        schema: {
          tags: tag,
          summary: `${spec.title.en} (CSV)`,
          description: `${spec.description.en} Columns: ${spec.fields.map((f) => f.name).join(", ")}; described at ${schemaPath(spec.id)}.`,
          querystring: spec.temporal === undefined ? Type.Object({}, { additionalProperties: false }) : RangeQuery,
          response: { 200: { description: "The table.", content: { "text/csv": { schema: CsvText } } }, ...problemResponses(400, 503) },
        },
      },
      async (request, reply) => {
        const range = rangeOf(request.query as { from?: string; to?: string });
        const rows = await rowsOf(spec, range);
        return reply
          .type(CSV_MEDIA_TYPE)
          .header("content-disposition", `inline; filename="${spec.id}.csv"`)
          .header("link", `<${schemaPath(spec.id)}>; rel="describedby"; type="application/schema+json"`)
          .send(toCsv(spec.fields.map((f) => f.name), rows));
      },
    );

    app.get(
      schemaPath(spec.id),
      {
        schema: {
          tags: tag,
          summary: `Table Schema of ${spec.id}.csv`,
          description: "Frictionless Table Schema: each column's name, type, unit and description, and whether it may be empty.",
          response: { 200: { description: "The schema.", content: { "application/schema+json": { schema: JsonDocument } } }, ...problemResponses() },
        },
      },
      async (_request, reply) => reply.type("application/schema+json; charset=utf-8").send(JSON.stringify(tableSchema(spec))),
    );
  }

  app.get(
    "/v1/opendata/:file",
    {
      schema: {
        // Not an endpoint: the refusal of every other name under /v1/opendata, saying which files exist.
        hide: true,
        params: Type.Object({ file: Type.String({ maxLength: 200 }) }),
        response: { ...problemResponses(404) },
      },
    },
    async (request) => {
      const { file } = request.params;
      const known = DATASETS.map((d) => d.id).join(", ");
      const served = file.replace(/\.(csv|schema\.json)$/, "") === DATAUSE_BULLETINS.id ? ` (the data-use bulletins are served at ${DATAUSE_BULLETINS.accessPath}/YYYY-MM)` : "";
      throw new ProblemError("not-found", `no open-data file ${file}${served}: the datasets are ${known}, each as <name>.csv and <name>.schema.json, listed at ${CATALOG_PATH}`);
    },
  );
};

export default openDataRoutes;
