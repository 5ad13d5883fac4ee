/** The local currency (CityCoin): balances, transfers, supply, redemptions. */
import { defineDomain } from "../domain";
import { currencyProjection } from "./projection";
import { currencyQueries } from "./queries";
import currencyRoutes from "./routes";

export * from "./projection";
export * from "./queries";

export const currency = defineDomain({
  name: "currency",
  projection: currencyProjection,
  queries: currencyQueries,
  routes: currencyRoutes,
  tags: [{ name: "currency", description: "CityCoin accounts (projection)" }],
});
