import type { CityContext } from "../../types";
import { ledgerGet } from "../internal/ledger";

/** A JSON-LD node of the catalogue (compact IRIs under the dcat, dct, foaf and xsd prefixes). */
export type OpenDataNode = Record<string, unknown>;

/** @example `const catalog: GetOpenDataCatalogReturnType = await getOpenDataCatalog(city);` */
export interface GetOpenDataCatalogReturnType extends OpenDataNode {
  "@context": Record<string, string>;
  "@type": "dcat:Catalog";
  "dcat:dataset": OpenDataNode[];
}

/**
 * The ledger node's DCAT-AP catalogue of open datasets (`/v1/opendata/catalog`, JSON-LD): what a portal harvests.
 *
 * @throws {LedgerRequestError} When the node cannot be reached or is not ready.
 * @example
 * ```ts
 * const catalog = await getOpenDataCatalog(city);
 * const ids = catalog["dcat:dataset"].map((d) => d["dct:identifier"]);
 * ```
 */
export async function getOpenDataCatalog(context: CityContext): Promise<GetOpenDataCatalogReturnType> {
  return ledgerGet<GetOpenDataCatalogReturnType>(context, "getOpenDataCatalog", "/v1/opendata/catalog", "application/ld+json");
}
