export { defineMessages, LOCALES, type Locale, type Messages, type MessageVars } from "./define";
export { I18nProvider, useFormat, useLocale, useT, type Format, type Translate } from "./I18nProvider";
export type { MessageKey } from "./catalog";
