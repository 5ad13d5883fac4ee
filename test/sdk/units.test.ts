import { expect } from "chai";
import fc from "fast-check";
import { CITY_DECIMALS, CityError, formatCity, InvalidAmountError, parseCity } from "../../sdk/src";

function rejects(value: unknown, reason: RegExp) {
  let caught: unknown;
  try {
    parseCity(value as string);
  } catch (err) {
    caught = err;
  }
  expect(caught, `parseCity(${typeof value === "string" ? JSON.stringify(value) : String(value)}) should throw`).to.be.instanceOf(InvalidAmountError);
  expect(caught).to.be.instanceOf(CityError);
  expect((caught as InvalidAmountError).shortMessage).to.match(reason);
  expect((caught as InvalidAmountError).value).to.equal(value);
}

describe("sdk: amounts", () => {
  it("parseCity reads decimal euros into 6-decimal base units", () => {
    expect(CITY_DECIMALS).to.equal(6);
    expect(parseCity("12.5")).to.equal(12_500_000n);
    expect(parseCity("0")).to.equal(0n);
    expect(parseCity("0.0")).to.equal(0n);
    expect(parseCity("1")).to.equal(1_000_000n);
    expect(parseCity("0.000001")).to.equal(1n);
    expect(parseCity("007.10")).to.equal(7_100_000n);
    expect(parseCity("123456789012345678901234567890.123456")).to.equal(123456789012345678901234567890_123456n);
  });

  it("parseCity rejects more than 6 decimals", () => {
    rejects("0.0000001", /more than 6 decimals/);
    rejects("1.1234567", /more than 6 decimals/);
    rejects("0.0000000", /more than 6 decimals/);
  });

  it("parseCity rejects signs, exponents and anything but plain digits", () => {
    for (const value of ["-1", "-0.5", "+1", "1e3", "1E3", "1.5e-3", "0x10", "1_000", "1,000", "1,5", " 1", "1 ", "", ".5", "5.", ".", "NaN", "Infinity", "١٢"]) {
      rejects(value, /not a plain decimal number/);
    }
  });

  it("parseCity rejects non-strings (no floats) and amounts no contract can hold", () => {
    rejects(12.5, /expected a decimal string, got number/);
    rejects(12n, /expected a decimal string, got bigint/);
    rejects(null, /expected a decimal string/);
    const max = 2n ** 256n - 1n;
    expect(parseCity(formatCity(max))).to.equal(max);
    rejects(formatCity(max + 1n), /larger than any on-chain amount/);
  });

  it("formatCity writes the shortest exact decimal", () => {
    expect(formatCity(12_500_000n)).to.equal("12.5");
    expect(formatCity(0n)).to.equal("0");
    expect(formatCity(1n)).to.equal("0.000001");
    expect(formatCity(1_000_000n)).to.equal("1");
    expect(formatCity(10_000_010n)).to.equal("10.00001");
    expect(formatCity(-1_500_000n)).to.equal("-1.5");
    let caught: unknown;
    try {
      formatCity(12.5 as unknown as bigint);
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(InvalidAmountError);
  });

  it("round trips: parseCity(formatCity(n)) = n and formatCity(parseCity(s)) = s for canonical s", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 128n }), (n) => parseCity(formatCity(n)) === n),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.bigInt({ min: 0n, max: 999_999n }), (whole, fraction) => {
        const text = `${whole}${fraction === 0n ? "" : `.${fraction.toString().padStart(6, "0").replace(/0+$/, "")}`}`;
        return formatCity(parseCity(text)) === text;
      }),
      { numRuns: 500 },
    );
  });
});
