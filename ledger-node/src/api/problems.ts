import { Type, type Static } from "@sinclair/typebox";
import { WitnessRefusedError } from "../anchor/witness";
import { NodeError } from "../errors";
import { ProofRangeError } from "../log/store";
import { RelayRejectedError } from "../relay/relayer";

/**
 * RFC 9457 problem details: every error the API returns is `application/problem+json` with a stable `type` URI, a
 * title fixed per type, the HTTP status, a `detail` written for the caller (what was wrong and what is expected), and
 * the request path as `instance`. Server faults (5xx) never carry their message: it is logged, not returned.
 */

export const PROBLEM_BASE = "https://cityledger.dev/problems/";
export const PROBLEM_MEDIA_TYPE = "application/problem+json";

/** Every problem type the API emits, with its status and its (stable) title. */
export const PROBLEM_TYPES = {
  "invalid-parameter": { status: 400, title: "Invalid parameter" },
  "invalid-request": { status: 400, title: "Invalid request" },
  "out-of-range": { status: 400, title: "Out of range" },
  forbidden: { status: 403, title: "Forbidden" },
  "not-found": { status: 404, title: "Not found" },
  "method-not-allowed": { status: 405, title: "Method not allowed" },
  "not-acceptable": { status: 406, title: "Not acceptable" },
  "payload-too-large": { status: 413, title: "Payload too large" },
  "unsupported-media-type": { status: 415, title: "Unsupported media type" },
  "witness-refused": { status: 409, title: "Witness refused" },
  "wrong-chain": { status: 400, title: "Wrong chain" },
  "bad-signature": { status: 400, title: "Bad signature" },
  expired: { status: 400, title: "Expired" },
  "not-a-member": { status: 403, title: "Not a member" },
  "not-allowed": { status: 403, title: "Not allowed" },
  "malformed-calldata": { status: 400, title: "Malformed calldata" },
  replayed: { status: 409, title: "Replayed" },
  "nonce-conflict": { status: 409, title: "Nonce conflict" },
  "simulation-reverted": { status: 422, title: "Simulation reverted" },
  "records-mismatch": { status: 422, title: "Records do not match their batch" },
  "quota-exceeded": { status: 429, title: "Quota exceeded" },
  "rate-limited": { status: 429, title: "Rate limited" },
  "relay-unavailable": { status: 503, title: "Relay unavailable" },
  "internal-error": { status: 500, title: "Internal error" },
  "entry-too-large": { status: 501, title: "Entry too large for a bundle" },
  "not-ready": { status: 503, title: "Not ready" },
  "follower-halted": { status: 503, title: "Follower halted" },
  "over-capacity": { status: 503, title: "Over capacity" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemKind = keyof typeof PROBLEM_TYPES;

/** One failed check of a request (validation problems list them). */
export const InvalidParam = Type.Object(
  {
    in: Type.Union([
      Type.Literal("params"),
      Type.Literal("querystring"),
      Type.Literal("headers"),
      Type.Literal("body"),
    ]),
    name: Type.String({ description: "Parameter name ('' for the whole part)." }),
    reason: Type.String(),
  },
  { additionalProperties: false },
);

/** The problem document (RFC 9457) with the extension members this API uses. */
export const Problem = Type.Object(
  {
    type: Type.String({
      format: "uri",
      description: "Stable URI of the problem type.",
      examples: [`${PROBLEM_BASE}not-found`],
    }),
    title: Type.String({ description: "Short summary of the problem type; the same for every occurrence." }),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.String({ description: "What went wrong with this request, and what is expected." }),
    instance: Type.String({ description: "The request path." }),
    invalidParams: Type.Optional(
      Type.Array(InvalidParam, { description: "Checks the request failed (invalid-parameter)." }),
    ),
    size: Type.Optional(
      Type.Integer({ minimum: 0, description: "Log size when the problem was found (out-of-range, not-found)." }),
    ),
    allow: Type.Optional(
      Type.Array(Type.String(), { description: "Methods the resource allows (method-not-allowed)." }),
    ),
    atBlock: Type.Optional(
      Type.String({ pattern: "^[0-9]+$", description: "Block where the follower halted (follower-halted)." }),
    ),
    code: Type.Optional(
      Type.String({ description: "Why a witness refused (witness-refused): bad-note, wrong-origin, stale, wrong-from-size, inconsistent." }),
    ),
    witnessSize: Type.Optional(
      Type.Integer({ minimum: 0, description: "Size the witness has cosigned up to (witness-refused): send a proof from it." }),
    ),
    expectedHash: Type.Optional(Type.String({ pattern: "^0x[0-9a-f]*$" })),
    requestId: Type.Optional(
      Type.String({ pattern: "^0x[0-9a-f]{64}$", description: "The relayed request concerned (replayed, nonce-conflict: the one holding the nonce; simulation-reverted): GET /v1/relay/{id}." }),
    ),
    revert: Type.Optional(
      Type.Object(
        { name: Type.String({ description: "The custom error, e.g. CityCoinTransferNotAllowed." }), args: Type.Array(Type.String()) },
        { additionalProperties: false, description: "The custom error the simulation reverted with (simulation-reverted)." },
      ),
    ),
    actualHash: Type.Optional(Type.String({ pattern: "^0x[0-9a-f]*$" })),
  },
  { $id: "Problem", additionalProperties: false, description: "RFC 9457 problem details." },
);
export type ProblemBody = Static<typeof Problem>;

/** A reference to the shared Problem schema (registered once with `addSchema`). */
export const ProblemRef = Type.Unsafe<ProblemBody>(Type.Ref("Problem"));

/** Error responses of a route, by status code, documented as `application/problem+json`. */
export function problemResponses<const S extends number>(...statuses: S[]) {
  const out = {} as Record<
    S | "5xx",
    { description: string; content: { [PROBLEM_MEDIA_TYPE]: { schema: typeof ProblemRef } } }
  >;
  for (const status of statuses) out[status] = problemContent(describeStatus(status));
  out["5xx"] = problemContent("The node failed to answer (the cause is logged, never returned).");
  return out;
}

function problemContent(description: string) {
  return { description, content: { [PROBLEM_MEDIA_TYPE]: { schema: ProblemRef } } };
}

function describeStatus(status: number): string {
  const kinds = Object.entries(PROBLEM_TYPES)
    .filter(([, t]) => t.status === status)
    .map(([k]) => k);
  return `Problem: ${kinds.join(", ") || "error"}.`;
}

/** Extension members a problem may carry. */
export type ProblemExtensions = Partial<Omit<ProblemBody, "type" | "title" | "status" | "detail" | "instance">>;

/**
 * An error that is a problem: thrown by handlers, turned into `application/problem+json` by the error handler.
 *
 * @example
 * ```ts
 * throw new ProblemError("not-found", `entry ${seq} is not in the log (size ${size})`, { size });
 * ```
 */
export class ProblemError extends NodeError {
  override name = "ProblemError";
  readonly status: number;

  constructor(
    readonly kind: ProblemKind,
    readonly detail: string,
    readonly extensions: ProblemExtensions = {},
    /** Response headers to set with the problem (e.g. Allow, Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.status = PROBLEM_TYPES[kind].status;
  }
}

/**
 * The one mapping from the node's errors to RFC 9457 problem types: handlers and the services they call throw what
 * went wrong, the error handler (plugins/problems.ts) answers the problem this returns.
 *
 * - {@link ProblemError}: itself;
 * - {@link ProofRangeError} (the log cannot prove for those sizes): out-of-range;
 * - {@link WitnessRefusedError}: witness-refused, with the refusal's `code` and the `witnessSize` to prove from;
 * - {@link RelayRejectedError}: its own kind (bad-signature, quota-exceeded…), the request concerned, the revert,
 *   and Retry-After when the relayer gives one.
 *
 * Anything else — ConfigError and LogLockedError included, which are the operator's to fix — is undefined: not the
 * caller's fault, answered as internal-error and logged.
 */
export function problemOf(error: unknown): ProblemError | undefined {
  if (error instanceof ProblemError) return error;
  if (error instanceof ProofRangeError) return new ProblemError("out-of-range", error.message);
  if (error instanceof WitnessRefusedError) {
    return new ProblemError("witness-refused", error.message, { code: error.code, witnessSize: error.witnessSize });
  }
  if (error instanceof RelayRejectedError) {
    const { requestId, revert, retryAfterSeconds } = error.extensions;
    return new ProblemError(
      error.kind,
      error.detail,
      { ...(requestId ? { requestId: requestId.toLowerCase() } : {}), ...(revert?.name ? { revert } : {}) },
      retryAfterSeconds ? { "retry-after": String(retryAfterSeconds) } : {},
    );
  }
  return undefined;
}

/** Builds the problem document for `kind`. */
export function problem(
  kind: ProblemKind,
  detail: string,
  instance: string,
  extensions: ProblemExtensions = {},
  /** Overrides the kind's status (a 4xx fastify raises that has no kind of its own keeps its status). */
  status: number = PROBLEM_TYPES[kind].status,
): ProblemBody {
  return { type: `${PROBLEM_BASE}${kind}`, title: PROBLEM_TYPES[kind].title, status, detail, instance, ...extensions };
}

/** The problem kind for a 4xx status that has no more specific kind. */
export function kindForStatus(status: number): ProblemKind {
  switch (status) {
    case 403:
      return "forbidden";
    case 404:
      return "not-found";
    case 405:
      return "method-not-allowed";
    case 406:
      return "not-acceptable";
    case 413:
      return "payload-too-large";
    case 415:
      return "unsupported-media-type";
    case 503:
      return "not-ready";
    default:
      return status >= 500 ? "internal-error" : "invalid-request";
  }
}

/**
 * The `instance` of a problem: the request path without its query string, cut to a sane length (a problem must
 * never echo a megabyte of URL back).
 */
export function instanceOf(url: string): string {
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  return path.length > 256 ? `${path.slice(0, 256)}…` : path;
}
