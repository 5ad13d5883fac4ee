import type { ComponentType } from "react";
import type { MessageKey } from "../i18n";

/**
 * One route of a page group. `nav` puts it in the main navigation (sorted by `order`; the label is a message key).
 * `path` is a wouter pattern (`/log/:seq`).
 */
export interface PageRoute {
  path: string;
  nav?: { labelKey: MessageKey; order: number };
  component: ComponentType;
}
