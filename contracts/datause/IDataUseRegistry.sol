// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title IDataUseRegistry
 * @notice What the city's data processors do with members' data, in the open: who processes (processors), why
 * (purposes, each with its GDPR legal basis, data categories, retention and recipients), with whose consent (members
 * grant and withdraw per purpose), and how often (a Merkle root of access records per processor and period). Only
 * hashes and counts reach the chain: names, descriptions and the records themselves stay off chain.
 */
interface IDataUseRegistry {
    /// @notice GDPR art. 6(1), in the article's order: (a) consent … (f) legitimate interests.
    enum LegalBasis {
        Consent,
        Contract,
        LegalObligation,
        VitalInterest,
        PublicTask,
        LegitimateInterest
    }

    /// @dev Slot 1: what the consent and batch checks read. The name hash and contact URI are only served.
    struct Processor {
        address account;
        bool active;
        bytes32 nameHash;
        string contactUri;
    }

    /**
     * @notice A purpose's terms, as its processor declares them.
     * @param descriptionHash Hash of the purpose's text, published off chain.
     * @param categories Data categories (bit flags, see {DataUseRegistry-IDENTITY} …); never VOTES.
     * @param retention How long the data is kept, in seconds.
     * @param recipients Hashes of the recipients' names, strictly ascending (a set, compared in one pass).
     */
    struct PurposeTerms {
        bytes32 descriptionHash;
        LegalBasis legalBasis;
        uint16 categories;
        uint32 retention;
        bytes32[] recipients;
    }

    /**
     * @dev Slot 1 (20 bytes) is what a consent reads. A material change bumps `consentEpoch`: a consent counts only
     * while its epoch is the purpose's, so dropping every consent to a purpose is one write.
     */
    struct Purpose {
        uint32 processorId;
        uint32 version;
        uint32 consentEpoch;
        bool active;
        LegalBasis legalBasis;
        uint16 categories;
        uint32 retention;
        bytes32 descriptionHash;
        bytes32[] recipients;
    }

    /// @dev One slot per member and purpose. A withdrawal keeps the slot non-zero (`granted` false), so granting again
    /// rewrites a warm value instead of creating one.
    struct Consent {
        uint32 epoch;
        uint48 since;
        bool granted;
    }

    /**
     * @dev A processor's commitment for a period: slot 1 the root, slot 2 the rest. The salt commitment is the salt
     * hash's first 24 bytes (192 bits against a preimage search) so that it shares a slot with the count and the flag.
     */
    struct Batch {
        bytes32 root;
        uint32 recordCount;
        bytes24 saltCommitment;
        bool revealed;
    }

    event ProcessorRegistered(uint256 indexed processorId, address indexed account, bytes32 nameHash, string contactUri);
    event ProcessorUpdated(uint256 indexed processorId, address indexed account, bytes32 nameHash, string contactUri);
    /// @notice The processor may no longer declare purposes, take consents or publish batches; it may still reveal salts.
    event ProcessorRetired(uint256 indexed processorId);
    /// @notice A new purpose, at version 1 and consent epoch 1, from `at` (the block's timestamp).
    event PurposeDeclared(uint256 indexed purposeId, uint256 indexed processorId, PurposeTerms terms, uint48 at);
    /// @notice New terms (`version`) from `at` (the block's timestamp); when `material`, `consentEpoch` moved on and every
    /// earlier consent lapsed then.
    event PurposeUpdated(uint256 indexed purposeId, uint256 indexed processorId, uint32 version, uint32 consentEpoch, bool material, PurposeTerms terms, uint48 at);
    event PurposeRetired(uint256 indexed purposeId, uint256 indexed processorId);
    /**
     * @notice `member` consents to `purposeId` as of `version`, for as long as `consentEpoch` is the purpose's, from `at`
     * (the block's timestamp: the log carries no block times, and the bulletin compares consents with access times).
     */
    event ConsentGranted(uint256 indexed purposeId, address indexed member, uint32 version, uint32 consentEpoch, uint48 at);
    /// @notice `member` withdrew consent to `purposeId`, effective from this event's block, whose timestamp is `at`.
    event ConsentWithdrawn(uint256 indexed purposeId, address indexed member, uint32 version, uint32 consentEpoch, uint48 at);
    /**
     * @notice `processorId`'s access records of `period` (YYYYMM): their Merkle root (RFC 6962, SHA-256), their number,
     * and `saltHash = keccak256(abi.encode(salt))` of the salt its pseudonyms use, revealed later ({SaltRevealed}).
     */
    event BatchPublished(uint256 indexed processorId, uint32 indexed period, bytes32 root, uint32 recordCount, bytes32 saltHash);
    /// @notice The salt of `processorId`'s `period`: a member's pseudonym there is `keccak256(abi.encode(member, purposeId, salt))`.
    event SaltRevealed(uint256 indexed processorId, uint32 indexed period, bytes32 salt);

    /// @notice A processor's publishing account is the zero address.
    error DataUseRegistryZeroAddress();
    error DataUseRegistryUnknownProcessor(uint256 processorId);
    error DataUseRegistryProcessorRetired(uint256 processorId);
    /// @notice `account` does not publish for processor `processorId`.
    error DataUseRegistryNotProcessorAccount(uint256 processorId, address account);
    error DataUseRegistryUnknownPurpose(uint256 purposeId);
    error DataUseRegistryPurposeRetired(uint256 purposeId);
    /// @notice The votes category was declared: no purpose may ever process how members vote.
    error DataUseRegistryVotesNeverProcessed(uint16 categories);
    /// @notice No category, or a bit that names none.
    error DataUseRegistryInvalidCategories(uint16 categories);
    error DataUseRegistryZeroRetention();
    error DataUseRegistryTooManyRecipients(uint256 count, uint256 max);
    /// @notice Recipients must be strictly ascending (no duplicates), at index `index`.
    error DataUseRegistryRecipientsNotSorted(uint256 index);
    /// @notice The new terms equal the current ones: no version to make.
    error DataUseRegistryUnchangedPurpose(uint256 purposeId);
    /// @notice `purposeId` does not rest on consent: there is nothing to grant or withdraw.
    error DataUseRegistryNotConsentBased(uint256 purposeId);
    error DataUseRegistryNotMember(address account);
    error DataUseRegistryAlreadyConsented(uint256 purposeId, address member);
    error DataUseRegistryNoConsent(uint256 purposeId, address member);
    /// @notice A period is a month written YYYYMM (202611).
    error DataUseRegistryInvalidPeriod(uint32 period);
    error DataUseRegistryZeroRoot();
    error DataUseRegistryBatchExists(uint256 processorId, uint32 period);
    error DataUseRegistryUnknownBatch(uint256 processorId, uint32 period);
    error DataUseRegistryAlreadyRevealed(uint256 processorId, uint32 period);
    /// @notice The salt does not hash to the commitment published with the batch.
    error DataUseRegistrySaltMismatch(uint256 processorId, uint32 period);

    /// @notice Consents to `purposeId` (a consent-based purpose of an active processor) as the caller, an active member.
    function grantConsent(uint256 purposeId) external;

    /// @notice Withdraws the caller's consent to `purposeId`, effective from this block.
    function withdrawConsent(uint256 purposeId) external;
}
