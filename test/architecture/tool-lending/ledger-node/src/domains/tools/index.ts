/** Tool lending (ToolLending): a toy domain for test/architecture/adding-a-domain.test.ts. */
import { defineDomain } from "../domain";
import { toolsProjection } from "./projection";
import { toolsQueries } from "./queries";
import toolsRoutes from "./routes";

export * from "./projection";
export * from "./queries";

export const tools = defineDomain({
  name: "tools",
  projection: toolsProjection,
  queries: toolsQueries,
  routes: toolsRoutes,
  tags: [{ name: "tools", description: "Tools members lend each other (projection)" }],
});
