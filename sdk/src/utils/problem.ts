/**
 * Reading the ledger node's RFC 9457 problem documents. Browser-safe; shared by the SDK's readers of the node.
 */

/**
 * The type (its last path segment: `not-found`, `entry-too-large`…) and detail of an RFC 9457 problem document in a
 * response body; empty when the body is not one (a proxy's HTML page, a truncated answer), so the HTTP status speaks.
 *
 * @example `const { type, detail } = problemOf(await response.text());`
 * @internal
 */
export function problemOf(body: string): { type?: string; detail?: string } {
  let problem: { type?: unknown; detail?: unknown } | null;
  try {
    problem = JSON.parse(body) as typeof problem;
  } catch {
    return {};
  }
  return {
    type: typeof problem?.type === "string" ? problem.type.split("/").pop() : undefined,
    detail: typeof problem?.detail === "string" ? problem.detail : undefined,
  };
}
