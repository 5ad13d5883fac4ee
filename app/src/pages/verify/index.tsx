import { lazy } from "react";
import type { PageRoute } from "../types";

const VerifyPage = lazy(() => import("./VerifyPage"));

export const routes: PageRoute[] = [
  { path: "/verify", nav: { labelKey: "verify.nav", order: 3 }, component: VerifyPage },
  { path: "/verify/:seq", component: VerifyPage },
];
