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
  formatCheckpoint,
  parseCheckpoint,
  parseVerifierKey,
  signNote,
  verifierKey,
  verifyCheckpoint,
  type Checkpoint,
  type NoteSigner,
} from "./checkpoint";
export { cityAbis, type CityContractName, type CityEvent, type CityEventOf, type ContractEvent, type EventArgs } from "./events";
export { CityEventDecoder, type CityEventDeployment, type EventLog } from "./decoder";
