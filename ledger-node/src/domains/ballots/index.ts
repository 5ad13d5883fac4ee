/** Referendums, consultations and petitions (CityBallots): results, turnout, receipts. */
import { defineDomain } from "../domain";
import { ballotsProjection } from "./projection";
import { ballotsQueries } from "./queries";
import ballotsRoutes from "./routes";

export * from "./projection";
export * from "./queries";

export const ballots = defineDomain({
  name: "ballots",
  projection: ballotsProjection,
  queries: ballotsQueries,
  routes: ballotsRoutes,
  tags: [{ name: "ballots", description: "Referendums, consultations, petitions: results, turnout, receipts (projection)" }],
});
