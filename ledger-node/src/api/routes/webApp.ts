import fs from "node:fs/promises";
import path from "node:path";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import fastifyStatic from "@fastify/static";
import { acceptsExplicitly, negotiate } from "../negotiate";
import { PROBLEM_MEDIA_TYPE, ProblemError, instanceOf, problem, type ProblemKind } from "../problems";
import { IMMUTABLE } from "./log";

export interface WebAppOptions {
  /** The built app (app/dist): index.html and its hashed assets. Unset: `/` says how to build and serve it. */
  appDir?: string;
  /** The chain RPC the app is told to use (GET /v1/deployment): the one origin besides this node it may connect to. */
  publicRpcUrl?: string;
}

/**
 * Paths that belong to the API: never answered with the app, an unknown one stays a problem 404. The C2SP tlog-tiles
 * layout fixes its own root paths (/checkpoint, /tile/...), outside /v1.
 */
const API_PREFIXES = ["/v1", "/docs", "/metrics", "/checkpoint", "/tile"];
/** Vite writes content-hashed file names here: a name never changes meaning, so it may be cached for good. */
const HASHED_DIR = "assets/";

/**
 * The headers of every answer of the app. The CSP allows the app's own scripts only (Vite emits no inline script), its
 * own styles plus inline ones (Observable Plot puts a `<style>` element in each chart; styles cannot run code), the
 * node's API and SSE (same origin) and the public RPC, and nothing may frame the app.
 */
export function webAppHeaders(publicRpcUrl?: string): Record<string, string> {
  const connect = ["'self'", ...(publicRpcUrl ? [new URL(publicRpcUrl).origin] : [])].join(" ");
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  return {
    "content-security-policy": csp,
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
  };
}

/**
 * The web app at `/`: its files as they are in `appDir`, and `index.html` for any other GET that asks for a page
 * (`Accept: text/html`), so that the app's own routes (/log/123) load on a reload or a shared link. Paths under the
 * API prefixes, files that are not there and requests that are not for a page get the API's problem 404; hashed
 * assets are cached for good, everything else revalidated. Without a built app, `/` says how to build it.
 *
 * Registered encapsulated: `reply.sendFile` stays the app's.
 */
const webAppRoutes: FastifyPluginAsync<WebAppOptions> = async (app, { appDir, publicRpcUrl }) => {
  const headers = webAppHeaders(publicRpcUrl);
  const root = appDir ? path.resolve(appDir) : undefined;
  // No root here: each sendFile names it, so a node may start before its app is built.
  await app.register(fastifyStatic, { serve: false });

  app.get(
    "/*",
    // Hidden from OpenAPI, and left out of the 404/405 route table: POST to an app path is a 404, not a 405.
    { schema: { hide: true }, config: { appFallback: true } },
    async (request, reply) => {
      const wildcard = (request.params as { "*": string })["*"];
      const urlPath = `/${wildcard}`;
      if (API_PREFIXES.some((p) => urlPath === p || urlPath.startsWith(`${p}/`))) return reply.callNotFound();
      const segments = wildcard.split("/");
      if (segments.some((s) => s === ".." || s.includes("\\") || s.includes("\0"))) {
        throw new ProblemError("forbidden", "the path leaves the app's directory ('..', backslashes and NUL are refused)");
      }
      const wantsPage = wildcard === "" || acceptsExplicitly(request.headers.accept, "text/html");
      if (!root) return wantsPage ? appMissing(request, reply, "not-found") : reply.callNotFound();

      // Dot files (.build-hash) are the build's bookkeeping, never the app's.
      const file = wildcard === "" ? "index.html" : segments.some((s) => s.startsWith(".")) ? undefined : wildcard;
      if (file && (await isFileWithin(root, file))) return sendAppFile(reply, root, file);
      if (!wantsPage || wildcard.startsWith(HASHED_DIR)) return reply.callNotFound();
      if (await isFileWithin(root, "index.html")) return sendAppFile(reply, root, "index.html");
      return appMissing(request, reply, "not-ready");
    },
  );

  function sendAppFile(reply: FastifyReply, dir: string, file: string): FastifyReply {
    reply.headers(headers).header("cache-control", file.startsWith(HASHED_DIR) ? IMMUTABLE : "no-cache");
    // cacheControl false: the header above is the policy; send still answers ETag / Last-Modified revalidations.
    return reply.sendFile(file, dir, { cacheControl: false, dotfiles: "deny", index: false });
  }

  /** No app to serve: a page for a browser, a problem for any other client, both saying what the operator does. */
  function appMissing(request: FastifyRequest, reply: FastifyReply, kind: Extract<ProblemKind, "not-found" | "not-ready">) {
    const detail =
      kind === "not-found"
        ? "this node serves no web app: build it (cd app && npx vite build) and start the node with --app-dir app/dist " +
          "(CITY_APP_DIR); npm start does both"
        : "the web app's directory has no index.html yet: build it (cd app && npx vite build, or npm start, which builds " +
          "it when its sources change)";
    const body = problem(kind, detail, instanceOf(request.url));
    reply.code(body.status).headers(headers).header("cache-control", "no-store");
    if (kind === "not-ready") reply.header("retry-after", "10");
    // A page only for a client that asks for one by name (a browser): any other gets the API's problem, as everywhere.
    const accept = request.headers.accept;
    const page = acceptsExplicitly(accept, "text/html") && negotiate(accept, ["text/html", PROBLEM_MEDIA_TYPE]) === "text/html";
    if (!page) {
      return reply.type(PROBLEM_MEDIA_TYPE).send(body);
    }
    return reply.type("text/html; charset=utf-8").send(
      [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
        `<title>cityledger: ${escapeHtml(body.title)}</title></head><body>`,
        `<h1>The web app is not available</h1><p>${escapeHtml(detail)}.</p>`,
        '<p>The ledger API is served as usual: see <a href="/docs">/docs</a>.</p>',
        "</body></html>",
      ].join("\n"),
    );
  }
};

/**
 * Whether `file` (relative, already checked for `..`) is a regular file inside `root` once symlinks are resolved: a
 * link in the build output never serves a file from elsewhere.
 */
async function isFileWithin(root: string, file: string): Promise<boolean> {
  try {
    const [realRoot, real] = await Promise.all([fs.realpath(root), fs.realpath(path.join(root, file))]);
    if (!real.startsWith(realRoot + path.sep)) return false;
    return (await fs.stat(real)).isFile();
  } catch {
    return false; // absent, or a path component that is not a directory
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export default webAppRoutes;
