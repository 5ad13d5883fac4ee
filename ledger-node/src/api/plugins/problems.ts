import fp from "fastify-plugin";
import type { FastifyError, FastifyReply, FastifyRequest, FastifySchemaValidationError } from "fastify";
import { PROBLEM_MEDIA_TYPE, instanceOf, kindForStatus, problem, problemOf, type ProblemBody } from "../problems";
import { phraseForPattern } from "../schemas";

declare module "fastify" {
  interface FastifyContextConfig {
    /** A catch-all route serving the web app: not a resource of the API (see RouteTable). */
    appFallback?: boolean;
  }
}

/**
 * The API's one error path. Every error — thrown by a handler, raised by fastify (validation, body limit, content
 * type, unknown route) or by the router (malformed URL) — leaves as an RFC 9457 problem. 4xx details pass through to
 * the caller; a 5xx is logged with its stack and answered with a fixed sentence and the request id.
 */
export default fp(
  async (app) => {
    const routes = new RouteTable();
    // The web app's catch-all (GET /*) would make every path "exist": it stays out, so an unknown POST is a 404.
    app.addHook("onRoute", (route) => {
      if (!route.config?.appFallback) routes.add(route.method, route.url);
    });

    app.setErrorHandler((error: FastifyError, request, reply) => {
      const instance = instanceOf(request.url);
      const { body, headers } = toProblem(error, request, instance);
      if (body.status >= 500) request.log.error({ err: error }, "request failed");
      if (reply.raw.headersSent) return; // a stream already started: nothing more can be said to this client
      return reply.code(body.status).headers(headers).type(PROBLEM_MEDIA_TYPE).send(body);
    });

    app.setNotFoundHandler((request, reply) => {
      const instance = instanceOf(request.url);
      const allow = routes.allowedMethods(instance);
      if (allow.length > 0) {
        if (request.method === "OPTIONS") {
          return reply
            .code(204)
            .header("allow", allow.join(", "))
            .header("access-control-allow-methods", allow.join(", "))
            .header("access-control-allow-headers", "Accept, Last-Event-ID, Content-Type")
            .header("access-control-max-age", "86400")
            .send();
        }
        return sendProblem(
          reply.header("allow", allow.join(", ")),
          problem(
            "method-not-allowed",
            `${request.method} is not allowed on ${instance}; use ${allow.join(" or ")}`,
            instance,
            { allow },
          ),
        );
      }
      return sendProblem(
        reply,
        problem("not-found", `no route ${request.method} ${instance}; the API is described at /docs`, instance),
      );
    });
  },
  { name: "cityledger-problems", fastify: "5.x" },
);

/** Sends a problem document (also used outside the error handler: 404/405, malformed URLs). */
export function sendProblem(reply: FastifyReply, body: ProblemBody): FastifyReply {
  return reply.code(body.status).type(PROBLEM_MEDIA_TYPE).send(body);
}

/** The problem for a router-level failure (malformed percent-encoding, over-long parameter): fastify `frameworkErrors`. */
export function frameworkErrorProblem(error: FastifyError, request: FastifyRequest): ProblemBody {
  const instance = instanceOf(request.url);
  if (error.code === "FST_ERR_BAD_URL")
    return problem("invalid-request", "the URL is not well-formed (bad percent-encoding)", instance);
  if (error.code === "FST_ERR_MAX_PARAM_LENGTH")
    return problem("invalid-parameter", "a path parameter is too long", instance);
  return problem("invalid-request", "the request could not be routed", instance);
}

function toProblem(
  error: FastifyError,
  request: FastifyRequest,
  instance: string,
): { body: ProblemBody; headers: Record<string, string> } {
  const mapped = problemOf(error);
  if (mapped) return { body: problem(mapped.kind, mapped.detail, instance, mapped.extensions), headers: mapped.headers };
  if (error.validation) {
    const where = (error.validationContext ?? "querystring") as "params" | "querystring" | "headers" | "body";
    const invalidParams = error.validation.map((v) => describeValidation(where, v));
    const detail = invalidParams.map((p) => `${p.in}${p.name ? `/${p.name}` : ""} ${p.reason}`).join("; ");
    return { body: problem("invalid-parameter", detail, instance, { invalidParams }), headers: {} };
  }
  const status = typeof error.statusCode === "number" ? error.statusCode : 500;
  if (status >= 400 && status < 500) {
    switch (error.code) {
      case "FST_ERR_CTP_BODY_TOO_LARGE":
        return {
          body: problem(
            "payload-too-large",
            `the request body is larger than ${request.routeOptions.bodyLimit} bytes`,
            instance,
          ),
          headers: {},
        };
      case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
        return {
          body: problem(
            "unsupported-media-type",
            `content type ${JSON.stringify(clip(request.headers["content-type"] ?? ""))} is not accepted here`,
            instance,
          ),
          headers: {},
        };
      default: {
        const kind = kindForStatus(status);
        return {
          body: problem(kind, clip(error.message || "the request was not understood"), instance, {}, status),
          headers: {},
        };
      }
    }
  }
  return {
    body: problem(
      "internal-error",
      `the node could not answer this request; the cause is logged under request id ${request.id}`,
      instance,
      {},
      500,
    ),
    headers: {},
  };
}

/** One invalid-parameter entry: which parameter, and what it must be (a phrase, never a regular expression). */
function describeValidation(where: "params" | "querystring" | "headers" | "body", v: FastifySchemaValidationError) {
  const path = v.instancePath.replace(/^\//, "").replace(/\//g, ".");
  const missing = typeof v.params.missingProperty === "string" ? v.params.missingProperty : undefined;
  const name = missing ?? path;
  let reason: string;
  if (v.keyword === "required") reason = "is required";
  else if (v.keyword === "pattern" && typeof v.params.pattern === "string") {
    const phrase = phraseForPattern(v.params.pattern);
    reason = phrase ? `must be ${phrase}` : (v.message ?? "is malformed");
  } else if (v.keyword === "enum" && Array.isArray(v.params.allowedValues)) {
    reason = `must be one of ${v.params.allowedValues.map((a) => JSON.stringify(a)).join(", ")}`;
  } else reason = v.message ?? "is invalid";
  return { in: where, name, reason };
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** The routes registered, to tell 404 (no such resource) from 405 (resource exists, other method). */
class RouteTable {
  private readonly routes: { pattern: RegExp; methods: Set<string> }[] = [];

  add(method: string | string[], url: string): void {
    const pattern = new RegExp(
      `^${url
        .split("/")
        .map((seg) => (seg.startsWith(":") ? "[^/]+" : seg === "*" ? ".*" : escape(seg)))
        .join("/")}$`,
    );
    const existing = this.routes.find((r) => r.pattern.source === pattern.source);
    const methods = Array.isArray(method) ? method : [method];
    if (existing) methods.forEach((m) => existing.methods.add(m));
    else this.routes.push({ pattern, methods: new Set(methods) });
  }

  allowedMethods(path: string): string[] {
    const allowed = new Set<string>();
    for (const r of this.routes) if (r.pattern.test(path)) r.methods.forEach((m) => allowed.add(m));
    if (allowed.has("GET")) allowed.add("HEAD");
    if (allowed.size > 0) allowed.add("OPTIONS");
    return [...allowed].sort();
  }
}

function escape(segment: string): string {
  return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
