import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { toJsonValue } from "../../api/json";
import { ProblemError, problemResponses } from "../../api/problems";
import { Address, BigUintParam, Count as Int, Decimal, Hash32 } from "../../api/schemas";
import type { DomainRoutesOptions } from "../domain";
import type { ToolsQueries } from "./queries";

const ToolJson = Type.Object(
  { id: Decimal, owner: Address, descriptionHash: Hash32, borrower: Type.Optional(Address), loans: Int, listedSeq: Int },
  { additionalProperties: false, description: "A tool, its owner and who holds it." },
);

/** Tools, served from the tool-lending projection. */
const toolsRoutes: FastifyPluginAsyncTypebox<DomainRoutesOptions<ToolsQueries>> = async (app, { queries }) => {
  app.get(
    "/v1/tools/:id",
    {
      schema: {
        tags: ["tools"],
        summary: "One tool",
        params: Type.Object({ id: BigUintParam("Tool id.") }),
        response: { 200: ToolJson, ...problemResponses(400, 404, 503) },
      },
    },
    async (request) => {
      const id = BigInt(request.params.id);
      const tool = queries.tool(id);
      if (!tool) throw new ProblemError("not-found", `no tool ${id}`);
      return toJsonValue(tool) as typeof ToolJson.static;
    },
  );
};

export default toolsRoutes;
