import { lazy } from "react";
import type { PageRoute } from "../types";

export const routes: PageRoute[] = [{ path: "/income", nav: { labelKey: "income.nav", order: 600 }, component: lazy(() => import("./IncomePage")) }];
