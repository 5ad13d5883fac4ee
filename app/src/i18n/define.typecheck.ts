/**
 * Compile-time checks of the catalogs' typing, run by `tsc -p app/tsconfig.json` (`npm run lint`): each
 * `@ts-expect-error` must meet an error, so if defineMessages ever accepted a French catalog missing a key or with an
 * extra one, or `t` accepted an unknown key, the type check would fail here. Never imported by the app.
 */
import { defineMessages } from "./define";
import type { Translate } from "./I18nProvider";

defineMessages({ en: { a: "A", b: "B" }, fr: { a: "A", b: "B" } });

// @ts-expect-error French lacks "b"
defineMessages({ en: { a: "A", b: "B" }, fr: { a: "A" } });

// @ts-expect-error French has a key English does not
defineMessages({ en: { a: "A" }, fr: { a: "A", extra: "X" } });

export function unknownKey(t: Translate): string {
  // @ts-expect-error no catalog has this key
  return t("log.noSuchMessage");
}
