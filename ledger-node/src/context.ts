import type { LogStore } from "./log/store";
import type { CityEventDecoder } from "@cityledger/sdk/ledger";
import type { UpdateBus } from "./updates";
import type { DecodedEvent, FollowerStatus, RawLog } from "./types";
import type { WitnessService } from "./anchor/witness";
import type { WitnessedCheckpoints } from "./anchor/witnessed";
import type { Relayer } from "./relay/relayer";
import type { DataUseService } from "./domains/datause/service";

/** A log above finality: served apart from the log, marked tentative, replaced on every poll. */
export interface TentativeEntry {
  log: RawLog;
  event?: DecodedEvent;
}

/** What the follower exposes to the API. */
export interface FollowerView {
  status(): FollowerStatus;
  tentative(): readonly TentativeEntry[];
}

/**
 * Everything the API layer reads. The API never writes: ingestion (follower → store → projections) is the only
 * writer, so a misbehaving client can never alter the log.
 */
export interface NodeContext {
  store: LogStore;
  decoder: CityEventDecoder;
  follower: FollowerView;
  updates: UpdateBus;
  /** Ed25519 verifier key of the node's checkpoints (C2SP signed-note format). */
  verifierKey: string;
  chainId: number;
  /** Present when this node also witnesses an operator's log (serves POST /v1/witness/cosign). */
  witness?: WitnessService;
  /** Present when this node anchors: its witnesses' C2SP cosignatures of its checkpoints, served with the note. */
  witnessed?: WitnessedCheckpoints;
  /** Present when this node relays members' signed requests (serves POST /v1/relay). */
  relayer?: Relayer;
  /**
   * The access records processors submitted and the key that signs bulletins. Absent: the data-use record, access,
   * violation and bulletin routes answer 503 not-ready.
   */
  datause?: DataUseService;
}
