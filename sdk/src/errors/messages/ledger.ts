/** The SDK's explanations of the custom errors of LedgerAnchor: anchored checkpoints and the RFC 6962 consistency check it runs. */
import type { CityErrorMessageTable } from "./types";
import { short } from "./format";

/**
 * How the custom errors of LedgerAnchor (and the RFC 6962 consistency check it runs) read (see `CityErrorExplanation`).
 * @example `ledgerMessages.LedgerAnchorEmptyOrigin.message(args, {})`
 */
export const ledgerMessages = {
  LedgerAnchorEmptyOrigin: {
    message: () => "the log origin is empty",
  },
  LedgerAnchorZeroThreshold: {
    message: () => "the witness threshold is 0",
    hint: () => "At least one witness signature must be required.",
  },
  LedgerAnchorThresholdTooHigh: {
    message: ([threshold, count]) => `a threshold of ${threshold} exceeds the ${count} witnesses`,
  },
  LedgerAnchorTooManyWitnesses: {
    message: ([count, max]) => `${count} witnesses exceed the maximum of ${max}`,
  },
  LedgerAnchorZeroWitness: {
    message: ([position]) => `witness ${position} is the zero address`,
  },
  LedgerAnchorDuplicateWitness: {
    message: ([witness]) => `witness ${witness} is listed twice`,
  },
  LedgerAnchorNoWitnesses: {
    message: () => "no witnesses are set, so nothing can be anchored",
    hint: () => "The council must call setWitnesses() first.",
  },
  LedgerAnchorSizeNotGrowing: {
    message: ([anchored, size]) => `a checkpoint of size ${size} does not grow the anchored log (size ${anchored})`,
    hint: () => "Anchor a newer checkpoint: the chain only accepts a log that grew.",
  },
  LedgerAnchorNothingToAnchor: {
    message: ([size]) => `the checkpoint of size ${size} is already anchored`,
  },
  LedgerAnchorConflictingRoot: {
    message: ([size, anchoredRoot, root]) =>
      `root ${short(root)} conflicts with the anchored root ${short(anchoredRoot)} at size ${size}: the log forked`,
    hint: () => "Stop and investigate: two different logs claim the same size.",
  },
  LedgerAnchorNotEnoughSignatures: {
    message: ([count, threshold]) => `${count} witness signatures are fewer than the threshold of ${threshold}`,
    hint: () => "Collect more witness cosignatures before anchoring.",
  },
  LedgerAnchorInvalidSignature: {
    message: ([index]) => `signature ${index} is not a valid signature`,
  },
  LedgerAnchorNotAWitness: {
    message: ([index, signer]) => `signature ${index} is by ${signer}, who is not a witness`,
  },
  LedgerAnchorDuplicateSigner: {
    message: ([index, signer]) => `signature ${index} repeats signer ${signer}`,
  },
  LedgerAnchorUnsortedSigners: {
    message: ([index, previous, signer]) => `signature ${index} by ${signer} is not after ${previous}`,
    hint: () => "Sort signatures by signer address ascending (sortSignatures in the SDK does it).",
  },
  LedgerAnchorUnknownAnchor: {
    message: ([index, count]) => `anchor ${index} does not exist (${count} anchors)`,
  },
  MerkleConsistencyInvalidSizes: {
    message: ([size1, size2]) => `sizes ${size1} and ${size2} are not 0 <= size1 <= size2`,
  },
  MerkleConsistencyWrongProofSize: {
    message: ([got, want]) => `wrong consistency proof size ${got}, want ${want}`,
  },
  MerkleConsistencyRootMismatch: {
    message: ([expected, calculated]) => `consistency proof gives root ${short(calculated)}, expected ${short(expected)}`,
    hint: () => "The checkpoint does not extend the anchored log.",
  },
  SafeERC20FailedOperation: {
    message: ([token]) => `a transfer of token ${token} failed`,
  },
} satisfies CityErrorMessageTable;
