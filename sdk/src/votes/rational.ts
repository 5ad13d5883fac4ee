/**
 * Exact rational numbers on bigint, for the participatory-budget rules: no floating point anywhere in a tally.
 *
 * A {@link Rational} is always normalized: the denominator is positive and `gcd(|numerator|, denominator) = 1`, so two
 * equal values have equal fields and {@link Rational.equals} is a field comparison. Comparisons cross-multiply and
 * never divide.
 */
import { CityError } from "../errors/base";

/** @example `if (err instanceof RationalError) console.log(err.shortMessage)` */
export type RationalErrorType = RationalError & { name: "RationalError" };

/**
 * A rational built with a zero denominator, or a division by zero.
 * @example `try { Rational.of(1n, 0n); } catch (err) { if (err instanceof RationalError) … }`
 */
export class RationalError extends CityError {
  constructor(shortMessage: string) {
    super(shortMessage, { name: "RationalError", metaMessages: ["- A denominator must be non-zero."] });
  }
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

/**
 * Greatest common divisor of two bigints (Euclid), always non-negative; `gcd(0, 0) = 0`.
 * @example `gcd(12n, -18n); // 6n`
 */
export function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/**
 * An exact fraction `numerator / denominator` of bigints, immutable and normalized.
 *
 * @example
 * ```ts
 * const third = Rational.of(1n, 3n);
 * third.add(third).mul(Rational.of(3n)).toString(); // "2"
 * Rational.of(2n, 4n).equals(Rational.of(1n, 2n)); // true
 * ```
 */
export class Rational {
  /** 0. */
  static readonly ZERO = new Rational(0n, 1n);
  /** 1. */
  static readonly ONE = new Rational(1n, 1n);

  /** The numerator, carrying the sign. */
  readonly numerator: bigint;
  /** The denominator, always positive. */
  readonly denominator: bigint;

  /** Use {@link Rational.of}: this constructor trusts that its arguments are already normalized. */
  private constructor(numerator: bigint, denominator: bigint) {
    this.numerator = numerator;
    this.denominator = denominator;
  }

  /**
   * The normalized fraction `numerator / denominator`.
   * @throws {RationalError} When `denominator` is 0.
   * @example `Rational.of(6n, -4n).toString(); // "-3/2"`
   */
  static of(numerator: bigint, denominator = 1n): Rational {
    if (denominator === 0n) throw new RationalError(`Rational ${numerator}/0 has a zero denominator.`);
    if (denominator === 1n) return new Rational(numerator, 1n);
    if (denominator < 0n) {
      numerator = -numerator;
      denominator = -denominator;
    }
    const g = gcd(numerator, denominator);
    return g > 1n ? new Rational(numerator / g, denominator / g) : new Rational(numerator, denominator);
  }

  /** @example `Rational.of(1n, 2n).add(Rational.of(1n, 3n)).toString(); // "5/6"` */
  add(other: Rational): Rational {
    return Rational.sum(this.numerator, this.denominator, other.numerator, other.denominator);
  }

  /** @example `Rational.of(1n, 2n).sub(Rational.of(1n, 3n)).toString(); // "1/6"` */
  sub(other: Rational): Rational {
    return Rational.sum(this.numerator, this.denominator, -other.numerator, other.denominator);
  }

  /**
   * a/b + c/d of normalized fractions (Henrici): with g = gcd(b, d), t = a·(d/g) + c·(b/g), the result is
   * (t/h) / ((b/g)·(d/h)) for h = gcd(t, g). The gcds run on the (small) denominators, not on their product.
   */
  private static sum(a: bigint, b: bigint, c: bigint, d: bigint): Rational {
    if (b === d) return Rational.of(a + c, b);
    const g = b === 1n || d === 1n ? 1n : gcd(b, d);
    if (g === 1n) return new Rational(a * d + c * b, b * d);
    const t = a * (d / g) + c * (b / g);
    if (t === 0n) return Rational.ZERO;
    const h = gcd(t, g);
    return new Rational(t / h, (b / g) * (d / h));
  }

  /** @example `Rational.of(2n, 3n).mul(Rational.of(3n, 4n)).toString(); // "1/2"` */
  mul(other: Rational): Rational {
    return Rational.of(this.numerator * other.numerator, this.denominator * other.denominator);
  }

  /** `this × k` for an integer `k`. @example `Rational.of(1n, 6n).mulInt(3n).toString(); // "1/2"` */
  mulInt(k: bigint): Rational {
    return Rational.of(this.numerator * k, this.denominator);
  }

  /**
   * @throws {RationalError} When `other` is 0.
   * @example `Rational.of(1n, 2n).div(Rational.of(1n, 4n)).toString(); // "2"`
   */
  div(other: Rational): Rational {
    if (other.numerator === 0n) throw new RationalError(`Division of ${this} by zero.`);
    return Rational.of(this.numerator * other.denominator, this.denominator * other.numerator);
  }

  /**
   * `this / k` for a non-zero integer `k`.
   * @throws {RationalError} When `k` is 0.
   * @example `Rational.of(3n).divInt(6n).toString(); // "1/2"`
   */
  divInt(k: bigint): Rational {
    if (k === 0n) throw new RationalError(`Division of ${this} by zero.`);
    return Rational.of(this.numerator, this.denominator * k);
  }

  /** -1, 0 or 1 as `this` is below, equal to or above `other`. @example `Rational.of(1n, 3n).compare(Rational.of(1n, 2n)); // -1` */
  compare(other: Rational): -1 | 0 | 1 {
    const left = this.numerator * other.denominator;
    const right = other.numerator * this.denominator;
    return left < right ? -1 : left > right ? 1 : 0;
  }

  /** -1, 0 or 1 as `this` is below, equal to or above the integer `k`. @example `Rational.of(7n, 2n).compareInt(4n); // -1` */
  compareInt(k: bigint): -1 | 0 | 1 {
    const right = k * this.denominator;
    return this.numerator < right ? -1 : this.numerator > right ? 1 : 0;
  }

  /** @example `Rational.of(2n, 4n).equals(Rational.of(1n, 2n)); // true` */
  equals(other: Rational): boolean {
    return this.numerator === other.numerator && this.denominator === other.denominator;
  }

  /** @example `Rational.ZERO.isZero(); // true` */
  isZero(): boolean {
    return this.numerator === 0n;
  }

  /** The largest integer ≤ this. @example `Rational.of(-7n, 2n).floor(); // -4n` */
  floor(): bigint {
    const q = this.numerator / this.denominator;
    return this.numerator < 0n && q * this.denominator !== this.numerator ? q - 1n : q;
  }

  /** `"n"` for an integer, `"n/d"` otherwise. @example `Rational.of(3n, 6n).toString(); // "1/2"` */
  toString(): string {
    return this.denominator === 1n ? this.numerator.toString() : `${this.numerator}/${this.denominator}`;
  }

  /** The smaller of two rationals (the first when equal). @example `Rational.min(Rational.ONE, Rational.ZERO); // 0` */
  static min(a: Rational, b: Rational): Rational {
    return b.compare(a) < 0 ? b : a;
  }
}
