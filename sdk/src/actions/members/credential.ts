import { encodePacked, keccak256, type Hex } from "viem";

/** @example `const p: CredentialHashParameters = { salt: randomSalt(), fileRef: "FR-2026-00042" };` */
export interface CredentialHashParameters {
  /**
   * The registrar's salt for this person: 32 random bytes (`randomSalt()`), one per person, kept off chain beside the
   * file and never published. Deleting it is what erases the person from the chain (docs/erasure.md): a salt shared by
   * several people could not be deleted for one of them.
   */
  salt: Hex;
  /** The registrar's reference of the person's file (never sent anywhere: only the hash leaves the registrar). */
  fileRef: string;
}

/**
 * The credential hash a registrar puts on chain for a member: `keccak256(abi.encodePacked(salt, fileRef))`. Without
 * the salt no one can tell whose file it is, even knowing every file reference.
 *
 * @example
 * ```ts
 * const salt = randomSalt();
 * await city.members.register({ member, college: 1, district: 3, flags, credentialHash: credentialHash({ salt, fileRef }) });
 * ```
 */
export function credentialHash(parameters: CredentialHashParameters): Hex {
  return keccak256(encodePacked(["bytes32", "string"], [parameters.salt, parameters.fileRef]));
}
