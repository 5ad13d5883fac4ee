/**
 * Witness helpers for LedgerAnchor: the EIP-712 `Checkpoint(string origin,uint64 size,bytes32 root)` a witness
 * signs, signing it, and putting signatures in the order the contract checks them (by signer address, ascending).
 * Browser-safe: viem only.
 */
import {
  isAddress,
  isHex,
  parseSignature,
  recoverTypedDataAddress,
  size as byteSize,
  type Account,
  type Address,
  type Hex,
  type LocalAccount,
  type WalletClient,
} from "viem";
import { CityError } from "../errors/base";
import { AccountRequiredError } from "../errors/client";

/**
 * EIP-712 types of a checkpoint, exactly as LedgerAnchor's `CHECKPOINT_TYPEHASH` spells them.
 *
 * @example
 * ```ts
 * await walletClient.signTypedData({ account, domain, types: checkpointTypes, primaryType: "Checkpoint", message });
 * ```
 */
export const checkpointTypes = {
  Checkpoint: [
    { name: "origin", type: "string" },
    { name: "size", type: "uint64" },
    { name: "root", type: "bytes32" },
  ],
} as const;

/**
 * LedgerAnchor's EIP-712 domain name and version (the chain id and the contract's address complete it).
 *
 * @example
 * ```ts
 * const domain = { ...ledgerAnchorDomain, chainId: 31337, verifyingContract: anchorAddress };
 * ```
 */
export const ledgerAnchorDomain = { name: "LedgerAnchor", version: "1" } as const;

/** Largest size a checkpoint can have on chain (a `uint64`). */
const MAX_SIZE = 2n ** 64n - 1n;
/** Half the secp256k1 group order: OpenZeppelin's ECDSA rejects signatures with a larger `s` (malleable twins). */
const HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/**
 * Which checkpoint, of which log, for which anchor contract.
 *
 * @example
 * ```ts
 * const p: CheckpointTypedDataParameters = { chainId: 31337, anchorAddress, origin: "cityledger.local/31337", size: 1000n, root };
 * ```
 */
export interface CheckpointTypedDataParameters {
  /** Chain of the LedgerAnchor contract. */
  chainId: number | bigint;
  /** The LedgerAnchor contract (the EIP-712 verifying contract). */
  anchorAddress: Address;
  /** The log's origin line, as `origin()` of the contract returns it (e.g. "cityledger.local/31337"). */
  origin: string;
  /** Number of entries in the log at this checkpoint. */
  size: bigint;
  /** RFC 6962 root of those entries (32 bytes). */
  root: Hex;
}

/**
 * The typed data of a checkpoint, ready for viem's `signTypedData`, `hashTypedData` or `recoverTypedDataAddress`.
 *
 * @example
 * ```ts
 * const digest = hashTypedData(checkpointTypedData(p)); // equals LedgerAnchor.checkpointDigest(size, root)
 * ```
 */
export interface CheckpointTypedData {
  domain: { name: "LedgerAnchor"; version: "1"; chainId: number; verifyingContract: Address };
  types: typeof checkpointTypes;
  primaryType: "Checkpoint";
  message: { origin: string; size: bigint; root: Hex };
}

/**
 * A checkpoint or a signature that LedgerAnchor would reject, found before any gas is spent.
 *
 * @example
 * ```ts
 * try { checkpointTypedData(p); } catch (err) { if (err instanceof InvalidCheckpointError) console.log(err.shortMessage); }
 * ```
 */
export class InvalidCheckpointError extends CityError {
  constructor(shortMessage: string, hint: string) {
    super(shortMessage, { metaMessages: [`- ${hint}`], name: "InvalidCheckpointError" });
  }
}

/**
 * Builds the EIP-712 typed data a witness signs for a checkpoint. Throws {@link InvalidCheckpointError} for a size
 * outside `uint64`, a root that is not 32 bytes, an empty origin or an invalid address.
 *
 * @example
 * ```ts
 * const typedData = checkpointTypedData({
 *   chainId: 31337,
 *   anchorAddress: deployment.contracts.LedgerAnchor.address,
 *   origin: "cityledger.local/31337",
 *   size: 1000n,
 *   root: "0x…",
 * });
 * const signature = await account.signTypedData(typedData);
 * ```
 */
export function checkpointTypedData(parameters: CheckpointTypedDataParameters): CheckpointTypedData {
  const { chainId, anchorAddress, origin, size, root } = parameters;
  if (typeof size !== "bigint" || size < 0n || size > MAX_SIZE) {
    throw new InvalidCheckpointError(`checkpoint size ${String(size)} is not a uint64`, "Pass the log size as a bigint in [0, 2^64).");
  }
  if (!isHex(root, { strict: true }) || byteSize(root) !== 32) {
    throw new InvalidCheckpointError(`checkpoint root ${String(root)} is not 32 bytes`, "Pass the RFC 6962 root as 0x-prefixed hex of 32 bytes.");
  }
  if (origin.length === 0) {
    throw new InvalidCheckpointError("checkpoint origin is empty", "Read it from the contract: `origin()`.");
  }
  if (!isAddress(anchorAddress, { strict: false })) {
    throw new InvalidCheckpointError(`anchor address ${String(anchorAddress)} is not an address`, "Pass the LedgerAnchor address of the deployment.");
  }
  return {
    domain: { ...ledgerAnchorDomain, chainId: Number(chainId), verifyingContract: anchorAddress },
    types: checkpointTypes,
    primaryType: "Checkpoint",
    message: { origin, size, root },
  };
}

/**
 * Who signs: a viem wallet client (its own account, or `account`), or a local account (e.g. `privateKeyToAccount`).
 *
 * @example
 * ```ts
 * const signer: CheckpointSigner = privateKeyToAccount(witnessKey);
 * ```
 */
export type CheckpointSigner = WalletClient | LocalAccount;

/**
 * Signs a checkpoint as a witness: no transaction, no gas. The signature is 65 bytes with a low `s`, as LedgerAnchor
 * requires.
 *
 * @example
 * ```ts
 * // with a local key
 * const signature = await signCheckpoint(privateKeyToAccount(witnessKey), { chainId, anchorAddress, origin, size, root });
 * // with a wallet (browser extension, hardware wallet…)
 * const fromWallet = await signCheckpoint(walletClient, { chainId, anchorAddress, origin, size, root });
 * ```
 */
export async function signCheckpoint(
  signer: CheckpointSigner,
  parameters: CheckpointTypedDataParameters & { account?: Account | Address | undefined },
): Promise<Hex> {
  const { account: requested, ...checkpoint } = parameters;
  const typedData = checkpointTypedData(checkpoint);
  if (signer.type === "local") return (signer as LocalAccount).signTypedData(typedData);
  const walletClient = signer as WalletClient;
  const account = requested ?? walletClient.account;
  if (!account) throw new AccountRequiredError("signCheckpoint");
  return walletClient.signTypedData({ ...typedData, account });
}

/**
 * Signatures in the order LedgerAnchor checks them, with the witness each recovers to.
 *
 * @example
 * ```ts
 * const { signatures, signers }: SortedSignatures = await sortSignatures({ ...checkpoint, signatures: collected });
 * ```
 */
export interface SortedSignatures {
  /** Sorted by signer address, ascending; one per signer. */
  signatures: Hex[];
  /** `signers[i]` signed `signatures[i]`. */
  signers: Address[];
}

/**
 * Recovers the signer of every signature over the checkpoint and sorts them by signer address, ascending (what
 * `anchor` requires, so that it checks distinctness in one pass). A second signature of the same signer is dropped.
 * Throws {@link InvalidCheckpointError} for a signature LedgerAnchor would reject as malformed (not 65 bytes, or a
 * high `s`). It does not check that the signers are witnesses: compare `signers` with the contract's `witnesses()`.
 *
 * @example
 * ```ts
 * const checkpoint = { chainId, anchorAddress, origin, size, root };
 * const collected = await Promise.all(witnesses.map((w) => signCheckpoint(w, checkpoint)));
 * const { signatures } = await sortSignatures({ ...checkpoint, signatures: collected });
 * await anchor.write.anchor([size, root, proof, signatures]);
 * ```
 */
export async function sortSignatures(
  parameters: CheckpointTypedDataParameters & { signatures: readonly Hex[] },
): Promise<SortedSignatures> {
  const { signatures, ...checkpoint } = parameters;
  const typedData = checkpointTypedData(checkpoint);
  const recovered = await Promise.all(
    signatures.map(async (signature, index) => {
      if (!isHex(signature, { strict: true }) || byteSize(signature) !== 65) {
        throw new InvalidCheckpointError(`signature ${index} is not 65 bytes`, "Pass r || s || v signatures, as signTypedData returns them.");
      }
      if (BigInt(parseSignature(signature).s) > HALF_ORDER) {
        throw new InvalidCheckpointError(`signature ${index} has a high s (a malleable form)`, "Sign again with a standard signer: they produce low-s signatures.");
      }
      const signer = await recoverTypedDataAddress({ ...typedData, signature });
      return { signer, signature, key: BigInt(signer) };
    }),
  );
  recovered.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const out: SortedSignatures = { signatures: [], signers: [] };
  for (const { signer, signature, key } of recovered) {
    if (out.signers.length > 0 && BigInt(out.signers[out.signers.length - 1]) === key) continue;
    out.signatures.push(signature);
    out.signers.push(signer);
  }
  return out;
}
