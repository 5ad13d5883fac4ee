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

/** SHA-256 of the concatenation of `parts`: the one primitive the tree is built on (`H`: its byte type). */
export type Sha256<H extends Uint8Array = Uint8Array> = (...parts: Uint8Array[]) => H;

/** RFC 6962 hashing over a given SHA-256 implementation. */
export interface TreeHasher<H extends Uint8Array = Uint8Array> {
  hashLeaf(data: Uint8Array): H;
  hashChildren(left: Uint8Array, right: Uint8Array): H;
}

/**
 * RFC 6962 leaf and node hashing (the same prefixes as {@link hashLeaf} and {@link hashChildren}) over another
 * SHA-256: a server may pass its platform's native one, which is faster than the portable default.
 *
 * @example
 * ```ts
 * import { createHash } from "node:crypto";
 * const native = treeHasher((...parts) => { const h = createHash("sha256"); for (const p of parts) h.update(p); return h.digest(); });
 * native.hashLeaf(data); // equals hashLeaf(data)
 * ```
 */
export function treeHasher<H extends Uint8Array>(sha: Sha256<H>): TreeHasher<H> {
  const leafPrefix = Uint8Array.of(LEAF_PREFIX);
  const nodePrefix = Uint8Array.of(NODE_PREFIX);
  return {
    hashLeaf: (data) => sha(leafPrefix, data),
    hashChildren: (left, right) => sha(nodePrefix, left, right),
  };
}
