/**
 * Shapes of `bench/results/ledger.json`: every figure beside the baseline measured in the same run and their ratio,
 * plus what the machine was doing (CPUs, Node, load average) so absolute numbers can be read for what they are.
 */
import { cpus, loadavg, totalmem } from "node:os";

/** One measured figure. `ratio` = value / baseline (3 decimals); `ratioMeans` says which way is better. */
export interface Figure {
  value: number;
  unit: string;
  baseline: number;
  baselineWhat: string;
  ratio: number;
  ratioMeans: string;
  /** The targets this figure is held to, and whether this run met each. */
  targets: Record<string, { want: string; met: boolean }>;
  /** Raw numbers behind the figure (rounds, percentiles, sizes…). */
  detail?: Record<string, unknown>;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  /** 1, 5 and 15 minute load averages. */
  loadAverageStart: number[];
  /** 1-minute load average when each part of the bench started. */
  loadAverageAtStartOf?: Record<string, number>;
  loadAverageEnd?: number[];
  note: string;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model ?? "unknown",
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverageStart: loadavg().map((l) => round(l, 2)),
    note: "Shared machine: other agents were running tests during this run, so absolute figures are low and noisy; ratios compare runs made side by side (alternating rounds) in the same process.",
  };
}

export function round(n: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function ratio(value: number, baseline: number): number {
  return baseline > 0 ? round(value / baseline, 3) : 0;
}

/** Percentile (nearest rank) of sorted samples. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** A progress line with the time since the run started. */
export function progress(message: string): void {
  const s = (performance.now() / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[${s}s] ${message}\n`);
}

export function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}
