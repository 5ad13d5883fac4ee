import type { CityContext } from "../../types";
import { ledgerGet } from "../internal/ledger";
import { parseCsv } from "./parseCsv";

/** @example `const p: GetOpenDataTableParameters = { dataset: "payments", from: "2026-11-01", to: "2026-11-30" };` */
export interface GetOpenDataTableParameters {
  /** A dataset id of the catalogue: payments, parking-occupancy, energy-slots, ballots, budget, governance. */
  dataset: string;
  /** First UTC day (YYYY-MM-DD, inclusive), for datasets placed in time. */
  from?: string | undefined;
  /** Last UTC day (YYYY-MM-DD, inclusive). */
  to?: string | undefined;
}

/** @example `const { header, rows }: GetOpenDataTableReturnType = await getOpenDataTable(city, { dataset: "energy-slots" });` */
export interface GetOpenDataTableReturnType {
  /** Column names, in order (the dataset's Table Schema describes each). */
  header: string[];
  /** Records, each field a string ("" = missing). */
  rows: string[][];
  /** The CSV as served (RFC 4180, UTF-8). */
  csv: string;
}

/**
 * One open-data table of the ledger node (`/v1/opendata/<dataset>.csv`), parsed. Tables are aggregates, never per
 * member: small payment cells come back with their figures empty and `suppressed` true.
 *
 * @throws {LedgerRequestError} On an unknown dataset (not-found), a bad date (invalid-parameter) or an unreachable node.
 * @example
 * ```ts
 * const { header, rows } = await getOpenDataTable(city, { dataset: "payments", from: "2026-11-01" });
 * ```
 */
export async function getOpenDataTable(context: CityContext, parameters: GetOpenDataTableParameters): Promise<GetOpenDataTableReturnType> {
  const query = new URLSearchParams();
  if (parameters.from !== undefined) query.set("from", parameters.from);
  if (parameters.to !== undefined) query.set("to", parameters.to);
  const suffix = query.toString() === "" ? "" : `?${query.toString()}`;
  const csv = await ledgerGet<string>(context, "getOpenDataTable", `/v1/opendata/${encodeURIComponent(parameters.dataset)}.csv${suffix}`, "text/csv");
  const [header = [], ...rows] = parseCsv(csv);
  return { header, rows, csv };
}
