/**
 * A sentence kept as how to say it rather than as said: a refusal shown in French is shown again in English when the
 * member switches language (a string computed at the click would stay in the language of the click).
 */
import type { Format, Translate } from "../../i18n";
import type { catalogs } from "../../i18n/catalog";
import { writeErrorMessage } from "./writeErrors";

export interface Said {
  say: (t: Translate, f: Format) => string;
}

export const said = (say: Said["say"]): Said => ({ say });

/** A refused write (relay problem, contract error), worded by `writeErrorMessage` with the journey's catalog. */
export const refusal = (error: unknown, journey: keyof typeof catalogs): Said => said((t, f) => writeErrorMessage(error, t, f, journey));
