import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { uint } from "../params";
import { problemResponses } from "../problems";
import { UintParam } from "../schemas";

const LAST_EVENT_ID = UintParam("Log size the client already has (the id of the last event it received).");

/** Live updates as Server-Sent Events (see {@link StreamHub}). */
const liveRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/v1/stream",
    {
      schema: {
        tags: ["live"],
        summary: "Live updates (Server-Sent Events)",
        description: [
          "Events `entries` ({from, to}), `checkpoint` ({origin, size, root, rootBase64, note}), `tentative`",
          "({fromBlock, toBlock, count}) and `halted` ({reason}). Each event's id is the log size after the update;",
          "reconnect with `Last-Event-ID: n` (or `?lastEventId=n`) to first receive an `entries` event for [n, size).",
          "Comments are sent as heartbeats. One client IP may hold a few streams at once (429 rate-limited beyond,",
          "with Retry-After); the node as a whole serves a bounded number (503 over-capacity beyond).",
        ].join(" "),
        headers: Type.Object({ "last-event-id": Type.Optional(LAST_EVENT_ID) }),
        querystring: Type.Object({ lastEventId: Type.Optional(LAST_EVENT_ID) }),
        response: {
          200: {
            description: "An event stream that lasts until either side closes it.",
            content: { "text/event-stream": { schema: Type.String() } },
          },
          ...problemResponses(400, 429, 503),
        },
      },
    },
    async (request, reply) => {
      if (request.method === "HEAD") {
        // The automatic HEAD route must not open (and keep) a stream nobody will read.
        return reply.type("text/event-stream; charset=utf-8").header("cache-control", "no-cache").send("");
      }
      const raw = request.headers["last-event-id"] ?? request.query.lastEventId;
      app.streams.stream(request, reply, raw === undefined ? undefined : uint(raw, "Last-Event-ID"));
      return reply;
    },
  );
};

export default liveRoutes;
