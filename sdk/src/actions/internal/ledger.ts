import { CityError } from "../../errors/base";
import type { CityContext } from "../../types";
import { problemOf } from "../../utils/problem";

/**
 * The ledger node answered with an RFC 9457 problem (or not at all): `type` is the problem type's last segment
 * (not-found, out-of-range, invalid-parameter…), `status` the HTTP status.
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof LedgerRequestError && err.type === "not-found") console.log("not in the log yet"); }
 * ```
 */
export class LedgerRequestError extends CityError {
  readonly type: string;
  readonly status: number | undefined;
  constructor(path: string, detail: string, type: string, status?: number) {
    super(`The ledger node could not answer ${path}: ${detail}`, {
      metaMessages: [`Problem: ${type}${status ? ` (HTTP ${status})` : ""}`],
      name: "LedgerRequestError",
    });
    this.type = type;
    this.status = status;
  }
}

/** Media types the node serves: the JSON ones are parsed, the others returned as text. */
export type LedgerMediaType = "application/json" | "application/ld+json" | "application/schema+json" | "text/plain" | "text/csv";

/**
 * GETs `path` from the client's ledger node: JSON by default (any `…json` type is parsed), or text (`text/plain`,
 * `text/csv`).
 * @internal
 */
export async function ledgerGet<T>(context: CityContext, action: string, path: string, accept: LedgerMediaType = "application/json"): Promise<T> {
  const text = await ledgerRequest(context, action, path, { headers: { accept } });
  return (accept.endsWith("json") ? JSON.parse(text) : text) as T;
}

/**
 * POSTs `body` as JSON to `path` on the client's ledger node and returns the JSON answer.
 * @internal
 */
export async function ledgerPost<T>(context: CityContext, action: string, path: string, body: unknown): Promise<T> {
  const text = await ledgerRequest(context, action, path, { method: "POST", headers: { accept: "application/json", "content-type": "application/json" }, body: JSON.stringify(body) });
  return JSON.parse(text) as T;
}

/** The answer's text, or a {@link LedgerRequestError} with the problem's type and detail. */
async function ledgerRequest(context: CityContext, action: string, path: string, init: RequestInit): Promise<string> {
  const base = requireLedgerUrl(context, action);
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, init);
  } catch (error) {
    throw new LedgerRequestError(path, `the node at ${base} is unreachable (${(error as Error).message})`, "unreachable");
  }
  const text = await response.text();
  if (!response.ok) {
    const problem = problemOf(text);
    throw new LedgerRequestError(path, problem.detail ?? `HTTP ${response.status}`, problem.type ?? "http-error", response.status);
  }
  return text;
}

/**
 * The client's ledger node URL, or a clear error saying to pass one.
 * @internal
 */
export function requireLedgerUrl(context: CityContext, what: string): string {
  if (!context.ledgerUrl) {
    throw new CityError(`${what} needs the ledger node's URL.`, {
      metaMessages: ["- Pass ledgerUrl to createCityClient({ publicClient, walletClient, deployment, ledgerUrl })."],
      name: "LedgerUrlRequiredError",
    });
  }
  return context.ledgerUrl;
}
