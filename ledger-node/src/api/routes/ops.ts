import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { followerStatusToJson } from "../json";
import { ProblemError, problemResponses } from "../problems";
import { HealthJson } from "../schemas";

/** Health (loud when the follower halted) and Prometheus metrics. */
const opsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ledger;

  app.get(
    "/v1/health",
    {
      schema: {
        tags: ["ops"],
        summary: "Follower and log health",
        description:
          "200 while the node starts or follows the chain; 503 follower-halted when it stopped (e.g. a reorg deeper than finality).",
        response: { 200: HealthJson, ...problemResponses(503) },
      },
    },
    async (_request, reply) => {
      reply.header("cache-control", "no-store");
      const status = ctx.follower.status();
      const size = ctx.store.size;
      if (status.state === "halted") {
        const halted = followerStatusToJson(status) as { atBlock: string; expectedHash: string; actualHash?: string };
        throw new ProblemError(
          "follower-halted",
          `the follower halted at block ${halted.atBlock}: ${status.reason}. The log is frozen at size ${size} until an operator acts.`,
          { size, atBlock: halted.atBlock, expectedHash: halted.expectedHash, ...(halted.actualHash ? { actualHash: halted.actualHash } : {}) },
          { "cache-control": "no-store" },
        );
      }
      const cursor = ctx.store.cursor;
      return {
        status: status.state,
        size,
        cursor: { block: cursor.block.toString(), blockHash: cursor.blockHash.toLowerCase(), size: cursor.size },
        follower: followerStatusToJson(status),
        sseSubscribers: app.streams.size,
      };
    },
  );

  app.get(
    "/metrics",
    {
      schema: {
        tags: ["ops"],
        summary: "Prometheus metrics",
        description: "Text exposition format 0.0.4.",
        response: {
          200: { description: "Metrics.", content: { "text/plain": { schema: Type.String() } } },
          ...problemResponses(),
        },
      },
    },
    async (_request, reply) => {
      return reply
        .type("text/plain; version=0.0.4; charset=utf-8")
        .header("cache-control", "no-store")
        .send(app.metrics.render(ctx));
    },
  );
};

export default opsRoutes;
