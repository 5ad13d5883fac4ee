import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { toJsonValue } from "../../api/json";
import { address } from "../../api/params";
import { ProblemError, problemResponses } from "../../api/problems";
import { Address, AddressParam, Count as Int, Decimal, Hash32, Hex } from "../../api/schemas";
import type { DomainRoutesOptions } from "../domain";
import type { MembersQueries } from "./queries";

/** The membership registry, served from the members projection. Every answer carries `X-Projection-Seq`. */

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

const membersRoutes: FastifyPluginAsyncTypebox<DomainRoutesOptions<MembersQueries>> = async (app, { queries }) => {
  app.get(
    "/v1/members/:address",
    {
      schema: {
        tags: ["members"],
        summary: "A membership record",
        description: "Any status, with its history; 404 if the address never was a member.",
        params: Type.Object({ address: AddressParam }),
        response: { 200: MemberJson, ...problemResponses(400, 404, 503) },
      },
    },
    async (request) => {
      const account = address(request.params.address);
      const member = queries.member(account);
      if (!member) throw new ProblemError("not-found", `${account} never was a member`);
      return toJsonValue(member) as typeof MemberJson.static;
    },
  );
};

export default membersRoutes;
