import type { PageRoute } from "../types";
import { placeholderPage } from "../placeholder";

export const routes: PageRoute[] = [{ path: "/budget", nav: { labelKey: "budget.nav", order: 200 }, component: placeholderPage("budget") }];
