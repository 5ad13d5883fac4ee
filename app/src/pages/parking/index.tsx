import type { PageRoute } from "../types";
import { placeholderPage } from "../placeholder";

export const routes: PageRoute[] = [{ path: "/parking", nav: { labelKey: "parking.nav", order: 400 }, component: placeholderPage("parking") }];
