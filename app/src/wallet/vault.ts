/**
 * A city key at rest: the member's backup phrase (BIP-39, 12 words) encrypted with a passphrase, with the browser's
 * WebCrypto alone — PBKDF2-HMAC-SHA-256 stretches the passphrase into an AES-256-GCM key, a fresh random salt and IV
 * per sealing. The phrase never leaves this module in the clear except to the caller that opened it; what is stored or
 * exported is a {@link SealedKey}, which is useless without the passphrase.
 */
import type { Address } from "viem";

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA-256: about a third of a second on a phone, a brute force's cost per guess. */
export const PBKDF2_ITERATIONS = 600_000;
/** Shorter passphrases are refused: the vault is only as strong as the passphrase. */
export const MIN_PASSPHRASE_LENGTH = 10;

/** What IndexedDB keeps and what an encrypted backup file holds (JSON). */
export interface SealedKey {
  format: "cityledger-key/1";
  /** The account the phrase opens (first BIP-44 Ethereum account), readable without the passphrase. */
  address: Address;
  chainId: number;
  kdf: { name: "PBKDF2"; hash: "SHA-256"; iterations: number; salt: string };
  cipher: { name: "AES-GCM"; iv: string };
  /** Base64 of the AES-GCM ciphertext (tag included) of the UTF-8 phrase. */
  ciphertext: string;
  createdAt: number;
}

/** The passphrase does not open this key (AES-GCM's tag does not verify): nothing is said about which part is wrong. */
export class WrongPassphraseError extends Error {
  constructor() {
    super("wrong passphrase");
    this.name = "WrongPassphraseError";
  }
}

/** A file that is not a sealed city key (or one from a newer format this app does not know). */
export class NotASealedKeyError extends Error {
  constructor(reason: string) {
    super(`not a city key backup: ${reason}`);
    this.name = "NotASealedKeyError";
  }
}

const encoder = new TextEncoder();
const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function deriveKey(passphrase: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey("raw", encoder.encode(passphrase.normalize("NFKC")), "PBKDF2", false, ["deriveKey"]);
  return crypto.subtle.deriveKey({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, material, { name: "AES-GCM", length: 256 }, false, [
    "encrypt",
    "decrypt",
  ]);
}

/** Encrypts `phrase` under `passphrase`; the address and chain are stored beside it, in the clear, to list keys. */
export async function sealKey(phrase: string, passphrase: string, meta: { address: Address; chainId: number }): Promise<SealedKey> {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) throw new RangeError(`a passphrase has at least ${MIN_PASSPHRASE_LENGTH} characters`);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await deriveKey(passphrase, salt, PBKDF2_ITERATIONS);
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, encoder.encode(phrase)));
  return {
    format: "cityledger-key/1",
    address: meta.address,
    chainId: meta.chainId,
    kdf: { name: "PBKDF2", hash: "SHA-256", iterations: PBKDF2_ITERATIONS, salt: toBase64(salt) },
    cipher: { name: "AES-GCM", iv: toBase64(iv) },
    ciphertext: toBase64(ciphertext),
    createdAt: Math.floor(Date.now() / 1000),
  };
}

/** Decrypts a sealed key's phrase. @throws {WrongPassphraseError} */
export async function openKey(sealed: SealedKey, passphrase: string): Promise<string> {
  const key = await deriveKey(passphrase, fromBase64(sealed.kdf.salt), sealed.kdf.iterations);
  try {
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64(sealed.cipher.iv) }, key, fromBase64(sealed.ciphertext));
    return new TextDecoder().decode(plain);
  } catch {
    throw new WrongPassphraseError();
  }
}

/** Reads an encrypted backup file's text. @throws {NotASealedKeyError} */
export function parseSealedKey(text: string): SealedKey {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new NotASealedKeyError("not JSON");
  }
  const v = value as Partial<SealedKey>;
  if (v.format !== "cityledger-key/1") throw new NotASealedKeyError(`format ${JSON.stringify(v.format)}`);
  const ok =
    typeof v.address === "string" &&
    /^0x[0-9a-fA-F]{40}$/.test(v.address) &&
    Number.isSafeInteger(v.chainId) &&
    v.kdf?.name === "PBKDF2" &&
    v.kdf.hash === "SHA-256" &&
    Number.isSafeInteger(v.kdf.iterations) &&
    v.kdf.iterations >= 100_000 &&
    typeof v.kdf.salt === "string" &&
    v.cipher?.name === "AES-GCM" &&
    typeof v.cipher.iv === "string" &&
    typeof v.ciphertext === "string";
  if (!ok) throw new NotASealedKeyError("missing or malformed fields");
  return v as SealedKey;
}
