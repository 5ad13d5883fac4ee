import { lazy } from "react";
import type { PageRoute } from "../types";

export const routes: PageRoute[] = [
  { path: "/votes", nav: { labelKey: "votes.nav", order: 100 }, component: lazy(() => import("./VotesPage")) },
  { path: "/votes/:id", component: lazy(() => import("./BallotPage")) },
];
