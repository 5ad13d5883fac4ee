import * as Plot from "@observablehq/plot";
import type { FigureTable } from "../../charts/Figure";

/** Dark enough to stand out from the page (≥ 3:1 on white), distinct for the usual colour-vision deficiencies. */
export const PALETTE = ["#0b5cad", "#c2410c", "#5b616e", "#15803d", "#7c3aed", "#be185d", "#0e7490", "#a16207"];

/** Votes come whole: an axis of small counts labels its integer ticks only (no "0.5 votes"). */
export const wholeNumbers = (d: number): string => (Number.isInteger(d) ? String(d) : "");

/** One bar per option: the votes it got, its figure written at the bar's end (a phone shows no tooltip). */
export function optionBars(rows: { name: string; votes: number; label: string }[], axis: string): Omit<Plot.PlotOptions, "width"> {
  const longest = Math.max(...rows.map((r) => r.name.length), 4);
  return {
    marginLeft: Math.min(170, 14 + longest * 7),
    marginRight: 72,
    height: 40 + rows.length * 36,
    x: { label: axis, grid: true, nice: true, tickFormat: wholeNumbers },
    y: { label: null, domain: rows.map((r) => r.name) },
    marks: [
      Plot.barX(rows, { x: "votes", y: "name", fill: "#0b5cad" }),
      Plot.text(rows, { x: "votes", y: "name", text: "label", dx: 6, textAnchor: "start", fill: "currentColor" }),
      Plot.ruleX([0]),
    ],
  };
}

/**
 * Each group's votes split by option, as shares of the group (one stacked bar per college or district), so groups of
 * different sizes compare; the table beside gives the counts.
 */
export function shareBars(
  rows: { group: string; option: string; votes: number }[],
  groups: string[],
  options: string[],
  axis: string,
): Omit<Plot.PlotOptions, "width"> {
  const longest = Math.max(...groups.map((g) => g.length), 4);
  return {
    marginLeft: Math.min(170, 14 + longest * 7),
    height: 70 + groups.length * 34,
    x: { label: axis, percent: true, grid: true },
    y: { label: null, domain: groups },
    color: { legend: true, domain: options, range: PALETTE },
    marks: [Plot.barX(rows, Plot.stackX({ x: "votes", y: "group", fill: "option", offset: "normalize", order: options })), Plot.ruleX([0])],
  };
}

/** The table behind a breakdown: a row per group, a column per option and the turnout. */
export function breakdownTable(
  groupLabel: string,
  groups: { name: string; counts: string[]; turnout: string }[],
  options: string[],
  turnoutLabel: string,
  number: (n: number) => string,
): FigureTable {
  return {
    columns: [
      { key: "group", label: groupLabel },
      ...options.map((o, i) => ({ key: `o${i}`, label: o, numeric: true })),
      { key: "turnout", label: turnoutLabel, numeric: true },
    ],
    rows: groups.map((g) => ({
      group: g.name,
      ...Object.fromEntries(g.counts.map((c, i) => [`o${i}`, number(Number(c))])),
      turnout: number(Number(g.turnout)),
    })),
  };
}
