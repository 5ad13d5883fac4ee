import { useEffect, useState, type ReactNode } from "react";
import { Link, useLocation } from "wouter";
import { useLive } from "../api/live";
import { useLocale, useT, type Locale } from "../i18n";
import { navItems } from "../pages";

/**
 * The frame of every page: skip link, header (name, live indicator, language), the main navigation (a menu button on
 * phones), the page, and a footer saying where the figures come from.
 */
export function Layout({ children }: { children: ReactNode }) {
  const t = useT();
  return (
    <>
      <a className="skip-link" href="#main">
        {t("common.skipToContent")}
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <Link href="/" className="brand">
            <span className="brand-mark" aria-hidden="true" />
            <span translate="no">{t("common.appName")}</span>
          </Link>
          <LiveIndicator />
          <LanguageSwitch />
        </div>
        <MainNav />
      </header>
      <main id="main" tabIndex={-1} className="main">
        {children}
      </main>
      <footer className="site-footer">
        <p>{t("common.footer")}</p>
      </footer>
      <ConnectionBanner />
    </>
  );
}

function MainNav() {
  const t = useT();
  const [location] = useLocation();
  const [open, setOpen] = useState(false);
  // A chosen page closes the phone menu.
  useEffect(() => setOpen(false), [location]);
  return (
    <nav className="main-nav" aria-label={t("common.mainNav")}>
      <button type="button" className="menu-button" aria-expanded={open} aria-controls="main-nav-list" onClick={() => setOpen(!open)}>
        <span aria-hidden="true">☰</span> {t("common.menu")}
      </button>
      <ul id="main-nav-list" className={open ? "open" : undefined}>
        {navItems.map((item) => {
          const current = item.path === "/" ? location === "/" : location === item.path || location.startsWith(`${item.path}/`);
          return (
            <li key={item.path}>
              <Link href={item.path} aria-current={current ? "page" : undefined}>
                {t(item.labelKey)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

const STATUS_KEYS = {
  live: ["common.live", "common.liveTitle"],
  connecting: ["common.connecting", "common.connectingTitle"],
  offline: ["common.offline", "common.offlineTitle"],
  halted: ["common.halted", "common.haltedTitle"],
} as const;

/** A dot and a word: green "Live" while the stream flows; the title says what it means. */
function LiveIndicator() {
  const t = useT();
  const live = useLive();
  const [label, title] = STATUS_KEYS[live.status];
  const description = t(title, { reason: live.haltedReason ?? "" });
  return (
    <p className={`live live-${live.status}`} title={description} data-live={live.status}>
      <span className="live-dot" aria-hidden="true" />
      <span>{t(label)}</span>
      <span className="visually-hidden">: {description}</span>
    </p>
  );
}

/** How long "connection restored" stays on screen. */
const RESTORED_FOR_MS = 5000;

/**
 * Says so when the node is out of reach (what the page shows may be old, nothing can be sent) and when it is back.
 * The live region is always in the page, empty while all is well, so screen readers announce the change; it comes
 * after the page in the document and sits at the bottom of the screen, over nothing the person must read.
 */
function ConnectionBanner() {
  const t = useT();
  const { status } = useLive();
  const [restored, setRestored] = useState(false);
  const [wasOffline, setWasOffline] = useState(false);
  useEffect(() => {
    if (status === "offline") {
      setWasOffline(true);
      setRestored(false);
    } else if (status === "live" && wasOffline) {
      setWasOffline(false);
      setRestored(true);
      const timer = setTimeout(() => setRestored(false), RESTORED_FOR_MS);
      return () => clearTimeout(timer);
    }
  }, [status, wasOffline]);
  const message = status === "offline" ? t("common.connectionLost") : restored ? t("common.connectionRestored") : undefined;
  return (
    <div aria-live="polite" className={message ? `connection-banner connection-${status === "offline" ? "lost" : "restored"}` : "connection-banner-empty"} data-testid="connection">
      {message}
    </div>
  );
}

const OTHER: Record<Locale, { locale: Locale; key: "common.languageEn" | "common.languageFr" }> = {
  fr: { locale: "en", key: "common.languageEn" },
  en: { locale: "fr", key: "common.languageFr" },
};

/** One button naming the other language in that language (the way people look for it). */
function LanguageSwitch() {
  const t = useT();
  const { locale, setLocale } = useLocale();
  const other = OTHER[locale];
  return (
    <button type="button" className="language" onClick={() => setLocale(other.locale)} data-testid="language-switch">
      <span className="visually-hidden">{t("common.language")}: </span>
      <span lang={other.locale}>{t(other.key)}</span>
    </button>
  );
}
