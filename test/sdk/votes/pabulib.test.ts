import { expect } from "chai";
import fc from "fast-check";
import {
  CityError,
  PabulibError,
  electionFromPabulib,
  formatPabulib,
  PABULIB_SHARE_KEY,
  budgetRuleName,
  equalSharesCompletions,
  pabulibFromElection,
  pabulibRuleMeta,
  parsePabulib,
  publishedWinners,
  ruleFromPabulib,
  runBudgetRule,
  type BudgetElection,
  type BudgetRule,
} from "../../../sdk/src";
import { PABULIB_FILES, readVector } from "./helpers";


const MINIMAL = "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;6\n2;4\nVOTES\nvoter_id;vote\na;1,2\nb;\n";

function rejects(text: string, message: RegExp, line?: number) {
  let caught: unknown;
  try {
    electionFromPabulib(parsePabulib(text));
  } catch (err) {
    caught = err;
  }
  expect(caught, `should reject: ${message}`).to.be.instanceOf(PabulibError);
  expect(caught).to.be.instanceOf(CityError);
  expect((caught as PabulibError).shortMessage).to.match(message);
  expect((caught as PabulibError).line).to.equal(line);
}

describe("sdk votes: pabulib .pb files", function () {
  // Real elections (6,586 voters) and property runs: seconds on a loaded machine, above mocha's default 2 s.
  this.timeout(120_000);
  for (const name of PABULIB_FILES) {
    it(`${name}: parses, counts match the file's own votes column and META, and writes back byte for byte`, () => {
      const text = readVector(name);
      const file = parsePabulib(text);
      expect(formatPabulib(file)).to.equal(text);
      const election = electionFromPabulib(file);
      expect(election.voters.length).to.equal(Number(file.meta.num_votes));
      expect(election.projects.length).to.equal(Number(file.meta.num_projects));
      expect(election.budget).to.equal(BigInt(file.meta.budget!));
      const counts = new Map<string, number>();
      for (const voter of election.voters) for (const id of voter.approvals) counts.set(id, (counts.get(id) ?? 0) + 1);
      for (const project of file.projects) expect(counts.get(project.project_id!) ?? 0, `votes of ${project.project_id}`).to.equal(Number(project.votes));
      // Zürich's experiment published no selection; every other file marks its winners.
      if (file.projectColumns.includes("selected")) expect(publishedWinners(file).length).to.be.greaterThan(0);
      else expect(name).to.equal("Switzerland_Zurich_SN.pb");
      // The originals of three of these files end lines with CRLF: both read the same.
      expect(parsePabulib(text.replace(/\n/g, "\r\n"))).to.deep.equal(file);
    });
  }

  it("reads quoted fields: ; inside, doubled quotes, spaces around fields, a line break inside quotes", () => {
    const file = parsePabulib(
      'META\nkey; value\nbudget; 10\nPROJECTS\nproject_id; cost; name\n1; 6; "Park; phase ""two"""\n2;4;"two\nlines"\nVOTES\nvoter_id;vote\na;1\n',
    );
    expect(file.projects[0]).to.deep.equal({ project_id: "1", cost: "6", name: 'Park; phase "two"' });
    expect(file.projects[1]!.name).to.equal("two\nlines");
    expect(file.meta).to.deep.equal({ budget: "10" });
    const again = parsePabulib(formatPabulib(file));
    expect(again).to.deep.equal(file);
    expect(formatPabulib(file)).to.contain('1;6;"Park; phase ""two"""');
  });

  it("maps a file to the election model: approvals, empty ballots, names, META; decimals scale to a unit", () => {
    const election = electionFromPabulib(parsePabulib(MINIMAL));
    expect(election).to.deep.equal({
      budget: 10n,
      projects: [
        { id: "1", cost: 6n },
        { id: "2", cost: 4n },
      ],
      voters: [
        { id: "a", approvals: ["1", "2"] },
        { id: "b", approvals: [] },
      ],
      meta: { budget: "10", vote_type: "approval" },
    });
    const decimals = electionFromPabulib(parsePabulib(MINIMAL.replace("budget;10", "budget;10.5").replace("1;6", "1;6.25")));
    expect(decimals.unit).to.equal(100n);
    expect(decimals.budget).to.equal(1050n);
    expect(decimals.projects.map((p) => p.cost)).to.deep.equal([625n, 400n]);
    const choose1 = electionFromPabulib(parsePabulib(MINIMAL.replace("vote_type;approval", "vote_type;choose-1")));
    expect(choose1.voters.length).to.equal(2);
  });

  it("rejects malformed files with the line of the problem", () => {
    rejects("PROJECTS\nproject_id;cost\n", /the META section is missing/);
    rejects("META\nkey;value\nbudget;1\n", /the PROJECTS section is missing/);
    rejects("META\nkey;val\n", /META header must be "key;value"/, 2);
    rejects("META\nkey;value\nbudget;1;2\n", /a META row has 3 fields, want 2/, 3);
    rejects("META\nkey;value\nMETA\nkey;value\n", /section META appears twice/, 3);
    rejects("META\nkey;value\nbudget;1\nPROJECTS\nid;cost\n", /PROJECTS header has no "project_id" column/, 5);
    rejects("META\nkey;value\nbudget;1\nPROJECTS\nproject_id;cost;cost\n", /duplicate column in the PROJECTS header/, 5);
    rejects(MINIMAL.replace("2;4\n", "1;4\n"), /project 1 appears twice/, 8);
    rejects(MINIMAL.replace("b;\n", "a;2\n"), /voter a appears twice/, 12);
    rejects(MINIMAL.replace("1;6\n", "1;6;x;y\n"), /a PROJECTS row has 4 fields, want 2/, 7);
    rejects('META\nkey;value\nbudget;"10\n', /a quoted field is not closed/, 3);
    rejects('META\nkey;value\nbudget;"10"x\n', /text after a closing quote/, 3);
    rejects("MIDDLE\n", /data before the META section/, 1);
    rejects(MINIMAL.replace("vote_type;approval", "vote_type;ordinal"), /vote_type "ordinal" is not supported/);
    rejects(MINIMAL.replace("budget;10", "budget;1e5"), /the META budget is "1e5", not a non-negative decimal/);
    rejects(MINIMAL.replace("budget;10\n", ""), /the META budget is missing/);
    rejects(MINIMAL.replace("1;6", "1;-6"), /the cost of project 1 is "-6"/);
  });

  it("exports an election and its result, and reads it back to the same election (property)", () => {
    const arbitraryElection = fc
      .record({
        budget: fc.bigInt({ min: 0n, max: 10n ** 12n }),
        costs: fc.array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1, maxLength: 8 }),
        ballots: fc.array(fc.array(fc.nat(7)), { maxLength: 20 }),
        decimals: fc.constantFrom(0, 2, 6),
        names: fc.array(fc.string({ maxLength: 12 }), { minLength: 8, maxLength: 8 }),
      })
      .map(({ budget, costs, ballots, decimals, names }): BudgetElection => ({
        budget,
        ...(decimals > 0 ? { unit: 10n ** BigInt(decimals) } : {}),
        projects: costs.map((cost, i) => ({ id: String(i + 1), cost, ...(names[i]!.trim() ? { name: names[i]! } : {}) })),
        voters: ballots.map((ballot, v) => ({ id: `v${v}`, approvals: [...new Set(ballot.filter((p) => p < costs.length))].map((p) => String(p + 1)) })),
        meta: { description: "A round; with \"quotes\"", rule: "equalshares/add1" },
      }));
    fc.assert(
      fc.property(arbitraryElection, (election) => {
        const selected = election.projects.filter((_, i) => i % 2 === 0).map((p) => p.id);
        const text = formatPabulib(pabulibFromElection(election, { selected, meta: { currency: "EUR" } }));
        const file = parsePabulib(text);
        expect(publishedWinners(file)).to.deep.equal(selected);
        expect(file.meta.currency).to.equal("EUR");
        expect(file.meta.num_votes).to.equal(String(election.voters.length));
        const back = electionFromPabulib(file);
        // Amounts written with `unit` decimals scale back to the same base units (a unit of 1 writes integers).
        expect(back.budget * (election.unit ?? 1n)).to.equal(election.budget * (back.unit ?? 1n));
        expect(back.projects.map((p) => p.cost * (election.unit ?? 1n))).to.deep.equal(election.projects.map((p) => p.cost * (back.unit ?? 1n)));
        expect(back.projects.map((p) => [p.id, p.name])).to.deep.equal(election.projects.map((p) => [p.id, p.name]));
        expect(back.voters).to.deep.equal(election.voters);
        expect(formatPabulib(parsePabulib(text))).to.equal(text);
      }),
      { numRuns: 200 },
    );
  });

  it("maps the rule META both ways: greedy with or without skipping, every Equal Shares completion with its share convention", () => {
    const rules: BudgetRule[] = [
      { method: "greedy", skip: true },
      { method: "greedy", skip: false },
      ...equalSharesCompletions.flatMap((completion) => [true, false].map((integral): BudgetRule => ({ method: "equalShares", completion, integral }))),
    ];
    for (const rule of rules) expect(ruleFromPabulib({ meta: pabulibRuleMeta(rule) }), budgetRuleName(rule)).to.deep.equal(rule);
    expect(pabulibRuleMeta({ method: "greedy", skip: false })).to.deep.equal({ rule: "greedy-no-skip" });
    expect(pabulibRuleMeta({ method: "equalShares", completion: "none", integral: false })).to.deep.equal({ rule: "equalshares", [PABULIB_SHARE_KEY]: "exact" });
    // pabulib's own files name the completion only: the share reads as integral (equalshares.net's default).
    expect(ruleFromPabulib({ meta: { rule: "equalshares/add1" } })).to.deep.equal({ method: "equalShares", completion: "add1", integral: true });
    for (const rule of ["unknown", "greedy-custom", "equalshares/add2", "equalsharesx", undefined]) {
      expect(ruleFromPabulib({ meta: rule === undefined ? {} : { rule } }), String(rule)).to.equal(undefined);
    }
    let caught: unknown;
    try {
      ruleFromPabulib({ meta: { rule: "equalshares/add1", [PABULIB_SHARE_KEY]: "rounded" } });
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(PabulibError);
    expect((caught as PabulibError).shortMessage).to.equal('equalshares_share is "rounded"');
    expect(() => runBudgetRule(electionFromPabulib(parsePabulib(MINIMAL)), { method: "phragmen" } as never)).to.throw(TypeError, /Unknown budget rule/);
  });

  it("an export with a rule writes it to META; a greedy rule drops a share convention carried over from the election", () => {
    const election = { ...electionFromPabulib(parsePabulib(MINIMAL)), meta: { rule: "equalshares/add1", [PABULIB_SHARE_KEY]: "exact" } };
    const greedyFile = pabulibFromElection(election, { rule: { method: "greedy", skip: false } });
    expect(greedyFile.meta.rule).to.equal("greedy-no-skip");
    expect(greedyFile.meta).to.not.have.property(PABULIB_SHARE_KEY);
    const integral = pabulibFromElection(election, { rule: { method: "equalShares", completion: "add1-no-greedy", integral: true } });
    expect(integral.meta).to.deep.include({ rule: "equalshares/add1-no-greedy", [PABULIB_SHARE_KEY]: "integral" });
    expect(ruleFromPabulib(parsePabulib(formatPabulib(integral)))).to.deep.equal({ method: "equalShares", completion: "add1-no-greedy", integral: true });
  });

  it("refuses to export amounts with a unit that is not a power of ten", () => {
    let caught: unknown;
    try {
      pabulibFromElection({ budget: 30n, unit: 3n, projects: [], voters: [] });
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(PabulibError);
    expect((caught as PabulibError).shortMessage).to.match(/unit 3 is not a power of ten/);
  });
});
