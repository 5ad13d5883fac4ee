import { lazy } from "react";
import type { PageRoute } from "../types";

export const routes: PageRoute[] = [{ path: "/", nav: { labelKey: "dashboard.nav", order: 1 }, component: lazy(() => import("./DashboardPage")) }];
