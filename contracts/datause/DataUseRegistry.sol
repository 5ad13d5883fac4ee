// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CityMemberService} from "../access/CityMemberService.sol";
import {ICityRegistry} from "../membership/ICityRegistry.sol";
import {IDataUseRegistry} from "./IDataUseRegistry.sol";

/**
 * @title DataUseRegistry
 * @notice The city's data-use transparency register. The council registers processors (city services and partners)
 * and the account each publishes from; a processor declares purposes and versions them; members grant and withdraw
 * consent to consent-based purposes (directly or relayed); each processor commits, per month, the Merkle root of its
 * access records, whose member pseudonyms are `keccak256(abi.encode(member, purposeId, salt))` with a salt it commits
 * to then and reveals later, so that each member, and only they, finds their own accesses.
 *
 * Invariants: no purpose ever declares the VOTES category; a consent counts only while its epoch is its purpose's,
 * and a material change (a new category, a longer retention, a new recipient, another legal basis) moves the epoch;
 * one batch per processor and period, whose root never changes; a salt is revealed once and matches its commitment.
 *
 * @custom:city datause
 * @custom:relay grantConsent withdrawConsent
 */
contract DataUseRegistry is IDataUseRegistry, CityMemberService {
    /// @notice Data categories (bit flags of {PurposeTerms-categories}).
    uint16 public constant IDENTITY = 1 << 0;
    uint16 public constant LOCATION = 1 << 1;
    uint16 public constant ENERGY = 1 << 2;
    uint16 public constant PAYMENTS = 1 << 3;
    uint16 public constant MOBILITY = 1 << 4;
    /// @notice How members vote: a category that exists only to be refused.
    uint16 public constant VOTES = 1 << 5;
    /// @notice Most recipients a purpose names (bounds the set comparison of an update).
    uint256 public constant MAX_RECIPIENTS = 16;

    uint16 private constant _DECLARABLE = IDENTITY | LOCATION | ENERGY | PAYMENTS | MOBILITY;

    uint256 private _processorCount;
    uint256 private _purposeCount;
    mapping(uint256 processorId => Processor) private _processors;
    mapping(uint256 purposeId => Purpose) private _purposes;
    mapping(uint256 purposeId => mapping(address member => Consent)) private _consents;
    mapping(uint256 processorId => mapping(uint32 period => Batch)) private _batches;
    /// @dev The block each consent epoch after the first began (its material change): where a lapsed consent ends.
    mapping(uint256 purposeId => mapping(uint32 epoch => uint48)) private _epochStarts;

    /**
     * @param initialAuthority The city's {CityAuthority}.
     * @param trustedForwarder The city's {CityForwarder}.
     * @param registry_ The city's {CityRegistry}.
     */
    constructor(address initialAuthority, address trustedForwarder, ICityRegistry registry_)
        CityMemberService(initialAuthority, trustedForwarder, registry_)
    {}

    // ─── Processors (council) ───────────────────────────────────────────────────────────────────────────────────

    /**
     * @notice Registers a processor that publishes from `account`.
     * @param nameHash Hash of the processor's name (the name is published off chain).
     * @param contactUri Where members reach its data-protection contact (an organisation's, never a person's).
     * @custom:role COUNCIL
     */
    function registerProcessor(address account, bytes32 nameHash, string calldata contactUri) external restricted returns (uint256 processorId) {
        if (account == address(0)) revert DataUseRegistryZeroAddress();
        processorId = ++_processorCount;
        Processor storage p = _processors[processorId];
        p.account = account;
        p.active = true;
        p.nameHash = nameHash;
        p.contactUri = contactUri;
        emit ProcessorRegistered(processorId, account, nameHash, contactUri);
    }

    /**
     * @notice Changes an active processor's publishing account, name hash and contact URI.
     * @custom:role COUNCIL
     */
    function updateProcessor(uint256 processorId, address account, bytes32 nameHash, string calldata contactUri) external restricted {
        if (account == address(0)) revert DataUseRegistryZeroAddress();
        Processor storage p = _activeProcessor(processorId);
        p.account = account;
        p.nameHash = nameHash;
        p.contactUri = contactUri;
        emit ProcessorUpdated(processorId, account, nameHash, contactUri);
    }

    /**
     * @notice Retires a processor for good: its purposes take no consent and it publishes no batch (it may still reveal
     * the salts of batches it published, so members can find their accesses).
     * @custom:role COUNCIL
     */
    function retireProcessor(uint256 processorId) external restricted {
        _activeProcessor(processorId).active = false;
        emit ProcessorRetired(processorId);
    }

    // ─── Purposes (the processor's account) ─────────────────────────────────────────────────────────────────────

    /// @notice Declares a purpose of `processorId`, at version 1; the caller is the processor's account.
    function declarePurpose(uint256 processorId, PurposeTerms calldata terms) external returns (uint256 purposeId) {
        _requirePublisher(processorId);
        _checkTerms(terms);
        purposeId = ++_purposeCount;
        Purpose storage p = _purposes[purposeId];
        // Ids are sequential from 1 and stay below 2^32 for as long as a city can declare processors.
        p.processorId = uint32(processorId);
        p.version = 1;
        p.consentEpoch = 1;
        p.active = true;
        _setTerms(p, terms);
        emit PurposeDeclared(purposeId, processorId, terms, uint48(block.timestamp));
    }

    /**
     * @notice Replaces a purpose's terms with a new version. A material change — a category added, a longer retention,
     * a recipient added, or another legal basis (members consented to the terms they saw) — lapses every consent to
     * it, in one write: members are asked again.
     */
    function updatePurpose(uint256 purposeId, PurposeTerms calldata terms) external {
        Purpose storage p = _activePurpose(purposeId);
        _requirePublisher(p.processorId);
        _checkTerms(terms);
        bool material = (terms.categories & ~p.categories) != 0 || terms.retention > p.retention || terms.legalBasis != p.legalBasis
            || _addsRecipient(p.recipients, terms.recipients);
        if (!material && terms.descriptionHash == p.descriptionHash && terms.categories == p.categories && terms.retention == p.retention
            && terms.recipients.length == p.recipients.length) revert DataUseRegistryUnchangedPurpose(purposeId);
        uint32 version = ++p.version;
        if (material) _epochStarts[purposeId][++p.consentEpoch] = uint48(block.number);
        _setTerms(p, terms);
        emit PurposeUpdated(purposeId, p.processorId, version, p.consentEpoch, material, terms, uint48(block.timestamp));
    }

    /// @notice Retires a purpose: it takes no more consent (consents given stay on record, and withdrawable).
    function retirePurpose(uint256 purposeId) external {
        Purpose storage p = _activePurpose(purposeId);
        _requirePublisher(p.processorId);
        p.active = false;
        emit PurposeRetired(purposeId, p.processorId);
    }

    // ─── Consent (members, directly or relayed) ─────────────────────────────────────────────────────────────────

    /// @inheritdoc IDataUseRegistry
    function grantConsent(uint256 purposeId) external {
        address member = _msgSender();
        if (!registry.isActiveMember(member)) revert DataUseRegistryNotMember(member);
        Purpose storage p = _activePurpose(purposeId);
        if (p.legalBasis != LegalBasis.Consent) revert DataUseRegistryNotConsentBased(purposeId);
        if (!_processors[p.processorId].active) revert DataUseRegistryProcessorRetired(p.processorId);
        Consent storage c = _consents[purposeId][member];
        uint32 epoch = p.consentEpoch;
        if (c.granted && c.epoch == epoch) revert DataUseRegistryAlreadyConsented(purposeId, member);
        c.epoch = epoch;
        c.since = uint48(block.number);
        c.granted = true;
        emit ConsentGranted(purposeId, member, p.version, epoch, uint48(block.timestamp));
    }

    /**
     * @inheritdoc IDataUseRegistry
     * @dev Never refused to whoever holds a consent, member or not, purpose retired or not: withdrawing must be as easy
     * as granting (GDPR art. 7(3)).
     */
    function withdrawConsent(uint256 purposeId) external {
        address member = _msgSender();
        Purpose storage p = _purpose(purposeId);
        Consent storage c = _consents[purposeId][member];
        uint32 epoch = p.consentEpoch;
        if (!c.granted || c.epoch != epoch) revert DataUseRegistryNoConsent(purposeId, member);
        c.since = uint48(block.number);
        c.granted = false;
        emit ConsentWithdrawn(purposeId, member, p.version, epoch, uint48(block.timestamp));
    }

    // ─── Access records (the processor's account) ───────────────────────────────────────────────────────────────

    /**
     * @notice Commits `processorId`'s access records of `period` (YYYYMM), once.
     * @param root RFC 6962 (SHA-256) Merkle root of the records (the empty tree's root when there are none).
     * @param recordCount Number of records under the root.
     * @param saltHash `keccak256(abi.encode(salt))` of the period's pseudonym salt, revealed with {revealSalt}.
     */
    function publishBatch(uint256 processorId, uint32 period, bytes32 root, uint32 recordCount, bytes32 saltHash) external {
        _requirePublisher(processorId);
        uint32 month = period % 100;
        if (month == 0 || month > 12 || period < 200001 || period > 999912) revert DataUseRegistryInvalidPeriod(period);
        if (root == bytes32(0)) revert DataUseRegistryZeroRoot();
        Batch storage b = _batches[processorId][period];
        if (b.root != bytes32(0)) revert DataUseRegistryBatchExists(processorId, period);
        b.root = root;
        b.recordCount = recordCount;
        b.saltCommitment = bytes24(saltHash);
        emit BatchPublished(processorId, period, root, recordCount, saltHash);
    }

    /// @notice Reveals the salt of `processorId`'s batch of `period` (once the period is over), retired or not.
    function revealSalt(uint256 processorId, uint32 period, bytes32 salt) external {
        Processor storage processor = _processor(processorId);
        if (processor.account != _msgSender()) revert DataUseRegistryNotProcessorAccount(processorId, _msgSender());
        Batch storage b = _batches[processorId][period];
        if (b.root == bytes32(0)) revert DataUseRegistryUnknownBatch(processorId, period);
        if (b.revealed) revert DataUseRegistryAlreadyRevealed(processorId, period);
        if (bytes24(keccak256(abi.encode(salt))) != b.saltCommitment) revert DataUseRegistrySaltMismatch(processorId, period);
        b.revealed = true;
        emit SaltRevealed(processorId, period, salt);
    }

    // ─── Reads ──────────────────────────────────────────────────────────────────────────────────────────────────

    function processorCount() external view returns (uint256) {
        return _processorCount;
    }

    function purposeCount() external view returns (uint256) {
        return _purposeCount;
    }

    function processorOf(uint256 processorId) external view returns (Processor memory) {
        return _processor(processorId);
    }

    function purposeOf(uint256 purposeId) external view returns (Purpose memory) {
        return _purpose(purposeId);
    }

    /**
     * @notice Whether `member`'s consent to `purposeId` counts now, and the block from which that holds: a grant's or
     * withdrawal's, or, for a consent a material change lapsed, the first such change after the grant.
     */
    function consentOf(uint256 purposeId, address member) external view returns (bool granted, uint48 since) {
        Purpose storage p = _purpose(purposeId);
        Consent storage c = _consents[purposeId][member];
        if (c.epoch == p.consentEpoch) return (c.granted, c.since);
        return (false, c.granted ? _epochStarts[purposeId][c.epoch + 1] : c.since);
    }

    function batchOf(uint256 processorId, uint32 period) external view returns (Batch memory) {
        return _batches[processorId][period];
    }

    /// @notice A member's pseudonym in the access records of a period whose salt is `salt`.
    function pseudonymOf(address member, uint256 purposeId, bytes32 salt) external pure returns (bytes32) {
        return keccak256(abi.encode(member, purposeId, salt));
    }

    // ─── Internals ──────────────────────────────────────────────────────────────────────────────────────────────

    function _processor(uint256 processorId) private view returns (Processor storage p) {
        p = _processors[processorId];
        if (p.account == address(0)) revert DataUseRegistryUnknownProcessor(processorId);
    }

    function _activeProcessor(uint256 processorId) private view returns (Processor storage p) {
        p = _processor(processorId);
        if (!p.active) revert DataUseRegistryProcessorRetired(processorId);
    }

    /// @dev The caller must be the publishing account of `processorId`, which must be active.
    function _requirePublisher(uint256 processorId) private view {
        if (_activeProcessor(processorId).account != _msgSender()) revert DataUseRegistryNotProcessorAccount(processorId, _msgSender());
    }

    function _purpose(uint256 purposeId) private view returns (Purpose storage p) {
        p = _purposes[purposeId];
        if (p.version == 0) revert DataUseRegistryUnknownPurpose(purposeId);
    }

    function _activePurpose(uint256 purposeId) private view returns (Purpose storage p) {
        p = _purpose(purposeId);
        if (!p.active) revert DataUseRegistryPurposeRetired(purposeId);
    }

    function _checkTerms(PurposeTerms calldata terms) private pure {
        if (terms.categories & VOTES != 0) revert DataUseRegistryVotesNeverProcessed(terms.categories);
        if (terms.categories == 0 || terms.categories & ~_DECLARABLE != 0) revert DataUseRegistryInvalidCategories(terms.categories);
        if (terms.retention == 0) revert DataUseRegistryZeroRetention();
        uint256 count = terms.recipients.length;
        if (count > MAX_RECIPIENTS) revert DataUseRegistryTooManyRecipients(count, MAX_RECIPIENTS);
        for (uint256 i = 1; i < count; ++i) {
            if (terms.recipients[i] <= terms.recipients[i - 1]) revert DataUseRegistryRecipientsNotSorted(i);
        }
    }

    function _setTerms(Purpose storage p, PurposeTerms calldata terms) private {
        p.legalBasis = terms.legalBasis;
        p.categories = terms.categories;
        p.retention = terms.retention;
        p.descriptionHash = terms.descriptionHash;
        p.recipients = terms.recipients;
    }

    /// @dev Whether `next` holds a recipient `current` lacks. Both strictly ascending ({_checkTerms}): one merge pass.
    function _addsRecipient(bytes32[] storage current, bytes32[] calldata next) private view returns (bool) {
        uint256 i;
        uint256 count = current.length;
        for (uint256 j; j < next.length; ++j) {
            while (i < count && current[i] < next[j]) ++i;
            if (i == count || current[i] != next[j]) return true;
        }
        return false;
    }
}
