/**
 * The datasets' metadata in the vocabularies open-data portals harvest: each table's Frictionless Table Schema, and a
 * DCAT-AP catalogue in JSON-LD (DCAT-AP 3.0.0, https://semiceu.github.io/DCAT-AP/releases/3.0.0/), so a national or
 * city portal lists the ledger's datasets without custom code.
 *
 * The JSON-LD is written in one fixed form: keys are compact IRIs under {@link CATALOG_CONTEXT}'s prefixes, every IRI
 * value is an `{"@id": …}` node, every language string a `{"@value", "@language"}` pair, every date typed xsd:date.
 * No term definitions beyond the prefixes: the document means the same to a JSON-LD processor and to a reader.
 */
import type { Bilingual, DatasetSpec, ExternalDatasetSpec, FieldSpec } from "./datasets";

/** The only context of the catalogue: prefixes, nothing else. */
export const CATALOG_CONTEXT = {
  dcat: "http://www.w3.org/ns/dcat#",
  dct: "http://purl.org/dc/terms/",
  foaf: "http://xmlns.com/foaf/0.1/",
  xsd: "http://www.w3.org/2001/XMLSchema#",
} as const;

/** EU data-theme vocabulary (the DCAT-AP themes). */
export const DATA_THEME = "http://publications.europa.eu/resource/authority/data-theme";
/** Licence of the datasets: the ledger is public, reuse is free with attribution. */
export const LICENCE = "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0";
const FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/";
const IANA = "http://www.iana.org/assignments/media-types/";
const LANGUAGE = "http://publications.europa.eu/resource/authority/language/";

/** Media type of the CSV files (RFC 4180 §3 names the header parameter). */
export const CSV_MEDIA_TYPE = "text/csv; charset=utf-8; header=present";

type Node = Record<string, unknown>;

const iri = (id: string): Node => ({ "@id": id });
const texts = (t: Bilingual): Node[] => [
  { "@value": t.fr, "@language": "fr" },
  { "@value": t.en, "@language": "en" },
];
const date = (d: string): Node => ({ "@value": d, "@type": "xsd:date" });

/** Where the catalogue's URLs point and what it says of its time span. */
export interface CatalogInput {
  /** Origin of the node as clients reach it, e.g. `https://ledger.example.org` (no trailing slash). */
  base: string;
  publisher: string;
  /** Day of the first and of the last log entry (YYYY-MM-DD), when the node can date entries. */
  issued?: string;
  modified?: string;
  /** Per dataset id, the first and last dates its rows cover. */
  coverage: ReadonlyMap<string, { start: string; end: string }>;
}

export const csvPath = (id: string) => `/v1/opendata/${id}.csv`;
export const schemaPath = (id: string) => `/v1/opendata/${id}.schema.json`;
export const CATALOG_PATH = "/v1/opendata/catalog";

/** The Table Schema of a dataset (https://specs.frictionlessdata.io/table-schema/), `unit` as an extension property. */
export function tableSchema(spec: DatasetSpec): Node {
  return {
    name: spec.id,
    title: spec.title.en,
    description: spec.description.en,
    fields: spec.fields.map((f: FieldSpec) => {
      const field: Node = { name: f.name, type: f.type, description: f.description };
      if (f.unit !== undefined) field.unit = f.unit;
      field.constraints = { required: f.optional !== true };
      return field;
    }),
    missingValues: [""],
  };
}

function common(input: CatalogInput, spec: Pick<DatasetSpec, "id" | "title" | "description" | "themes" | "keywords">): Node {
  const node: Node = {
    "@id": `${input.base}/v1/opendata/${spec.id}`,
    "@type": "dcat:Dataset",
    "dct:identifier": spec.id,
    "dct:title": texts(spec.title),
    "dct:description": texts(spec.description),
    "dct:publisher": iri(`${input.base}/#publisher`),
    "dcat:theme": spec.themes.map((t) => iri(`${DATA_THEME}/${t}`)),
    "dcat:keyword": spec.keywords.map((k) => ({ "@value": k, "@language": "en" })),
    "dct:accessRights": iri("http://publications.europa.eu/resource/authority/access-right/PUBLIC"),
  };
  if (input.issued) node["dct:issued"] = date(input.issued);
  if (input.modified) node["dct:modified"] = date(input.modified);
  return node;
}

function datasetNode(input: CatalogInput, spec: DatasetSpec): Node {
  const url = `${input.base}${csvPath(spec.id)}`;
  const schema = iri(`${input.base}${schemaPath(spec.id)}`);
  const node = common(input, spec);
  node["dct:conformsTo"] = schema;
  const span = input.coverage.get(spec.id);
  if (span) node["dct:temporal"] = { "@type": "dct:PeriodOfTime", "dcat:startDate": date(span.start), "dcat:endDate": date(span.end) };
  node["dcat:distribution"] = [
    {
      "@id": `${url}#distribution`,
      "@type": "dcat:Distribution",
      "dct:title": texts({ fr: `${spec.title.fr} (CSV)`, en: `${spec.title.en} (CSV)` }),
      "dcat:accessURL": iri(url),
      "dcat:downloadURL": iri(url),
      "dcat:mediaType": iri(`${IANA}text/csv`),
      "dct:format": iri(`${FILE_TYPE}CSV`),
      "dct:license": iri(LICENCE),
      "dct:conformsTo": schema,
    },
  ];
  return node;
}

function externalNode(input: CatalogInput, spec: ExternalDatasetSpec): Node {
  const node = common(input, spec);
  const url = `${input.base}${spec.accessPath}`;
  node["dcat:distribution"] = [
    {
      "@id": `${url}#distribution`,
      "@type": "dcat:Distribution",
      "dct:title": texts({ fr: `${spec.title.fr} (API)`, en: `${spec.title.en} (API)` }),
      // A bulletin per period under this path: an access URL (a service), not a single download.
      "dcat:accessURL": iri(url),
      "dcat:mediaType": iri(`${IANA}${spec.mediaType}`),
      "dct:license": iri(LICENCE),
    },
  ];
  return node;
}

/** The DCAT-AP catalogue of `datasets` (and the datasets other modules serve), as compacted JSON-LD. */
export function catalog(input: CatalogInput, datasets: readonly DatasetSpec[], external: readonly ExternalDatasetSpec[]): Node {
  const doc: Node = {
    "@context": CATALOG_CONTEXT,
    "@id": `${input.base}${CATALOG_PATH}`,
    "@type": "dcat:Catalog",
    "dct:title": texts({ fr: "Données ouvertes du registre de la ville", en: "Open data of the city ledger" }),
    "dct:description": texts({
      fr:
        "Tables agrégées du registre public de la ville (paiements, stationnement, énergie, votes, budget participatif, " +
        "gouvernance, usage des données), recalculables depuis le journal vérifiable. Aucune donnée par membre.",
      en:
        "Aggregated tables of the city's public ledger (payments, parking, energy, ballots, participatory budget, " +
        "governance, data use), recomputable from the verifiable log. No data per member.",
    }),
    "dct:publisher": { "@id": `${input.base}/#publisher`, "@type": "foaf:Agent", "foaf:name": input.publisher },
    "dct:license": iri(LICENCE),
    "dct:language": [iri(`${LANGUAGE}FRA`), iri(`${LANGUAGE}ENG`)],
    "foaf:homepage": iri(`${input.base}/`),
    "dcat:themeTaxonomy": iri(DATA_THEME),
    "dcat:dataset": [...datasets.map((d) => datasetNode(input, d)), ...external.map((d) => externalNode(input, d))],
  };
  if (input.issued) doc["dct:issued"] = date(input.issued);
  if (input.modified) doc["dct:modified"] = date(input.modified);
  return doc;
}
