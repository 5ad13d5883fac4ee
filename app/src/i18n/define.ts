/**
 * Message catalogs. Every string a person reads is in a catalog, in both languages; `defineMessages` makes a missing
 * or extra French key a type error (`fr` is typed from `en`'s keys, which it cannot widen: NoInfer).
 *
 * A message is plain text with `{name}` placeholders, and optionally one plural choice per placeholder in the ICU
 * form `{count, plural, one {# entry} other {# entries}}` (`#` is the number formatted for the locale).
 */
export const LOCALES = ["fr", "en"] as const;
export type Locale = (typeof LOCALES)[number];

export type Messages<K extends string> = { readonly en: Readonly<Record<K, string>>; readonly fr: Readonly<Record<K, string>> };

/**
 * One page group's catalog.
 *
 * @example
 * ```ts
 * export default defineMessages({ en: { title: "The log" }, fr: { title: "Le journal" } });
 * ```
 */
export function defineMessages<K extends string>(messages: { en: Record<K, string>; fr: NoInfer<Record<K, string>> }): Messages<K> {
  return messages;
}

/** Values a message's placeholders take. */
export type MessageVars = Readonly<Record<string, string | number>>;

const PLURAL = /\{(\w+), plural, ((?:\s*(?:=\d+|zero|one|two|few|many|other) \{[^{}]*\})+)\s*\}/g;
const BRANCH = /(=\d+|zero|one|two|few|many|other) \{([^{}]*)\}/g;
const PLACEHOLDER = /\{(\w+)\}/g;

/**
 * Fills a message: plural choices first (with the locale's plural rules), then `{name}` placeholders. A placeholder
 * without a value stays visible as `{name}` rather than vanishing, so a forgotten variable shows on the page.
 */
export function interpolate(message: string, vars: MessageVars | undefined, locale: Locale, formatNumber: (n: number) => string): string {
  if (!vars) return message;
  const rules = new Intl.PluralRules(locale);
  return message
    .replace(PLURAL, (whole, name: string, branches: string) => {
      const value = vars[name];
      if (typeof value !== "number") return whole;
      const choices = new Map<string, string>();
      for (const [, selector, text] of branches.matchAll(BRANCH)) choices.set(selector!, text!);
      const text = choices.get(`=${value}`) ?? choices.get(rules.select(value)) ?? choices.get("other") ?? whole;
      return text.replaceAll("#", formatNumber(value));
    })
    .replace(PLACEHOLDER, (whole, name: string) => {
      const value = vars[name];
      if (value === undefined) return whole;
      return typeof value === "number" ? formatNumber(value) : value;
    });
}

/** The placeholder names of a message (plural selectors included), to check that both languages use the same. */
export function placeholdersOf(message: string): string[] {
  const names = new Set<string>();
  for (const [, name] of message.matchAll(PLURAL)) names.add(name!);
  for (const [, name] of message.replace(PLURAL, "").matchAll(PLACEHOLDER)) names.add(name!);
  return [...names].sort();
}
