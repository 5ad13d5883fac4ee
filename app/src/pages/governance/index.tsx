import { lazy } from "react";
import type { PageRoute } from "../types";

export const routes: PageRoute[] = [
  { path: "/governance", nav: { labelKey: "governance.nav", order: 300 }, component: lazy(() => import("./GovernancePage")) },
  { path: "/governance/:id", component: lazy(() => import("./ProposalPage")) },
];
