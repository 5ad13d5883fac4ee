import type { ReactNode } from "react";
import "./table.css";

/**
 * A data table that keeps each cell on one line and scrolls sideways inside its own frame when the screen is narrower
 * (a 360 px phone), so the page itself never does. The frame is focusable and named, for keyboard and screen-reader
 * users; the caption repeats the name for the table itself.
 */
export function ScrollTable({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll table-frame" tabIndex={0} role="region" aria-label={label}>
      <table className="table-nowrap">
        <caption className="visually-hidden">{label}</caption>
        {children}
      </table>
    </div>
  );
}
