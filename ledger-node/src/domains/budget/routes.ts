import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { toJsonValue } from "../../api/json";
import { orderedPagingQuery, pageOf } from "../../api/paging";
import { address, uint } from "../../api/params";
import { ProblemError, problemResponses } from "../../api/problems";
import { Address, AddressParam, BigUintParam, Count as Int, Decimal, Hash32, Nullable, PageJson, UintParam } from "../../api/schemas";
import type { DomainRoutesOptions } from "../domain";
import { BUDGET_PROJECT_STATUSES, type BudgetProjectStatusName, type BudgetQueries } from "./queries";

/**
 * The participatory budget, served from the budget projection: a round with its recorded result, the challenges of
 * a posted result and the council's resolutions, its funding and its projects (escrow, tranches released and held),
 * and the tranches held for a member; the rounds, a round's projects and a project on their own. Every answer carries
 * `X-Projection-Seq`.
 */

const Status = Type.Unsafe<BudgetProjectStatusName>({ type: "string", enum: [...BUDGET_PROJECT_STATUSES] });

const ProjectJson = Type.Object(
  {
    roundId: Decimal,
    projectId: Int,
    proposer: Address,
    recipient: Address,
    envelope: Int,
    cost: Decimal,
    status: Status,
    supportCount: Int,
    ballotIndex: Nullable(Int),
    escrow: Decimal,
    released: Decimal,
    held: Decimal,
    returned: Decimal,
    submittedSeq: Int,
  },
  { additionalProperties: false, description: "A project: its escrow, the tranches released (to its proposer's current key) and held." },
);

const ChallengeJson = Type.Object(
  {
    challenger: Address,
    posted: Decimal,
    winners: Decimal,
    seq: Int,
    resolution: Nullable(Type.Object({ upheld: Type.Boolean(), reasonHash: Hash32, by: Address, seq: Int }, { additionalProperties: false })),
  },
  { additionalProperties: false, description: "A member's challenge of a posted result (winners: bitmaps of ballot indexes)." },
);

const RoundJson = Type.Object(
  {
    id: Decimal,
    winnerRule: Int,
    envelopes: Type.Array(Type.Object({ envelope: Int, district: Int, amount: Decimal }, { additionalProperties: false })),
    ballots: Int,
    logHead: Hash32,
    result: Nullable(Type.Object({ winners: Decimal, logHead: Hash32, by: Address, seq: Int }, { additionalProperties: false })),
    challenged: Type.Boolean(),
    challenges: Type.Array(ChallengeJson),
    funded: Nullable(Type.Object({ treasury: Address, total: Decimal, seq: Int }, { additionalProperties: false })),
    escrow: Decimal,
    projects: Type.Array(ProjectJson),
    createdSeq: Int,
  },
  { additionalProperties: false, description: "A participatory-budget round." },
);

const HeldJson = Type.Object(
  { account: Address, held: Decimal, currentKey: Address },
  { additionalProperties: false, description: "Tranches held for an account, and the key its membership holds now." },
);

const RoundPage = PageJson(RoundJson, "A page of participatory-budget rounds.");
const ProjectPage = PageJson(ProjectJson, "A page of a round's projects.");
const RoundParams = Type.Object({ id: BigUintParam("Round id.") });

const budgetRoutes: FastifyPluginAsyncTypebox<DomainRoutesOptions<BudgetQueries>> = async (app, { queries }) => {
  app.get(
    "/v1/budget/rounds",
    {
      schema: {
        tags: ["budget"],
        summary: "Participatory-budget rounds",
        description: "Every round, newest first by default, each with its result, challenges, funding and projects.",
        querystring: Type.Object(orderedPagingQuery()),
        response: { 200: RoundPage, ...problemResponses(400, 503) },
      },
    },
    async (request) => toJsonValue(queries.rounds(pageOf(request.query))) as typeof RoundPage.static,
  );

  app.get(
    "/v1/budget/rounds/:id",
    {
      schema: {
        tags: ["budget"],
        summary: "A participatory-budget round",
        description: "Its result, challenges and their resolution, funding, and every project with its escrow and tranches.",
        params: RoundParams,
        response: { 200: RoundJson, ...problemResponses(400, 404, 503) },
      },
    },
    async (request) => {
      const id = BigInt(request.params.id);
      const round = queries.round(id);
      if (!round) throw new ProblemError("not-found", `no budget round ${id}`);
      return toJsonValue(round) as typeof RoundJson.static;
    },
  );

  app.get(
    "/v1/budget/rounds/:id/projects",
    {
      schema: {
        tags: ["budget"],
        summary: "A round's projects",
        description: "The projects submitted to a round, by project id (ascending by default), optionally with one status.",
        params: RoundParams,
        querystring: Type.Object({ status: Type.Optional(Status), ...orderedPagingQuery() }),
        response: { 200: ProjectPage, ...problemResponses(400, 404, 503) },
      },
    },
    async (request) => {
      const id = BigInt(request.params.id);
      const page = pageOf(request.query);
      const projects = queries.projects(id, { ...page, status: request.query.status });
      if (!projects) throw new ProblemError("not-found", `no budget round ${id}`);
      return toJsonValue(projects) as typeof ProjectPage.static;
    },
  );

  app.get(
    "/v1/budget/rounds/:id/projects/:projectId",
    {
      schema: {
        tags: ["budget"],
        summary: "A participatory-budget project",
        description: "Its proposer and recipient, cost, status, support, ballot index, escrow and tranches released, held and returned.",
        params: Type.Object({ id: BigUintParam("Round id."), projectId: UintParam("Project id within the round.", ["1"]) }),
        response: { 200: ProjectJson, ...problemResponses(400, 404, 503) },
      },
    },
    async (request) => {
      const id = BigInt(request.params.id);
      const projectId = uint(request.params.projectId, "projectId");
      const project = queries.project(id, projectId);
      if (!project) throw new ProblemError("not-found", `no project ${projectId} in budget round ${id}`);
      return toJsonValue(project) as typeof ProjectJson.static;
    },
  );

  app.get(
    "/v1/budget/held/:account",
    {
      schema: {
        tags: ["budget"],
        summary: "Tranches held for a member",
        description: "Released while the member was not active: withdrawn once active, forfeited to the treasury if removed.",
        params: Type.Object({ account: AddressParam }),
        response: { 200: HeldJson, ...problemResponses(400, 503) },
      },
    },
    async (request) => {
      const account = address(request.params.account, "account");
      return toJsonValue(queries.held(account)) as typeof HeldJson.static;
    },
  );
};

export default budgetRoutes;
