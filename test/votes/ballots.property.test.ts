import { expect } from "chai";
import fc from "fast-check";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { id } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { DAY, Kind, ballotsFixture, commitmentOf, createBallot, type BallotsCtx } from "./ballotHelpers";

const OPTIONS = 4;
const numRuns = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : 25;
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;

function members(f: BallotsCtx): HardhatEthersSigner[] {
  return [f.alice, f.bob, f.carol, f.dave, f.erin, f.frank];
}

/**
 * What the contract must report, computed from each voter's last counted choice alone: totals per option, per
 * college and per district (by the fixture's profiles), each row ending with the turnout.
 */
async function expectedResults(f: BallotsCtx, last: Map<number, bigint>, turnoutOf: Set<number>) {
  const voters = members(f);
  const totals = new Array<bigint>(OPTIONS + 1).fill(0n);
  const byCollege = Array.from({ length: 16 }, () => new Array<bigint>(OPTIONS + 1).fill(0n));
  const byDistrict = new Map<bigint, bigint[]>();
  for (const i of turnoutOf) {
    const m = await f.registry.memberOf(voters[i]);
    const rows = [totals, byCollege[Number(m.college)]];
    if (!byDistrict.has(m.district)) byDistrict.set(m.district, new Array<bigint>(OPTIONS + 1).fill(0n));
    rows.push(byDistrict.get(m.district)!);
    const choice = last.get(i);
    for (const row of rows) {
      row[OPTIONS] += 1n;
      for (let o = 0; o < OPTIONS && choice !== undefined; o++) if ((choice >> BigInt(o)) & 1n) row[o] += 1n;
    }
  }
  return { totals, byCollege, byDistrict };
}

async function expectResults(f: BallotsCtx, ballotId: bigint, last: Map<number, bigint>, turnoutOf: Set<number>) {
  const want = await expectedResults(f, last, turnoutOf);
  const [totals, byCollege, byDistrict] = await f.ballots.results(ballotId);
  expect(totals).to.deep.equal(want.totals);
  expect(byCollege).to.deep.equal(want.byCollege);
  const districts = await f.ballots.votedDistricts(ballotId);
  const got = new Map(districts.map((d, i) => [d, byDistrict[i]]));
  for (const [d, row] of want.byDistrict) expect(got.get(d), `district ${d}`).to.deep.equal(row);
  // A district whose voters all moved away from it keeps a row of zeros; none holds votes the model does not.
  for (const [d, row] of got) if (!want.byDistrict.has(d)) expect(row.every((x) => x === 0n), `district ${d}`).to.equal(true);
}

describe("CityBallots properties", function () {
  it("open ballots: per-option counts (and per college, per district) equal the voters' last choices", async function () {
    const voteArb = fc.record({ voter: fc.nat(5), choice: fc.nat(OPTIONS - 1), approval: fc.integer({ min: 1, max: (1 << OPTIONS) - 1 }) });
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(voteArb, { minLength: 1, maxLength: 30 }), async (approval, votes) => {
        const f = await loadFixture(ballotsFixture);
        const { id: b, params } = await createBallot(f, {
          kind: Kind.Consultation,
          optionCount: OPTIONS,
          approval,
          maxApprovals: approval ? OPTIONS : 0,
        });
        await time.increaseTo(Number(params.opensAt));
        const last = new Map<number, bigint>();
        for (const v of votes) {
          const choice = approval ? BigInt(v.approval) : BigInt(v.choice);
          await (await f.ballots.connect(members(f)[v.voter]).vote(b, choice)).wait();
          // The model keeps bitmaps: a single choice is the bitmap of one option.
          last.set(v.voter, approval ? choice : 1n << choice);
        }
        await expectResults(f, b, last, new Set(last.keys()));
      }),
      { numRuns, seed, endOnFailure: true },
    );
  });

  it("sealed ballots: revealed commits match, only the last commitment reveals, unrevealed ones are turnout only", async function () {
    const commitArb = fc.record({ voter: fc.nat(5), choice: fc.nat(OPTIONS - 1), salt: fc.nat(3) });
    await fc.assert(
      fc.asyncProperty(
        fc.array(commitArb, { minLength: 1, maxLength: 20 }),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        async (commits, reveals) => {
          const f = await loadFixture(ballotsFixture);
          const { id: b, params } = await createBallot(f, {
            kind: Kind.Consultation,
            optionCount: OPTIONS,
            sealed_: true,
            revealWindow: DAY,
          });
          await time.increaseTo(Number(params.opensAt));
          const voters = members(f);
          const history = new Map<number, { choice: bigint; salt: string }[]>();
          for (const c of commits) {
            const salt = id(`salt-${c.salt}`);
            const who = voters[c.voter];
            await (await f.ballots.connect(who).commit(b, commitmentOf(b, who.address, BigInt(c.choice), salt))).wait();
            history.set(c.voter, [...(history.get(c.voter) ?? []), { choice: BigInt(c.choice), salt }]);
          }
          await expectResults(f, b, new Map(), new Set(history.keys()));
          await time.increaseTo(Number(params.closesAt));
          const revealed = new Map<number, bigint>();
          for (const [i, list] of history) {
            if (!reveals[i]) continue;
            const latest = list[list.length - 1];
            // An earlier commitment that differs from the last one does not reveal.
            const stale = list.find((e) => e.choice !== latest.choice || e.salt !== latest.salt);
            if (stale) {
              await expect(f.ballots.connect(voters[i]).reveal(b, stale.choice, stale.salt))
                .to.be.revertedWithCustomError(f.ballots, "CityBallotsBadReveal")
                .withArgs(b, voters[i].address);
            }
            await (await f.ballots.connect(voters[i]).reveal(b, latest.choice, latest.salt)).wait();
            revealed.set(i, 1n << latest.choice);
          }
          await expectResults(f, b, revealed, new Set(history.keys()));
          expect((await f.ballots.ballot(b))[1].revealed).to.equal(BigInt(revealed.size));
        },
      ),
      { numRuns, seed, endOnFailure: true },
    );
  });
});
