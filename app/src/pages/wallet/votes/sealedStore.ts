/**
 * Where the wallet keeps a sealed vote (its choice and salt) between the commitment and the reveal: in this browser's
 * local storage, encrypted. The AES-256-GCM key is derived (HKDF-SHA-256, WebCrypto) from the member's signature of a
 * fixed message, so only the member's key can open it, and it is recomputed, never stored: an ECDSA signature of a
 * local key is deterministic (RFC 6979), as a browser wallet's is. The SDK's `commitVote` writes to the store before
 * the commitment is sent, so a closed tab cannot lose a vote. A backup file holds the same encrypted records.
 */
import { hexToBytes, type Address, type Hex } from "viem";
import { saltKey, type SaltStore, type SealedVote } from "@cityledger/sdk";
import type { CityClient } from "@cityledger/sdk";

const PREFIX = "cityledger.sealed.";
const FORMAT = "cityledger-sealed-votes/1";

/** One encrypted record: what storage and the backup file hold. */
interface SealedRecord {
  iv: string;
  ciphertext: string;
}

/** A backup file of a member's sealed votes (still encrypted: useless without the member's key). */
export interface SealedBackup {
  format: typeof FORMAT;
  chainId: number;
  voter: Address;
  records: Record<string, SealedRecord>;
}

/** The file is not a backup of this member's sealed votes on this chain. */
export class NotASealedBackupError extends Error {
  constructor(reason: string) {
    super(`not a sealed votes backup: ${reason}`);
    this.name = "NotASealedBackupError";
  }
}

const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** The message whose signature the storage key is derived from: names its use, the chain and the voter. */
export function keyMessage(chainId: number, voter: Address): string {
  return `cityledger: open my sealed votes\nchain ${chainId}\nvoter ${voter.toLowerCase()}\nThis signature sends nothing and costs nothing.`;
}

async function deriveKey(signature: Hex): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey("raw", new Uint8Array(hexToBytes(signature)), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: new TextEncoder().encode(FORMAT) },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/**
 * The member's storage key, from their signature: asked once per signed-in session and kept in memory with its city
 * client only, so that signing out (or the lock after inactivity, which drops the client) forgets it.
 */
const keys = new WeakMap<CityClient, Promise<CryptoKey>>();
function keyOf(client: CityClient, chainId: number, voter: Address): Promise<CryptoKey> {
  let key = keys.get(client);
  if (!key) {
    const wallet = client.walletClient!;
    key = wallet.signMessage({ account: wallet.account ?? voter, message: keyMessage(chainId, voter) }).then(deriveKey);
    // A refused signature is not kept: the next attempt asks again.
    key.catch(() => keys.delete(client));
    keys.set(client, key);
  }
  return key;
}

/** Whether this browser keeps a sealed vote for the ballot (without opening it: no signature asked). */
export function hasSealedVote(chainId: number, ballotId: bigint, voter: Address): boolean {
  try {
    return localStorage.getItem(PREFIX + saltKey(chainId, ballotId, voter)) !== null;
  } catch {
    return false;
  }
}

/** The SDK's salt store for `voter`, encrypting each sealed vote under the member's derived key. */
export function sealedStore(client: CityClient, chainId: number, voter: Address): SaltStore {
  return {
    async get(key) {
      const text = localStorage.getItem(PREFIX + key);
      if (text === null) return undefined;
      const record = JSON.parse(text) as SealedRecord;
      const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64(record.iv) }, await keyOf(client, chainId, voter), fromBase64(record.ciphertext));
      const vote = JSON.parse(new TextDecoder().decode(plain)) as { choice: string; salt: Hex; commitment: Hex };
      return { choice: BigInt(vote.choice), salt: vote.salt, commitment: vote.commitment } satisfies SealedVote;
    },
    async set(key, vote) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const plain = new TextEncoder().encode(JSON.stringify({ choice: vote.choice.toString(), salt: vote.salt, commitment: vote.commitment }));
      const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await keyOf(client, chainId, voter), plain));
      localStorage.setItem(PREFIX + key, JSON.stringify({ iv: toBase64(iv), ciphertext: toBase64(ciphertext) } satisfies SealedRecord));
    },
  };
}

/** The member's sealed votes on this chain, as a backup file's content (the records stay encrypted). */
export function exportSealed(chainId: number, voter: Address): SealedBackup {
  const mine = `${PREFIX}${chainId}:`;
  const suffix = `:${voter.toLowerCase()}`;
  const records: Record<string, SealedRecord> = {};
  for (let i = 0; i < localStorage.length; i++) {
    const name = localStorage.key(i);
    if (name?.startsWith(mine) && name.endsWith(suffix)) records[name.slice(PREFIX.length)] = JSON.parse(localStorage.getItem(name)!) as SealedRecord;
  }
  return { format: FORMAT, chainId, voter, records };
}

/** Restores a backup file's records into this browser; returns how many. @throws {NotASealedBackupError} */
export function importSealed(text: string, chainId: number, voter: Address): number {
  let backup: Partial<SealedBackup>;
  try {
    backup = JSON.parse(text) as Partial<SealedBackup>;
  } catch {
    throw new NotASealedBackupError("not JSON");
  }
  if (backup.format !== FORMAT || typeof backup.records !== "object" || backup.records === null) throw new NotASealedBackupError("format");
  if (backup.chainId !== chainId || backup.voter?.toLowerCase() !== voter.toLowerCase()) throw new NotASealedBackupError("another member or city");
  const entries = Object.entries(backup.records).filter(
    ([key, r]) => key.startsWith(`${chainId}:`) && key.endsWith(`:${voter.toLowerCase()}`) && typeof r?.iv === "string" && typeof r.ciphertext === "string",
  );
  for (const [key, record] of entries) localStorage.setItem(PREFIX + key, JSON.stringify({ iv: record.iv, ciphertext: record.ciphertext }));
  return entries.length;
}
