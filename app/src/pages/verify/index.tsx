import { lazy } from "react";
import type { PageRoute } from "../types";

export const routes: PageRoute[] = [{ path: "/verify", nav: { labelKey: "verify.nav", order: 3 }, component: lazy(() => import("./VerifyPage")) }];
