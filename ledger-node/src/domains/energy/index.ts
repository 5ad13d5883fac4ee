/** Local energy (EnergyMarket and MeterRegistry): slots, trades, district balances, meters and their readings. */
import { defineDomain } from "../domain";
import { energyProjection } from "./projection";
import { energyQueries } from "./queries";
import energyRoutes from "./routes";

export * from "./projection";
export * from "./queries";

export const energy = defineDomain({
  name: "energy",
  projection: energyProjection,
  queries: energyQueries,
  routes: energyRoutes,
  tags: [{ name: "energy", description: "Energy slots, members' trades, district balances, meters and their readings (projection)" }],
});
