import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import {
  DEFAULT_LIMIT,
  MAX_LIMIT,
  PARKING_MAX_STATS_WINDOW_HOURS,
  PARKING_MAX_WINDOW_HOURS,
  parkingWindowProblem,
  type ParkingWindow,
  type ProjectionQueries,
} from "../../projections/queries";
import { toJsonValue } from "../json";
import { address, uint, uintOr } from "../params";
import { ProblemError, problemResponses } from "../problems";
import { Address, AddressParam, BigUintParam, Decimal, Hash32, Hex, UintParam } from "../schemas";

/**
 * Parking sharing, served from the parking projection: spot search by district and time window, a spot's calendar,
 * bookings, and the occupancy and turnover statistics per district a parking observatory publishes. Windows are
 * `[from, to)` in unix seconds, whole hours. Every answer carries `X-Projection-Seq`.
 */

const Int = Type.Integer({ minimum: 0 });
const Time = Type.Integer({ minimum: 0, description: "Unix seconds." });

const WindowJson = Type.Object({ from: Time, to: Time }, { additionalProperties: false });

const SpotJson = Type.Object(
  {
    id: Decimal,
    owner: Address,
    district: Int,
    geohash: Hex,
    descriptionHash: Hash32,
    hourlyRate: Decimal,
    dailyCap: Decimal,
    presetId: Int,
    checkIn: Type.Boolean(),
    deposit: Decimal,
    weeklyAvailability: Type.String({
      pattern: "^(0|[1-9][0-9]*)$",
      description: "Bit i = hour i of the week from Monday 00:00 UTC, as a decimal string.",
    }),
    status: Type.Unsafe<"listed" | "paused" | "delisted">({ type: "string", enum: ["listed", "paused", "delisted"] }),
    blockedDays: Type.Array(Int, { description: "Unix day indexes (seconds / 86400) the owner blocked." }),
    ratingCount: Int,
    ratingSum: Int,
    bookings: Type.Integer({ minimum: 0, description: "Bookings not cancelled." }),
    ownerCancellations: Type.Integer({ minimum: 0, description: "Cancellations marked on the owner's record." }),
    listedSeq: Int,
    updatedSeq: Int,
  },
  { additionalProperties: false, description: "A parking spot." },
);

const RatingJson = Type.Object({ score: Int, commentHash: Hash32, seq: Int }, { additionalProperties: false });

const BookingJson = Type.Object(
  {
    id: Decimal,
    spotId: Decimal,
    district: Int,
    driver: Address,
    owner: Address,
    start: Time,
    end: Time,
    hours: Int,
    price: Decimal,
    deposit: Decimal,
    overstayRate: Decimal,
    presetId: Int,
    checkIn: Type.Boolean(),
    status: Type.Unsafe<"none" | "booked" | "disputed" | "cancelled" | "paidOut" | "resolved">({
      type: "string",
      enum: ["none", "booked", "disputed", "cancelled", "paidOut", "resolved"],
    }),
    checkedInAt: Type.Optional(Time),
    checkedOutAt: Type.Optional(Time),
    overstayCharge: Decimal,
    cancellation: Type.Optional(
      Type.Object(
        { by: Address, byOwner: Type.Boolean(), refund: Decimal, toOwner: Decimal, fee: Decimal, seq: Int },
        { additionalProperties: false },
      ),
    ),
    dispute: Type.Optional(Type.Object({ by: Address, seq: Int }, { additionalProperties: false })),
    resolution: Type.Optional(
      Type.Object(
        { arbiter: Address, toDriver: Decimal, toOwner: Decimal, fee: Decimal, reasonHash: Hash32, seq: Int },
        { additionalProperties: false },
      ),
    ),
    payout: Type.Optional(
      Type.Object(
        { toOwner: Decimal, fee: Decimal, refund: Decimal, overstayCharge: Decimal, seq: Int },
        { additionalProperties: false },
      ),
    ),
    driverRating: Type.Optional(RatingJson),
    ownerRating: Type.Optional(RatingJson),
    createdSeq: Int,
    history: Type.Array(Type.Object({ seq: Int, txHash: Hash32, event: Type.String() }, { additionalProperties: false })),
  },
  { additionalProperties: false, description: "A booking with every step of its life." },
);

const CalendarJson = Type.Object(
  {
    spotId: Decimal,
    from: Time,
    to: Time,
    status: Type.Unsafe<"listed" | "paused" | "delisted">({ type: "string", enum: ["listed", "paused", "delisted"] }),
    bookings: Type.Array(BookingJson),
    blockedDays: Type.Array(Int),
    free: Type.Array(WindowJson, { description: "Maximal intervals a booking could take (offered, not blocked, free)." }),
  },
  { additionalProperties: false, description: "A spot's calendar within a window." },
);

const DistrictStatsJson = Type.Object(
  {
    district: Type.Optional(Int),
    spots: Int,
    bookings: Int,
    bookedHours: Type.Integer({ minimum: 0, description: "Hours of bookings not cancelled (occupancy without a window)." }),
    cancellations: Int,
    revenue: Decimal,
    fees: Decimal,
    turnoverBps: Type.Integer({ minimum: 0, description: "Bookings per spot, basis points (15000 = 1.5)." }),
    window: Type.Optional(
      Type.Object(
        {
          bookings: Int,
          bookedHours: Int,
          availableHours: Int,
          occupancyBps: Type.Integer({ minimum: 0, description: "bookedHours / availableHours, basis points." }),
          turnoverBps: Int,
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const CreditJson = Type.Object({ account: Address, credit: Decimal }, { additionalProperties: false });

const StatsJson = Type.Object(
  { window: Type.Optional(WindowJson), districts: Type.Array(DistrictStatsJson), total: DistrictStatsJson },
  { additionalProperties: false, description: "Parking statistics per district and city-wide." },
);

const page = <T extends ReturnType<typeof Type.Object>>(item: T, description: string) =>
  Type.Object({ items: Type.Array(item), total: Int, offset: Int, limit: Int }, { additionalProperties: false, description });

const SpotPage = page(SpotJson, "A page of spots.");
const BookingPage = page(BookingJson, "A page of bookings.");

const PagingQuery = {
  offset: Type.Optional(UintParam("Items to skip (default 0).")),
  limit: Type.Optional(UintParam(`Items to return, 1..${MAX_LIMIT} (default ${DEFAULT_LIMIT}).`, [String(DEFAULT_LIMIT)])),
};
const WindowQuery = {
  from: Type.Optional(UintParam("Window start, unix seconds, a whole hour (with `to`).")),
  to: Type.Optional(UintParam("Window end (exclusive), unix seconds, a whole hour after `from`.")),
};
const DistrictQuery = { district: Type.Optional(UintParam("City district.")) };
const SpotParams = Type.Object({ id: BigUintParam("Spot id.") });

export interface ParkingRoutesOptions {
  queries?: ProjectionQueries;
}

type Parking = Required<Pick<ProjectionQueries, "spot" | "spots" | "spotCalendar" | "booking" | "bookings" | "parkingStats">>;

const parkingRoutes: FastifyPluginAsyncTypebox<ParkingRoutesOptions> = async (app, { queries }) => {
  const ready = (reply: FastifyReply): Parking => {
    const q = queries;
    if (!q || !q.spot || !q.spots || !q.spotCalendar || !q.booking || !q.bookings || !q.parkingStats)
      throw new ProblemError(
        "not-ready",
        "projections not ready: this node serves no parking read model for now; retry later",
        {},
        { "retry-after": "10" },
      );
    reply.header("x-projection-seq", String(q.seq()));
    return q as Parking;
  };

  app.get(
    "/v1/parking/spots",
    {
      schema: {
        tags: ["parking"],
        summary: "Search parking spots",
        description:
          "Spots not delisted, in listing order, optionally in one district. With `from` and `to`, only spots a " +
          `booking of the whole window would pass: not paused, offered every hour, no blocked day, no booking overlapping (window at most ${PARKING_MAX_WINDOW_HOURS} hours).`,
        querystring: Type.Object({ ...DistrictQuery, ...WindowQuery, ...PagingQuery }),
        response: { 200: SpotPage, ...problemResponses(400, 503) },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const window = windowOf(q, PARKING_MAX_WINDOW_HOURS, false);
      const paging = pagingOf(q);
      const district = q.district === undefined ? undefined : uint(q.district, "district");
      const result = ready(reply).spots({ district, ...window, ...paging });
      return toJsonValue(result) as typeof SpotPage.static;
    },
  );

  app.get(
    "/v1/parking/spots/:id",
    {
      schema: {
        tags: ["parking"],
        summary: "A parking spot",
        params: SpotParams,
        response: { 200: SpotJson, ...problemResponses(400, 404, 503) },
      },
    },
    async (request, reply) => {
      const id = BigInt(request.params.id);
      const spot = ready(reply).spot(id);
      if (!spot) throw new ProblemError("not-found", `no parking spot ${id}`);
      return toJsonValue(spot) as typeof SpotJson.static;
    },
  );

  app.get(
    "/v1/parking/spots/:id/calendar",
    {
      schema: {
        tags: ["parking"],
        summary: "A parking spot's calendar",
        description: `Bookings, blocked days and free intervals of a spot within [from, to) (at most ${PARKING_MAX_WINDOW_HOURS} hours).`,
        params: SpotParams,
        querystring: Type.Object(WindowQuery),
        response: { 200: CalendarJson, ...problemResponses(400, 404, 503) },
      },
    },
    async (request, reply) => {
      const id = BigInt(request.params.id);
      const window = windowOf(request.query, PARKING_MAX_WINDOW_HOURS, true)!;
      const calendar = ready(reply).spotCalendar(id, window);
      if (!calendar) throw new ProblemError("not-found", `no parking spot ${id}`);
      return toJsonValue(calendar) as typeof CalendarJson.static;
    },
  );

  app.get(
    "/v1/parking/bookings/:id",
    {
      schema: {
        tags: ["parking"],
        summary: "A parking booking",
        description: "The latest booking with this id (`spotId << 32 | start / 3600`; a cancelled booking's id may be reused).",
        params: Type.Object({ id: BigUintParam("Booking id.") }),
        response: { 200: BookingJson, ...problemResponses(400, 404, 503) },
      },
    },
    async (request, reply) => {
      const id = BigInt(request.params.id);
      const booking = ready(reply).booking(id);
      if (!booking) throw new ProblemError("not-found", `no parking booking ${id}`);
      return toJsonValue(booking) as typeof BookingJson.static;
    },
  );

  app.get(
    "/v1/parking/members/:address/bookings",
    {
      schema: {
        tags: ["parking"],
        summary: "Parking bookings of a member",
        description: "As driver or owner (`role` narrows it), newest first by default.",
        params: Type.Object({ address: AddressParam }),
        querystring: Type.Object({
          ...PagingQuery,
          order: Type.Optional(Type.Unsafe<"asc" | "desc">({ type: "string", enum: ["asc", "desc"] })),
          role: Type.Optional(Type.Unsafe<"driver" | "owner">({ type: "string", enum: ["driver", "owner"] })),
        }),
        response: { 200: BookingPage, ...problemResponses(400, 503) },
      },
    },
    async (request, reply) => {
      const account = address(request.params.address);
      const { role, order } = request.query;
      const result = ready(reply).bookings(account, { ...pagingOf(request.query), order: order ?? "desc", role });
      return toJsonValue(result) as typeof BookingPage.static;
    },
  );

  app.get(
    "/v1/parking/members/:address/credit",
    {
      schema: {
        tags: ["parking"],
        summary: "What the parking exchange holds for a member",
        description:
          "Settlement shares CityCoin refused to deliver (the member was suspended or removed when a booking settled), " +
          "held for the member until it withdraws them; `0` in the usual case.",
        params: Type.Object({ address: AddressParam }),
        response: { 200: CreditJson, ...problemResponses(400, 503) },
      },
    },
    async (request, reply) => {
      const account = address(request.params.address);
      ready(reply);
      if (!queries?.parkingCredit) {
        throw new ProblemError("not-ready", "projections not ready: no parking credits for now; retry later", {}, { "retry-after": "10" });
      }
      return toJsonValue(queries.parkingCredit(account)) as typeof CreditJson.static;
    },
  );

  app.get(
    "/v1/parking/stats",
    {
      schema: {
        tags: ["parking"],
        summary: "Parking occupancy and turnover per district",
        description:
          "Bookings, booked hours, cancellations, revenue, fees and turnover (bookings per spot) per district and " +
          `city-wide; with [from, to) (at most ${PARKING_MAX_STATS_WINDOW_HOURS} hours), the occupancy: booked hours over the hours the spots offered.`,
        querystring: Type.Object({ ...DistrictQuery, ...WindowQuery }),
        response: { 200: StatsJson, ...problemResponses(400, 503) },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const window = windowOf(q, PARKING_MAX_STATS_WINDOW_HOURS, false);
      const district = q.district === undefined ? undefined : uint(q.district, "district");
      return toJsonValue(ready(reply).parkingStats({ district, ...window })) as typeof StatsJson.static;
    },
  );
};

/** The window of a query, checked: both bounds or neither (unless `required`), whole hours, from < to, not too long. */
function windowOf(query: { from?: string; to?: string }, maxHours: number, required: boolean): ParkingWindow | undefined {
  if (query.from === undefined && query.to === undefined && !required) return undefined;
  if (query.from === undefined || query.to === undefined) {
    const missing = query.from === undefined ? "from" : "to";
    throw new ProblemError("invalid-parameter", `${missing} is missing: give both from and to (unix seconds, whole hours)`, {
      invalidParams: [{ in: "querystring", name: missing, reason: "is required with the other bound" }],
    });
  }
  const window = { from: uint(query.from, "from"), to: uint(query.to, "to") };
  const problem = parkingWindowProblem(window, maxHours);
  if (problem !== undefined) {
    const name = window.to <= window.from || (window.to - window.from) / 3600 > maxHours ? "to" : "from";
    throw new ProblemError("out-of-range", problem, { invalidParams: [{ in: "querystring", name, reason: problem }] });
  }
  return window;
}

function pagingOf(query: { offset?: string; limit?: string }): { offset: number; limit: number } {
  const offset = uintOr(query.offset, "offset", 0);
  const limit = uintOr(query.limit, "limit", DEFAULT_LIMIT);
  if (limit < 1 || limit > MAX_LIMIT) {
    throw new ProblemError("out-of-range", `limit ${limit} is not between 1 and ${MAX_LIMIT}`, {
      invalidParams: [{ in: "querystring", name: "limit", reason: `must be between 1 and ${MAX_LIMIT}` }],
    });
  }
  return { offset, limit };
}

export default parkingRoutes;
