/**
 * The ledger node's REST API, same origin (the node serves the app; `npm run dev` proxies /v1). Errors are the node's
 * RFC 9457 problem details, kept whole so the page can say what went wrong in the node's own words.
 */

/** Which city the node serves (GET /v1/deployment). */
export const DEPLOYMENT_PATH = "/v1/deployment";

/** A failed request: the node's problem details, or a network failure (`status` 0, `type` "network"). */
export class NodeProblemError extends Error {
  override readonly name = "NodeProblemError";
  constructor(
    readonly type: string,
    readonly title: string,
    readonly detail: string | undefined,
    readonly status: number,
    readonly path: string,
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

interface ProblemJson {
  type?: string;
  title?: string;
  detail?: string;
  status?: number;
}

/** Fetches `path` from the node and parses its JSON; throws NodeProblemError for anything but a 2xx answer. */
export async function nodeJson<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await nodeFetch(path, { ...init, headers: { accept: "application/json", ...init?.headers } });
  return (await response.json()) as T;
}

/** Fetches `path` from the node as text (the signed checkpoint notes are text/plain). */
export async function nodeText(path: string, init?: RequestInit): Promise<string> {
  const response = await nodeFetch(path, { ...init, headers: { accept: "text/plain", ...init?.headers } });
  return response.text();
}

async function nodeFetch(path: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new NodeProblemError("network", "network", (error as Error).message, 0, path);
  }
  if (response.ok) return response;
  const type = response.headers.get("content-type") ?? "";
  if (type.includes("json")) {
    const problem = (await response.json().catch(() => ({}))) as ProblemJson;
    throw new NodeProblemError(
      problem.type ?? "about:blank",
      problem.title ?? response.statusText,
      problem.detail,
      problem.status ?? response.status,
      path,
    );
  }
  throw new NodeProblemError("about:blank", response.statusText || `HTTP ${response.status}`, undefined, response.status, path);
}
