import { BaseError as ViemBaseError } from "viem";
import { version } from "./version";

/**
 * What every {@link CityError} may carry besides its short message.
 * @example `new CityError("Could not read the balance.", { cause: err, metaMessages: ["- Check the RPC URL."] })`
 */
export interface CityErrorParameters {
  /** The error this one explains (a viem error, a decoding failure…); reachable through {@link CityError.walk}. */
  cause?: unknown;
  /** Technical details shown under the message (defaults to the cause's details or message). */
  details?: string;
  /** Extra lines shown under the message: context first, then hints that say how to fix (`- …`). */
  metaMessages?: string[];
  /** Class name shown in stack traces. */
  name?: string;
}

/** @example `if (err instanceof CityError) console.log(err.shortMessage)` */
export type CityErrorType = CityError & { name: "CityError" };

/**
 * The base class of every error the SDK throws, in the style of viem's `BaseError`: a one-line `shortMessage`, the
 * `details` of the underlying failure, `metaMessages` with context and hints that say how to fix, the `cause`, and
 * {@link CityError.walk} to find a given error in the cause chain.
 *
 * @example
 * ```ts
 * try {
 *   await city.currency.transfer({ to, amount: parseCity("5") });
 * } catch (err) {
 *   if (err instanceof CityError) {
 *     console.error(err.shortMessage); // one sentence
 *     console.error(err.metaMessages?.join("\n")); // hints
 *   }
 * }
 * ```
 */
export class CityError extends Error {
  /** One sentence saying what went wrong. */
  readonly shortMessage: string;
  /** Technical details of the underlying failure ('' when there are none). */
  readonly details: string;
  /** Context and hints, one line each. */
  readonly metaMessages: string[] | undefined;
  /** The SDK's version, shown at the end of the message. */
  readonly version: string = version;
  override name = "CityError";

  constructor(shortMessage: string, parameters: CityErrorParameters = {}) {
    const details = parameters.details ?? detailsOf(parameters.cause);
    const message = [
      shortMessage || "An error occurred.",
      ...(parameters.metaMessages?.length ? ["", ...parameters.metaMessages] : []),
      ...(details ? ["", `Details: ${details}`] : []),
      `Version: ${version}`,
    ].join("\n");
    super(message, parameters.cause === undefined ? undefined : { cause: parameters.cause });
    this.shortMessage = shortMessage;
    this.details = details;
    this.metaMessages = parameters.metaMessages;
    if (parameters.name) this.name = parameters.name;
  }

  /**
   * Follows the `cause` chain (into viem's errors too).
   * - Without a predicate: returns the deepest error of the chain.
   * - With one: returns the first error (this one included) that satisfies it, or `null`.
   *
   * @example
   * ```ts
   * const reverted = err.walk((e) => e instanceof ContractFunctionRevertedError);
   * ```
   */
  walk(): Error;
  walk(predicate: (err: unknown) => boolean): Error | null;
  walk(predicate?: (err: unknown) => boolean): Error | null {
    return walk(this, predicate);
  }
}

/** Walks `err` and its causes; see {@link CityError.walk}. */
function walk(err: unknown, predicate?: (err: unknown) => boolean): Error | null {
  let current: unknown = err;
  let last: Error | null = null;
  const seen = new Set<unknown>();
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    if (predicate?.(current)) return current;
    last = current;
    current = current.cause;
  }
  return predicate ? null : last;
}

function detailsOf(cause: unknown): string {
  if (cause instanceof CityError || cause instanceof ViemBaseError) return cause.details;
  if (cause instanceof Error) return cause.message;
  return "";
}

/**
 * Walks `err` and its `cause` chain (any `Error`, viem's included).
 * @example `walkError(err, (e) => e instanceof ContractFunctionRevertedError)`
 * @internal
 */
export function walkError(err: unknown, predicate: (err: unknown) => boolean): Error | null {
  return walk(err, predicate);
}
