import { lazy } from "react";
import type { PageRoute } from "../types";

export const routes: PageRoute[] = [
  { path: "/wallet", nav: { labelKey: "wallet.nav", order: 50 }, component: lazy(() => import("./WalletPage")) },
  { path: "/wallet/pay", component: lazy(() => import("./PayPage")) },
  { path: "/wallet/income", component: lazy(() => import("./IncomePage")) },
  { path: "/wallet/budget", component: lazy(() => import("./budget/BudgetWalletPage")) },
  { path: "/wallet/budget/:id", component: lazy(() => import("./budget/RoundJourney")) },
  { path: "/wallet/datause", component: lazy(() => import("./datause/DataUseWalletPage")) },
];
