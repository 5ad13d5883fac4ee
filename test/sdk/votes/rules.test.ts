import { expect } from "chai";
import fc from "fast-check";
import {
  CityError,
  InvalidElectionError,
  Rational,
  compareProjectIds,
  electionFromPabulib,
  equalShares,
  greedy,
  isExhaustive,
  parsePabulib,
  publishedWinners,
  ruleFromPabulib,
  runBudgetRule,
  totalCost,
  type BudgetElection,
  type EqualSharesCompletion,
} from "../../../sdk/src";
import { readVector } from "./helpers";
import { referenceEqualShares } from "./reference";

/** The tie-breaks the SDK defaults to, as comparators of ids for the reference: MES (cost, votes, id), greedy (cost, id). */
function ties(election: BudgetElection) {
  const cost = new Map(election.projects.map((p) => [p.id, p.cost] as const));
  const votes = new Map(election.projects.map((p) => [p.id, election.voters.filter((v) => v.approvals.includes(p.id)).length] as const));
  const byCost = (a: string, b: string) => (cost.get(a)! < cost.get(b)! ? -1 : cost.get(a)! > cost.get(b)! ? 1 : 0);
  return {
    mes: (a: string, b: string) => byCost(a, b) || votes.get(b)! - votes.get(a)! || compareProjectIds(a, b),
    greedy: (a: string, b: string) => byCost(a, b) || compareProjectIds(a, b),
  };
}

/** The SDK's MES at a fixed share (no completion): the election with the budget that splits into that share. */
function mesAt(election: BudgetElection) {
  const n = BigInt(election.voters.length);
  return (share: Rational) => {
    const budget = share.mulInt(n);
    expect(budget.denominator).to.equal(1n);
    return equalShares({ ...election, budget: budget.numerator }, { completion: "none" }).winners;
  };
}

/** The add1 completion one unit at a time (the reference) against the SDK's: same winners, share and raises. */
function expectSameAsOneUnitAtATime(election: BudgetElection, completion: EqualSharesCompletion, integral: boolean, textbook = false) {
  const tie = ties(election);
  const expected = referenceEqualShares(election, completion, tie.mes, tie.greedy, { integral, ...(textbook ? {} : { mes: mesAt(election) }) });
  const result = equalShares(election, { completion, integral });
  expect(result.winners).to.deep.equal(expected.winners);
  expect(result.endowment.toString()).to.equal(expected.share.toString());
  expect(result.steps).to.equal(expected.steps);
  return result;
}

const sorted = (ids: readonly string[]) => [...ids].sort(compareProjectIds);

/** An election from a table: project id → [cost, approving voter numbers]. */
function table(budget: bigint, voters: number, projects: Record<string, [bigint, number[]]>): BudgetElection {
  return {
    budget,
    projects: Object.entries(projects).map(([id, [cost]]) => ({ id, cost })),
    voters: Array.from({ length: voters }, (_, v) => ({
      id: String(v + 1),
      approvals: Object.entries(projects)
        .filter(([, [, approvers]]) => approvers.includes(v + 1))
        .map(([id]) => id),
    })),
  };
}

function invalid(run: () => unknown, message: RegExp) {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught).to.be.instanceOf(InvalidElectionError);
  expect(caught).to.be.instanceOf(CityError);
  expect((caught as InvalidElectionError).shortMessage).to.match(message);
}

// equalshares.net, "Explanation", Example 1: 11 voters, €1,100; voter 11 votes for the bike path.
const example1 = table(1100n, 11, {
  bike: [700n, [1, 2, 3, 4, 5, 6, 11]],
  gym: [400n, [1, 2, 3, 4, 5, 6]],
  park: [250n, [2, 4, 5, 7, 10]],
  playground: [200n, [7, 8, 9, 10]],
  library: [100n, [7, 9, 10]],
});
// Example 2: voter 11 votes for the outdoor gym instead.
const example2 = table(1100n, 11, {
  bike: [700n, [1, 2, 3, 4, 5, 6]],
  gym: [400n, [1, 2, 3, 4, 5, 6, 11]],
  park: [250n, [2, 4, 5, 7, 10]],
  playground: [200n, [7, 8, 9, 10]],
  library: [100n, [7, 9, 10]],
});

describe("sdk votes: greedy and the Method of Equal Shares", function () {
  // Real elections (6,586 voters) and property runs: seconds on a loaded machine, above mocha's default 2 s.
  this.timeout(120_000);
  describe("equalshares.net worked examples", () => {
    it("Example 1: the bike path, then the playground, then the library; the standard method takes bike path and gym", () => {
      const result = equalShares(example1, { completion: "none" });
      expect(result.winners).to.deep.equal(["bike", "playground", "library"]);
      expect(result.endowment.toString()).to.equal("100");
      // Bike path: 7 × 100. Playground: 4 × 50. Library: 3 × 100/3.
      const r = (n: bigint, d = 1n) => Rational.of(n, d).toString();
      expect(result.payments.map(String)).to.deep.equal([
        ...Array(6).fill(r(100n)),
        r(250n, 3n),
        r(50n),
        r(250n, 3n),
        r(250n, 3n),
        r(100n),
      ]);
      expect(greedy(example1).winners).to.deep.equal(["bike", "gym"]);
    });

    it("Example 2: the gym (400/7 each), the park with an unequal split (4.1 effective votes), then the playground", () => {
      const result = equalShares(example2, { completion: "none" });
      expect(result.winners).to.deep.equal(["gym", "park", "playground"]);
      const p = result.payments;
      // Gym: 400/7 each. Park: voters 2, 4, 5 pay all they have left (300/7), voters 7 and 10 split the rest (425/7 each).
      expect(p[0]!.toString()).to.equal("400/7");
      expect(p[1]!.toString()).to.equal("100");
      expect(p[10]!.toString()).to.equal("400/7");
      // Playground: voters 7 and 10 pay their last 275/7, voters 8 and 9 split 200 − 550/7 = 850/7 → 425/7 each.
      expect(p[6]!.toString()).to.equal("100");
      expect(p[7]!.toString()).to.equal("425/7");
      expect(p[9]!.toString()).to.equal("100");
      for (const paid of p) expect(paid.compare(result.endowment) <= 0).to.equal(true);
    });

    it("add1 raises the share one unit at a time; the greedy fill then spends what is left", () => {
      const result = equalShares(example1);
      expect(result.cost <= example1.budget).to.equal(true);
      expect(isExhaustive(example1, result.winners)).to.equal(true);
      expect(result.winners.slice(0, result.mesWinners.length)).to.deep.equal(result.mesWinners);
      expect(result.endowment.compare(Rational.of(100n)) >= 0).to.equal(true);
      expect(result.endowment.toString()).to.equal(String(100 + result.steps));
    });
  });

  describe("real elections from pabulib reproduce the published selection", () => {
    const cases: { file: string; rule: "greedy" | EqualSharesCompletion; cost: bigint; steps?: number }[] = [
      { file: "Netherlands_Assen_2024.pb", rule: "add1-no-greedy", cost: 76_700n, steps: 843 },
      { file: "Poland_Wieliczka_2023_Zielony_Milion.pb", rule: "add1-stop-on-overspend", cost: 995_079n, steps: 164 },
      { file: "Netherlands_Amsterdam_2022_Rijnbuurt_West.pb", rule: "greedy", cost: 99_802n },
      { file: "Poland_Warszawa_2017_Aleksandrow.pb", rule: "greedy", cost: 110_000n },
    ];
    for (const { file: name, rule, cost, steps } of cases) {
      it(`${name} (${rule})`, () => {
        const file = parsePabulib(readVector(name));
        const election = electionFromPabulib(file);
        const result = rule === "greedy" ? greedy(election) : equalShares(election, { completion: rule });
        expect(sorted(result.winners)).to.deep.equal(sorted(publishedWinners(file)));
        expect(result.cost).to.equal(cost);
        expect(totalCost(election, publishedWinners(file))).to.equal(cost);
        if (steps !== undefined) expect((result as ReturnType<typeof equalShares>).steps).to.equal(steps);
      });
    }

    for (const name of ["Poland_Gdynia_2022_Babie_Doly__small.pb", "Poland_Gdynia_2022_Redlowo__large.pb"]) {
      it(`${name} (the file's rule, greedy-no-skip): the one project funded, where skipping would fund more`, () => {
        const file = parsePabulib(readVector(name));
        const rule = ruleFromPabulib(file);
        expect(rule).to.deep.equal({ method: "greedy", skip: false });
        const election = electionFromPabulib(file);
        const result = runBudgetRule(election, rule!);
        expect(result.winners).to.deep.equal(publishedWinners(file));
        expect(result).to.deep.equal(greedy(election, { skip: false }));
        // The second project by votes does not fit what is left: without skipping, nothing after it is funded.
        const skipping = greedy(election);
        expect(skipping.winners[0]).to.equal(result.winners[0]);
        expect(skipping.winners.length).to.be.greaterThan(1);
        expect(isExhaustive(election, result.winners)).to.equal(false);
      });
    }

    it("Zürich 2023 SN: the share convention picks the last project, 23 with the integral share (333 CHF), 15 with the exact one", () => {
      const file = parsePabulib(readVector("Switzerland_Zurich_SN.pb"));
      const election = electionFromPabulib(file);
      const integral = runBudgetRule(election, { method: "equalShares", completion: "add1", integral: true }) as ReturnType<typeof equalShares>;
      const exact = runBudgetRule(election, { method: "equalShares", completion: "add1", integral: false }) as ReturnType<typeof equalShares>;
      expect(integral.winners.slice(0, -1)).to.deep.equal(exact.winners.slice(0, -1));
      expect([integral.winners.at(-1), exact.winners.at(-1)]).to.deep.equal(["23", "15"]);
      // 60,000 CHF over 180 voters: 333 CHF rounded down, 333⅓ CHF exact; both raised by as many francs.
      expect(integral.endowment.toString()).to.equal(String(333 + integral.steps));
      expect(exact.endowment.equals(Rational.of(1000n, 3n).add(Rational.of(BigInt(exact.steps))))).to.equal(true);
      expect(equalShares(election).winners).to.deep.equal(integral.winners);
    });

    it("the variants differ where the cities' choices did: Assen with the greedy fill, Wieliczka stopped at exhaustive", () => {
      const assen = electionFromPabulib(parsePabulib(readVector("Netherlands_Assen_2024.pb")));
      const filled = equalShares(assen, { completion: "add1" });
      expect(filled.addedByGreedy).to.deep.equal(["7"]);
      expect(filled.cost).to.equal(88_700n);
      const wieliczka = electionFromPabulib(parsePabulib(readVector("Poland_Wieliczka_2023_Zielony_Milion.pb")));
      const exhaustiveStop = equalShares(wieliczka, { completion: "add1" });
      expect(exhaustiveStop.steps).to.equal(151);
      expect(exhaustiveStop.cost).to.equal(984_579n);
      expect(isExhaustive(wieliczka, exhaustiveStop.mesWinners)).to.equal(true);
    });
  });

  describe("the add1 completion skips the raises that cannot change the outcome, with the result of one unit at a time", () => {
    const real: { file: string; completions: EqualSharesCompletion[]; unit?: bigint }[] = [
      { file: "Netherlands_Assen_2024.pb", completions: ["add1-no-greedy", "add1"] },
      { file: "Poland_Wieliczka_2023_Zielony_Milion.pb", completions: ["add1-stop-on-overspend", "add1"] },
      { file: "Switzerland_Zurich_SN.pb", completions: ["add1"] },
      // Budapest raises by one forint tens of thousands of times: one unit at a time in 100 and 1,000 HUF instead.
      { file: "Hungary_Budapest_2023_VIII_Jozsefvaros.pb", completions: ["add1"], unit: 1_000n },
      { file: "Hungary_Budapest_2023_VIII_Jozsefvaros.pb", completions: ["add1-no-greedy"], unit: 100n },
    ];
    for (const { file, completions, unit } of real) {
      for (const completion of completions) {
        for (const integral of [true, false]) {
          it(`${file}${unit ? ` in units of ${unit}` : ""} (${completion}, ${integral ? "integral" : "exact"} share)`, () => {
            const election = electionFromPabulib(parsePabulib(readVector(file)));
            expectSameAsOneUnitAtATime(unit ? { ...election, unit } : election, completion, integral);
          });
        }
      }
    }

    it("the worked examples, with the textbook MES at every raise", () => {
      for (const election of [example1, example2]) for (const integral of [true, false]) expectSameAsOneUnitAtATime(election, "add1", integral, true);
    });

    it("Budapest VIII 2023 by the forint: 74,756 raises to the first exhaustive outcome", () => {
      const election = electionFromPabulib(parsePabulib(readVector("Hungary_Budapest_2023_VIII_Jozsefvaros.pb")));
      const result = equalShares(election, { completion: "add1" });
      const n = BigInt(election.voters.length);
      expect(result.endowment.toString()).to.equal(String(election.budget / n + BigInt(result.steps)));
      // The count equals one forint at a time (run once outside the suite: ~10 minutes of MES computations).
      expect(result.steps).to.equal(74_756);
      const at = mesAt(election);
      expect(at(result.endowment)).to.deep.equal(result.mesWinners);
      expect(isExhaustive(election, result.mesWinners)).to.equal(true);
      const before = at(result.endowment.sub(Rational.ONE));
      expect(isExhaustive(election, before)).to.equal(false);
      expect(totalCost(election, before) <= election.budget).to.equal(true);
    });

    it("in millionths of a forint (CityCoin's 6 decimals) the completion is no slower: the raises it computes do not grow with the unit", () => {
      const election = electionFromPabulib(parsePabulib(readVector("Hungary_Budapest_2023_VIII_Jozsefvaros.pb")));
      const M = 1_000_000n;
      const fine: BudgetElection = { ...election, budget: election.budget * M, projects: election.projects.map((p) => ({ ...p, cost: p.cost * M })) };
      const start = Date.now();
      const result = equalShares(fine, { completion: "add1" });
      // One unit at a time this would be ~7.5 · 10^10 MES computations.
      expect(Date.now() - start).to.be.below(60_000);
      const at = mesAt(fine);
      expect(at(result.endowment)).to.deep.equal(result.mesWinners);
      expect(result.cost <= fine.budget).to.equal(true);
      expect(totalCost(fine, at(result.endowment.add(Rational.ONE))) > fine.budget || isExhaustive(fine, result.mesWinners)).to.equal(true);
    });
  });

  describe("greedy", () => {
    it("without skipping, stops at the first project that no longer fits", () => {
      const election = table(100n, 3, { "1": [60n, [1, 2]], "2": [50n, [1, 3]], "3": [40n, [2]], "10": [10n, [3]], "9": [10n, [1]] });
      // 2 (50) then 1 does not fit the 50 left: the selection stops, 9 and 10 would have fit.
      expect(greedy(election, { skip: false })).to.deep.equal({ winners: ["2"], cost: 50n });
      expect(greedy(election, { skip: false, tieBreaking: ["maxCost"] })).to.deep.equal({ winners: ["1"], cost: 60n });
      expect(greedy(table(100n, 2, { a: [30n, [1, 2]], b: [70n, [1]], c: [1n, []] }), { skip: false }).winners).to.deep.equal(["a", "b"]);
    });

    it("orders by votes, skips what no longer fits, breaks ties by lower cost then lower id", () => {
      const election = table(100n, 3, { "1": [60n, [1, 2]], "2": [50n, [1, 3]], "3": [40n, [2]], "10": [10n, [3]], "9": [10n, [1]] });
      // 1 and 2 tie on 2 votes: 2 is cheaper, then 1 no longer fits; 9, 10 (€10) go before 3 (€40), 9 before 10.
      expect(greedy(election)).to.deep.equal({ winners: ["2", "9", "10"], cost: 70n });
      expect(greedy(election, { tieBreaking: ["maxCost"] }).winners).to.deep.equal(["1", "3"]);
      // An order drawn by lot: listed ids first, the others after by lower id.
      expect(greedy(election, { tieBreaking: [["10", "9"]] }).winners).to.deep.equal(["1", "10", "9"]);
      expect(greedy(election, { tieBreaking: ["maxId"] }).winners).to.deep.equal(["2", "10", "9"]);
      expect(greedy(election, { tieBreaking: ["minVotes", "minId"] }).winners).to.deep.equal(["1", "3"]);
      expect(greedy(table(5n, 1, { a: [1n, []] })).winners).to.deep.equal([]);
    });
  });

  describe("tie-breaking in Equal Shares (equalshares.net: lower cost, then more votes, then lot)", () => {
    it("among equally cheap tied projects, prefers the one with more raw votes", () => {
      // Share 15. Z (4 votes, 15 each) empties voters 1–4. Then A (voters 1, 5, 6) and B (voters 7, 8), both €30, both
      // have an effective vote count of 2 (voter 1 has nothing left): A has 3 raw votes, B 2.
      const election = table(120n, 8, { Z: [60n, [1, 2, 3, 4]], A: [30n, [1, 5, 6]], B: [30n, [7, 8]] });
      expect(equalShares(election, { completion: "none" }).winners).to.deep.equal(["Z", "A", "B"]);
      expect(equalShares(election, { completion: "none", tieBreaking: ["minVotes"] }).winners).to.deep.equal(["Z", "B", "A"]);
    });

    it("breaks a tie in effective votes by cost, then by raw votes, then by the given order or the lower id", () => {
      // a and b: 2 voters each who can both pay an equal split: both have an effective vote count of 2.
      const election = table(120n, 4, { a: [20n, [1, 2]], b: [40n, [3, 4]] });
      expect(equalShares(election, { completion: "none" }).winners).to.deep.equal(["a", "b"]);
      expect(equalShares(election, { completion: "none", tieBreaking: ["maxCost"] }).winners).to.deep.equal(["b", "a"]);
      const same = table(40n, 4, { x: [20n, [1, 2]], y: [20n, [3, 4]] });
      expect(equalShares(same, { completion: "none" }).winners).to.deep.equal(["x", "y"]);
      expect(equalShares(same, { completion: "none", tieBreaking: [["y", "x"]] }).winners).to.deep.equal(["y", "x"]);
      expect(equalShares(same, { completion: "none", tieBreaking: ["maxId"] }).winners).to.deep.equal(["y", "x"]);
    });
  });

  describe("refuses malformed elections", () => {
    it("with an InvalidElectionError saying what is wrong", () => {
      const ok = table(10n, 1, { a: [5n, [1]] });
      invalid(() => greedy({ ...ok, budget: -1n }), /Budget -1 is negative/);
      invalid(() => equalShares({ ...ok, unit: 0n }), /Unit 0 is not positive/);
      invalid(() => greedy({ ...ok, projects: [...ok.projects, { id: "a", cost: 1n }] }), /Project id "a" appears twice/);
      invalid(() => greedy({ ...ok, projects: [{ id: "a", cost: -5n }] }), /negative cost/);
      invalid(() => greedy({ ...ok, voters: [...ok.voters, ...ok.voters] }), /Voter id "1" appears twice/);
      invalid(() => greedy({ ...ok, voters: [{ id: "1", approvals: ["b"] }] }), /approves unknown project "b"/);
      invalid(() => greedy({ ...ok, voters: [{ id: "1", approvals: ["a", "a"] }] }), /approves project "a" twice/);
      invalid(() => greedy(ok, { tieBreaking: ["bogus" as never] }), /Unknown tie-breaking criterion "bogus"/);
      invalid(() => totalCost(ok, ["zzz"]), /Unknown project "zzz"/);
      expect(() => equalShares(ok, { completion: "add2" as never })).to.throw(TypeError, /Unknown Equal Shares completion "add2"/);
    });
  });

  describe("properties on generated elections (fast-check)", () => {
    const elections = fc
      .record({
        budget: fc.bigInt({ min: 0n, max: 2_000n }),
        costs: fc.array(fc.bigInt({ min: 0n, max: 800n }), { minLength: 1, maxLength: 8 }),
        ballots: fc.array(fc.uniqueArray(fc.nat(7), { maxLength: 5 }), { maxLength: 30 }),
      })
      .map(({ budget, costs, ballots }): BudgetElection => ({
        budget,
        projects: costs.map((cost, i) => ({ id: String(i + 1), cost })),
        voters: ballots.map((b, v) => ({ id: `v${v}`, approvals: b.filter((p) => p < costs.length).map((p) => String(p + 1)) })),
      }));
    const completions: EqualSharesCompletion[] = ["add1", "add1-no-greedy", "add1-stop-on-overspend", "none"];

    it("every outcome fits the budget; payments stay within each voter's share and pay exactly for the MES winners", () => {
      fc.assert(
        fc.property(elections, fc.constantFrom(...completions), (election, completion) => {
          const result = equalShares(election, { completion });
          expect(result.cost <= election.budget).to.equal(true);
          expect(result.cost).to.equal(totalCost(election, result.winners));
          let paid = Rational.ZERO;
          for (const payment of result.payments) {
            expect(payment.compare(Rational.ZERO) >= 0).to.equal(true);
            expect(payment.compare(result.endowment) <= 0).to.equal(true);
            paid = paid.add(payment);
          }
          expect(paid.equals(Rational.of(totalCost(election, result.mesWinners)))).to.equal(true);
          // Each MES winner is paid for only by its approvers.
          const g = greedy(election);
          expect(g.cost <= election.budget).to.equal(true);
          expect(isExhaustive(election, [...g.winners, ...election.projects.filter((p) => !election.voters.some((v) => v.approvals.includes(p.id))).map((p) => p.id)])).to.equal(true);
        }),
        { numRuns: 300 },
      );
    });

    it("the greedy fill leaves the outcome exhaustive among approved projects", () => {
      fc.assert(
        fc.property(elections, fc.constantFrom<EqualSharesCompletion>("add1", "add1-stop-on-overspend"), (election, completion) => {
          const result = equalShares(election, { completion });
          const approved = new Set(election.voters.flatMap((v) => v.approvals));
          const left = election.budget - result.cost;
          for (const p of election.projects) {
            if (!result.winners.includes(p.id) && approved.has(p.id)) expect(p.cost > left, `project ${p.id} still fits`).to.equal(true);
          }
        }),
        { numRuns: 300 },
      );
    });

    it("in CityCoin base units (unit 1,000,000) gives the same outcome as in whole euros (unit 1)", () => {
      fc.assert(
        fc.property(elections, fc.constantFrom(...completions), (election, completion) => {
          const UNIT = 1_000_000n;
          const scaled: BudgetElection = {
            ...election,
            unit: UNIT,
            budget: election.budget * UNIT,
            projects: election.projects.map((p) => ({ ...p, cost: p.cost * UNIT })),
          };
          const euros = equalShares(election, { completion });
          const baseUnits = equalShares(scaled, { completion });
          expect(baseUnits.winners).to.deep.equal(euros.winners);
          expect(baseUnits.steps).to.equal(euros.steps);
          expect(baseUnits.endowment.equals(euros.endowment.mulInt(UNIT))).to.equal(true);
          expect(baseUnits.cost).to.equal(euros.cost * UNIT);
        }),
        { numRuns: 200 },
      );
    });

    it("does not depend on the order of projects, voters or approvals", () => {
      fc.assert(
        fc.property(elections, fc.constantFrom(...completions), fc.nat(), (election, completion, seed) => {
          const shuffle = <T>(xs: readonly T[]) => xs.map((x, i) => [x, (i * 7919 + seed) % 1009] as const).sort((a, b) => a[1] - b[1]).map(([x]) => x);
          const shuffled: BudgetElection = {
            ...election,
            projects: shuffle(election.projects),
            voters: shuffle(election.voters).map((v) => ({ ...v, approvals: [...v.approvals].reverse() })),
          };
          const a = equalShares(election, { completion });
          const b = equalShares(shuffled, { completion });
          expect(b.winners).to.deep.equal(a.winners);
          expect(b.endowment.equals(a.endowment)).to.equal(true);
          expect(greedy(shuffled).winners).to.deep.equal(greedy(election).winners);
        }),
        { numRuns: 300 },
      );
    });

    it("agrees with a textbook voter-by-voter implementation, one unit at a time, on every completion and share (differential)", () => {
      fc.assert(
        fc.property(elections, fc.constantFrom(...completions), fc.boolean(), (election, completion, integral) => {
          expectSameAsOneUnitAtATime(election, completion, integral, true);
        }),
        { numRuns: 400 },
      );
    });

    it("jumps over runs of raises and still agrees with one unit at a time on larger budgets (differential)", () => {
      // Budgets of up to 30,000 units over at most 12 voters: thousands of raises, most of which change nothing.
      const large = fc
        .record({
          budget: fc.bigInt({ min: 1_000n, max: 30_000n }),
          costs: fc.array(fc.bigInt({ min: 1n, max: 12_000n }), { minLength: 2, maxLength: 7 }),
          ballots: fc.array(fc.uniqueArray(fc.nat(6), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 12 }),
          unit: fc.constantFrom(1n, 1n, 7n, 100n),
        })
        .map(({ budget, costs, ballots, unit }): BudgetElection => ({
          budget,
          unit,
          projects: costs.map((cost, i) => ({ id: String(i + 1), cost })),
          voters: ballots.map((b, v) => ({ id: `v${v}`, approvals: b.filter((p) => p < costs.length).map((p) => String(p + 1)) })),
        }));
      fc.assert(
        fc.property(large, fc.constantFrom<EqualSharesCompletion>("add1", "add1-no-greedy", "add1-stop-on-overspend"), fc.boolean(), (election, completion, integral) => {
          expectSameAsOneUnitAtATime(election, completion, integral);
        }),
        { numRuns: 150 },
      );
    });

    it("on a generated 2,000-voter round, add1 stops where one more unit per voter would overspend or at an exhaustive outcome", () => {
      let seed = 7;
      const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const election: BudgetElection = {
        budget: 200_000n,
        projects: Array.from({ length: 30 }, (_, i) => ({ id: String(i + 1), cost: BigInt(2_000 + Math.floor(next() * 40_000)) })),
        voters: Array.from({ length: 2_000 }, (_, v) => ({
          id: `v${v}`,
          approvals: [...new Set(Array.from({ length: 1 + Math.floor(next() * 5) }, () => String(1 + Math.floor(next() * next() * 30))))],
        })),
      };
      const result = equalShares(election, { completion: "add1-no-greedy" });
      expect(result.cost <= election.budget).to.equal(true);
      const nextShare = result.endowment.add(Rational.ONE).mulInt(BigInt(election.voters.length));
      const raised = equalShares({ ...election, budget: nextShare.floor() }, { completion: "none" });
      expect(isExhaustive(election, result.winners) || raised.cost > election.budget).to.equal(true);
      const same = equalShares({ ...election, budget: result.endowment.mulInt(2_000n).floor() }, { completion: "none" });
      expect(same.winners).to.deep.equal(result.mesWinners);
    });
  });
});
