/**
 * A domain of the city — membership, currency, parking, energy … — as one module: its projection (the reducer of
 * its contracts' events), its queries (typed reads of that projection's state) and its REST routes (a fastify plugin
 * with its schemas). The list in `index.ts` registers every domain: the projection engine, the queries and the API
 * are derived from it, so a new domain is a new folder and one line there.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Address } from "viem";
import type { Projection } from "../projections/projection";

/** What a domain's queries read: its projection's live state (read it, don't keep it) and the shared checksummer. */
export interface DomainRead<S> {
  state(): S;
  /** The EIP-55 form of a lower-case address (cached). */
  cs(address: string): Address;
  /** Next seq the projections will apply: the state reflects every entry below it. */
  seq(): number;
}

/** Options of a domain's routes plugin: its queries (every route of the domain reads through them). */
export interface DomainRoutesOptions<Q> {
  queries: Q;
}

export interface DomainModule<N extends string, S, Q> {
  /** The domain's name: key of its queries in `ProjectionQueries`, and its projection's name. */
  readonly name: N;
  readonly projection: Projection<S>;
  /** The domain's reads over its projection's live state. */
  queries(read: DomainRead<S>): Q;
  /** Its REST routes, each with request and response schemas; absent when the domain serves nothing over HTTP. */
  readonly routes?: FastifyPluginAsyncTypebox<DomainRoutesOptions<Q>>;
  /** OpenAPI tags its routes use. */
  readonly tags?: readonly { name: string; description: string }[];
}

/** A domain module, checked: its name is its projection's. */
export function defineDomain<N extends string, S, Q>(domain: DomainModule<N, S, Q>): DomainModule<N, S, Q> {
  if (domain.projection.name !== domain.name) {
    throw new Error(`domain "${domain.name}" has a projection named "${domain.projection.name}"`);
  }
  return domain;
}
