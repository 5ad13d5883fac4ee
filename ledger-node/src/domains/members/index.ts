/** Membership (CityRegistry): members, colleges, key-recovery migrations. */
import { defineDomain } from "../domain";
import { membersProjection } from "./projection";
import { membersQueries } from "./queries";
import membersRoutes from "./routes";

export * from "./projection";
export * from "./queries";

export const members = defineDomain({
  name: "members",
  projection: membersProjection,
  queries: membersQueries,
  routes: membersRoutes,
  tags: [{ name: "members", description: "Membership registry (projection)" }],
});
