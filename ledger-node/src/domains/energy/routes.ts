import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { toJsonValue } from "../../api/json";
import { orderedPagingQuery, pageOf } from "../../api/paging";
import { address, uint } from "../../api/params";
import { ProblemError, problemResponses } from "../../api/problems";
import { Address, AddressParam, Count as Int, Decimal, Hash32, Nullable, PageJson, UintParam } from "../../api/schemas";
import type { PageRequest } from "../../projections/reads";
import type { DomainRoutesOptions } from "../domain";
import type { EnergyQueries } from "./queries";

/**
 * Local energy trading, served from the energy projection: a slot's book, auction result, readings and settlement; a
 * member's trades, settlements, market balance and demand-response record; a district's energy balance (local
 * self-consumption against the grid); MeterRegistry's meters, each with its recorded readings and demand-response
 * records. Every answer carries `X-Projection-Seq`.
 */

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

const Time = Type.Integer({ minimum: 0, description: "Unix seconds." });
const MeterKind = Type.Unsafe<"none" | "production" | "consumption" | "both">({
  type: "string",
  enum: ["none", "production", "consumption", "both"],
  description: "What the meter measures.",
});
const MeterStatus = Type.Unsafe<"active" | "replaced" | "revoked">({ type: "string", enum: ["active", "replaced", "revoked"] });

const MeterJson = Type.Object(
  {
    meter: Address,
    member: Address,
    kind: MeterKind,
    district: Int,
    status: MeterStatus,
    registeredAt: Time,
    registeredSeq: Int,
    replaces: Nullable(Address),
    replacedBy: Nullable(Address),
    endedAt: Nullable(Time),
    reasonHash: Nullable(Hash32),
    baselineWh: Nullable(Wh),
    readings: Type.Integer({ minimum: 0, description: "Readings recorded." }),
    demandReductionWh: Wh,
  },
  { additionalProperties: false, description: "A smart meter MeterRegistry registered, with its baseline and totals." },
);

const MeterReadingJson = Type.Object(
  { slot: Int, start: Time, member: Address, district: Int, producedWh: Wh, consumedWh: Wh },
  { additionalProperties: false, description: "A signed reading of the meter MeterRegistry recorded for a slot." },
);

const MeterReductionJson = Type.Object(
  { slot: Int, start: Time, baselineWh: Wh, consumedWh: Wh, reducedWh: Wh },
  { additionalProperties: false, description: "A peak slot the meter drew below its baseline (demand response)." },
);

const MeterPage = PageJson(MeterJson, "A page of meters.");
const MeterReadingPage = PageJson(MeterReadingJson, "A page of a meter's readings.");
const MeterReductionPage = PageJson(MeterReductionJson, "A page of a meter's demand-response records.");
const MeterParams = Type.Object({ meter: AddressParam });

const SlotPage = PageJson(SlotJson, "A page of slots.");
const DistrictList = Type.Object(
  { items: Type.Array(DistrictJson), total: Int },
  { additionalProperties: false, description: "Every district with recorded readings." },
);

const energyRoutes: FastifyPluginAsyncTypebox<DomainRoutesOptions<EnergyQueries>> = async (app, { queries }) => {
  app.get(
    "/v1/energy/slots",
    {
      schema: {
        tags: ["energy"],
        summary: "Energy slots",
        description:
          "Every slot in which something happened (an order, a peak flag, a reading), latest slot first by default, each " +
          "with its book, result, readings and settlement: what an explorer lists before opening one.",
        querystring: Type.Object(orderedPagingQuery()),
        response: { 200: SlotPage, ...problemResponses(400, 503) },
      },
    },
    async (request) => toJsonValue(queries.slots(pageOf(request.query))) as typeof SlotPage.static,
  );

  app.get(
    "/v1/energy/districts",
    {
      schema: {
        tags: ["energy"],
        summary: "Every district's energy balance",
        description: "The balance of each district with recorded meter readings (as /v1/energy/districts/:district), by district.",
        response: { 200: DistrictList, ...problemResponses(503) },
      },
    },
    async () => {
      const items = queries.districts();
      return toJsonValue({ items, total: items.length }) as typeof DistrictList.static;
    },
  );

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
    async (request) => {
      const slot = uint(request.params.slot, "slot");
      const view = queries.slot(slot);
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
    async (request) => {
      const account = address(request.params.address);
      const view = queries.member(account);
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
    async (request) => {
      const district = uint(request.params.district, "district");
      const view = queries.district(district);
      if (!view) throw new ProblemError("not-found", `no recorded reading from district ${district}`);
      return toJsonValue(view) as typeof DistrictJson.static;
    },
  );

  app.get(
    "/v1/energy/meters",
    {
      schema: {
        tags: ["energy"],
        summary: "Smart meters",
        description: "Meters MeterRegistry registered, in registration order by default, optionally of one member, district or status.",
        querystring: Type.Object({
          member: Type.Optional(AddressParam),
          district: Type.Optional(UintParam("City district.", ["1"])),
          status: Type.Optional(MeterStatus),
          ...orderedPagingQuery(),
        }),
        response: { 200: MeterPage, ...problemResponses(400, 503) },
      },
    },
    async (request) => {
      const q = request.query;
      const member = q.member === undefined ? undefined : address(q.member, "member");
      const district = q.district === undefined ? undefined : uint(q.district, "district");
      const page = pageOf(q);
      return toJsonValue(queries.meters({ member, district, status: q.status, ...page, order: page.order ?? "asc" })) as typeof MeterPage.static;
    },
  );

  app.get(
    "/v1/energy/meters/:meter",
    {
      schema: {
        tags: ["energy"],
        summary: "A smart meter",
        description: "Its member, kind, district and status (replaced or revoked meters included), its baseline, readings count and demand reduction.",
        params: MeterParams,
        response: { 200: MeterJson, ...problemResponses(400, 404, 503) },
      },
    },
    async (request) => {
      const meter = address(request.params.meter, "meter");
      const view = queries.meter(meter);
      if (!view) throw new ProblemError("not-found", `no meter ${meter} was ever registered`);
      return toJsonValue(view) as typeof MeterJson.static;
    },
  );

  // A meter's two histories: the readings MeterRegistry recorded, and its demand-response records.
  const histories = [
    {
      path: "readings",
      summary: "A meter's readings",
      description: "The signed readings MeterRegistry recorded for the meter, by slot, newest first by default.",
      page: MeterReadingPage,
      // Read at request time: a node without projections answers not-ready then.
      read: (meter: string, page: PageRequest) => queries.meterReadings(meter, page),
    },
    {
      path: "reductions",
      summary: "A meter's demand-response records",
      description: "Peak slots in which the meter drew less than its baseline, with the reduction, newest first by default.",
      page: MeterReductionPage,
      read: (meter: string, page: PageRequest) => queries.meterReductions(meter, page),
    },
  ] as const;
  for (const h of histories) {
    app.get(
      `/v1/energy/meters/:meter/${h.path}`,
      {
        schema: {
          tags: ["energy"],
          summary: h.summary,
          description: h.description,
          params: MeterParams,
          querystring: Type.Object(orderedPagingQuery()),
          response: { 200: h.page, ...problemResponses(400, 404, 503) },
        },
      },
      async (request) => {
        const meter = address(request.params.meter, "meter");
        const page = h.read(meter, pageOf(request.query));
        if (!page) throw new ProblemError("not-found", `no meter ${meter} was ever registered`);
        return toJsonValue(page) as typeof h.page.static;
      },
    );
  }
};

export default energyRoutes;
