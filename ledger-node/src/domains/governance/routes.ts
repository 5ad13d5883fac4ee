import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { toJsonValue } from "../../api/json";
import { orderedPagingQuery, pageOf } from "../../api/paging";
import { uint } from "../../api/params";
import { ProblemError, problemResponses } from "../../api/problems";
import { Address, BigUintParam, Count as Int, Decimal, Hash32, Hex, Nullable, PageJson, UintParam } from "../../api/schemas";
import type { DomainRoutesOptions } from "../domain";
import type { GovernanceQueries } from "./queries";

/**
 * Collegial governance, served from the governance projection: proposals with their calls, the charter version they
 * are counted under, votes per college with the charter's weights and quorums, the weighted score against its
 * threshold, co-signers or petition, cancellation reason, timelock operation and the citizens' veto progress; and
 * every charter version. Every answer carries `X-Projection-Seq`.
 */

const Time = Type.Integer({ minimum: 0, description: "Unix seconds." });
const Status = Type.Unsafe<"created" | "canceled" | "queued" | "executed" | "vetoed">({
  type: "string",
  enum: ["created", "canceled", "queued", "executed", "vetoed"],
  description: "The last fact the log recorded (pending/active/defeated/succeeded follow from voteStart, voteEnd and the chain).",
});

const CollegeJson = Type.Object(
  { college: Int, weightBps: Int, quorumBps: Int, forVotes: Decimal, againstVotes: Decimal, abstainVotes: Decimal },
  { additionalProperties: false },
);

const ProposalJson = Type.Object(
  {
    id: Decimal,
    proposer: Address,
    targets: Type.Array(Address),
    values: Type.Array(Decimal),
    calldatas: Type.Array(Hex),
    description: Type.String(),
    voteStart: Time,
    voteEnd: Time,
    charterVersion: Int,
    constitutional: Type.Boolean(),
    status: Status,
    cosigners: Type.Array(Address),
    petitionId: Nullable(Decimal),
    canceledBy: Nullable(Address),
    cancelReason: Nullable(Type.String()),
    operationId: Nullable(Hash32),
    eta: Nullable(Time),
    scoreWad: Decimal,
    thresholdBps: Int,
    colleges: Type.Array(CollegeJson),
    veto: Type.Object({ college: Int, signatures: Int, needed: Int, signers: Type.Array(Address) }, { additionalProperties: false }),
    createdSeq: Int,
  },
  { additionalProperties: false, description: "A proposal, its per-college results (1e18 = 100% for scoreWad) and its veto progress." },
);

const CharterJson = Type.Object(
  {
    version: Int,
    colleges: Type.Array(Type.Object({ college: Int, weightBps: Int, quorumBps: Int }, { additionalProperties: false })),
    approvalThresholdBps: Int,
    superMajorityBps: Int,
    cosignShareBps: Int,
    vetoCollege: Int,
    vetoThresholdBps: Int,
    seq: Int,
  },
  { additionalProperties: false, description: "A charter version." },
);

const ProposalPage = PageJson(ProposalJson, "A page of proposals.");
const CharterList = Type.Object({ items: Type.Array(CharterJson), total: Int }, { additionalProperties: false, description: "Every charter version." });

const governanceRoutes: FastifyPluginAsyncTypebox<DomainRoutesOptions<GovernanceQueries>> = async (app, { queries }) => {
  app.get(
    "/v1/governance/proposals",
    {
      schema: {
        tags: ["governance"],
        summary: "Proposals",
        description: "Proposals of the city's governor, newest first by default, with their per-college results.",
        querystring: Type.Object({ status: Type.Optional(Status), ...orderedPagingQuery() }),
        response: { 200: ProposalPage, ...problemResponses(400, 503) },
      },
    },
    async (request) => {
      const page = queries.proposals({ status: request.query.status, ...pageOf(request.query) });
      return toJsonValue(page) as typeof ProposalPage.static;
    },
  );

  app.get(
    "/v1/governance/proposals/:id",
    {
      schema: {
        tags: ["governance"],
        summary: "A proposal, its per-college results and veto progress",
        params: Type.Object({ id: BigUintParam("Proposal id (decimal).") }),
        response: { 200: ProposalJson, ...problemResponses(400, 404, 503) },
      },
    },
    async (request) => {
      const id = BigInt(request.params.id);
      const proposal = queries.proposal(id);
      if (!proposal) throw new ProblemError("not-found", `no proposal ${id}`);
      return toJsonValue(proposal) as typeof ProposalJson.static;
    },
  );

  app.get(
    "/v1/governance/charters",
    {
      schema: {
        tags: ["governance"],
        summary: "Every charter version",
        description: "Oldest first; the last one is the charter in force, under which new proposals are counted.",
        response: { 200: CharterList, ...problemResponses(503) },
      },
    },
    async () => {
      const items = queries.charters();
      return toJsonValue({ items, total: items.length }) as typeof CharterList.static;
    },
  );

  app.get(
    "/v1/governance/charters/:version",
    {
      schema: {
        tags: ["governance"],
        summary: "A charter version",
        params: Type.Object({ version: UintParam("Charter version (1, 2 …).") }),
        response: { 200: CharterJson, ...problemResponses(400, 404, 503) },
      },
    },
    async (request) => {
      const version = uint(request.params.version, "version");
      const charter = queries.charter(version);
      if (!charter) throw new ProblemError("not-found", `no charter version ${version}`);
      return toJsonValue(charter) as typeof CharterJson.static;
    },
  );
};

export default governanceRoutes;
