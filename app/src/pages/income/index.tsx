import type { PageRoute } from "../types";
import { placeholderPage } from "../placeholder";

export const routes: PageRoute[] = [{ path: "/income", nav: { labelKey: "income.nav", order: 600 }, component: placeholderPage("income") }];
