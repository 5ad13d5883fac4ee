/**
 * The ledger node's shared vocabulary. The layers — follower (sync), log (storage + Merkle tree), projections
 * (read models), API — talk through these types only, each layer with one job (the Ponder split).
 *
 * Ids are deterministic: an entry is named by its sequence number in the log, and equivalently by
 * (chainId, blockNumber, logIndex) or (txHash, logIndex). Nothing here uses wall-clock time or random ids.
 */
import type { Hex } from "viem";
import type { CityEvent, RawLog } from "@cityledger/sdk/ledger";

/** A raw EVM log as any JSON-RPC node returns it: all a leaf is made of, no ABI needed (the SDK's leaf codec type). */
export type { RawLog } from "@cityledger/sdk/ledger";

/** One entry of the append-only log. `leafInput` is the RFC 6962 leaf input (see sdk `encodeLeafInput`). */
export interface LogEntry {
  seq: number;
  log: RawLog;
  leafInput: Uint8Array;
  leafHash: Uint8Array;
  /** `leafInput` as lower-case 0x-hex, when the store made it to parse the entry (the API serves it without encoding it again). */
  leafInputHex?: Hex;
}

/** An entry's event decoded with the city's ABIs (absent when no ABI matches: the entry is still in the log). */
export interface DecodedEvent {
  /** Contract name from the deployment record, e.g. "CityCoin". */
  contract: string;
  /** Event name, e.g. "Transfer". */
  name: string;
  /** Decoded arguments by name; integers are bigints, addresses checksummed. */
  args: Record<string, unknown>;
}

/** What a projection reduces: the entry plus its event, typed from the city's ABIs (switch on contract, then name). */
export interface ProjectedEntry {
  seq: number;
  log: RawLog;
  event: CityEvent;
  /** Block timestamp (unix seconds) of the entry's block. */
  timestamp: number;
}

/**
 * An entry with its event as the node's decoders return it today (untyped args): what the projection engine accepts,
 * and types once as a {@link ProjectedEntry}. Goes away when the decoder returns a `CityEvent` itself.
 */
export interface DecodedEntry extends Omit<ProjectedEntry, "event"> {
  event: DecodedEvent | CityEvent;
}

/** A signed checkpoint: C2SP tlog-checkpoint body plus signature lines (a C2SP signed note). */
export interface SignedCheckpoint {
  origin: string;
  size: number;
  root: Uint8Array;
  /** The full signed note text, as served at GET /v1/checkpoint. */
  note: string;
}

/** Where ingestion stands. */
export interface IngestCursor {
  /** Last block whose final logs are all in the log (deployment block − 1 before the first batch). */
  block: bigint;
  /** Its hash, checked against the chain before every batch: a mismatch is a reorg deeper than finality. */
  blockHash: Hex;
  /** Log size after that block. */
  size: number;
}

/** Health of the follower, as /v1/health reports it. */
export type FollowerStatus =
  | { state: "starting" }
  | { state: "following"; finalBlock: bigint; tentativeBlock: bigint }
  /** `actualHash` is absent when the chain no longer has a block at `atBlock`. */
  | { state: "halted"; reason: string; atBlock: bigint; expectedHash: Hex; actualHash?: Hex };

/** Events the node publishes to live subscribers (SSE). */
export type LedgerUpdate =
  | { kind: "entries"; from: number; to: number }
  | { kind: "checkpoint"; checkpoint: SignedCheckpoint }
  | { kind: "tentative"; fromBlock: bigint; toBlock: bigint; count: number }
  | { kind: "halted"; reason: string };
