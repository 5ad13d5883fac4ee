export { LEAF_PARAMETERS, encodeLeafInput, leafFromLog, type LeafLog } from "./leaf";
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
export * from "./witness";
