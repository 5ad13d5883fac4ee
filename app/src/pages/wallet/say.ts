import type { Format, Translate } from "../../i18n";

/**
 * A sentence kept in a page's state (a refusal, an error, a confirmation), said in the language of the moment it is
 * shown: a member who switches language sees it again in the new one, not a string fixed when it was made.
 */
export type Say = (t: Translate, f: Format) => string;
