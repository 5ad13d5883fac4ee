import type { PageRoute } from "../types";
import { placeholderPage } from "../placeholder";

export const routes: PageRoute[] = [{ path: "/votes", nav: { labelKey: "votes.nav", order: 100 }, component: placeholderPage("votes") }];
