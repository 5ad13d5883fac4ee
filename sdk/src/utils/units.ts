import { CityError } from "../errors/base";

/**
 * Decimals of CityCoin: 1 CITY (= €1) is 1_000_000 base units.
 * @example `const oneCity = 10n ** BigInt(CITY_DECIMALS); // 1_000_000n`
 */
export const CITY_DECIMALS = 6;

const UNIT = 10n ** BigInt(CITY_DECIMALS);
const MAX_UINT256 = 2n ** 256n - 1n;
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** @example `if (err instanceof InvalidAmountError) showFieldError(err.shortMessage)` */
export type InvalidAmountErrorType = InvalidAmountError & { name: "InvalidAmountError" };

/**
 * An amount that is not a plain, non-negative decimal with at most 6 decimals, or a value that is not a base-unit
 * bigint.
 *
 * @example
 * ```ts
 * try { parseCity("1e3"); } catch (err) { if (err instanceof InvalidAmountError) console.log(err.value); }
 * ```
 */
export class InvalidAmountError extends CityError {
  /** The rejected input, as given. */
  readonly value: unknown;

  constructor(value: unknown, reason: string, hint: string) {
    super(`Invalid CityCoin amount ${describe(value)}: ${reason}.`, {
      metaMessages: [`- ${hint}`],
      name: "InvalidAmountError",
    });
    this.value = value;
  }
}

/**
 * Parses a CityCoin amount written in euros (a decimal string) into base units.
 *
 * Strict, with no floating point anywhere: digits, optionally a dot and 1 to 6 decimals. Signs, exponents, spaces,
 * separators, a bare or trailing dot, more than 6 decimals and values above 2^256 - 1 base units are all rejected
 * with an {@link InvalidAmountError}.
 *
 * @param value Amount in CITY, e.g. `"12.5"`.
 * @returns Base units (`bigint`), e.g. `12_500_000n`.
 * @throws {InvalidAmountError} When `value` is not such a decimal string.
 *
 * @example
 * ```ts
 * parseCity("12.5"); // 12_500_000n
 * parseCity("0.000001"); // 1n
 * parseCity("0.0000001"); // throws: more than 6 decimals
 * ```
 */
export function parseCity(value: string): bigint {
  if (typeof value !== "string") {
    throw new InvalidAmountError(value, `expected a decimal string, got ${typeof value}`, 'Pass the amount as a string, e.g. "12.5" (numbers lose precision).');
  }
  const match = DECIMAL.exec(value);
  if (!match) {
    throw new InvalidAmountError(value, "not a plain decimal number", 'Write digits with an optional dot and up to 6 decimals, e.g. "12.5": no sign, exponent, spaces or separators.');
  }
  const [, whole, fraction = ""] = match;
  if (fraction.length > CITY_DECIMALS) {
    throw new InvalidAmountError(value, `more than ${CITY_DECIMALS} decimals`, "The smallest amount is 0.000001 CITY; round the amount to 6 decimals.");
  }
  const units = BigInt(whole!) * UNIT + BigInt(fraction.padEnd(CITY_DECIMALS, "0"));
  if (units > MAX_UINT256) {
    throw new InvalidAmountError(value, "larger than any on-chain amount (2^256 - 1 base units)", "Check the amount: it cannot be held on chain.");
  }
  return units;
}

/**
 * Formats base units as a CityCoin amount in euros: the shortest exact decimal string, without trailing zeros.
 * Negative values (e.g. a balance change) keep their sign.
 *
 * @param units Base units (`bigint` only: never a float).
 * @returns E.g. `"12.5"`, `"1"`, `"0.000001"`.
 * @throws {InvalidAmountError} When `units` is not a bigint.
 *
 * @example
 * ```ts
 * formatCity(12_500_000n); // "12.5"
 * formatCity(1n); // "0.000001"
 * ```
 */
export function formatCity(units: bigint): string {
  if (typeof units !== "bigint") {
    throw new InvalidAmountError(units, `expected a bigint of base units, got ${typeof units}`, "Pass base units as a bigint, e.g. 12_500_000n for 12.5 CITY.");
  }
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = abs / UNIT;
  const fraction = (abs % UNIT).toString().padStart(CITY_DECIMALS, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  return String(value);
}
