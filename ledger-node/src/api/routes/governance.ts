import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import { DEFAULT_LIMIT, MAX_LIMIT, type ProjectionQueries } from "../../projections/queries";
import { toJsonValue } from "../json";
import { uintOr } from "../params";
import { ProblemError, problemResponses } from "../problems";
import { Address, BigUintParam, Decimal, Hash32, Hex, Nullable, UintParam } from "../schemas";

/**
 * Collegial governance, served from the governance projection: proposals with their calls, the charter version they
 * are counted under, votes per college with the charter's weights and quorums, the weighted score against its
 * threshold, co-signers or petition, cancellation reason, timelock operation and the citizens' veto progress; and
 * every charter version. Every answer carries `X-Projection-Seq`.
 */

const Int = Type.Integer({ minimum: 0 });
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

const ProposalPage = Type.Object(
  { items: Type.Array(ProposalJson), total: Int, offset: Int, limit: Int },
  { additionalProperties: false, description: "A page of proposals." },
);

export interface GovernanceRoutesOptions {
  queries?: ProjectionQueries;
}

type Governance = Required<Pick<ProjectionQueries, "governanceProposal" | "governanceProposals" | "governanceCharter">>;

const governanceRoutes: FastifyPluginAsyncTypebox<GovernanceRoutesOptions> = async (app, { queries }) => {
  const ready = (reply: FastifyReply): Governance => {
    const q = queries;
    if (!q || !q.governanceProposal || !q.governanceProposals || !q.governanceCharter)
      throw new ProblemError("not-ready", "projections not ready: this node serves no governance read model for now; retry later", {}, { "retry-after": "10" });
    reply.header("x-projection-seq", String(q.seq()));
    return q as Governance;
  };

  app.get(
    "/v1/governance/proposals",
    {
      schema: {
        tags: ["governance"],
        summary: "Proposals",
        description: "Proposals of the city's governor, newest first by default, with their per-college results.",
        querystring: Type.Object({
          status: Type.Optional(Status),
          order: Type.Optional(Type.Unsafe<"asc" | "desc">({ type: "string", enum: ["asc", "desc"], description: "desc (default): newest first." })),
          offset: Type.Optional(UintParam("Items to skip (default 0).")),
          limit: Type.Optional(UintParam(`Items to return, 1..${MAX_LIMIT} (default ${DEFAULT_LIMIT}).`, [String(DEFAULT_LIMIT)])),
        }),
        response: { 200: ProposalPage, ...problemResponses(400, 503) },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const limit = uintOr(q.limit, "limit", DEFAULT_LIMIT);
      if (limit < 1 || limit > MAX_LIMIT) throw new ProblemError("out-of-range", `limit ${limit} is not in 1..${MAX_LIMIT}`);
      const page = ready(reply).governanceProposals({ status: q.status, order: q.order, offset: uintOr(q.offset, "offset", 0), limit });
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
    async (request, reply) => {
      const id = BigInt(request.params.id);
      const proposal = ready(reply).governanceProposal(id);
      if (!proposal) throw new ProblemError("not-found", `no proposal ${id}`);
      return toJsonValue(proposal) as typeof ProposalJson.static;
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
    async (request, reply) => {
      const version = uintOr(request.params.version, "version", 0);
      const charter = ready(reply).governanceCharter(version);
      if (!charter) throw new ProblemError("not-found", `no charter version ${version}`);
      return toJsonValue(charter) as typeof CharterJson.static;
    },
  );
};

export default governanceRoutes;
