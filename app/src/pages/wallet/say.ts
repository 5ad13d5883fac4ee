/**
 * A sentence kept in a page's state (a refusal, an error, a confirmation), said in the language of the moment it is
 * shown: a member who switches language sees it again in the new one, not a string fixed when it was made.
 */
import type { Format, Translate } from "../../i18n";
import type { catalogs } from "../../i18n/catalog";
import { writeErrorMessage } from "./writeErrors";

export type Say = (t: Translate, f: Format) => string;

/** A sentence to say, as an object (a page's state that holds several of them by field). */
export interface Said {
  say: Say;
}

export const said = (say: Say): Said => ({ say });

/** A refused write (relay problem, contract error), worded by `writeErrorMessage` with the journey's catalog. */
export const refusal = (error: unknown, journey: keyof typeof catalogs): Said => said((t, f) => writeErrorMessage(error, t, f, journey));
