/** The basic income (BasicIncome): programs, periods, claims. */
import { defineDomain } from "../domain";
import { incomeProjection } from "./projection";
import { incomeQueries } from "./queries";
import incomeRoutes from "./routes";

export * from "./projection";
export * from "./queries";

export const income = defineDomain({
  name: "income",
  projection: incomeProjection,
  queries: incomeQueries,
  routes: incomeRoutes,
  tags: [{ name: "income", description: "Basic income programs and claims (projection)" }],
});
