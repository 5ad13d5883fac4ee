/** The SDK's explanations of the custom errors of CityRegistry: members, colleges, key migrations. */
import type { CityErrorMessageTable } from "./types";
import { short, time } from "./format";

/**
 * How the custom errors of CityRegistry read (see `CityErrorExplanation`).
 * @example `membersMessages.CityRegistryZeroAddress.message(args, {})`
 */
export const membersMessages = {
  CityRegistryZeroAddress: {
    message: () => "the zero address cannot be a member",
    hint: () => "Pass the member's real address.",
  },
  CityRegistryAlreadyMember: {
    message: ([account]) => `account ${account} is already a member (active or suspended)`,
    hint: () => "Use update() to change an existing membership, or reinstate() a suspended one.",
  },
  CityRegistryNotAMember: {
    message: ([account]) => `account ${account} is not a member (never registered, or removed)`,
    hint: () => "Check the address, or register() it first.",
  },
  CityRegistryNotActive: {
    message: ([account]) => `member ${account} is not active`,
    hint: () => "Only an active member can be suspended; read its status with getMember().",
  },
  CityRegistryNotSuspended: {
    message: ([account]) => `member ${account} is not suspended`,
    hint: () => "Only a suspended member can be reinstated; read its status with getMember().",
  },
  CityRegistryUnknownCollege: {
    message: ([college]) => `college ${college} does not exist or is disabled`,
    hint: () => "Use an enabled college id (0 PUBLIC, 1 CITIZENS, 2 PRIVATE_PARTNERS, 3 ASSOCIATIONS by default).",
  },
  CityRegistryCollegeOutOfRange: {
    message: ([college, max]) => `college id ${college} is out of range (colleges are 0 to ${max - 1})`,
  },
  CityRegistryTooManyColleges: {
    message: ([count, max]) => `${count} colleges exceed the maximum of ${max}`,
  },
  CityRegistryAddressUsed: {
    message: ([account]) => `${account} held a membership before and cannot receive a migrated one`,
    hint: () => "Recover the member's key to a fresh address that was never registered.",
  },
  CityRegistryEmptyCredential: {
    message: () => "the credential hash is empty",
    hint: () => "Pass the salted hash of the registrar's file on this person (a non-zero bytes32).",
  },
  CityRegistryCredentialInUse: {
    message: ([credentialHash, holder]) => `credential ${short(credentialHash)} is already held by ${holder}`,
    hint: () => "One person holds one membership: to move it to a new key, use startMigration().",
  },
  CityRegistryVotesNotDelegable: {
    message: () => "membership votes cannot be delegated",
    hint: () => "Every member votes for itself; there is nothing to delegate.",
  },
  CityRegistryMigrationPending: {
    message: ([from, to]) => `a migration of ${from} to ${to} is pending`,
    hint: () => "Complete or cancel the pending migration first (completeMigration / cancelMigration).",
  },
  CityRegistryAddressReserved: {
    message: ([account, byMigrationOf]) => `account ${account} is reserved by the pending migration of ${byMigrationOf}`,
    hint: () => "Wait for that migration to complete or be cancelled, or use another address.",
  },
  CityRegistryNoMigration: {
    message: ([from]) => `no migration of ${from} is pending`,
    hint: () => "Read it with getMigration(); a registrar starts one with startMigration().",
  },
  CityRegistryMigrationNotReady: {
    message: ([from, readyAt]) => `the migration of ${from} is not ready before ${time(readyAt)}`,
    hint: () => "Call completeMigration() once the migration delay has passed.",
  },
  CityRegistryUnauthorizedCancel: {
    message: ([caller, from]) => `account ${caller} may not cancel the migration of ${from}`,
    hint: () => "Only the member's old key (even suspended) or the orchestrator can cancel a migration.",
  },
  CityRegistryUnauthorizedApproval: {
    message: ([caller, from]) => `account ${caller} may not approve the migration of ${from}`,
    hint: () => "Only the member's old key or the orchestrator (a second party, not the registrar who started it) can approve a migration.",
  },
  CityRegistryApprovalByStarter: {
    message: ([caller, from]) => `account ${caller} started the migration of ${from} and cannot approve it too`,
    hint: () => "A second party approves a migration: the member's old key or another orchestrator.",
  },
  CityRegistryMigrationAlreadyApproved: {
    message: ([from]) => `the migration of ${from} is already approved`,
    hint: () => "Call completeMigration() once the migration delay has passed.",
  },
  CityRegistryMigrationNotApproved: {
    message: ([from]) => `the migration of ${from} has not been approved`,
    hint: () => "The member's old key or the orchestrator must approveMigration() before it can complete.",
  },
  CityRegistryMigrationDelayOutOfRange: {
    message: ([delay, min, max]) => `a migration delay of ${delay} s is outside [${min}, ${max}] s`,
  },
  CityRegistryTooManyListeners: {
    message: ([count, max]) => `${count} membership listeners exceed the maximum of ${max}`,
  },
  CityRegistryFlagOutOfRange: {
    message: ([bit, max]) => `flag bit ${bit} is out of range (at most ${max})`,
  },
  ERC5805FutureLookup: {
    message: ([timepoint, clock]) => `timepoint ${timepoint} is not in the past (the chain's clock is ${clock})`,
    hint: () => "Snapshots can only be read at a past timestamp; use a timepoint below the latest block's.",
  },
  VotesExpiredSignature: {
    message: ([expiry]) => `the signature expired at ${time(expiry)}`,
  },
  CheckpointUnorderedInsertion: {
    message: () => "a checkpoint was written out of order",
  },
} satisfies CityErrorMessageTable;
