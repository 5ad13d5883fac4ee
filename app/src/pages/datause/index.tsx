import { lazy } from "react";
import type { PageRoute } from "../types";

export const routes: PageRoute[] = [{ path: "/datause", nav: { labelKey: "datause.nav", order: 650 }, component: lazy(() => import("./DataUsePage")) }];
