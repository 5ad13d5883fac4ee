import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import { DEFAULT_LIMIT, MAX_LIMIT, type PageRequest, type ProjectionQueries } from "../../projections/queries";
import { toJsonValue } from "../json";
import { address, uintOr } from "../params";
import { ProblemError, problemResponses } from "../problems";
import { Address, AddressParam, Decimal, Hash32, Hex, UintParam, BigUintParam } from "../schemas";

/**
 * Read models of the city's domains, served from the projections (`ProjectionQueries`). Each answer carries the
 * header `X-Projection-Seq`: every log entry below it is reflected in the answer.
 */

const Int = Type.Integer({ minimum: 0 });
const MemberStatus = Type.Unsafe<"none" | "active" | "suspended" | "removed">({
  type: "string",
  enum: ["none", "active", "suspended", "removed"],
});

const MigrationJson = Type.Object(
  { from: Address, to: Address, readyAt: Int, startedSeq: Int, startedBy: Address, approvedBy: Type.Union([Address, Type.Null()]) },
  { additionalProperties: false },
);

const MemberJson = Type.Object(
  {
    address: Address,
    status: MemberStatus,
    college: Int,
    district: Int,
    flags: Decimal,
    since: Type.Integer({ description: "Registration time (unix seconds)." }),
    credentialHash: Hex,
    votes: Decimal,
    pendingMigration: Type.Optional(MigrationJson),
    migratedTo: Type.Optional(Address),
    migratedFrom: Type.Optional(Address),
    firstSeq: Int,
    history: Type.Array(
      Type.Object(
        {
          seq: Int,
          txHash: Hash32,
          event: Type.String(),
          status: MemberStatus,
          reasonHash: Type.Optional(Hex),
          counterpart: Type.Optional(Address),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, description: "A membership record with its history." },
);

const TransferJson = Type.Object(
  {
    seq: Int,
    txHash: Hash32,
    logIndex: Int,
    from: Address,
    to: Address,
    amount: Decimal,
    kind: Type.Unsafe<"transfer" | "issue" | "redeem" | "fee" | "migration">({
      type: "string",
      enum: ["transfer", "issue", "redeem", "fee", "migration"],
    }),
  },
  { additionalProperties: false },
);

const AccountJson = Type.Object(
  {
    address: Address,
    balance: Decimal,
    member: Type.Boolean(),
    cityAccount: Type.Boolean(),
    history: Type.Array(TransferJson),
    total: Int,
    offset: Int,
    limit: Int,
  },
  { additionalProperties: false, description: "Balance and a page of transfers." },
);

const IncomePeriodJson = Type.Object(
  {
    period: Int,
    amount: Decimal,
    eligible: Int,
    claimed: Int,
    snapshot: Type.Integer(),
    settled: Type.Boolean(),
    paid: Type.Optional(Decimal),
    openedSeq: Int,
  },
  { additionalProperties: false },
);

const IncomeProgramJson = Type.Object(
  {
    id: Decimal,
    collegeMask: Int,
    flagBit: Int,
    start: Type.Integer(),
    periodLength: Int,
    periodCount: Int,
    amountPerPeriod: Decimal,
    funded: Decimal,
    spent: Decimal,
    openPeriods: Int,
    claimedTotal: Decimal,
    claims: Int,
    withdrawn: Decimal,
    ended: Type.Boolean(),
    createdSeq: Int,
    periods: Type.Array(IncomePeriodJson),
  },
  { additionalProperties: false, description: "A basic income program with its periods." },
);

const IncomeClaimJson = Type.Object(
  { programId: Decimal, period: Int, account: Address, amount: Decimal, seq: Int, txHash: Hash32 },
  { additionalProperties: false },
);

const PageQuery = Type.Object({
  offset: Type.Optional(UintParam("Items to skip (default 0).")),
  limit: Type.Optional(
    UintParam(`Items to return, 1..${MAX_LIMIT} (default ${DEFAULT_LIMIT}).`, [String(DEFAULT_LIMIT)]),
  ),
  order: Type.Optional(
    Type.Unsafe<"asc" | "desc">({
      type: "string",
      enum: ["asc", "desc"],
      description: "desc (default): newest first; asc: oldest first.",
    }),
  ),
});

const AddressParams = Type.Object({ address: AddressParam });

export interface DomainRoutesOptions {
  queries?: ProjectionQueries;
}

const domainRoutes: FastifyPluginAsyncTypebox<DomainRoutesOptions> = async (app, { queries }) => {
  /** The projections, or a 503 problem while the node has none. */
  const ready = (reply: FastifyReply): ProjectionQueries => {
    if (!queries)
      throw new ProblemError(
        "not-ready",
        "projections not ready: this node serves the log only for now; retry later",
        {},
        { "retry-after": "10" },
      );
    reply.header("x-projection-seq", String(queries.seq()));
    return queries;
  };

  app.get(
    "/v1/state",
    {
      schema: {
        tags: ["projections"],
        summary: "State hash of the projections",
        description:
          "The SHA-256 of the canonical encoding of every projection at `seq` (and per domain). `cityledger replay` " +
          "rebuilds the projections from entry 0 and must print the same hash for the same seq.",
        response: {
          200: Type.Object({
            seq: Type.Integer({ minimum: 0, description: "Entries reflected: [0, seq)." }),
            stateHash: Type.String({ pattern: "^[0-9a-f]{64}$" }),
            domains: Type.Record(Type.String(), Type.String({ pattern: "^[0-9a-f]{64}$" })),
          }),
          ...problemResponses(503),
        },
      },
    },
    async (_request, reply) => {
      const q = ready(reply);
      if (!q.stateHash) throw new ProblemError("not-ready", "these projections do not expose a state hash", {});
      reply.header("cache-control", "no-store");
      return q.stateHash();
    },
  );

  app.get(
    "/v1/members/:address",
    {
      schema: {
        tags: ["members"],
        summary: "A membership record",
        description: "Any status, with its history; 404 if the address never was a member.",
        params: AddressParams,
        response: { 200: MemberJson, ...problemResponses(400, 404, 503) },
      },
    },
    async (request, reply) => {
      const account = address(request.params.address);
      const member = ready(reply).member(account);
      if (!member) throw new ProblemError("not-found", `${account} never was a member`);
      return toJsonValue(member) as typeof MemberJson.static;
    },
  );

  app.get(
    "/v1/accounts/:address",
    {
      schema: {
        tags: ["currency"],
        summary: "CityCoin balance and transfers",
        description:
          "Balance and a page of transfers (both directions); an unknown address has a zero balance and no transfers.",
        params: AddressParams,
        querystring: PageQuery,
        response: { 200: AccountJson, ...problemResponses(400, 503) },
      },
    },
    async (request, reply) => {
      const account = address(request.params.address);
      const page = pageOf(request.query);
      return toJsonValue(ready(reply).account(account, page)) as typeof AccountJson.static;
    },
  );

  app.get(
    "/v1/income/programs",
    {
      schema: {
        tags: ["income"],
        summary: "Basic income programs",
        response: {
          200: Type.Object(
            { items: Type.Array(IncomeProgramJson), total: Int },
            { additionalProperties: false, description: "Every program." },
          ),
          ...problemResponses(503),
        },
      },
    },
    async (_request, reply) => {
      const programs = ready(reply).incomePrograms();
      return { items: programs.map((p) => toJsonValue(p) as typeof IncomeProgramJson.static), total: programs.length };
    },
  );

  app.get(
    "/v1/income/programs/:id",
    {
      schema: {
        tags: ["income"],
        summary: "One basic income program with its periods",
        params: Type.Object({ id: BigUintParam("Program id.") }),
        response: { 200: IncomeProgramJson, ...problemResponses(400, 404, 503) },
      },
    },
    async (request, reply) => {
      const id = BigInt(request.params.id);
      const program = ready(reply).incomeProgram(id);
      if (!program) throw new ProblemError("not-found", `no basic income program ${id}`);
      return toJsonValue(program) as typeof IncomeProgramJson.static;
    },
  );

  app.get(
    "/v1/income/claims/:address",
    {
      schema: {
        tags: ["income"],
        summary: "Basic income claims of an account",
        description: "Claims of the membership the account holds: under this key and under the keys it was recovered from (each claim names its key).",
        params: AddressParams,
        querystring: PageQuery,
        response: {
          200: Type.Object(
            { items: Type.Array(IncomeClaimJson), total: Int, offset: Int, limit: Int },
            { additionalProperties: false, description: "A page of claims." },
          ),
          ...problemResponses(400, 503),
        },
      },
    },
    async (request, reply) => {
      const account = address(request.params.address);
      const page = pageOf(request.query);
      const claims = ready(reply).incomeClaims(account, page);
      return {
        items: claims.items.map((c) => toJsonValue(c) as typeof IncomeClaimJson.static),
        total: claims.total,
        offset: claims.offset,
        limit: claims.limit,
      };
    },
  );
};

/** Paging parameters, limits enforced here (the projections clamp too, but the caller should hear it). */
function pageOf(query: { offset?: string; limit?: string; order?: "asc" | "desc" }): PageRequest {
  const offset = uintOr(query.offset, "offset", 0);
  const limit = uintOr(query.limit, "limit", DEFAULT_LIMIT);
  if (limit < 1 || limit > MAX_LIMIT) {
    throw new ProblemError("out-of-range", `limit ${limit} is not between 1 and ${MAX_LIMIT}`, {
      invalidParams: [{ in: "querystring", name: "limit", reason: `must be between 1 and ${MAX_LIMIT}` }],
    });
  }
  return { offset, limit, order: query.order ?? "desc" };
}

export default domainRoutes;
