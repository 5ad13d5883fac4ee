import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { ANY_DOMAINS, type ProjectionQueries } from "../../domains";
import { ProblemError, problemResponses } from "../problems";

/**
 * The read models of the city's domains: `/v1/state` (the projections' state hash), then every domain's routes from
 * the list in domains/index.ts, each given its own queries. Every answer carries the header `X-Projection-Seq`: every
 * log entry below it is reflected in the answer. A node without projections serves the log only: the domain routes
 * still check their input (a bad parameter is the caller's problem), then answer 503 not-ready.
 */
export interface DomainsRoutesOptions {
  queries?: ProjectionQueries;
}

function notReady(): ProblemError {
  return new ProblemError("not-ready", "projections not ready: this node serves the log only for now; retry later", {}, { "retry-after": "10" });
}

/** Queries that answer not-ready on first use: what the routes read on a node without projections. */
function unavailable(): object {
  return new Proxy(
    {},
    {
      get() {
        throw notReady();
      },
    },
  );
}

const domainsRoutes: FastifyPluginAsyncTypebox<DomainsRoutesOptions> = async (app, { queries }) => {
  if (queries) {
    app.addHook("preHandler", async (_request, reply) => {
      reply.header("x-projection-seq", String(queries.seq()));
    });
  }

  app.get(
    "/v1/state",
    {
      schema: {
        tags: ["projections"],
        summary: "State hash of the projections",
        description:
          "The SHA-256 of the canonical encoding of every projection at `seq` (and per domain). `cityledger replay` " +
          "rebuilds the projections from entry 0 and must print the same hash for the same seq.",
        response: {
          200: Type.Object({
            seq: Type.Integer({ minimum: 0, description: "Entries reflected: [0, seq)." }),
            stateHash: Type.String({ pattern: "^[0-9a-f]{64}$" }),
            domains: Type.Record(Type.String(), Type.String({ pattern: "^[0-9a-f]{64}$" })),
          }),
          ...problemResponses(503),
        },
      },
    },
    async (_request, reply) => {
      if (!queries) throw notReady();
      reply.header("cache-control", "no-store");
      return queries.stateHash();
    },
  );

  for (const domain of ANY_DOMAINS) {
    if (!domain.routes) continue;
    const own = queries ? (queries as unknown as Record<string, unknown>)[domain.name] : unavailable();
    await app.register(domain.routes, { queries: own });
  }
};

export default domainsRoutes;
