import fp from "fastify-plugin";
import type { NodeContext } from "../../context";

declare module "fastify" {
  interface FastifyInstance {
    /** What the API reads: the log, the decoder, the follower's view, the update bus. The API never writes. */
    ledger: NodeContext;
  }
}

export interface ContextPluginOptions {
  ctx: NodeContext;
}

/** Decorates the instance with the node's read context (`app.ledger`). */
export default fp<ContextPluginOptions>(
  async (app, { ctx }) => {
    app.decorate("ledger", ctx);
  },
  { name: "cityledger-context", fastify: "5.x" },
);
