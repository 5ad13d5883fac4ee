import { lazy } from "react";
import type { PageRoute } from "../types";

export const routes: PageRoute[] = [{ path: "/anchors", nav: { labelKey: "anchors.nav", order: 4 }, component: lazy(() => import("./AnchorsPage")) }];
