/**
 * The city's domains, one module each (see domain.ts). This list is the only registry: the projection engine's
 * default projections, the queries (`ProjectionQueries`) and the API's routes and OpenAPI tags are derived from it.
 * Adding a domain = a folder beside these and one line below.
 */
import type { Projection, ProjectionSource, StateHashes } from "../projections/projection";
import { checksummer } from "../projections/reads";
import type { DomainModule } from "./domain";
import { members } from "./members";
import { roles } from "./roles";
import { currency } from "./currency";
import { income } from "./income";
import { parking } from "./parking";
import { energy } from "./energy";
import { ballots } from "./ballots";
import { governance } from "./governance";
import { budget } from "./budget";
import { datause } from "./datause";

export const DOMAINS = [members, roles, currency, income, parking, energy, ballots, governance, budget, datause] as const;

type Domain = (typeof DOMAINS)[number];
/** A domain, its state and queries types erased: for code that treats every domain alike. */
export type AnyDomain = DomainModule<string, unknown, unknown>;
/** The list, types erased (each domain's routes take its own queries: the code that pairs them is generic). */
export const ANY_DOMAINS = DOMAINS as unknown as readonly AnyDomain[];

/** Every domain's reads, by domain name, plus where the projections stand. */
export type ProjectionQueries = { [D in Domain as D["name"]]: ReturnType<D["queries"]> } & {
  /** Next seq the projections will apply: every entry below it is reflected. */
  seq(): number;
  /**
   * The state hash at {@link seq} and each domain's hash (what `cityledger replay` prints). Costs a full encoding of
   * the state when the state changed since the last call: don't call it per request on a busy node.
   */
  stateHash(): StateHashes;
};

/** Every domain's projection, in the list's order (the order does not matter to the hash: names are sorted). */
export const DEFAULT_PROJECTIONS: readonly Projection<unknown>[] = ANY_DOMAINS.map((d) => d.projection);

/** The typed reads of `engine`'s projections, every domain of the list. */
export function createQueries(engine: ProjectionSource): ProjectionQueries {
  const cs = checksummer();
  const queries: Record<string, unknown> = { seq: () => engine.seq, stateHash: () => engine.stateHashes() };
  for (const d of ANY_DOMAINS) {
    const projection = d.projection;
    queries[d.name] = d.queries({ state: () => engine.state(projection), cs, seq: () => engine.seq });
  }
  return queries as ProjectionQueries;
}

export { members, roles, currency, income, parking, energy, ballots, governance, budget, datause };
export * from "./members";
export * from "./roles";
export * from "./currency";
export * from "./income";
export * from "./parking";
export * from "./energy";
export * from "./ballots";
export * from "./governance";
export * from "./budget";
export * from "./datause";
export type { DomainModule, DomainRead, DomainRoutesOptions } from "./domain";
export { defineDomain } from "./domain";
