import { CityError, type CityErrorParameters } from "@cityledger/sdk/errors";

/**
 * The base of the ledger node's errors: the SDK's {@link CityError} (`shortMessage`, `details`, `metaMessages`,
 * `cause`, `walk()`), so one `instanceof CityError` catches an error of the SDK or of the node, and a cause chain
 * walks through both. Its `message` stays the one sentence the node has always given — what an operator reads after
 * `error:` and what an API caller reads in a problem's `detail` — rather than the SDK's long form (hints, details and
 * version on further lines), which is for developers.
 *
 * api/problems.ts maps the node's errors to RFC 9457 problem types in one place (`problemOf`).
 *
 * @example
 * ```ts
 * class StoreFullError extends NodeError {
 *   override name = "StoreFullError";
 * }
 * ```
 */
export class NodeError extends CityError {
  override name = "NodeError";

  constructor(shortMessage: string, parameters: CityErrorParameters = {}) {
    super(shortMessage, parameters);
    this.message = shortMessage;
  }
}
