import { getAddress, isAddress, type Address, type Hex } from "viem";
import { ProblemError } from "./problems";

/**
 * Parameter parsing beyond what a schema can say: the schema has already checked the shape (digits, hex length),
 * these turn the strings into values and name the parameter in every refusal.
 */

/** A decimal string the schema accepted, as a safe integer (at most 2^53 − 1). */
export function uint(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n))
    throw new ProblemError("out-of-range", `${name} ${value} is above ${Number.MAX_SAFE_INTEGER}`);
  return n;
}

/** An optional decimal parameter with a default. */
export function uintOr(value: string | undefined, name: string, fallback: number): number {
  return value === undefined ? fallback : uint(value, name);
}

/**
 * A checksummed address from a 0x + 40 hex parameter. All-lowercase and all-uppercase hex are taken as they are
 * (no checksum to check); mixed case must be the EIP-55 checksum, or it is probably a typo.
 */
export function address(value: string, name = "address"): Address {
  const digits = value.slice(2);
  const mixed = /[a-f]/.test(digits) && /[A-F]/.test(digits);
  if (mixed && !isAddress(value, { strict: true })) {
    throw new ProblemError(
      "invalid-parameter",
      `${name} ${value} has mixed case but is not a valid EIP-55 checksum: check it for a typo`,
      { invalidParams: [{ in: "params", name, reason: "has an invalid EIP-55 checksum" }] },
    );
  }
  return getAddress(value.toLowerCase());
}

/** A transaction hash parameter, lowercased. */
export function txHash(value: string): Hex {
  return value.toLowerCase() as Hex;
}
