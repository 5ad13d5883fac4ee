import type { CityContext } from "../../types";
import { getOpenDataCatalog, type GetOpenDataCatalogReturnType } from "../../actions/opendata/getOpenDataCatalog";
import { getOpenDataTable, type GetOpenDataTableParameters, type GetOpenDataTableReturnType } from "../../actions/opendata/getOpenDataTable";

/**
 * The ledger node's open data, bound to a city client created with `ledgerUrl`: `city.opendata.catalog()`.
 *
 * @example
 * ```ts
 * const opendata: OpenDataActions = city.opendata;
 * const { rows } = await opendata.table({ dataset: "energy-slots" });
 * ```
 */
export interface OpenDataActions {
  /** {@link getOpenDataCatalog} */
  catalog: () => Promise<GetOpenDataCatalogReturnType>;
  /** {@link getOpenDataTable} */
  table: (parameters: GetOpenDataTableParameters) => Promise<GetOpenDataTableReturnType>;
}

/**
 * Binds the open-data reads to `context` (which needs `ledgerUrl`).
 * @example `const opendata = openDataActions({ publicClient, addresses, ledgerUrl: "http://127.0.0.1:8787" });`
 */
export function openDataActions(context: CityContext): OpenDataActions {
  return {
    catalog: () => getOpenDataCatalog(context),
    table: (parameters) => getOpenDataTable(context, parameters),
  };
}
