import type { PageRoute } from "../types";
import { placeholderPage } from "../placeholder";

export const routes: PageRoute[] = [{ path: "/energy", nav: { labelKey: "energy.nav", order: 500 }, component: placeholderPage("energy") }];
