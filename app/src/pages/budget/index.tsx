import { lazy } from "react";
import type { PageRoute } from "../types";

export const routes: PageRoute[] = [
  { path: "/budget", nav: { labelKey: "budget.nav", order: 200 }, component: lazy(() => import("./BudgetPage")) },
  { path: "/budget/:id", component: lazy(() => import("./RoundPage")) },
];
