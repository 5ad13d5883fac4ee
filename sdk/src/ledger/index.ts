/**
 * `@cityledger/sdk/ledger`: the verifiable log's vocabulary — the city's typed event stream (`CityEvent`) and its one
 * decoder, the one leaf codec (raw log ↔ RFC 6962 leaf input), C2SP checkpoints and signed notes, the log as C2SP
 * tlog-tiles (paths, entry bundles, a reader that computes proofs from tiles), the witnesses' `cosignature/v1` lines
 * and checkpoint policies, their EIP-712 checkpoint signatures, and retries for reading logs from a JSON-RPC node.
 * @packageDocumentation
 */
export {
  LEAF_PARAMETERS,
  encodeLeafInput,
  leafFromLog,
  leafInputOfRpcLog,
  leafLogOfRpcLog,
  parseLeafInput,
  type LeafLog,
  type RawLog,
  type RpcLog,
} from "./leaf";
export {
  CheckpointError,
  CosignatureQuorumError,
  formatCheckpoint,
  noteBody,
  parseCheckpoint,
  parseVerifierKey,
  signNote,
  verifierKey,
  verifyCheckpoint,
  type Checkpoint,
  type CheckpointPolicy,
  type NoteSigner,
  type WitnessedCheckpoint,
} from "./checkpoint";
export {
  appendCosignatures,
  cosignCheckpoint,
  cosignedMessage,
  cosignerKey,
  parseCosignerKey,
  verifyCosignature,
  type VerifiedCosignature,
} from "./cosignature";
export { cityAbis, type CityContractName, type CityEvent, type CityEventName, type CityEventOf, type ContractEvent, type EventArgs } from "./events";
export { CityEventDecoder, type CityEventDeployment, type EventLog } from "./decoder";
export {
  InvalidCheckpointError,
  checkpointTypedData,
  checkpointTypes,
  ledgerAnchorDomain,
  signCheckpoint,
  sortSignatures,
  type CheckpointSigner,
  type CheckpointTypedData,
  type CheckpointTypedDataParameters,
  type SortedSignatures,
} from "./witness";
export {
  MAX_BUNDLE_ENTRY,
  MAX_TILE_LEVEL,
  TILE_HEIGHT,
  TILE_WIDTH,
  TileError,
  encodeEntryBundle,
  hashesAtLevel,
  nodeInTile,
  parseEntryBundle,
  parseTilePath,
  tileHashes,
  tileIndexPath,
  tilePath,
  tileWidth,
  treeTiles,
  type NodeInTile,
  type Tile,
  type TileErrorCode,
} from "./tiles";
export { TileReader, type TileCheckpoint, type TileReaderOptions } from "./tileReader";
export { DEFAULT_RETRY, isRangeLimit, sleep, withRetry, type RetryOptions } from "../utils/retry";
export { nativeBytesToHex } from "../utils/hex";
