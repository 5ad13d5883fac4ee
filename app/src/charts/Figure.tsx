import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import * as Plot from "@observablehq/plot";
import { useT } from "../i18n";

export interface FigureColumn {
  key: string;
  label: string;
  /** Right-aligned, for numbers. */
  numeric?: boolean;
}

export interface FigureTable {
  columns: readonly FigureColumn[];
  /** Values already formatted for the locale (the table shows what the chart shows, in words and numbers). */
  rows: readonly Record<string, ReactNode>[];
}

export interface FigureProps {
  title: string;
  /** One or two sentences saying what the figure shows: the chart's accessible description and its caption. */
  desc: string;
  /** Observable Plot options; `width` is the container's, set here. */
  options: Omit<Plot.PlotOptions, "width">;
  table: FigureTable;
  /** Height in px (default 260). */
  height?: number;
}

/**
 * A chart (Observable Plot, as SVG) sized to its container, named and described for assistive technology, with the
 * same data as a table behind a <details> for screen readers and for people who prefer numbers.
 */
export function Figure({ title, desc, options, table, height = 260 }: FigureProps) {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState<number | undefined>(undefined);
  const titleId = useId();
  const descId = useId();
  const empty = table.rows.length === 0;

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.floor(entry.contentRect.width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [empty]);

  useEffect(() => {
    const element = ref.current;
    if (!element || width === undefined || width === 0 || empty) return;
    const chart = Plot.plot({
      height,
      marginLeft: 48,
      style: { fontSize: "12px", background: "transparent", color: "var(--text)" },
      ...options,
      width,
    });
    // One image named by the figure's title and described by its caption: Plot labels each mark's <g> (which has no
    // role, so the label is not allowed there) and wraps a chart with a legend in a <figure> of its own.
    chart.setAttribute("role", "img");
    chart.setAttribute("aria-label", title);
    chart.setAttribute("aria-describedby", descId);
    element.replaceChildren(chart);
    // Measured once laid out, so before Plot's labels go.
    hideCrowdedXTickLabels(chart);
    for (const e of chart.querySelectorAll("[aria-label], [aria-description]")) {
      e.removeAttribute("aria-label");
      e.removeAttribute("aria-description");
    }
    return () => chart.remove();
  }, [options, width, height, title, descId, empty]);

  return (
    <figure className="figure" aria-labelledby={titleId} aria-describedby={descId}>
      <figcaption>
        <h3 id={titleId} className="figure-title">
          {title}
        </h3>
        <p id={descId} className="figure-desc">
          {desc}
        </p>
      </figcaption>
      {empty ? <p className="muted">{t("common.noData")}</p> : <div ref={ref} className="figure-chart" />}
      {!empty && (
        <details className="figure-table">
          <summary>{t("common.chartTable")}</summary>
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  {table.columns.map((c) => (
                    <th key={c.key} scope="col" className={c.numeric ? "num" : undefined}>
                      {c.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.rows.map((row, i) => (
                  <tr key={i}>
                    {table.columns.map((c) => (
                      <td key={c.key} className={c.numeric ? "num" : undefined}>
                        {row[c.key]}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </figure>
  );
}

/**
 * Hides each x tick label that would touch the last one kept: Plot spaces ticks by the scale, not by the width of
 * their text, so at 360 px times ("10:15 PM") and months ran into each other. The gridlines and the table keep
 * every value.
 */
function hideCrowdedXTickLabels(chart: Element) {
  const gap = 6;
  let keptRight = -Infinity;
  for (const label of chart.querySelectorAll<SVGTextElement>('[aria-label="x-axis tick label"] text')) {
    const box = label.getBoundingClientRect();
    if (box.left < keptRight + gap) label.setAttribute("visibility", "hidden");
    else keptRight = box.right;
  }
}
