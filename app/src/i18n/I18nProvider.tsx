import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { formatCity } from "@cityledger/sdk";
import { catalogs, type MessageKey } from "./catalog";
import { interpolate, LOCALES, type Locale, type MessageVars } from "./define";

const STORAGE_KEY = "cityledger.locale";

/**
 * The locale a person gets on first visit: the first of the browser's languages we speak (any `fr-*` is French),
 * English when none. A choice made in the header is remembered and wins.
 */
export function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && (LOCALES as readonly string[]).includes(saved)) return saved as Locale;
  } catch {
    // storage refused (private mode, a sandboxed frame): fall through to the browser's languages
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const primary = tag.toLowerCase().split("-")[0];
    if (primary === "fr" || primary === "en") return primary;
  }
  return "en";
}

/** Keys the page asked for that no catalog has: kept for the browser tests (and shown on the page as ⟦key⟧). */
declare global {
  interface Window {
    __cityledgerMissingMessages?: string[];
    /** Rendered messages that read the same in both languages ("Menu"): the language test does not expect them to change. */
    __cityledgerSameInBothLanguages?: Set<string>;
  }
}

function lookup(locale: Locale, key: string): string | undefined {
  const dot = key.indexOf(".");
  const group = (catalogs as Record<string, { en: Record<string, string>; fr: Record<string, string> } | undefined>)[key.slice(0, dot)];
  return group?.[locale][key.slice(dot + 1)];
}

export type Translate = (key: MessageKey, vars?: MessageVars) => string;

export interface Format {
  number: (value: number | bigint, options?: Intl.NumberFormatOptions) => string;
  /** CityCoin base units (6 decimals, 1 CITY = €1), exact: formatted from the decimal string, never a float. */
  euro: (baseUnits: bigint | string) => string;
  date: (unixSeconds: number | bigint | string) => string;
  dateTime: (unixSeconds: number | bigint | string) => string;
  /** The time of day (chart ticks of a day's slots). */
  time: (unixSeconds: number | bigint | string) => string;
  /** A ratio (0.25 → 25 %). */
  percent: (ratio: number, fractionDigits?: number) => string;
}

interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
  format: Format;
}

const I18nContext = createContext<I18n | undefined>(undefined);

function makeFormat(locale: Locale): Format {
  const tag = locale === "fr" ? "fr-FR" : "en-GB";
  const integer = new Intl.NumberFormat(tag);
  const euro = new Intl.NumberFormat(tag, { style: "currency", currency: "EUR", minimumFractionDigits: 2, maximumFractionDigits: 6 });
  const date = new Intl.DateTimeFormat(tag, { dateStyle: "medium" });
  const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeStyle: "short" });
  const time = new Intl.DateTimeFormat(tag, { timeStyle: "short" });
  const ms = (s: number | bigint | string) => Number(s) * 1000;
  return {
    number: (value, options) => (options ? new Intl.NumberFormat(tag, options) : integer).format(value),
    // Intl formats a decimal string exactly (no rounding through a double); formatCity gives that string.
    euro: (baseUnits) => euro.format(formatCity(BigInt(baseUnits)) as Intl.StringNumericLiteral),
    date: (s) => date.format(ms(s)),
    dateTime: (s) => dateTime.format(ms(s)),
    time: (s) => time.format(ms(s)),
    percent: (ratio, fractionDigits = 0) =>
      new Intl.NumberFormat(tag, { style: "percent", maximumFractionDigits: fractionDigits }).format(ratio),
  };
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not remembered, still switched
    }
  }, []);
  const value = useMemo<I18n>(() => {
    const format = makeFormat(locale);
    const t: Translate = (key, vars) => {
      const message = lookup(locale, key);
      if (message === undefined || message === "") {
        // Impossible through the types; visible if a key is built at run time or a catalog entry is left empty.
        (window.__cityledgerMissingMessages ??= []).push(`${locale}:${key}`);
        return `⟦${key}⟧`;
      }
      const text = interpolate(message, vars, locale, (n) => format.number(n));
      if (lookup(locale === "fr" ? "en" : "fr", key) === message) (window.__cityledgerSameInBothLanguages ??= new Set()).add(text);
      return text;
    };
    return { locale, setLocale, t, format };
  }, [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error("useT/useFormat/useLocale need an <I18nProvider> above them");
  return i18n;
}

/** `t(key, vars?)`: the message of `key` in the current language. */
export const useT = (): Translate => useI18n().t;
/** Numbers, euros, dates and percentages with Intl for the current language. */
export const useFormat = (): Format => useI18n().format;
/** The current language and its switch. */
export function useLocale(): { locale: Locale; setLocale: (locale: Locale) => void } {
  const { locale, setLocale } = useI18n();
  return { locale, setLocale };
}
