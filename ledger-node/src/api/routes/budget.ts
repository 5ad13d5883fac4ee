import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import type { ProjectionQueries } from "../../projections/queries";
import { toJsonValue } from "../json";
import { address } from "../params";
import { ProblemError, problemResponses } from "../problems";
import { Address, AddressParam, BigUintParam, Decimal, Hash32, Nullable } from "../schemas";

/**
 * The participatory budget, served from the budget projection: a round with its recorded result, the challenges of
 * a posted result and the council's resolutions, its funding and its projects (escrow, tranches released and held),
 * and the tranches held for a member. Every answer carries `X-Projection-Seq`.
 */

const Int = Type.Integer({ minimum: 0 });
const Status = Type.Unsafe<string>({ type: "string", enum: ["none", "submitted", "feasible", "infeasible", "selected", "funded", "closed"] });

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

export interface BudgetRoutesOptions {
  queries?: ProjectionQueries;
}

type Budget = Required<Pick<ProjectionQueries, "budgetRound" | "budgetHeld">>;

const budgetRoutes: FastifyPluginAsyncTypebox<BudgetRoutesOptions> = async (app, { queries }) => {
  const ready = (reply: FastifyReply): Budget => {
    const q = queries;
    if (!q || !q.budgetRound || !q.budgetHeld)
      throw new ProblemError("not-ready", "projections not ready: this node serves no budget read model for now; retry later", {}, { "retry-after": "10" });
    reply.header("x-projection-seq", String(q.seq()));
    return q as Budget;
  };

  app.get(
    "/v1/budget/rounds/:id",
    {
      schema: {
        tags: ["budget"],
        summary: "A participatory-budget round",
        description: "Its result, challenges and their resolution, funding, and every project with its escrow and tranches.",
        params: Type.Object({ id: BigUintParam("Round id.") }),
        response: { 200: RoundJson, ...problemResponses(400, 404, 503) },
      },
    },
    async (request, reply) => {
      const id = BigInt(request.params.id);
      const round = ready(reply).budgetRound(id);
      if (!round) throw new ProblemError("not-found", `no budget round ${id}`);
      return toJsonValue(round) as typeof RoundJson.static;
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
    async (request, reply) => {
      const account = address(request.params.account, "account");
      return toJsonValue(ready(reply).budgetHeld(account)) as typeof HeldJson.static;
    },
  );
};

export default budgetRoutes;
