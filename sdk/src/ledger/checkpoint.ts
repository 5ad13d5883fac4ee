import { ed25519 } from "@noble/curves/ed25519";
import { HASH_SIZE } from "../merkle/hasher";
import { parseCosignerKey, verifyParsed, type VerifiedCosignature } from "./cosignature";
import {
  ALG_ED25519,
  CheckpointError,
  equal,
  formatKey,
  formatSignatureLine,
  fromBase64,
  isBy,
  keyId,
  parseKey,
  splitNote,
  toBase64,
  toHex,
  type NoteSigner,
} from "./note";

export { CheckpointError, type NoteSigner };

/**
 * C2SP `tlog-checkpoint` bodies and C2SP `signed-note` signatures with Ed25519 — the format Certificate
 * Transparency's successors (Trillian Tessera, Go's sumdb, witnesses) speak, so their tooling can read ours.
 */


/** A checkpoint's content: which log, how many entries, which root. */
export interface Checkpoint {
  origin: string;
  size: number;
  root: Uint8Array;
  /** Optional extension lines (each without newline). */
  extensions?: string[];
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


/**
 * The text of a signed note: everything up to and including the newline before the last blank line (for a checkpoint,
 * its body). Throws {@link CheckpointError} when the note has no blank line.
 *
 * @example
 * ```ts
 * const { size } = parseCheckpoint(noteBody(note));
 * ```
 */
export function noteBody(note: string): string {
  return splitNote(note).body;
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
  return formatKey(signer.name, ALG_ED25519, ed25519.getPublicKey(signer.privateKey));
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
  const blob = Uint8Array.of(...keyId(signer.name, ALG_ED25519, publicKey), ...signature);
  return `${body}\n${formatSignatureLine(signer.name, blob)}\n`;
}

/**
 * Whom to trust for a checkpoint: the log's key and a quorum of witnesses that each cosigned it (C2SP
 * tlog-cosignature `cosignature/v1`), so that a log showing one view to some clients and another to others would need
 * `quorum` witnesses to lie with it.
 *
 * @example
 * ```ts
 * const policy: CheckpointPolicy = { log: nodeKey, witnesses: [w1, w2, w3], quorum: 2 };
 * ```
 */
export interface CheckpointPolicy {
  /** The log's verifier key (Ed25519 signed-note key, type 0x01), as `verifierKey` makes it. */
  log: string;
  /** The witnesses' cosigner vkeys (type 0x04), as `cosignerKey` makes them. A key listed twice counts once. */
  witnesses: readonly string[];
  /** How many distinct listed witnesses must have cosigned this very checkpoint; 1 ≤ quorum ≤ distinct witnesses. */
  quorum: number;
}

/**
 * A checkpoint whose log signature and witness quorum verified, with the valid cosignatures (one per distinct listed
 * witness, in the policy's order).
 *
 * @example
 * ```ts
 * const { size, cosignatures }: WitnessedCheckpoint = verifyCheckpoint(note, policy);
 * ```
 */
export interface WitnessedCheckpoint extends Checkpoint {
  cosignatures: VerifiedCosignature[];
}

/**
 * Fewer distinct listed witnesses cosigned the checkpoint than the policy's quorum. `cosigners` names those that did.
 *
 * @example
 * ```ts
 * try { verifyCheckpoint(note, policy); } catch (err) { if (err instanceof CosignatureQuorumError) console.log(err.cosigners); }
 * ```
 */
export class CosignatureQuorumError extends CheckpointError {
  override name = "CosignatureQuorumError";
  constructor(
    /** The policy's quorum. */
    readonly quorum: number,
    /** Key names of the listed witnesses whose cosignature verified. */
    readonly cosigners: readonly string[],
  ) {
    super(
      `${cosigners.length} of the ${quorum} witness cosignatures the policy needs${cosigners.length ? ` (${cosigners.join(", ")})` : ""}`,
      "Fetch the checkpoint again once witnesses cosigned it (the node serves the latest witnessed one at /v1/checkpoint?witnessed=true), or check the witness keys.",
    );
  }
}

/**
 * Verifies a signed checkpoint note and returns the checkpoint.
 *
 * - With a verifier key: the note must carry a valid signature by that key (the log's).
 * - With a {@link CheckpointPolicy}: the log's signature as above, and valid `cosignature/v1` lines by at least
 *   `quorum` distinct listed witnesses. Lines of keys the policy does not list are ignored (C2SP signed-note); a line
 *   by a listed key that fails (a cosignature of another body, a malformed timestamp) rejects the whole note, as the
 *   signed-note spec advises.
 *
 * Throws {@link CheckpointError} when the note is malformed, carries no signature by the log key, or a signature by a
 * known key fails; {@link CosignatureQuorumError} (a `CheckpointError`) when too few witnesses cosigned.
 *
 * @example
 * ```ts
 * const note = await (await fetch(`${node}/v1/checkpoint`)).text();
 * const checkpoint = verifyCheckpoint(note, nodeKey);
 * // …or insist that two of the city's three witnesses cosigned it
 * const witnessed = verifyCheckpoint(note, { log: nodeKey, witnesses: [cityHall, citizens, coop], quorum: 2 });
 * ```
 */
export function verifyCheckpoint(note: string, key: string): Checkpoint;
export function verifyCheckpoint(note: string, policy: CheckpointPolicy): WitnessedCheckpoint;
export function verifyCheckpoint(note: string, keyOrPolicy: string | CheckpointPolicy): Checkpoint | WitnessedCheckpoint {
  const policy = typeof keyOrPolicy === "string" ? undefined : keyOrPolicy;
  // Keys and policy first: a bad policy is the caller's error whatever the note holds.
  const log = parseVerifierKey(policy ? policy.log : (keyOrPolicy as string));
  const witnesses = policy ? witnessKeys(policy) : [];
  const { body, signatures } = splitNote(note);
  const checkpoint = verifyLogSignature(body, signatures, log);
  if (!policy) return checkpoint;
  const cosignatures: VerifiedCosignature[] = [];
  for (const witness of witnesses) {
    let valid: VerifiedCosignature | undefined;
    for (const signature of signatures) {
      if (!isBy(signature, witness.parsed)) continue;
      // Every line by a listed key is checked, a second one included: a bad one rejects the note.
      valid = verifyParsed(body, signature, witness.parsed, witness.key);
    }
    if (valid) cosignatures.push(valid);
  }
  if (cosignatures.length < policy.quorum) throw new CosignatureQuorumError(policy.quorum, cosignatures.map((c) => c.name));
  return { ...checkpoint, cosignatures };
}

/** The policy's witnesses, parsed, one per distinct public key; checks the quorum can be met. */
function witnessKeys(policy: CheckpointPolicy): { key: string; parsed: ReturnType<typeof parseCosignerKey> }[] {
  const out: { key: string; parsed: ReturnType<typeof parseCosignerKey> }[] = [];
  for (const key of policy.witnesses) {
    const parsed = parseCosignerKey(key);
    // One public key is one witness, whatever names it is listed under: a key listed twice must not count twice.
    if (out.some((w) => equal(w.parsed.publicKey, parsed.publicKey))) continue;
    out.push({ key, parsed });
  }
  const { quorum } = policy;
  if (!Number.isSafeInteger(quorum) || quorum < 1 || quorum > out.length) {
    throw new CheckpointError(
      `quorum ${quorum} is not between 1 and the ${out.length} distinct witness keys of the policy`,
      "A policy no checkpoint can meet (or one any log alone meets) is a configuration error.",
    );
  }
  return out;
}

function verifyLogSignature(body: string, signatures: ReturnType<typeof splitNote>["signatures"], log: ReturnType<typeof parseVerifierKey>): Checkpoint {
  const { name, hash, publicKey } = log;
  for (const signature of signatures) {
    if (!isBy(signature, log)) continue;
    const { blob } = signature;
    if (blob.length !== 4 + 64) throw new CheckpointError(`signature is ${blob.length} bytes, want 68`);
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
 * Parses a verifier key string (an Ed25519 signed-note key, type 0x01).
 *
 * @example
 * ```ts
 * const { name, publicKey } = parseVerifierKey(key);
 * ```
 */
export function parseVerifierKey(key: string): { name: string; hash: Uint8Array; publicKey: Uint8Array } {
  return parseKey(key, ALG_ED25519, "verifier key");
}
