import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyServerOptions,
} from "fastify";
import fp from "fastify-plugin";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import rateLimit from "@fastify/rate-limit";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { NodeContext } from "../context";
import { ANY_DOMAINS, type ProjectionQueries } from "../domains";
import contextPlugin from "./plugins/context";
import metricsPlugin from "./plugins/metrics";
import problemsPlugin, { frameworkErrorProblem, sendProblem } from "./plugins/problems";
import streamsPlugin, { type StreamOptions } from "./plugins/streams";
import { PROBLEM_MEDIA_TYPE, Problem, ProblemError, problem, instanceOf } from "./problems";
import domainsRoutes from "./routes/domains";
import witnessRoutes from "./routes/witness";
import relayRoutes from "./routes/relay";
import liveRoutes from "./routes/live";
import logRoutes from "./routes/log";
import tileRoutes from "./routes/tiles";
import opsRoutes from "./routes/ops";
import deploymentRoutes, { type DeploymentSource } from "./routes/deployment";
import webAppRoutes from "./routes/webApp";
import { openDataRoutes, type EntryTime } from "../opendata";

/** Version of the HTTP API (the paths say /v1). */
export const API_VERSION = "1.0.0";
/** Largest request body accepted: the API reads, it takes no uploads. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

export interface ApiOptions extends StreamOptions {
  /** The projections' read side; without it the domain routes answer 503 not-ready. */
  queries?: ProjectionQueries;
  /** Serve OpenAPI at /docs/json and Swagger UI at /docs (default true). */
  docs?: boolean;
  /** `Access-Control-Allow-Origin: *` on every answer (default true): the data is public and read-only. */
  cors?: boolean;
  /** POST /v1/relay requests per client IP per minute (default 120); more get a 429 rate-limited problem. */
  relayRequestsPerMinute?: number;
  /** What GET /v1/deployment serves; without it that route answers 404. */
  deployment?: DeploymentSource;
  /** The built web app (app/dist) served at `/`; without it `/` says how to build and serve it. */
  appDir?: string;
  /** Dates log entries by their blocks (the open data's days); without it the payments table answers 503. */
  entryTime?: EntryTime;
}

export interface BuildAppOptions extends ApiOptions {
  /** fastify logger option (default: off). */
  logger?: FastifyServerOptions["logger"];
  /** Largest request body, bytes (default 64 KiB). */
  bodyLimit?: number;
  /**
   * Reverse proxies trusted to name the client in `X-Forwarded-For` (fastify's `trustProxy`: addresses or CIDRs,
   * comma-separated). Per-IP limits count `request.ip`: without this, behind a proxy every client is the proxy.
   */
  trustProxy?: string;
}

/**
 * The API as a fastify plugin: external plugins first (OpenAPI), then the services (context, problems, metrics,
 * streams: `fastify-plugin` decorators with names and dependencies), then the routes. Register it with `fp` so its
 * error and not-found handlers apply to the whole instance, as {@link buildApp} does.
 */
export const cityApi: FastifyPluginAsync<ApiOptions & { ctx: NodeContext }> = async (app, options) => {
  const { ctx, queries, docs = true, cors = true } = options;

  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "cityledger ledger node",
        version: API_VERSION,
        description: [
          "The verifiable log of a city's contracts: every event as an RFC 6962 leaf, signed C2SP checkpoints,",
          "inclusion and consistency proofs, live updates (SSE) and read models of the city's domains.",
          "Errors are RFC 9457 problem details (application/problem+json). Big integers are decimal strings,",
          "hashes lowercase 0x-hex, addresses EIP-55 checksummed.",
        ].join(" "),
      },
      tags: [
        { name: "city", description: "Which city this node serves: its deployment and the node's log identity" },
        { name: "log", description: "Checkpoints, entries and proofs" },
        { name: "tiles", description: "The log as C2SP tlog-tiles: static, immutable, cacheable; clients compute proofs from them" },
        { name: "live", description: "Server-Sent Events" },
        { name: "ops", description: "Health and metrics" },
        ...ANY_DOMAINS.flatMap((d) => d.tags ?? []),
        { name: "opendata", description: "Open data: CSV tables with their schemas and a DCAT-AP catalogue (never per member)" },
        { name: "witness", description: "Cosigning checkpoints, when this node is a witness" },
        { name: "relay", description: "Gasless member actions: signed requests the city pays the gas for" },
        { name: "projections", description: "State hash of the read models" },
      ],
    },
    // Name shared schemas by their $id in components.schemas (Problem instead of def-0).
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === "string" ? json.$id : `def-${i}`),
    },
  });
  if (docs) await app.register(swaggerUi, { routePrefix: "/docs", staticCSP: true, uiConfig: { deepLinking: true } });
  // Per-IP limits, on the routes that ask for them (`config.rateLimit`): a refusal is a problem like any other.
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new ProblemError(
        "rate-limited",
        `this client sent more than ${context.max} requests to this route in ${context.after}; retry after ${Math.ceil(context.ttl / 1000)} s`,
        {},
        { "retry-after": String(Math.max(1, Math.ceil(context.ttl / 1000))) },
      ),
  });

  await app.register(contextPlugin, { ctx });
  await app.register(problemsPlugin);
  await app.register(metricsPlugin);
  await app.register(streamsPlugin, {
    heartbeatMs: options.heartbeatMs,
    maxSubscribers: options.maxSubscribers,
    maxBufferedBytes: options.maxBufferedBytes,
    maxStreamsPerIp: options.maxStreamsPerIp,
  });
  app.addSchema(Problem);

  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-content-type-options", "nosniff");
    if (cors)
      reply.header("access-control-allow-origin", "*").header("access-control-expose-headers", "Allow, Retry-After");
    if (closing) {
      return sendProblem(
        reply.header("connection", "close").header("retry-after", "5"),
        problem("not-ready", "the node is shutting down; retry shortly", instanceOf(request.url)),
      );
    }
  });

  await app.register(deploymentRoutes, { source: options.deployment });
  await app.register(logRoutes);
  await app.register(tileRoutes);
  await app.register(liveRoutes);
  await app.register(opsRoutes);
  await app.register(domainsRoutes, { queries });
  await app.register(openDataRoutes, { queries, entryTime: options.entryTime });
  await app.register(witnessRoutes);
  await app.register(relayRoutes, { requestsPerMinute: options.relayRequestsPerMinute ?? 120 });
  await app.register(webAppRoutes, { appDir: options.appDir, publicRpcUrl: options.deployment?.publicRpcUrl });
};

/**
 * Server options the API relies on: a small body limit, and router failures (malformed percent-encoding, over-long
 * parameters) answered as problems like every other error.
 */
export function serverOptions(options: Pick<BuildAppOptions, "logger" | "bodyLimit" | "trustProxy"> = {}): FastifyServerOptions {
  return {
    logger: options.logger ?? false,
    ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    return503OnClosing: false, // the onRequest hook answers a problem instead of fastify's plain JSON
    routerOptions: { maxParamLength: 200 },
    frameworkErrors: (error: FastifyError, request, reply) => {
      sendProblem(reply, frameworkErrorProblem(error, request));
    },
    clientErrorHandler: (error, socket) => {
      // Malformed HTTP (bad header, oversized headers…): no request object exists, answer on the socket and close.
      if (!socket.writable) return;
      const status = (error as { code?: string }).code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
      const body = JSON.stringify(
        problem(
          "invalid-request",
          status === 431 ? "the request headers are too large" : "the request is not valid HTTP",
          "",
          {},
          status,
        ),
      );
      socket.end(
        `HTTP/1.1 ${status} ${status === 431 ? "Request Header Fields Too Large" : "Bad Request"}\r\nContent-Type: ${PROBLEM_MEDIA_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
  };
}

/**
 * Builds the API over a node's read context: a ready fastify instance, not listening (test it with `app.inject`,
 * serve it with `startServer`).
 *
 * @example
 * ```ts
 * const app = await buildApp(ctx, { queries });
 * const res = await app.inject({ url: "/v1/checkpoint" });
 * ```
 */
export async function buildApp(ctx: NodeContext, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const { logger, bodyLimit, trustProxy, ...apiOptions } = options;
  const app = Fastify(serverOptions({ logger, bodyLimit, trustProxy })).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(fp(cityApi, { name: "cityledger-api", fastify: "5.x" }), { ctx, ...apiOptions });
  await app.ready();
  return app;
}
