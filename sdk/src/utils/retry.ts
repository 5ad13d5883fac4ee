/**
 * Bounded retries with exponential backoff and jitter, for calls to a JSON-RPC node that may drop or fail, and the
 * test that says an RPC error asks for a smaller range. Browser-safe; shared by the ledger node and the audit.
 */
/** How {@link withRetry} retries: attempts, backoff bounds, a hook and an abort signal. */
export interface RetryOptions {
  /** Attempts in all (first try included). */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Called before each wait, for logs and metrics. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Aborted: no more attempts, the current wait ends at once, the last error is thrown (a stopping follower). */
  signal?: AbortSignal;
}

/** The node follower's retries: 8 attempts, 100 ms doubling up to 5 s. @example `await withRetry(() => client.getBlockNumber(), DEFAULT_RETRY);` */
export const DEFAULT_RETRY: RetryOptions = { attempts: 8, baseDelayMs: 100, maxDelayMs: 5_000 };

/** Runs `call` until it succeeds or `attempts` are spent; rethrows the last error. */
export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions = DEFAULT_RETRY): Promise<T> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    try {
      return await call();
    } catch (error) {
      lastError = error;
      if (attempt === options.attempts || isRangeLimit(error) || options.signal?.aborted) break;
      // Full jitter: spreads retries of many nodes hitting one RPC (the delay is not data, randomness is fine).
      const delay = Math.random() * Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      options.onRetry?.(error, attempt, delay);
      await sleep(delay, options.signal);
      if (options.signal?.aborted) break;
    }
  }
  throw lastError;
}

/**
 * Whether an RPC error says the request covered too much (block range or result count): the caller should split
 * the range rather than retry it as it is.
 */
export function isRangeLimit(error: unknown): boolean {
  const text = errorText(error);
  // A rate limit ("rate limit exceeded", HTTP 429) says "slower", not "smaller": retried with backoff, never split.
  if (/rate[ -]?limit|too many requests|status: 429\b|limit of requests|requests? (per|rate)/i.test(text)) return false;
  return /block range|range (is )?too (large|wide)|too many (results|logs|blocks)|more than \d+ (results|logs)|limit exceeded|response size|exceed(s|ed)? (the )?(max|limit)/i.test(
    text,
  );
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const parts = [error.message];
  let cause: unknown = error.cause;
  for (let i = 0; cause instanceof Error && i < 5; i++, cause = cause.cause) parts.push(cause.message);
  return parts.join(" | ");
}

/** Waits `ms`, or until `signal` aborts (the timer is cleared then). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done);
  });
}
