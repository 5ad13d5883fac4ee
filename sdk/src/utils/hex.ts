import { bytesToHex, type Hex } from "viem";

type NodeBuffer = { from(buffer: ArrayBufferLike, byteOffset: number, length: number): { toString(encoding: "hex"): string } };
const NodeBuffer = (globalThis as { Buffer?: NodeBuffer }).Buffer;

/**
 * `0x`-hex of `bytes`, lower-case, as viem's `bytesToHex`: through Node's native encoder where there is one (a ledger
 * node or an auditor turns millions of kilobyte leaves into hex: the native encoder is many times faster than a
 * JavaScript loop, and gives one flat string that JSON.stringify copies without flattening), viem's elsewhere (a
 * browser).
 */
export function nativeBytesToHex(bytes: Uint8Array): Hex {
  return NodeBuffer ? `0x${NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}` : bytesToHex(bytes);
}
