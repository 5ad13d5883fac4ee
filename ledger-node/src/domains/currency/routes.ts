import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { toJsonValue } from "../../api/json";
import { orderedPagingQuery, pageOf } from "../../api/paging";
import { address } from "../../api/params";
import { problemResponses } from "../../api/problems";
import { Address, AddressParam, Count as Int, Decimal, Hash32 } from "../../api/schemas";
import type { DomainRoutesOptions } from "../domain";
import type { CurrencyQueries } from "./queries";

/** CityCoin accounts, served from the currency projection. Every answer carries `X-Projection-Seq`. */

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

const currencyRoutes: FastifyPluginAsyncTypebox<DomainRoutesOptions<CurrencyQueries>> = async (app, { queries }) => {
  app.get(
    "/v1/accounts/:address",
    {
      schema: {
        tags: ["currency"],
        summary: "CityCoin balance and transfers",
        description:
          "Balance and a page of transfers (both directions); an unknown address has a zero balance and no transfers.",
        params: Type.Object({ address: AddressParam }),
        querystring: Type.Object(orderedPagingQuery()),
        response: { 200: AccountJson, ...problemResponses(400, 503) },
      },
    },
    async (request) => {
      const account = address(request.params.address);
      return toJsonValue(queries.account(account, pageOf(request.query))) as typeof AccountJson.static;
    },
  );
};

export default currencyRoutes;
