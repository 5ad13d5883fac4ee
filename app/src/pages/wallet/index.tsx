import { lazy } from "react";
import type { PageRoute } from "../types";

export const routes: PageRoute[] = [
  { path: "/wallet", nav: { labelKey: "wallet.nav", order: 50 }, component: lazy(() => import("./WalletPage")) },
  { path: "/wallet/pay", component: lazy(() => import("./PayPage")) },
  { path: "/wallet/request", component: lazy(() => import("./RequestPage")) },
  { path: "/wallet/income", component: lazy(() => import("./IncomePage")) },
  { path: "/wallet/parking", component: lazy(() => import("./parking/ParkingPage")) },
  { path: "/wallet/energy", component: lazy(() => import("./energy/EnergyPage")) },
  { path: "/wallet/votes", component: lazy(() => import("./votes/VotesPage")) },
  { path: "/wallet/governance", component: lazy(() => import("./governance/GovernancePage")) },
  { path: "/wallet/governance/propose", component: lazy(() => import("./governance/ProposePage")) },
  { path: "/wallet/governance/cosign", component: lazy(() => import("./governance/CosignPage")) },
  { path: "/wallet/budget", component: lazy(() => import("./budget/BudgetWalletPage")) },
  { path: "/wallet/budget/:id", component: lazy(() => import("./budget/RoundJourney")) },
  { path: "/wallet/datause", component: lazy(() => import("./datause/DataUseWalletPage")) },
];
