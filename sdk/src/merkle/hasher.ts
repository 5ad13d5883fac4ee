import { sha256 } from "@noble/hashes/sha2";

/** RFC 6962 §2.1 domain separation: leaves and interior nodes can never be confused. */
export const LEAF_PREFIX = 0x00;
export const NODE_PREFIX = 0x01;
/** Bytes of a SHA-256 digest. */
export const HASH_SIZE = 32;

/** The root of the empty tree: SHA-256 of the empty string (RFC 6962 §2.1). */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

/**
 * RFC 6962 leaf hash: `SHA-256(0x00 || data)`.
 * @example
 * hashLeaf(new Uint8Array()) // 6e340b9c…
 */
export function hashLeaf(data: Uint8Array): Uint8Array {
  const input = new Uint8Array(data.length + 1);
  input[0] = LEAF_PREFIX;
  input.set(data, 1);
  return sha256(input);
}

/**
 * RFC 6962 interior node hash: `SHA-256(0x01 || left || right)`.
 * @example
 * hashChildren(hashLeaf(a), hashLeaf(b))
 */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = NODE_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return sha256(input);
}
