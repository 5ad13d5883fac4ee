// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title ILedgerAnchor
 * @notice Checkpoints of the ledger node's log (an RFC 6962 Merkle tree of every city event), accepted on chain only
 * when enough registered witnesses signed them and the log provably only grew since the previous anchor.
 */
interface ILedgerAnchor {
    /// @dev A checkpoint of the log: its first `size` entries hash to `root` (RFC 6962, SHA-256).
    struct Checkpoint {
        uint64 size;
        bytes32 root;
    }

    /// @notice The witness set was replaced: `witnesses` is the whole new set, `threshold` signatures are needed.
    event WitnessesSet(address[] witnesses, uint8 threshold);
    /// @notice Checkpoint `index` (0-based) was anchored, vouched for by `signers` (ascending).
    event Anchored(uint256 indexed index, uint64 size, bytes32 root, address[] signers);

    error LedgerAnchorEmptyOrigin();
    error LedgerAnchorZeroThreshold();
    error LedgerAnchorThresholdTooHigh(uint8 threshold, uint256 witnessCount);
    error LedgerAnchorTooManyWitnesses(uint256 witnessCount, uint256 max);
    error LedgerAnchorZeroWitness(uint256 position);
    error LedgerAnchorDuplicateWitness(address witness);
    /// @notice No witness set was configured yet, so no checkpoint can be vouched for.
    error LedgerAnchorNoWitnesses();
    /// @notice The checkpoint is older than the latest anchor: a log never shrinks.
    error LedgerAnchorSizeNotGrowing(uint64 anchoredSize, uint64 size);
    /// @notice The checkpoint is the latest anchor itself.
    error LedgerAnchorNothingToAnchor(uint64 size, bytes32 root);
    /// @notice A different root for the size already anchored: a fork of the log.
    error LedgerAnchorConflictingRoot(uint64 size, bytes32 anchoredRoot, bytes32 root);
    error LedgerAnchorNotEnoughSignatures(uint256 count, uint8 threshold);
    /// @notice Signature `index` is malformed: not 65 bytes, a high `s` (malleable), or a bad `v`.
    error LedgerAnchorInvalidSignature(uint256 index);
    /// @notice Signature `index` recovers to `signer`, who is not a witness (or signed another checkpoint).
    error LedgerAnchorNotAWitness(uint256 index, address signer);
    error LedgerAnchorDuplicateSigner(uint256 index, address signer);
    /// @notice Signatures must be sorted by signer address, ascending.
    error LedgerAnchorUnsortedSigners(uint256 index, address previous, address signer);
    error LedgerAnchorUnknownAnchor(uint256 index, uint256 anchorCount);

    /**
     * @notice Replaces the witness set and the number of their signatures an anchor needs.
     * @param witnesses The whole new set: distinct, non-zero, at most `MAX_WITNESSES`.
     * @param threshold Signatures needed, in [1, witnesses.length].
     */
    function setWitnesses(address[] calldata witnesses, uint8 threshold) external;

    /**
     * @notice Anchors the checkpoint (`size`, `root`) of the log. Anyone may call it: the witnesses' signatures are
     * the authority, the caller only pays the gas.
     * @param consistencyProof RFC 6962 consistency proof from the latest anchor to this checkpoint.
     * @param signatures EIP-712 `Checkpoint` signatures of at least `threshold()` distinct witnesses, sorted by
     * signer address ascending.
     * @return index The new anchor's index.
     */
    function anchor(
        uint64 size,
        bytes32 root,
        bytes32[] calldata consistencyProof,
        bytes[] calldata signatures
    ) external returns (uint256 index);

    /// @notice The latest anchored checkpoint; the empty tree (0, SHA-256("")) before the first anchor.
    function latestAnchor() external view returns (Checkpoint memory);

    /// @notice Anchored checkpoint number `index` (0-based).
    function anchorAt(uint256 index) external view returns (Checkpoint memory);

    /// @notice Number of checkpoints anchored.
    function anchorCount() external view returns (uint256);

    /// @notice The current witness set, in the order it was set.
    function witnesses() external view returns (address[] memory);

    /// @notice Whether `account` is in the current witness set.
    function isWitness(address account) external view returns (bool);

    /// @notice Number of distinct witness signatures an anchor needs (0 until a witness set is configured).
    function threshold() external view returns (uint8);

    /// @notice The log's origin line, fixed at construction (C2SP tlog-checkpoint origin, e.g. "cityledger.local/1").
    function origin() external view returns (string memory);

    /// @notice The EIP-712 digest a witness signs for (`size`, `root`): `Checkpoint(string origin,uint64 size,bytes32 root)`.
    function checkpointDigest(uint64 size, bytes32 root) external view returns (bytes32);
}
