/**
 * Open data of the public ledger: CSV tables with their schemas and a DCAT-AP catalogue, built from the domains'
 * queries (never per member). Registered by the API (api/app.ts); docs/opendata.md describes the datasets.
 */
export { default as openDataRoutes, type OpenDataRoutesOptions } from "./routes";
export { entryTimes, utcDate, utcDateTime, type EntryTime, type EntrySource } from "./clock";
export { toCsv, csvField, type CsvValue } from "./csv";
export { catalog, tableSchema, CATALOG_CONTEXT, CATALOG_PATH, CSV_MEDIA_TYPE, LICENCE, DATA_THEME, csvPath, schemaPath } from "./catalog";
export { DATASETS, DATAUSE_BULLETINS, MIN_CELL_PAYERS, MAX_SPAN_DAYS, datasetById, type DatasetSpec, type FieldSpec, type OpenDataSource } from "./datasets";
