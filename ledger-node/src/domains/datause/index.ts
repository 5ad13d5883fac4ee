/** Data use (DataUseRegistry): processors, purposes, consents and access-record batches. */
import { defineDomain } from "../domain";
import { datauseProjection } from "./projection";
import { datauseQueries } from "./queries";
import datauseRoutes from "./routes";

export * from "./projection";
export * from "./queries";

export const datause = defineDomain({
  name: "datause",
  projection: datauseProjection,
  queries: datauseQueries,
  routes: datauseRoutes,
  tags: [{ name: "datause", description: "Data processors, purposes, members' consents and access-record batches (projection)" }],
});
