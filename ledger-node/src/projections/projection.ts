import type { ProjectedEntry } from "../types";
import { decodeCanonical } from "./canonical";

/**
 * A read model: one reducer per domain, `(state, entry) → state`, fed every decoded entry of the log in order.
 *
 * Rules (replay depends on them):
 * - `reduce` is deterministic and reads nothing but its arguments (no clock, no RPC, no randomness);
 * - it may mutate and return `state` (replaying a million entries must not copy state per entry);
 * - the state is plain data for the canonical codec (canonical.ts): `encode` gives what is hashed and stored, the
 *   same state always giving the same text, and `decode` reads it back.
 */
export interface Projection<S> {
  /** Domain name: storage prefix and key of the state hash breakdown. */
  readonly name: string;
  initial(): S;
  reduce(state: S, entry: ProjectedEntry): S;
  /** The value whose canonical JSON is hashed and stored (the state itself: the codec skips `_` indexes). */
  encode(state: S): unknown;
  /** The state back from `JSON.parse` of its canonical JSON, derived indexes rebuilt. */
  decode(json: unknown): S;
}

export interface ProjectionSpec<S> {
  readonly name: string;
  initial(): S;
  reduce(state: S, entry: ProjectedEntry): S;
  /**
   * Rebuilds the derived indexes of a state read back from a snapshot: the members whose key begins with `_` (lists
   * and maps that point into the state, for the queries), which are neither hashed nor stored.
   */
  rebuild?(state: S): void;
}

/** A projection whose state the canonical codec hashes, stores and reads back: no encoder or decoder to write. */
export function defineProjection<S extends object>(spec: ProjectionSpec<S>): Projection<S> {
  const { name, initial, reduce, rebuild } = spec;
  return {
    name,
    initial,
    reduce,
    encode: (state) => state,
    decode(json) {
      if (typeof json !== "object" || json === null || Array.isArray(json)) {
        throw new TypeError(`projection snapshot: the state of "${name}" is not an object`);
      }
      const state = Object.assign(initial(), decodeCanonical(json)) as S;
      rebuild?.(state);
      return state;
    },
  };
}

/** Where the projections stand and their hashes: what `cityledger replay` prints. */
export interface StateHashes {
  /** Next seq to apply. */
  seq: number;
  /** Hash of the whole state (seq included). */
  stateHash: string;
  /** Hash of each domain's encoded state. */
  domains: Record<string, string>;
}

/** What the domains' queries read: the engine, seen through the one face they need (so domains never import it). */
export interface ProjectionSource {
  /** Next seq the projections will apply. */
  readonly seq: number;
  state<S>(projection: Projection<S>): S;
  stateHashes(): StateHashes;
}
