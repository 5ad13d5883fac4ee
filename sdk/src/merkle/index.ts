/**
 * `@cityledger/sdk/merkle`: RFC 6962 Merkle trees, browser-safe — leaf and node hashing, inclusion and consistency
 * proofs verified by recomputing the root, proof ranges, and an in-memory tree.
 * @packageDocumentation
 */
export { EMPTY_ROOT, HASH_SIZE, LEAF_PREFIX, NODE_PREFIX, hashChildren, hashLeaf, treeHasher, type Sha256, type TreeHasher } from "./hasher";
export { consistencyRanges, inclusionRanges, rangeNodes, splitPoint, type NodeId, type Range } from "./ranges";
export { MemoryTree, hashRange, type NodeReader } from "./memory-tree";
export { equalBytes, rootFromInclusionProof, verifyConsistency, verifyInclusion } from "./verify";
export { MerkleProofError, ProofSizeError, RootMismatchError, type MerkleProofErrorCode } from "./errors";
