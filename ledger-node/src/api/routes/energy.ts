import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import type { ProjectionQueries } from "../../projections/queries";
import { toJsonValue } from "../json";
import { address, uint } from "../params";
import { ProblemError, problemResponses } from "../problems";
import { Address, AddressParam, Decimal, UintParam } from "../schemas";

/**
 * Local energy trading, served from the energy projection: a slot's book, auction result, readings and settlement; a
 * member's trades, settlements, market balance and demand-response record; a district's energy balance (local
 * self-consumption against the grid). Every answer carries `X-Projection-Seq`.
 */

const Int = Type.Integer({ minimum: 0 });
const Wh = Type.String({ pattern: "^(0|[1-9][0-9]*)$", description: "Energy in Wh, as a decimal string." });

const OrderJson = Type.Object(
  {
    id: Decimal,
    slot: Int,
    side: Type.Unsafe<"ask" | "bid">({ type: "string", enum: ["ask", "bid"] }),
    trader: Address,
    meter: Address,
    wh: Wh,
    price: Type.String({ pattern: "^(0|[1-9][0-9]*)$", description: "Ask's minimum or bid's maximum per kWh, base units." }),
    locked: Type.String({ pattern: "^(0|[1-9][0-9]*)$", description: "Escrow (bid) or collateral (ask) it locked, base units." }),
    status: Type.Unsafe<"open" | "cancelled" | "cleared" | "settled" | "evicted">({
      type: "string",
      enum: ["open", "cancelled", "cleared", "settled", "evicted"],
      description: "evicted: pushed out of a full book by a better-priced order, its lock refunded.",
    }),
    placedSeq: Int,
    filledWh: Type.Optional(Wh),
    deliveredWh: Type.Optional(Wh),
    revenue: Type.Optional(Decimal),
    imbalance: Type.Optional(Decimal),
    cost: Type.Optional(Decimal),
    compensation: Type.Optional(Decimal),
    credit: Type.Optional(Decimal),
    closedSeq: Type.Optional(Int),
  },
  { additionalProperties: false, description: "An energy order with its fill and settlement." },
);

const ReadingJson = Type.Object(
  { meter: Address, member: Address, district: Int, producedWh: Wh, consumedWh: Wh },
  { additionalProperties: false, description: "A signed meter reading MeterRegistry recorded." },
);

const SlotJson = Type.Object(
  {
    slot: Int,
    start: Type.Integer({ minimum: 0, description: "Unix seconds; the slot is [start, start + 900)." }),
    peak: Type.Boolean(),
    cleared: Type.Boolean(),
    price: Decimal,
    volume: Wh,
    settled: Type.Boolean(),
    deliveredWh: Wh,
    payments: Decimal,
    imbalance: Decimal,
    orders: Type.Array(OrderJson),
    readings: Type.Array(ReadingJson),
  },
  { additionalProperties: false, description: "A slot's order book, clearing result, readings and settlement." },
);

const MemberJson = Type.Object(
  {
    address: Address,
    balance: Decimal,
    claimed: Decimal,
    demandReductionWh: Wh,
    reductions: Type.Array(
      Type.Object({ slot: Int, meter: Address, baselineWh: Wh, consumedWh: Wh, reducedWh: Wh }, { additionalProperties: false }),
    ),
    orders: Type.Array(OrderJson),
  },
  { additionalProperties: false, description: "A member's energy trades, settlements, market balance and demand response." },
);

const DistrictJson = Type.Object(
  {
    district: Int,
    slots: Type.Integer({ minimum: 0, description: "Slots with recorded readings from the district." }),
    producedWh: Wh,
    consumedWh: Wh,
    localWh: Type.String({ pattern: "^(0|[1-9][0-9]*)$", description: "Consumed within the district: Σ min(produced, consumed) per slot." }),
    gridImportWh: Wh,
    gridExportWh: Wh,
  },
  { additionalProperties: false, description: "A district's energy balance over the slots with recorded readings." },
);

export interface EnergyRoutesOptions {
  queries?: ProjectionQueries;
}

type Energy = Required<Pick<ProjectionQueries, "energySlot" | "energyMember" | "energyDistrict">>;

const energyRoutes: FastifyPluginAsyncTypebox<EnergyRoutesOptions> = async (app, { queries }) => {
  const ready = (reply: FastifyReply): Energy => {
    const q = queries;
    if (!q || !q.energySlot || !q.energyMember || !q.energyDistrict)
      throw new ProblemError("not-ready", "projections not ready: this node serves no energy read model for now; retry later", {}, { "retry-after": "10" });
    reply.header("x-projection-seq", String(q.seq()));
    return q as Energy;
  };

  app.get(
    "/v1/energy/slots/:slot",
    {
      schema: {
        tags: ["energy"],
        summary: "An energy slot",
        description: "The slot's orders (by id), its uniform-price result, the readings its settlement accepted and the settlement totals.",
        params: Type.Object({ slot: UintParam("Slot number: floor(unix seconds / 900).", ["1995000"]) }),
        response: { 200: SlotJson, ...problemResponses(400, 404, 503) },
      },
    },
    async (request, reply) => {
      const slot = uint(request.params.slot, "slot");
      const view = ready(reply).energySlot(slot);
      if (!view) throw new ProblemError("not-found", `no order or flag in energy slot ${slot}`);
      return toJsonValue(view) as typeof SlotJson.static;
    },
  );

  app.get(
    "/v1/energy/members/:address",
    {
      schema: {
        tags: ["energy"],
        summary: "A member's energy trades",
        description: "Orders newest first with their fills and settlements, the market balance and the demand-response record.",
        params: Type.Object({ address: AddressParam }),
        response: { 200: MemberJson, ...problemResponses(400, 404, 503) },
      },
    },
    async (request, reply) => {
      const account = address(request.params.address);
      const view = ready(reply).energyMember(account);
      if (!view) throw new ProblemError("not-found", `account ${account} never traded energy`);
      return toJsonValue(view) as typeof MemberJson.static;
    },
  );

  app.get(
    "/v1/energy/districts/:district",
    {
      schema: {
        tags: ["energy"],
        summary: "A district's energy balance",
        description: "Produced and consumed energy of the district's recorded meter readings, split into local self-consumption and grid import/export.",
        params: Type.Object({ district: UintParam("City district.", ["1"]) }),
        response: { 200: DistrictJson, ...problemResponses(400, 404, 503) },
      },
    },
    async (request, reply) => {
      const district = uint(request.params.district, "district");
      const view = ready(reply).energyDistrict(district);
      if (!view) throw new ProblemError("not-found", `no recorded reading from district ${district}`);
      return toJsonValue(view) as typeof DistrictJson.static;
    },
  );
};

export default energyRoutes;
