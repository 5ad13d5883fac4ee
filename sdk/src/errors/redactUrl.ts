/**
 * A URL as it may be shown in a message, a log or a report: its origin only. Credentials (`user:pass@`) and
 * everything after the host — path, query, fragment — are replaced by `/…`, because RPC providers put API keys
 * there (`https://eth-mainnet.example.com/v2/<key>`, `?apikey=…`). A URL that cannot be parsed is never echoed.
 *
 * @param url The URL, as text or a `URL`.
 * @returns E.g. `"https://rpc.example.org/…"`, `"http://127.0.0.1:8545"` (nothing hidden), `"(unparseable URL)"`.
 *
 * @example
 * ```ts
 * redactUrl("https://user:secret@rpc.example.org/v2/abc123"); // "https://rpc.example.org/…"
 * redactUrl("http://127.0.0.1:8545/"); // "http://127.0.0.1:8545"
 * ```
 */
export function redactUrl(url: string | URL): string {
  let u: URL;
  try {
    u = new URL(String(url));
  } catch {
    return "(unparseable URL)";
  }
  // Schemes without an origin (e.g. "localhost:8545" read as scheme "localhost:") show their scheme only.
  if (u.origin === "null") return `${u.protocol}…`;
  const hidden = (u.pathname !== "/" && u.pathname !== "") || u.search !== "" || u.hash !== "" || u.username !== "" || u.password !== "";
  return hidden ? `${u.origin}/…` : u.origin;
}
