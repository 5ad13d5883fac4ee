/** Collegial governance (CityGovernor, CitizensVeto, CityCharter): proposals, per-college results, vetoes, charters. */
import { defineDomain } from "../domain";
import { governanceProjection } from "./projection";
import { governanceQueries } from "./queries";
import governanceRoutes from "./routes";

export * from "./projection";
export * from "./queries";

export const governance = defineDomain({
  name: "governance",
  projection: governanceProjection,
  queries: governanceQueries,
  routes: governanceRoutes,
  tags: [{ name: "governance", description: "Proposals, per-college results, veto progress, charters (projection)" }],
});
