/**
 * Readers of a decoded event's arguments, tolerant of both decoders: viem's {@link EventDecoder} (checksummed
 * addresses) and the projections' {@link ProjectionDecoder} (lower-case addresses). Projections key every address in
 * lower case, so both give the same state.
 *
 * A missing or mistyped argument is a decoding bug (the ABI and the reducer disagree): it throws, naming the event.
 */
import type { ProjectedEntry } from "../types";

function arg(entry: ProjectedEntry, key: string): unknown {
  const v = entry.event.args[key];
  if (v === undefined) {
    throw new TypeError(`projections: ${entry.event.contract}.${entry.event.name} at seq ${entry.seq} has no argument "${key}"`);
  }
  return v;
}

function bad(entry: ProjectedEntry, key: string, want: string): never {
  throw new TypeError(`projections: ${entry.event.contract}.${entry.event.name}.${key} at seq ${entry.seq} is not ${want}`);
}

/** An address argument, lower-cased. */
export function addr(entry: ProjectedEntry, key: string): string {
  const v = arg(entry, key);
  return typeof v === "string" ? v.toLowerCase() : bad(entry, key, "an address");
}

/** An integer argument as a bigint (viem gives numbers for ≤ 48-bit integers, bigints above). */
export function big(entry: ProjectedEntry, key: string): bigint {
  const v = arg(entry, key);
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return BigInt(v);
  return bad(entry, key, "an integer");
}

/** An integer argument that fits a double exactly (≤ 48 bits on chain: colleges, districts, periods, times). */
export function num(entry: ProjectedEntry, key: string): number {
  const v = arg(entry, key);
  if (typeof v === "number") return v;
  if (typeof v === "bigint" && v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  return bad(entry, key, "a small integer");
}

export function bool(entry: ProjectedEntry, key: string): boolean {
  const v = arg(entry, key);
  return typeof v === "boolean" ? v : bad(entry, key, "a boolean");
}

/** A string or hex (bytesN) argument; hex is lower-cased. */
export function str(entry: ProjectedEntry, key: string): string {
  const v = arg(entry, key);
  return typeof v === "string" ? v : bad(entry, key, "a string");
}

export function hex(entry: ProjectedEntry, key: string): string {
  return str(entry, key).toLowerCase();
}

/** An address[] argument, lower-cased. */
export function addrs(entry: ProjectedEntry, key: string): string[] {
  const v = arg(entry, key);
  if (!Array.isArray(v) || v.some((a) => typeof a !== "string")) return bad(entry, key, "an address[]");
  return (v as string[]).map((a) => a.toLowerCase());
}

export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
