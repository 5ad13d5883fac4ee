/** The participatory budget (ParticipatoryBudget): rounds, projects, challenges, escrow and held tranches. */
import { defineDomain } from "../domain";
import { budgetProjection } from "./projection";
import { budgetQueries } from "./queries";
import budgetRoutes from "./routes";

export * from "./projection";
export * from "./queries";

export const budget = defineDomain({
  name: "budget",
  projection: budgetProjection,
  queries: budgetQueries,
  routes: budgetRoutes,
  tags: [{ name: "budget", description: "Participatory-budget rounds and projects: results, challenges, escrow, held tranches (projection)" }],
});
