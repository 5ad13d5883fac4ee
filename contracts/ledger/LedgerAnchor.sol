// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ILedgerAnchor} from "./ILedgerAnchor.sol";
import {MerkleConsistency} from "./MerkleConsistency.sol";

/**
 * @title LedgerAnchor
 * @notice Anchors checkpoints of the ledger node's log on chain. A checkpoint (origin, size, root) is accepted when
 * at least `threshold` distinct registered witnesses signed it (EIP-712 `Checkpoint(string origin,uint64 size,
 * bytes32 root)`, domain "LedgerAnchor" / "1") and an RFC 6962 consistency proof from the latest anchor verifies on
 * chain. So the chain itself enforces that the log only grows: a rewritten history (a fork) cannot be anchored,
 * however many witnesses sign it.
 *
 * The witness set lives here, not in the authority's WITNESS role: signatures are checked against a set that must
 * be enumerable and counted, which AccessManager roles are not. The authority decides who may change the set.
 *
 * Invariants:
 * - Anchored sizes strictly increase with the index, and each anchor's tree extends the previous one's (the first
 *   extends the empty tree, which every tree does).
 * - Every anchor carries the signatures of at least the threshold in force when it was made, from distinct members
 *   of the witness set then in force.
 * - Once a witness set is configured, `1 <= threshold <= witnesses().length <= MAX_WITNESSES`, witnesses distinct
 *   and non-zero.
 *
 * @custom:city ledger
 */
contract LedgerAnchor is ILedgerAnchor, AccessManaged, EIP712 {
    /// @notice Bounded so that replacing the set always fits in a block.
    uint256 public constant MAX_WITNESSES = 64;
    bytes32 public constant CHECKPOINT_TYPEHASH = keccak256("Checkpoint(string origin,uint64 size,bytes32 root)");
    /// @notice Root of the empty tree, SHA-256(""): the log before its first anchor.
    bytes32 public constant EMPTY_ROOT = MerkleConsistency.EMPTY_ROOT;

    /// @dev keccak256 of the origin, as EIP-712 encodes a string: hashed once, at construction.
    bytes32 private immutable _originHash;
    string private _origin;

    address[] private _witnesses;
    mapping(address account => bool) private _isWitness;
    // These two share one slot, read together by every anchor.
    uint64 private _anchorCount;
    uint8 private _threshold;
    mapping(uint256 index => Checkpoint) private _anchors;

    /**
     * @param initialAuthority The city's {CityAuthority}.
     * @param origin_ The log's origin line (e.g. "cityledger.local/31337"): part of every signed checkpoint, so a
     * signature for another log (or another chain's log) never verifies here.
     */
    constructor(address initialAuthority, string memory origin_) AccessManaged(initialAuthority) EIP712("LedgerAnchor", "1") {
        if (bytes(origin_).length == 0) revert LedgerAnchorEmptyOrigin();
        _origin = origin_;
        _originHash = keccak256(bytes(origin_));
    }

    // ─── Witnesses (authority) ──────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc ILedgerAnchor
    /// @custom:role COUNCIL
    function setWitnesses(address[] calldata witnesses_, uint8 threshold_) external restricted {
        uint256 count = witnesses_.length;
        if (count > MAX_WITNESSES) revert LedgerAnchorTooManyWitnesses(count, MAX_WITNESSES);
        if (threshold_ == 0) revert LedgerAnchorZeroThreshold();
        if (threshold_ > count) revert LedgerAnchorThresholdTooHigh(threshold_, count);

        address[] storage previous = _witnesses;
        for (uint256 i = 0; i < previous.length; ++i) {
            delete _isWitness[previous[i]];
        }
        for (uint256 i = 0; i < count; ++i) {
            address witness = witnesses_[i];
            if (witness == address(0)) revert LedgerAnchorZeroWitness(i);
            if (_isWitness[witness]) revert LedgerAnchorDuplicateWitness(witness);
            _isWitness[witness] = true;
        }
        _witnesses = witnesses_;
        _threshold = threshold_;
        emit WitnessesSet(witnesses_, threshold_);
    }

    // ─── Anchoring (anyone, with the witnesses' signatures) ─────────────────────────────────────────────────────

    /**
     * @inheritdoc ILedgerAnchor
     * @dev Not restricted on purpose: whoever holds the signatures (the node, a witness, an auditor) may submit
     * them. Checks, cheapest first: the size grows, the signatures, then the consistency proof.
     */
    function anchor(
        uint64 size,
        bytes32 root,
        bytes32[] calldata consistencyProof,
        bytes[] calldata signatures
    ) external returns (uint256 index) {
        uint8 threshold_ = _threshold;
        if (threshold_ == 0) revert LedgerAnchorNoWitnesses();
        index = _anchorCount;
        Checkpoint memory latest = index == 0 ? Checkpoint(0, EMPTY_ROOT) : _anchors[index - 1];
        if (size <= latest.size) {
            if (size < latest.size) revert LedgerAnchorSizeNotGrowing(latest.size, size);
            if (root == latest.root) revert LedgerAnchorNothingToAnchor(size, root);
            revert LedgerAnchorConflictingRoot(size, latest.root, root);
        }
        address[] memory signers = _recoverWitnesses(checkpointDigest(size, root), signatures, threshold_);
        MerkleConsistency.verify(latest.size, size, consistencyProof, latest.root, root);

        _anchors[index] = Checkpoint(size, root);
        // Overflow not possible: every anchor grows the size (a uint64) by at least one, so index < size.
        _anchorCount = uint64(index + 1);
        emit Anchored(index, size, root, signers);
    }

    // ─── Views ──────────────────────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc ILedgerAnchor
    function latestAnchor() external view returns (Checkpoint memory) {
        uint256 count = _anchorCount;
        return count == 0 ? Checkpoint(0, EMPTY_ROOT) : _anchors[count - 1];
    }

    /// @inheritdoc ILedgerAnchor
    function anchorAt(uint256 index) external view returns (Checkpoint memory) {
        uint256 count = _anchorCount;
        if (index >= count) revert LedgerAnchorUnknownAnchor(index, count);
        return _anchors[index];
    }

    /// @inheritdoc ILedgerAnchor
    function anchorCount() external view returns (uint256) {
        return _anchorCount;
    }

    /// @inheritdoc ILedgerAnchor
    function witnesses() external view returns (address[] memory) {
        return _witnesses;
    }

    /// @inheritdoc ILedgerAnchor
    function isWitness(address account) external view returns (bool) {
        return _isWitness[account];
    }

    /// @inheritdoc ILedgerAnchor
    function threshold() external view returns (uint8) {
        return _threshold;
    }

    /// @inheritdoc ILedgerAnchor
    function origin() external view returns (string memory) {
        return _origin;
    }

    /// @inheritdoc ILedgerAnchor
    function checkpointDigest(uint64 size, bytes32 root) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(CHECKPOINT_TYPEHASH, _originHash, size, root)));
    }

    // ─── Internals ──────────────────────────────────────────────────────────────────────────────────────────────

    /**
     * @dev Recovers the signer of every signature over `digest` and checks that each is a witness and that they
     * strictly ascend, which makes them distinct in one pass. Malleable signatures (high `s`) are rejected by
     * OpenZeppelin's `tryRecover`, so a signature cannot be replayed in a second form either.
     */
    function _recoverWitnesses(
        bytes32 digest,
        bytes[] calldata signatures,
        uint8 threshold_
    ) private view returns (address[] memory signers) {
        uint256 count = signatures.length;
        if (count < threshold_) revert LedgerAnchorNotEnoughSignatures(count, threshold_);
        signers = new address[](count);
        address previous = address(0); // below every recovered signer: recovery never yields address(0)
        for (uint256 i = 0; i < count; ++i) {
            (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(digest, signatures[i]);
            if (err != ECDSA.RecoverError.NoError) revert LedgerAnchorInvalidSignature(i);
            if (!_isWitness[signer]) revert LedgerAnchorNotAWitness(i, signer);
            if (signer <= previous) {
                if (signer == previous) revert LedgerAnchorDuplicateSigner(i, signer);
                revert LedgerAnchorUnsortedSigners(i, previous, signer);
            }
            signers[i] = signer;
            previous = signer;
        }
    }
}
