import { expect } from "chai";
import fc from "fast-check";
import { CityError, Rational, RationalError, gcd } from "../../../sdk/src";

const nonZero = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).filter((x) => x !== 0n);
const anyInt = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n });
const rational = fc.tuple(anyInt, nonZero).map(([n, d]) => Rational.of(n, d));

function throwsRational(run: () => unknown, message: RegExp) {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught).to.be.instanceOf(RationalError);
  expect(caught).to.be.instanceOf(CityError);
  expect((caught as RationalError).shortMessage).to.match(message);
}

describe("sdk votes: exact rationals", () => {
  it("normalizes: positive denominator, lowest terms, one zero", () => {
    const r = Rational.of(6n, -4n);
    expect([r.numerator, r.denominator]).to.deep.equal([-3n, 2n]);
    expect(Rational.of(0n, -7n).equals(Rational.ZERO)).to.equal(true);
    expect(Rational.of(0n, -7n).denominator).to.equal(1n);
    expect(Rational.of(10n, 5n).toString()).to.equal("2");
    expect(Rational.of(-1n, 3n).toString()).to.equal("-1/3");
    expect(gcd(12n, -18n)).to.equal(6n);
    expect(gcd(0n, 0n)).to.equal(0n);
  });

  it("adds, subtracts, multiplies and divides exactly", () => {
    const half = Rational.of(1n, 2n);
    const third = Rational.of(1n, 3n);
    expect(half.add(third).toString()).to.equal("5/6");
    expect(half.sub(third).toString()).to.equal("1/6");
    expect(third.sub(third).equals(Rational.ZERO)).to.equal(true);
    expect(Rational.of(1n, 6n).add(Rational.of(1n, 10n)).toString()).to.equal("4/15");
    expect(Rational.of(1n, 6n).sub(Rational.of(1n, 6n)).toString()).to.equal("0");
    expect(Rational.of(5n, 6n).sub(Rational.of(1n, 3n)).toString()).to.equal("1/2");
    expect(Rational.of(2n, 3n).mul(Rational.of(3n, 4n)).toString()).to.equal("1/2");
    expect(half.div(Rational.of(1n, 4n)).toString()).to.equal("2");
    expect(Rational.of(1n, 6n).mulInt(3n).toString()).to.equal("1/2");
    expect(Rational.of(3n).divInt(6n).toString()).to.equal("1/2");
    expect(Rational.of(-7n, 2n).floor()).to.equal(-4n);
    expect(Rational.of(7n, 2n).floor()).to.equal(3n);
    expect(Rational.of(-8n, 2n).floor()).to.equal(-4n);
    expect(Rational.min(Rational.ONE, Rational.ZERO).equals(Rational.ZERO)).to.equal(true);
    expect(Rational.min(Rational.ONE, Rational.ONE)).to.equal(Rational.ONE);
    expect(Rational.of(1n, 3n).compare(Rational.of(1n, 2n))).to.equal(-1);
    expect(Rational.of(2n, 4n).compare(Rational.of(1n, 2n))).to.equal(0);
    expect(Rational.of(7n, 2n).compareInt(4n)).to.equal(-1);
    expect(Rational.of(8n, 2n).compareInt(4n)).to.equal(0);
    expect(Rational.of(9n, 2n).compareInt(4n)).to.equal(1);
    expect(Rational.ZERO.isZero()).to.equal(true);
  });

  it("refuses zero denominators and divisions by zero with a RationalError", () => {
    throwsRational(() => Rational.of(1n, 0n), /zero denominator/);
    throwsRational(() => Rational.ONE.div(Rational.ZERO), /Division of 1 by zero/);
    throwsRational(() => Rational.ONE.divInt(0n), /Division of 1 by zero/);
  });

  it("agrees with cross-multiplied fractions (properties)", () => {
    fc.assert(
      fc.property(fc.tuple(anyInt, nonZero, anyInt, nonZero), ([a, b, c, d]) => {
        const x = Rational.of(a, b);
        const y = Rational.of(c, d);
        const sum = x.add(y);
        const diff = x.sub(y);
        // Normalized: the same value built naively has the same fields.
        expect(sum.equals(Rational.of(a * d + c * b, b * d))).to.equal(true);
        expect(diff.equals(Rational.of(a * d - c * b, b * d))).to.equal(true);
        expect(x.mul(y).equals(Rational.of(a * c, b * d))).to.equal(true);
        for (const r of [sum, diff]) {
          expect(r.denominator > 0n).to.equal(true);
          expect(gcd(r.numerator, r.denominator)).to.equal(r.numerator === 0n ? r.denominator : 1n);
        }
        const expected = a * d * (b * d > 0n ? 1n : -1n) - c * b * (b * d > 0n ? 1n : -1n);
        expect(x.compare(y)).to.equal(expected < 0n ? -1 : expected > 0n ? 1 : 0);
        if (c !== 0n) expect(x.div(y).mul(y).equals(x)).to.equal(true);
      }),
    );
  });

  it("is a field: add and sub invert each other, order is total (properties)", () => {
    fc.assert(
      fc.property(rational, rational, (x, y) => {
        expect(x.add(y).sub(y).equals(x)).to.equal(true);
        expect(x.add(y).equals(y.add(x))).to.equal(true);
        expect(x.compare(y)).to.equal(-y.compare(x) || 0);
        expect(x.floor() <= x.numerator / x.denominator).to.equal(true);
        expect(Rational.of(x.floor()).compare(x) <= 0 && Rational.of(x.floor() + 1n).compare(x) > 0).to.equal(true);
      }),
    );
  });
});
