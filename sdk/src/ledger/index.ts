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
