import type { PageRoute } from "./types";
import * as dashboard from "./dashboard";
import * as log from "./log";
import * as verify from "./verify";
import * as anchors from "./anchors";
import * as votes from "./votes";
import * as budget from "./budget";
import * as governance from "./governance";
import * as parking from "./parking";
import * as energy from "./energy";
import * as income from "./income";
import * as wallet from "./wallet";
import * as datause from "./datause";

export type { PageRoute } from "./types";

/** The one list of page groups: the router and the navigation are derived from it (a group's catalog is in i18n/catalog.ts). */
export const groups: readonly { routes: readonly PageRoute[] }[] = [dashboard, log, verify, anchors, votes, budget, governance, parking, energy, income, datause, wallet];

export const routes: readonly PageRoute[] = groups.flatMap((group) => group.routes);

export const navItems = routes
  .filter((route): route is PageRoute & { nav: NonNullable<PageRoute["nav"]> } => route.nav !== undefined)
  .sort((a, b) => a.nav.order - b.nav.order)
  .map((route) => ({ path: route.path, labelKey: route.nav.labelKey }));
