import { nativeBytesToHex, type CityEventDecoder } from "@cityledger/sdk/ledger";
import { checksummed, type LogStore } from "../log/store";
import type { DecodedEvent, FollowerStatus, LogEntry, RawLog, SignedCheckpoint } from "../types";
import type { CheckpointJson, EntryJson, EventJson, LogJson } from "./schemas";

/**
 * Domain values → JSON, with the API's conventions: big integers as decimal strings, hashes as lowercase 0x-hex,
 * addresses checksummed. Only these functions shape response bodies, so the conventions hold in one place.
 */

/** Any value with bigints (→ decimal strings) and bytes (→ 0x-hex), recursively, as plain JSON. */
export function toJsonValue(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return nativeBytesToHex(value);
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJsonValue(v);
    return out;
  }
  return value;
}

export function logToJson(log: RawLog): LogJson {
  return {
    chainId: log.chainId,
    blockNumber: log.blockNumber.toString(),
    blockHash: lower(log.blockHash),
    transactionHash: lower(log.transactionHash),
    logIndex: log.logIndex,
    address: checksummed(log.address),
    topics: log.topics.map(lower),
    data: lower(log.data),
  };
}

export function eventToJson(event: DecodedEvent | undefined): EventJson | null {
  if (!event) return null;
  return { contract: event.contract, name: event.name, args: toJsonValue(event.args) as Record<string, unknown> };
}

export function entryToJson(entry: LogEntry, decoder: CityEventDecoder): EntryJson {
  return {
    seq: entry.seq,
    leafHash: nativeBytesToHex(entry.leafHash),
    leafInput: entry.leafInputHex ?? nativeBytesToHex(entry.leafInput),
    log: logToJson(entry.log),
    event: eventToJson(safeDecode(decoder, entry.log)),
  };
}

/**
 * `JSON.stringify(entryToJson(entry, decoder))` written out by hand, in ASCII, for an entry the store read (its hex
 * lower-case and its emitter checksummed already: parseLeafInput and LogStore make them so). A page of /v1/entries is
 * a hundred entries of ~1.8 kB, and building each as objects to serialize them at once was most of the route's own
 * time (bench:ledger's CPU profile). Safe without escaping: every string but the event's is hex or an address, and the
 * event goes through JSON.stringify, its characters beyond ASCII escaped (`\u00e9`: the same JSON value), so a page
 * is its own UTF-8 and {@link asciiJsonBytes} copies it out without an encoder.
 */
export function entryJsonText(entry: LogEntry, decoder: CityEventDecoder): string {
  const { log } = entry;
  const event = JSON.stringify(eventToJson(safeDecode(decoder, log)));
  return (
    `{"seq":${entry.seq},"leafHash":"${nativeBytesToHex(entry.leafHash)}","leafInput":"${entry.leafInputHex ?? nativeBytesToHex(entry.leafInput)}",` +
    `"log":{"chainId":${log.chainId},"blockNumber":"${log.blockNumber}","blockHash":"${log.blockHash}",` +
    `"transactionHash":"${log.transactionHash}","logIndex":${log.logIndex},"address":"${log.address}",` +
    `"topics":${log.topics.length === 0 ? "[]" : `["${log.topics.join('","')}"]`},"data":"${log.data}"},` +
    `"event":${NON_ASCII.test(event) ? event.replace(NON_ASCII_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`) : event}}`
  );
}

const NON_ASCII = /[^\x00-\x7f]/;
const NON_ASCII_ALL = /[^\x00-\x7f]/g;

/**
 * The bytes of `head`, `items` joined by commas, and `tail`, all ASCII (see {@link entryJsonText}): copied straight
 * into one buffer, as a reply's body. A string reply would be flattened, measured (Buffer.byteLength) and encoded
 * again by the socket: a tenth of /v1/entries' time in its profile.
 */
export function asciiJsonBytes(head: string, items: readonly string[], tail: string): Buffer {
  let length = head.length + tail.length + Math.max(0, items.length - 1);
  for (const item of items) length += item.length;
  const out = Buffer.allocUnsafe(length);
  let at = out.write(head, 0, "latin1");
  items.forEach((item, i) => {
    if (i > 0) out[at++] = 0x2c; // ","
    at += out.write(item, at, "latin1");
  });
  out.write(tail, at, "latin1");
  return out;
}

/**
 * The event of `log`, addresses checksummed as viem's decoder gives them, through the decoder's fast path (profiled
 * under /v1/entries load: viem's decoding and checksumming was most of an entry's cost). A decoder failure must not
 * fail the read: the entry is in the log whatever its ABI says.
 */
export function safeDecode(decoder: CityEventDecoder, log: RawLog): DecodedEvent | undefined {
  try {
    return decoder.decodeFast(log, checksummed);
  } catch {
    return undefined;
  }
}

export function checkpointToJson(
  checkpoint: Pick<SignedCheckpoint, "origin" | "size" | "root" | "note">,
  verifierKey: string,
  cosignatures: readonly string[] = [],
): CheckpointJson {
  return {
    origin: checkpoint.origin,
    size: checkpoint.size,
    root: nativeBytesToHex(checkpoint.root),
    rootBase64: Buffer.from(checkpoint.root).toString("base64"),
    note: checkpoint.note,
    verifierKey,
    cosignatures: [...cosignatures],
  };
}

export function followerStatusToJson(status: FollowerStatus) {
  switch (status.state) {
    case "starting":
      return { state: status.state };
    case "following":
      return {
        state: status.state,
        finalBlock: status.finalBlock.toString(),
        tentativeBlock: status.tentativeBlock.toString(),
      };
    case "halted":
      return {
        state: status.state,
        reason: status.reason,
        atBlock: status.atBlock.toString(),
        expectedHash: lower(status.expectedHash),
        ...(status.actualHash ? { actualHash: lower(status.actualHash) } : {}),
      };
  }
}

function lower<T extends string>(hex: T): T {
  return hex.toLowerCase() as T;
}

/**
 * The RFC 6962 audit path of entry `seq` to the root of size `treeSize`, with its leaf hash and the checkpoint signed at
 * that size (if any): what /v1/proofs/inclusion serves. The leaf hash is the stored level-0 node, read with the proof's
 * nodes; the entry itself is not read (profiled: decoding it was the route's largest cost of its own).
 */
export async function inclusionOf(store: LogStore, seq: number, treeSize: number) {
  const [leafHash, proof, root, checkpoint] = await Promise.all([
    store.leafHash(seq),
    store.inclusionProof(seq, treeSize),
    store.rootAt(treeSize),
    // The current checkpoint is in memory (what /v1/checkpoint serves); past ones are read.
    treeSize === store.size ? store.checkpoint.note : store.checkpointAt(treeSize),
  ]);
  if (!leafHash) throw new Error(`entry ${seq} missing below size ${treeSize}`);
  return {
    seq,
    treeSize,
    leafHash: nativeBytesToHex(leafHash),
    proof: proof.map((h) => nativeBytesToHex(h)),
    root: nativeBytesToHex(root),
    checkpoint: checkpoint ?? null,
  };
}

/** Entry `seq` and its {@link inclusionOf} proof in the tree of `treeSize` entries: what a ballot receipt carries. */
export async function provenEntry(store: LogStore, seq: number, treeSize: number) {
  const [entry, inclusion] = await Promise.all([store.entry(seq), inclusionOf(store, seq, treeSize)]);
  if (!entry) throw new Error(`entry ${seq} missing below size ${treeSize}`);
  return { entry, inclusion };
}
