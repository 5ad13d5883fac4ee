import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { toJsonValue } from "../../api/json";
import { orderedPagingQuery, pageOf } from "../../api/paging";
import { address } from "../../api/params";
import { ProblemError, problemResponses } from "../../api/problems";
import { Address, AddressParam, BigUintParam, Count as Int, Decimal, Hash32, PageJson } from "../../api/schemas";
import type { DomainRoutesOptions } from "../domain";
import type { IncomeQueries } from "./queries";

/** Basic income programs and claims, served from the income projection. Every answer carries `X-Projection-Seq`. */

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

const ClaimPage = PageJson(IncomeClaimJson, "A page of claims.");

const incomeRoutes: FastifyPluginAsyncTypebox<DomainRoutesOptions<IncomeQueries>> = async (app, { queries }) => {
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
    async () => {
      const programs = queries.programs();
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
    async (request) => {
      const id = BigInt(request.params.id);
      const program = queries.program(id);
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
        params: Type.Object({ address: AddressParam }),
        querystring: Type.Object(orderedPagingQuery()),
        response: { 200: ClaimPage, ...problemResponses(400, 503) },
      },
    },
    async (request) => {
      const account = address(request.params.address);
      return toJsonValue(queries.claims(account, pageOf(request.query))) as typeof ClaimPage.static;
    },
  );
};

export default incomeRoutes;
