import type { PageRoute } from "../types";
import { placeholderPage } from "../placeholder";

export const routes: PageRoute[] = [{ path: "/governance", nav: { labelKey: "governance.nav", order: 300 }, component: placeholderPage("governance") }];
