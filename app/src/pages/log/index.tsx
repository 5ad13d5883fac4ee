import { lazy } from "react";
import type { PageRoute } from "../types";

export const routes: PageRoute[] = [
  { path: "/log", nav: { labelKey: "log.nav", order: 2 }, component: lazy(() => import("./LogPage")) },
  { path: "/log/:seq", component: lazy(() => import("./EntryPage")) },
];
