import { bytesToHex } from "viem";
import { CityError } from "../errors/base";

/** Why a Merkle proof was rejected: a stable code for programs, a sentence for people. */
export type MerkleProofErrorCode = "root-mismatch" | "wrong-proof-size" | "index-out-of-range" | "bad-sizes" | "bad-hash";

/**
 * A proof, root or size that does not verify. Every verifier throws this (or a subclass) with a reason; none
 * returns a bare `false`.
 *
 * @example
 * ```ts
 * try { verifyInclusion(leaf, 3, 8, proof, root); }
 * catch (err) { if (err instanceof MerkleProofError) console.log(err.code); }
 * ```
 */
export class MerkleProofError extends CityError {
  readonly code: MerkleProofErrorCode;
  constructor(code: MerkleProofErrorCode, shortMessage: string, metaMessages?: string[]) {
    super(shortMessage, { name: "MerkleProofError", metaMessages });
    this.code = code;
  }
}

/**
 * The root computed from a proof differs from the expected one: the entry is not in the log, or the log was
 * altered.
 *
 * @example
 * ```ts
 * if (err instanceof RootMismatchError) console.log(err.expected, err.calculated);
 * ```
 */
export class RootMismatchError extends MerkleProofError {
  readonly expected: Uint8Array;
  readonly calculated: Uint8Array;
  constructor(expected: Uint8Array, calculated: Uint8Array, what = "root") {
    super("root-mismatch", `calculated ${what} ${bytesToHex(calculated)} does not match expected ${bytesToHex(expected)}`, [
      "- The proof does not lead to the trusted root: the record is absent or the log was altered.",
    ]);
    this.expected = expected;
    this.calculated = calculated;
  }
}

/**
 * A proof with the wrong number of hashes for the sizes given ("wrong proof size 3, want 4").
 *
 * @example
 * ```ts
 * if (err instanceof ProofSizeError) console.log(err.got, err.want);
 * ```
 */
export class ProofSizeError extends MerkleProofError {
  readonly got: number;
  readonly want: number;
  constructor(got: number, want: number) {
    super("wrong-proof-size", `wrong proof size ${got}, want ${want}`, [
      "- Ask the node again for a proof between exactly these sizes.",
    ]);
    this.got = got;
    this.want = want;
  }
}
