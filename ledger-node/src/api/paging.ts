/**
 * Paging of every listing route, one way: one querystring schema (`offset`, `limit`, and `order` where the list has
 * one) and one reader. A malformed value (not a decimal integer: `-1`, `1e3`, `abc`, a repeated parameter) fails the
 * schema like any other parameter (400 invalid-parameter); a well-formed value out of bounds (`limit=0`,
 * `limit=5000`, an offset above 2^53 − 1) is 400 out-of-range with one message, naming the parameter.
 */
import { Type } from "@sinclair/typebox";
import { DEFAULT_LIMIT, MAX_LIMIT, type PageRequest } from "../projections/reads";
import { ProblemError } from "./problems";
import { UintParam } from "./schemas";

export interface PagingOptions {
  /** Items when `limit` is absent (default 50). */
  defaultLimit?: number;
  /** Largest `limit` (default 1,000). */
  maxLimit?: number;
}

const Order = Type.Unsafe<"asc" | "desc">({
  type: "string",
  enum: ["asc", "desc"],
  description: "desc (default): newest first; asc: oldest first.",
});

/** The paging parameters of a listing route's querystring: spread them into its `Type.Object`. */
export function pagingQuery({ defaultLimit = DEFAULT_LIMIT, maxLimit = MAX_LIMIT }: PagingOptions = {}) {
  return {
    offset: Type.Optional(UintParam("Items to skip (default 0).")),
    limit: Type.Optional(UintParam(`Items to return, 1..${maxLimit} (default ${defaultLimit}).`, [String(defaultLimit)])),
  };
}

/** The paging parameters of a list with an order (newest first by default). */
export function orderedPagingQuery(options: PagingOptions = {}) {
  return { ...pagingQuery(options), order: Type.Optional(Order) };
}

/** The page a request asks for, its bounds checked (the schema has checked the syntax). */
export function pageOf(
  query: { offset?: string; limit?: string; order?: "asc" | "desc" },
  { defaultLimit = DEFAULT_LIMIT, maxLimit = MAX_LIMIT }: PagingOptions = {},
): Required<Pick<PageRequest, "offset" | "limit">> & Pick<PageRequest, "order"> {
  const offset = bounded(query.offset, "offset", 0, 0, Number.MAX_SAFE_INTEGER);
  const limit = bounded(query.limit, "limit", defaultLimit, 1, maxLimit);
  return query.order === undefined ? { offset, limit } : { offset, limit, order: query.order };
}

function bounded(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const reason = `must be between ${min} and ${max}`;
    throw new ProblemError("out-of-range", `${name} ${value} is not between ${min} and ${max}`, {
      invalidParams: [{ in: "querystring", name, reason }],
    });
  }
  return n;
}
