/**
 * Picks the response media type from an `Accept` header (RFC 9110 §12.5.1), among `offers` in order of preference
 * (the first wins ties, and is the answer when there is no Accept header). Returns undefined when the client accepts
 * none of them (→ 406).
 *
 * @example
 * ```ts
 * negotiate("application/json", ["text/plain", "application/json"]) // "application/json"
 * negotiate(undefined, ["text/plain", "application/json"])          // "text/plain"
 * ```
 */
export function negotiate<const T extends string>(accept: string | undefined, offers: readonly T[]): T | undefined {
  if (accept === undefined || accept.trim() === "") return offers[0];
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return offers[0];
  let best: T | undefined;
  let bestQ = 0;
  for (const offer of offers) {
    const q = qualityOf(offer, ranges);
    if (q > bestQ) {
      best = offer;
      bestQ = q;
    }
  }
  return best;
}

/**
 * Whether the `Accept` header names `type` itself, with a non-zero q, rather than only matching it through a wildcard:
 * a browser's page navigation names text/html, a script's or a fetch's catch-all range does not.
 *
 * @example
 * ```ts
 * acceptsExplicitly("text/html,application/xhtml+xml;q=0.9", "text/html") // true
 * acceptsExplicitly("text/html;q=0, application/json", "text/html")       // false
 * ```
 */
export function acceptsExplicitly(accept: string | undefined, type: string): boolean {
  if (accept === undefined) return false;
  const [t, subtype] = type.toLowerCase().split("/");
  return parseAccept(accept).some((r) => r.type === t && r.subtype === subtype && r.q > 0);
}

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  specificity: number;
}

function parseAccept(accept: string): MediaRange[] {
  const out: MediaRange[] = [];
  for (const part of accept.slice(0, 2048).split(",")) {
    const [range, ...params] = part.trim().split(";");
    const match = /^([a-z0-9!#$%&'*+.^_`|~-]+)\/([a-z0-9!#$%&'*+.^_`|~-]+)$/i.exec(range.trim());
    if (!match) continue;
    let q = 1;
    for (const param of params) {
      const [k, v] = param.split("=").map((s) => s.trim());
      if (k.toLowerCase() === "q") {
        const n = Number(v);
        q = Number.isFinite(n) && n >= 0 && n <= 1 ? n : 0;
      }
    }
    const type = match[1].toLowerCase();
    const subtype = match[2].toLowerCase();
    out.push({ type, subtype, q, specificity: type === "*" ? 0 : subtype === "*" ? 1 : 2 });
  }
  return out;
}

/** The q of the most specific range matching `offer` (0 when none matches). */
function qualityOf(offer: string, ranges: MediaRange[]): number {
  const [type, subtype] = offer.toLowerCase().split("/");
  let q = 0;
  let specificity = -1;
  for (const r of ranges) {
    const matches = (r.type === "*" || r.type === type) && (r.subtype === "*" || r.subtype === subtype);
    if (matches && r.specificity > specificity) {
      q = r.q;
      specificity = r.specificity;
    }
  }
  return q;
}
