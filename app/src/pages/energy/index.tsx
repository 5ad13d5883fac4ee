import { lazy } from "react";
import type { PageRoute } from "../types";

export const routes: PageRoute[] = [
  { path: "/energy", nav: { labelKey: "energy.nav", order: 500 }, component: lazy(() => import("./EnergyPage")) },
  { path: "/energy/:slot", component: lazy(() => import("./SlotPage")) },
];
