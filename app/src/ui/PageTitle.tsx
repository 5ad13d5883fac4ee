import { useEffect, useRef, type ReactNode } from "react";
import { useT } from "../i18n";

let firstRender = true;

/**
 * The page's one h1, and the document title that follows it. After a navigation inside the app the heading takes
 * the focus, so a screen reader announces the new page and keyboard users start from its top (on the first load the
 * browser's own focus order is kept).
 */
export function PageTitle({ children, title }: { children: ReactNode; title: string }) {
  const t = useT();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${t("common.appName")}`;
  }, [title, t]);
  useEffect(() => {
    if (firstRender) firstRender = false;
    else ref.current?.focus({ preventScroll: false });
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className="page-title">
      {children}
    </h1>
  );
}
