import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { toJsonValue } from "../../api/json";
import { orderedPagingQuery, pageOf, pagingQuery } from "../../api/paging";
import { address, uint } from "../../api/params";
import { ProblemError, problemResponses } from "../../api/problems";
import { Address, AddressParam, BigUintParam, Count as Int, Decimal, Hash32, Hex, PageJson, UintParam } from "../../api/schemas";
import type { DomainRoutesOptions } from "../domain";
import {
  PARKING_MAX_STATS_WINDOW_HOURS,
  PARKING_MAX_WINDOW_HOURS,
  parkingWindowProblem,
  type ParkingQueries,
  type ParkingWindow,
} from "./queries";

/**
 * Parking sharing, served from the parking projection: spot search by district and time window, a spot's calendar,
 * bookings, and the occupancy and turnover statistics per district a parking observatory publishes. Windows are
 * `[from, to)` in unix seconds, whole hours. Every answer carries `X-Projection-Seq`.
 */

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

const SpotPage = PageJson(SpotJson, "A page of spots.");
const BookingPage = PageJson(BookingJson, "A page of bookings.");
const WindowQuery = {
  from: Type.Optional(UintParam("Window start, unix seconds, a whole hour (with `to`).")),
  to: Type.Optional(UintParam("Window end (exclusive), unix seconds, a whole hour after `from`.")),
};
const DistrictQuery = { district: Type.Optional(UintParam("City district.")) };
const SpotParams = Type.Object({ id: BigUintParam("Spot id.") });

const parkingRoutes: FastifyPluginAsyncTypebox<DomainRoutesOptions<ParkingQueries>> = async (app, { queries }) => {
  app.get(
    "/v1/parking/spots",
    {
      schema: {
        tags: ["parking"],
        summary: "Search parking spots",
        description:
          "Spots not delisted, in listing order, optionally in one district. With `from` and `to`, only spots a " +
          `booking of the whole window would pass: not paused, offered every hour, no blocked day, no booking overlapping (window at most ${PARKING_MAX_WINDOW_HOURS} hours).`,
        querystring: Type.Object({ ...DistrictQuery, ...WindowQuery, ...pagingQuery() }),
        response: { 200: SpotPage, ...problemResponses(400, 503) },
      },
    },
    async (request) => {
      const q = request.query;
      const window = windowOf(q, PARKING_MAX_WINDOW_HOURS, false);
      const { offset, limit } = pageOf(q);
      const district = q.district === undefined ? undefined : uint(q.district, "district");
      const result = queries.spots({ district, ...window, offset, limit });
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
    async (request) => {
      const id = BigInt(request.params.id);
      const spot = queries.spot(id);
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
    async (request) => {
      const id = BigInt(request.params.id);
      const window = windowOf(request.query, PARKING_MAX_WINDOW_HOURS, true)!;
      const calendar = queries.spotCalendar(id, window);
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
    async (request) => {
      const id = BigInt(request.params.id);
      const booking = queries.booking(id);
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
          ...orderedPagingQuery(),
          role: Type.Optional(Type.Unsafe<"driver" | "owner">({ type: "string", enum: ["driver", "owner"] })),
        }),
        response: { 200: BookingPage, ...problemResponses(400, 503) },
      },
    },
    async (request) => {
      const account = address(request.params.address);
      const result = queries.bookings(account, { ...pageOf(request.query), role: request.query.role });
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
    async (request) => {
      const account = address(request.params.address);
      return toJsonValue(queries.credit(account)) as typeof CreditJson.static;
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
    async (request) => {
      const q = request.query;
      const window = windowOf(q, PARKING_MAX_STATS_WINDOW_HOURS, false);
      const district = q.district === undefined ? undefined : uint(q.district, "district");
      return toJsonValue(queries.stats({ district, ...window })) as typeof StatsJson.static;
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

export default parkingRoutes;
