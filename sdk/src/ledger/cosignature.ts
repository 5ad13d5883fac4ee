import { ed25519 } from "@noble/curves/ed25519";
import {
  ALG_COSIGNATURE_V1,
  CheckpointError,
  checkKeyName,
  formatKey,
  formatSignatureLine,
  isBy,
  keyId,
  parseKey,
  parseSignatureLine,
  splitNote,
  type NoteSigner,
  type ParsedKey,
  type SignatureLine,
} from "./note";

/**
 * C2SP tlog-cosignature `cosignature/v1`: a witness's timestamped Ed25519 signature of a checkpoint it checked
 * (consistent with every checkpoint of that log it cosigned before). Appended to the log's signed note as one more
 * signature line, so the transparency-log ecosystem's verifiers (Go's `note` with cosignature verifiers, Sigsum,
 * Tessera clients) check the same note as the SDK's {@link verifyCheckpoint} with a policy.
 */

/** The header line that separates cosignature messages from every other signed text. */
const HEADER = "cosignature/v1\n";
/** Timestamps are a u64 that must not exceed 2^63 - 1 (C2SP tlog-cosignature). */
const MAX_TIMESTAMP = 2n ** 63n - 1n;
/** Key ID (4) || timestamp (8) || Ed25519 signature (64). */
const COSIGNATURE_BYTES = 4 + 8 + 64;

/**
 * A cosignature found valid: who made it (the witness's key name and vkey) and when (unix seconds).
 *
 * @example
 * ```ts
 * const { name, timestamp }: VerifiedCosignature = verifyCosignature(body, line, witnessKey);
 * ```
 */
export interface VerifiedCosignature {
  /** The witness's key name. */
  name: string;
  /** The witness's cosigner vkey, as the verifier was given it. */
  key: string;
  /** When the witness cosigned, unix seconds. */
  timestamp: number;
}

/**
 * The cosigner vkey of a witness: `<name>+<hex key ID>+<base64(0x04 || public key)>` (C2SP tlog-cosignature). Publish
 * it: clients list it in their policy, C2SP tools parse it as a `cosignature/v1` verifier.
 *
 * @example
 * ```ts
 * const key = cosignerKey({ name: "witness.cityledger.local/0xab…", privateKey });
 * ```
 */
export function cosignerKey(signer: NoteSigner): string {
  return formatKey(signer.name, ALG_COSIGNATURE_V1, ed25519.getPublicKey(signer.privateKey));
}

/**
 * Parses a cosigner vkey (signature type 0x04). Throws {@link CheckpointError} for another type (a log's 0x01 key
 * included) or a key ID that does not match the key.
 *
 * @example
 * ```ts
 * const { name, publicKey } = parseCosignerKey(key);
 * ```
 */
export function parseCosignerKey(key: string): { name: string; hash: Uint8Array; publicKey: Uint8Array } {
  return parseKey(key, ALG_COSIGNATURE_V1, "cosigner key");
}

/**
 * The message a `cosignature/v1` signs: the header line, the timestamp line (decimal, no leading zeros) and the whole
 * checkpoint body.
 *
 * @example
 * ```ts
 * cosignedMessage(body, 1_700_000_000) // "cosignature/v1\ntime 1700000000\n" + body
 * ```
 */
export function cosignedMessage(body: string, timestamp: number): string {
  checkTimestamp(timestamp);
  if (!body.endsWith("\n")) throw new CheckpointError("a checkpoint body must end with a newline");
  return `${HEADER}time ${timestamp}\n${body}`;
}

/**
 * Cosigns a checkpoint body at `timestamp` (unix seconds): returns the signature line (without newline) to append to
 * the log's note. A witness calls it only after checking that the checkpoint extends what it cosigned before: the
 * line says so. Throws {@link CheckpointError} for a body without its final newline or a bad timestamp.
 *
 * @example
 * ```ts
 * const line = cosignCheckpoint(noteBody(note), witness, Math.floor(Date.now() / 1000));
 * const witnessed = appendCosignatures(note, [line]);
 * ```
 */
export function cosignCheckpoint(body: string, signer: NoteSigner, timestamp: number): string {
  checkKeyName(signer.name);
  const message = new TextEncoder().encode(cosignedMessage(body, timestamp));
  const publicKey = ed25519.getPublicKey(signer.privateKey);
  const blob = new Uint8Array(COSIGNATURE_BYTES);
  blob.set(keyId(signer.name, ALG_COSIGNATURE_V1, publicKey), 0);
  new DataView(blob.buffer).setBigUint64(4, BigInt(timestamp), false);
  blob.set(ed25519.sign(message, signer.privateKey), 12);
  return formatSignatureLine(signer.name, blob);
}

/**
 * Verifies one cosignature line over a checkpoint body with a witness's cosigner vkey and returns when it was made.
 * Throws {@link CheckpointError} when the line is not by that key (name and key ID), is not 76 bytes, carries a
 * timestamp above 2^63 - 1 (or beyond `Number.MAX_SAFE_INTEGER`, far in the future), or does not verify over this
 * body.
 *
 * @example
 * ```ts
 * const { timestamp } = verifyCosignature(noteBody(note), line, witnessKey);
 * ```
 */
export function verifyCosignature(body: string, line: string, key: string): VerifiedCosignature {
  return verifyParsed(body, parseSignatureLine(line), parseCosignerKey(key), key);
}

/** @internal Verifies a line already known to name `parsed` (name and key ID). */
export function verifyParsed(body: string, signature: SignatureLine, parsed: ParsedKey, key: string): VerifiedCosignature {
  if (!isBy(signature, parsed)) throw new CheckpointError(`the signature line is not by ${parsed.name}'s cosigner key`);
  const { blob } = signature;
  if (blob.length !== COSIGNATURE_BYTES) {
    throw new CheckpointError(`cosignature by ${parsed.name} is ${blob.length} bytes, want ${COSIGNATURE_BYTES}`, "A cosignature/v1 is key ID, 8-byte timestamp, Ed25519 signature.");
  }
  const stamp = new DataView(blob.buffer, blob.byteOffset, blob.byteLength).getBigUint64(4, false);
  if (stamp > MAX_TIMESTAMP) throw new CheckpointError(`cosignature by ${parsed.name} has timestamp ${stamp}, above 2^63 - 1`);
  if (stamp > BigInt(Number.MAX_SAFE_INTEGER)) throw new CheckpointError(`cosignature by ${parsed.name} has timestamp ${stamp}, far in the future`);
  const timestamp = Number(stamp);
  const message = new TextEncoder().encode(cosignedMessage(body, timestamp));
  if (!ed25519.verify(blob.subarray(12), message, parsed.publicKey)) {
    throw new CheckpointError(
      `cosignature by ${parsed.name} does not verify`,
      "The witness cosigned another checkpoint (another size, root or origin), or the line was altered.",
    );
  }
  return { name: parsed.name, key, timestamp };
}

/**
 * Appends signature lines (e.g. witnesses' cosignatures, as {@link cosignCheckpoint} or a tlog-witness returns them) to
 * a signed note, skipping lines the note already carries. Throws {@link CheckpointError} for a malformed line. It
 * checks no signature: verify lines before publishing them (a bad line by a known key makes verifiers reject the note).
 *
 * @example
 * ```ts
 * const witnessed = appendCosignatures(note, [lineA, lineB]);
 * ```
 */
export function appendCosignatures(note: string, lines: readonly string[]): string {
  const { signatures } = splitNote(note);
  const present = new Set(signatures.map((s) => s.line));
  let out = note.endsWith("\n") ? note : `${note}\n`;
  for (const raw of lines) {
    const line = raw.replace(/\n$/, "");
    parseSignatureLine(line);
    if (present.has(line)) continue;
    present.add(line);
    out += `${line}\n`;
  }
  return out;
}

function checkTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new CheckpointError(`timestamp ${timestamp} is not a non-negative integer of seconds`);
}
