import { expect } from "chai";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { COLLEGE_SIZES, State, Support, charterOf, closeVote, deployGoverned, feeProposal, openVote, propose, type GovernanceFixture } from "./helpers";

/** Unequal weights and quorums, approval above 50%: PUBLIC 20% (q 30%), CITIZENS 35% (q 20%), PARTNERS 25% (q 40%), ASSOCIATIONS 20% (q 50%). */
const RULES: [number, number, number][] = [[0, 2_000, 3_000], [1, 3_500, 2_000], [2, 2_500, 4_000], [3, 2_000, 5_000]];
const THRESHOLD = 5_000n;
const governed = () => deployGoverned({ charter: charterOf(RULES) });

type Choice = "none" | 0 | 1 | 2;

/**
 * The counting rule in exact rational arithmetic: every college reached its quorum, and
 * Σ w_c × for_c / (for_c + against_c) > T, compared by cross-multiplying with every non-zero denominator.
 */
function model(votes: Choice[][]): { passed: boolean; scoreWad: bigint } {
  let quorum = true;
  const terms: { w: bigint; f: bigint; d: bigint }[] = [];
  let scoreWad = 0n;
  for (const [i, [, weight, q]] of RULES.entries()) {
    const cast = votes[i].filter((v) => v !== "none");
    const f = BigInt(cast.filter((v) => v === Support.For).length);
    const a = BigInt(cast.filter((v) => v === Support.Against).length);
    if (BigInt(cast.length) * 10_000n < BigInt(q) * BigInt(COLLEGE_SIZES[i])) quorum = false;
    if (f + a > 0n) {
      terms.push({ w: BigInt(weight), f, d: f + a });
      scoreWad += (BigInt(weight) * 10n ** 32n * f) / (f + a);
    }
  }
  const product = terms.reduce((p, t) => p * t.d, 1n);
  const numerator = terms.reduce((sum, t) => sum + (t.w * t.f * product) / t.d, 0n);
  return { passed: quorum && numerator > THRESHOLD * product, scoreWad: scoreWad / 10n ** 18n };
}

const choice = fc.constantFrom<Choice>("none", Support.Against, Support.For, Support.Abstain);

describe("CityGovernor: the collegial count agrees with exact arithmetic (property)", function () {
  it("on random votes in four colleges of unequal weights and quorums", async function () {
    const f: GovernanceFixture = await loadFixture(governed);
    let n = 0;
    const outcomes = new Set<boolean>();
    await fc.assert(
      fc.asyncProperty(fc.tuple(...COLLEGE_SIZES.map((size) => fc.array(choice, { minLength: size, maxLength: size }))), async (votes) => {
        const pid = await propose(f, await feeProposal(f, 100 + (n++ % 900), `property run ${n}`));
        await openVote();
        for (const [college, choices] of votes.entries()) {
          for (const [i, c] of choices.entries()) {
            if (c !== "none") await (await f.governor.connect(f.colleges[college][i]).castVote(pid, c)).wait();
          }
        }
        await closeVote();
        const expected = model(votes);
        outcomes.add(expected.passed);
        expect((await f.governor.weightedResult(pid))[0]).to.equal(expected.scoreWad);
        expect(await f.governor.state(pid)).to.equal(expected.passed ? State.Succeeded : State.Defeated);
      }),
      { numRuns: 25, seed: 20261125 },
    );
    // The runs exercised both outcomes: the property is not checked against one answer only.
    expect([...outcomes].sort()).to.deep.equal([false, true]);
  });
});
