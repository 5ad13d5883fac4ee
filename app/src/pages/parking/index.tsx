import { lazy } from "react";
import type { PageRoute } from "../types";

export const routes: PageRoute[] = [
  { path: "/parking", nav: { labelKey: "parking.nav", order: 400 }, component: lazy(() => import("./ParkingPage")) },
  { path: "/parking/:id", component: lazy(() => import("./SpotPage")) },
];
