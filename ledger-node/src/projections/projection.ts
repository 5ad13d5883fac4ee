import type { ProjectedEntry } from "../types";

/**
 * A read model: one reducer per domain, `(state, entry) → state`, fed every decoded entry of the log in order.
 *
 * Rules (replay depends on them):
 * - `reduce` is deterministic and reads nothing but its arguments (no clock, no RPC, no randomness);
 * - it may mutate and return `state` (replaying a million entries must not copy state per entry);
 * - `encode` is canonical: the same state always gives the same JSON (sorted keys, bigints as decimal strings),
 *   so the state hash of a replay equals the live node's.
 */
export interface Projection<S> {
  /** Domain name: storage prefix and key of the state hash breakdown. */
  readonly name: string;
  initial(): S;
  reduce(state: S, entry: ProjectedEntry): S;
  encode(state: S): unknown;
  decode(json: unknown): S;
}
