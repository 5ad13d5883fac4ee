import type { EntryJson } from "../../api/types";

/** What a person typed in the log's search box, once recognised. */
export type LogQuery =
  | { kind: "entry"; seq: number }
  | { kind: "transaction"; hash: string }
  | { kind: "address"; address: string }
  | { kind: "invalid" };

export function parseLogQuery(input: string): LogQuery {
  const q = input.trim().replace(/^#/, "");
  if (/^\d{1,15}$/.test(q)) return { kind: "entry", seq: Number(q) };
  if (/^0x[0-9a-fA-F]{64}$/.test(q)) return { kind: "transaction", hash: q.toLowerCase() };
  if (/^0x[0-9a-fA-F]{40}$/.test(q)) return { kind: "address", address: q.toLowerCase() };
  return { kind: "invalid" };
}

/** Whether a decoded argument mentions the address, at any depth (arrays of signers, structs). */
function mentions(value: unknown, address: string): boolean {
  if (typeof value === "string") return value.toLowerCase() === address;
  if (Array.isArray(value)) return value.some((v) => mentions(v, address));
  if (value !== null && typeof value === "object") return Object.values(value).some((v) => mentions(v, address));
  return false;
}

/**
 * The entries a query finds, newest first: those of a transaction, or those an address emitted or appears in (an
 * indexed topic, or any decoded argument: sender, recipient, voter, signer…).
 */
export function searchEntries(entries: readonly EntryJson[], query: LogQuery): EntryJson[] {
  let found: EntryJson[] = [];
  if (query.kind === "transaction") found = entries.filter((e) => e.log.transactionHash === query.hash);
  if (query.kind === "address") {
    const topic = `0x${query.address.slice(2).padStart(64, "0")}`;
    found = entries.filter(
      (e) => e.log.address.toLowerCase() === query.address || e.log.topics.includes(topic as `0x${string}`) || mentions(e.event?.args, query.address),
    );
  }
  return found.reverse();
}
