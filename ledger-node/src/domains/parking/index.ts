/** Parking sharing (ParkingExchange): spots, bookings, credits and district statistics. */
import { defineDomain } from "../domain";
import { parkingProjection } from "./projection";
import { parkingQueries } from "./queries";
import parkingRoutes from "./routes";

export * from "./projection";
export * from "./queries";

export const parking = defineDomain({
  name: "parking",
  projection: parkingProjection,
  queries: parkingQueries,
  routes: parkingRoutes,
  tags: [{ name: "parking", description: "Parking spots, bookings and district statistics (projection)" }],
});
