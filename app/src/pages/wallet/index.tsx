import { lazy } from "react";
import type { PageRoute } from "../types";

export const routes: PageRoute[] = [
  { path: "/wallet", nav: { labelKey: "wallet.nav", order: 50 }, component: lazy(() => import("./WalletPage")) },
  { path: "/wallet/pay", component: lazy(() => import("./PayPage")) },
  { path: "/wallet/request", component: lazy(() => import("./RequestPage")) },
  { path: "/wallet/income", component: lazy(() => import("./IncomePage")) },
  { path: "/wallet/parking", component: lazy(() => import("./parking/ParkingPage")) },
  { path: "/wallet/energy", component: lazy(() => import("./energy/EnergyPage")) },
];
