import { ed25519 } from "@noble/curves/ed25519";
import { sha256 } from "@noble/hashes/sha2";
import { CityError } from "../errors/base";
import { HASH_SIZE } from "../merkle/hasher";

/**
 * C2SP `tlog-checkpoint` bodies and C2SP `signed-note` signatures with Ed25519 — the format Certificate
 * Transparency's successors (Trillian Tessera, Go's sumdb, witnesses) speak, so their tooling can read ours.
 */

/** Signature algorithm byte of Ed25519 keys in signed notes. */
const ALG_ED25519 = 0x01;
const EM_DASH = "\u2014";

/** A checkpoint's content: which log, how many entries, which root. */
export interface Checkpoint {
  origin: string;
  size: number;
  root: Uint8Array;
  /** Optional extension lines (each without newline). */
  extensions?: string[];
}

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

/**
 * The checkpoint body: origin line, decimal size, base64 root, extension lines, each ending with a newline.
 *
 * @example
 * ```ts
 * formatCheckpoint({ origin: "cityledger.local/31337", size: 8, root }) // "cityledger.local/31337\n8\n…=\n"
 * ```
 */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, root, extensions = [] } = checkpoint;
  if (!origin || /\n/.test(origin)) throw new CheckpointError("origin must be one non-empty line");
  if (!Number.isSafeInteger(size) || size < 0) throw new CheckpointError(`size ${size} is not a non-negative integer`);
  if (root.length !== HASH_SIZE) throw new CheckpointError(`root is ${root.length} bytes, want ${HASH_SIZE}`);
  for (const line of extensions) if (!line || /\n/.test(line)) throw new CheckpointError("extension lines must be non-empty single lines");
  return [origin, String(size), toBase64(root), ...extensions].map((l) => `${l}\n`).join("");
}

/**
 * Parses a checkpoint body (the text above the signatures).
 *
 * @example
 * ```ts
 * const { size, root } = parseCheckpoint(body);
 * ```
 */
export function parseCheckpoint(body: string): Checkpoint {
  if (!body.endsWith("\n")) throw new CheckpointError("checkpoint body must end with a newline");
  const lines = body.slice(0, -1).split("\n");
  if (lines.length < 3) throw new CheckpointError(`checkpoint has ${lines.length} lines, want at least 3`);
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (!origin) throw new CheckpointError("empty origin line");
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) throw new CheckpointError(`size line "${sizeText}" is not a decimal integer`);
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) throw new CheckpointError(`size ${sizeText} is too large`);
  const root = fromBase64(rootText, "root");
  if (root.length !== HASH_SIZE) throw new CheckpointError(`root is ${root.length} bytes, want ${HASH_SIZE}`);
  return { origin, size, root, extensions };
}

/** An Ed25519 note signer: a key name (usually the log's origin) and a 32-byte private key. */
export interface NoteSigner {
  name: string;
  privateKey: Uint8Array;
}

/**
 * The verifier key string of a signer: `<name>+<hex key hash>+<base64(0x01 || public key)>` (C2SP signed-note).
 *
 * @example
 * ```ts
 * const key = verifierKey({ name: "cityledger.local/31337", privateKey });
 * ```
 */
export function verifierKey(signer: NoteSigner): string {
  const publicKey = ed25519.getPublicKey(signer.privateKey);
  return `${signer.name}+${toHex(keyHash(signer.name, publicKey))}+${toBase64(Uint8Array.of(ALG_ED25519, ...publicKey))}`;
}

/**
 * Signs a note body (e.g. a checkpoint): returns the body, a blank line and the signature line.
 *
 * @example
 * ```ts
 * const note = signNote(formatCheckpoint(cp), signer);
 * ```
 */
export function signNote(body: string, signer: NoteSigner): string {
  if (!body.endsWith("\n")) throw new CheckpointError("a note body must end with a newline");
  const publicKey = ed25519.getPublicKey(signer.privateKey);
  const signature = ed25519.sign(new TextEncoder().encode(body), signer.privateKey);
  const blob = Uint8Array.of(...keyHash(signer.name, publicKey), ...signature);
  return `${body}\n${EM_DASH} ${signer.name} ${toBase64(blob)}\n`;
}

/**
 * Verifies a signed checkpoint note against a verifier key and returns the checkpoint. Throws
 * {@link CheckpointError} when the note is malformed, carries no signature by that key, or the signature fails.
 *
 * @example
 * ```ts
 * const checkpoint = verifyCheckpoint(await (await fetch(`${node}/v1/checkpoint`)).text(), nodeKey);
 * ```
 */
export function verifyCheckpoint(note: string, key: string): Checkpoint {
  const { name, hash, publicKey } = parseVerifierKey(key);
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw new CheckpointError("note has no signature block (no blank line)");
  const body = note.slice(0, split + 1);
  const signatureLines = note.slice(split + 2).split("\n").filter((l) => l !== "");
  for (const line of signatureLines) {
    const match = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!match) throw new CheckpointError(`malformed signature line "${line}"`);
    if (match[1] !== name) continue;
    const blob = fromBase64(match[2], "signature");
    if (blob.length !== 4 + 64) throw new CheckpointError(`signature is ${blob.length} bytes, want 68`);
    if (!equal(blob.subarray(0, 4), hash)) continue;
    if (!ed25519.verify(blob.subarray(4), new TextEncoder().encode(body), publicKey)) {
      throw new CheckpointError(`signature by ${name} does not verify`, "The checkpoint was altered or signed by another key.");
    }
    const checkpoint = parseCheckpoint(body);
    if (checkpoint.origin !== name) {
      throw new CheckpointError(`checkpoint origin "${checkpoint.origin}" differs from the key name "${name}"`);
    }
    return checkpoint;
  }
  throw new CheckpointError(`no signature by ${name} (key hash ${toHex(hash)})`, "Check that you trust the right node key.");
}

/**
 * Parses a verifier key string.
 *
 * @example
 * ```ts
 * const { name, publicKey } = parseVerifierKey(key);
 * ```
 */
export function parseVerifierKey(key: string): { name: string; hash: Uint8Array; publicKey: Uint8Array } {
  // The key data is base64 and may itself contain '+': only the first two '+' separate fields (as Go's note package).
  const first = key.indexOf("+");
  const second = first < 0 ? -1 : key.indexOf("+", first + 1);
  if (first <= 0 || second < 0) throw new CheckpointError("verifier key must be name+hash+keydata");
  const name = key.slice(0, first);
  const hashHex = key.slice(first + 1, second);
  const keyText = key.slice(second + 1);
  const encoded = fromBase64(keyText, "verifier key");
  if (encoded.length !== 33 || encoded[0] !== ALG_ED25519) throw new CheckpointError("verifier key is not an Ed25519 key");
  const publicKey = encoded.subarray(1);
  const hash = keyHash(name, publicKey);
  if (toHex(hash) !== hashHex) throw new CheckpointError(`verifier key hash ${hashHex} does not match its key (${toHex(hash)})`);
  return { name, hash, publicKey };
}

/** C2SP signed-note key hash: the first 4 bytes of SHA-256(name || "\n" || alg || public key). */
function keyHash(name: string, publicKey: Uint8Array): Uint8Array {
  const nameBytes = new TextEncoder().encode(`${name}\n`);
  return sha256(Uint8Array.of(...nameBytes, ALG_ED25519, ...publicKey)).subarray(0, 4);
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string, what: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new CheckpointError(`${what} is not base64`);
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
