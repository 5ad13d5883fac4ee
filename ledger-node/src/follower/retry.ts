/** The RPC retry helpers live in the SDK (`sdk/src/utils/retry.ts`), shared with the audit; re-exported for the node. */
export { DEFAULT_RETRY, isRangeLimit, sleep, withRetry, type RetryOptions } from "@cityledger/sdk/ledger";
