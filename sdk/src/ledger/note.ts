import { sha256 } from "@noble/hashes/sha2";
import { CityError } from "../errors/base";

/**
 * C2SP signed-note plumbing shared by checkpoints (the log's Ed25519 signature) and cosignatures (the witnesses'
 * timestamped Ed25519 signatures): key IDs, verifier keys, signature lines. Internal: the public functions live in
 * `checkpoint.ts` and `cosignature.ts`.
 */

/** Signature type byte of Ed25519 note signatures (C2SP signed-note). */
export const ALG_ED25519 = 0x01;
/** Signature type byte of timestamped Ed25519 checkpoint cosignatures (C2SP tlog-cosignature, `cosignature/v1`). */
export const ALG_COSIGNATURE_V1 = 0x04;
const EM_DASH = "\u2014";

/**
 * A checkpoint, note or key that does not parse or verify.
 *
 * @example
 * ```ts
 * try { verifyCheckpoint(note, key); } catch (err) { if (err instanceof CheckpointError) console.log(err.shortMessage); }
 * ```
 */
export class CheckpointError extends CityError {
  constructor(shortMessage: string, hint?: string) {
    super(shortMessage, { name: "CheckpointError", metaMessages: hint ? [`- ${hint}`] : undefined });
  }
}

/** An Ed25519 note signer: a key name (usually the log's origin) and a 32-byte private key. */
export interface NoteSigner {
  name: string;
  privateKey: Uint8Array;
}

/** A parsed verifier key: its name, 4-byte key ID and raw 32-byte Ed25519 public key. */
export interface ParsedKey {
  name: string;
  hash: Uint8Array;
  publicKey: Uint8Array;
}

/** One signature line of a note: `— <name> base64(key ID || signature)`. */
export interface SignatureLine {
  name: string;
  /** Key ID (4 bytes) followed by the signature bytes. */
  blob: Uint8Array;
  /** The line as written, without its newline. */
  line: string;
}

/** Key ID of a key: the first 4 bytes of SHA-256(name || "\n" || type || public key) (C2SP signed-note). */
export function keyId(name: string, type: number, publicKey: Uint8Array): Uint8Array {
  const nameBytes = new TextEncoder().encode(`${name}\n`);
  return sha256(Uint8Array.of(...nameBytes, type, ...publicKey)).subarray(0, 4);
}

/** `<name>+<hex key ID>+<base64(type || public key)>`. */
export function formatKey(name: string, type: number, publicKey: Uint8Array): string {
  checkKeyName(name);
  return `${name}+${toHex(keyId(name, type, publicKey))}+${toBase64(Uint8Array.of(type, ...publicKey))}`;
}

/** Parses a vkey of signature type `type` (an Ed25519 key), checking that its key ID matches its key. */
export function parseKey(key: string, type: number, what: string): ParsedKey {
  // The key data is base64 and may itself contain '+': only the first two '+' separate fields (as Go's note package).
  const first = key.indexOf("+");
  const second = first < 0 ? -1 : key.indexOf("+", first + 1);
  if (first <= 0 || second < 0) throw new CheckpointError(`${what} must be name+hash+keydata`);
  const name = key.slice(0, first);
  const hashHex = key.slice(first + 1, second);
  const encoded = fromBase64(key.slice(second + 1), what);
  if (encoded.length !== 33 || encoded[0] !== type) {
    throw new CheckpointError(`${what} is not an Ed25519 key of signature type 0x${type.toString(16).padStart(2, "0")}`, typeHint(encoded[0]));
  }
  const publicKey = encoded.subarray(1);
  const hash = keyId(name, type, publicKey);
  if (toHex(hash) !== hashHex) throw new CheckpointError(`${what} hash ${hashHex} does not match its key (${toHex(hash)})`);
  return { name, hash, publicKey };
}

function typeHint(type: number | undefined): string | undefined {
  if (type === ALG_ED25519) return "This is a log's verifier key (type 0x01): pass it as the log key, not as a witness.";
  if (type === ALG_COSIGNATURE_V1) return "This is a witness's cosigner key (type 0x04): list it under `witnesses`.";
  return undefined;
}

/** Key names are non-empty and hold neither Unicode spaces nor '+' (C2SP signed-note). */
export function checkKeyName(name: string): void {
  if (!name || /[\s+]/u.test(name)) throw new CheckpointError(`key name "${name}" must be non-empty, without spaces or '+'`);
}

/**
 * Splits a signed note into its text (up to and including the newline before the last blank line) and its signature
 * lines. Throws {@link CheckpointError} for a note without a blank line or with a malformed signature line.
 */
export function splitNote(note: string): { body: string; signatures: SignatureLine[] } {
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw new CheckpointError("note has no signature block (no blank line)");
  const body = note.slice(0, split + 1);
  const signatures = note
    .slice(split + 2)
    .split("\n")
    .filter((l) => l !== "")
    .map(parseSignatureLine);
  return { body, signatures };
}

/** Parses one `— <name> <base64>` line (without its newline). */
export function parseSignatureLine(line: string): SignatureLine {
  const match = /^\u2014 (\S+) (\S+)$/.exec(line);
  if (!match) throw new CheckpointError(`malformed signature line "${line}"`);
  return { name: match[1], blob: fromBase64(match[2], "signature"), line };
}

/** The signature line of `name` for the key ID and signature bytes in `blob`. */
export function formatSignatureLine(name: string, blob: Uint8Array): string {
  return `${EM_DASH} ${name} ${toBase64(blob)}`;
}

/** Whether a signature line names this key: same name and same key ID (lines of other keys are ignored). */
export function isBy(signature: SignatureLine, key: ParsedKey): boolean {
  return signature.name === key.name && signature.blob.length >= 4 && equal(signature.blob.subarray(0, 4), key.hash);
}

export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function fromBase64(text: string, what: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new CheckpointError(`${what} is not base64`);
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
