/** The SDK's explanations of the custom errors of DataUseRegistry: processors, purposes, consents and batches. */
import type { CityErrorMessageTable } from "./types";

/** The data categories a purpose may declare, by bit (VOTES, 1 << 5, never). */
const CATEGORY_HINT = "Declare at least one of identity (1), location (2), energy (4), payments (8), mobility (16).";

/**
 * How the custom errors of DataUseRegistry read (see `CityErrorExplanation`).
 * @example `datauseMessages.DataUseRegistryNoConsent.message([3n, "0xAbC…"], {})`
 */
export const datauseMessages = {
  DataUseRegistryZeroAddress: {
    message: () => "the processor's publishing account is the zero address",
    hint: () => "Name the account the processor publishes purposes and batches from.",
  },
  DataUseRegistryUnknownProcessor: {
    message: ([processorId]) => `data processor ${processorId} does not exist`,
    hint: () => "Processor ids start at 1; list them at /v1/datause/processors.",
  },
  DataUseRegistryProcessorRetired: {
    message: ([processorId]) => `data processor ${processorId} is retired`,
    hint: () => "A retired processor takes no consent and publishes nothing but the salts of its past batches.",
  },
  DataUseRegistryNotProcessorAccount: {
    message: ([processorId, account]) => `account ${account} does not publish for data processor ${processorId}`,
    hint: () => "Send from the processor's publishing account (the council sets it with updateProcessor).",
  },
  DataUseRegistryUnknownPurpose: {
    message: ([purposeId]) => `purpose ${purposeId} does not exist`,
    hint: () => "Purpose ids start at 1; list them with getPurposes() or at /v1/datause/purposes.",
  },
  DataUseRegistryPurposeRetired: {
    message: ([purposeId]) => `purpose ${purposeId} is retired`,
    hint: () => "A retired purpose takes no new consent and no new version; a consent given to it can still be withdrawn.",
  },
  DataUseRegistryVotesNeverProcessed: {
    message: ([categories]) => `categories ${categories} include votes, which no purpose may process`,
    hint: () => "Clear bit 32 (votes): how members vote is never data a processor uses.",
  },
  DataUseRegistryInvalidCategories: {
    message: ([categories]) => `categories ${categories} name no data category or an unknown one`,
    hint: () => CATEGORY_HINT,
  },
  DataUseRegistryZeroRetention: {
    message: () => "the retention period is zero",
    hint: () => "State how long the data is kept, in seconds.",
  },
  DataUseRegistryTooManyRecipients: {
    message: ([count, max]) => `the purpose names ${count} recipients, more than ${max}`,
  },
  DataUseRegistryRecipientsNotSorted: {
    message: ([index]) => `recipient ${index} is not greater than the one before it`,
    hint: () => "List the recipients' hashes in strictly ascending order, each once.",
  },
  DataUseRegistryUnchangedPurpose: {
    message: ([purposeId]) => `the new terms of purpose ${purposeId} are its current ones`,
    hint: () => "A new version must change something.",
  },
  DataUseRegistryNotConsentBased: {
    message: ([purposeId]) => `purpose ${purposeId} does not rest on consent`,
    hint: () => "Its legal basis (contract, legal obligation, public task …) does not ask members' consent: there is nothing to grant or withdraw.",
  },
  DataUseRegistryNotMember: {
    message: ([account]) => `account ${account} is not an active member`,
    hint: () => "Only active members consent to the city's data uses.",
  },
  DataUseRegistryAlreadyConsented: {
    message: ([purposeId, member]) => `member ${member} already consents to purpose ${purposeId}`,
  },
  DataUseRegistryNoConsent: {
    message: ([purposeId, member]) => `member ${member} holds no consent to purpose ${purposeId} to withdraw`,
    hint: () => "It was never given, was withdrawn, or lapsed when the purpose changed materially.",
  },
  DataUseRegistryInvalidPeriod: {
    message: ([period]) => `period ${period} is not a month written YYYYMM`,
    hint: () => "Write November 2026 as 202611.",
  },
  DataUseRegistryZeroRoot: {
    message: () => "the batch's Merkle root is zero",
    hint: () => "Publish the RFC 6962 root of the records (the empty tree's root when there are none).",
  },
  DataUseRegistryBatchExists: {
    message: ([processorId, period]) => `data processor ${processorId} already published its batch for ${period}`,
    hint: () => "One batch per processor and month: a published root never changes.",
  },
  DataUseRegistryUnknownBatch: {
    message: ([processorId, period]) => `data processor ${processorId} published no batch for ${period}`,
  },
  DataUseRegistryAlreadyRevealed: {
    message: ([processorId, period]) => `the salt of data processor ${processorId}'s batch for ${period} is already revealed`,
  },
  DataUseRegistrySaltMismatch: {
    message: ([processorId, period]) => `the salt does not match the commitment of data processor ${processorId}'s batch for ${period}`,
    hint: () => "Reveal the salt whose keccak256(abi.encode(salt)) was published with the batch.",
  },
} satisfies CityErrorMessageTable;
