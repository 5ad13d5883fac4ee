import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { id } from "ethers";
import { advance } from "../fixtures";
import { Flags } from "../../scripts/lib/roles";
import {
  COLLEGE_SIZES,
  State,
  Support,
  charterOf,
  closeVote,
  deployGoverned,
  feeProposal,
  openVote,
  propose,
  vote,
  type GovernanceFixture,
} from "./helpers";

const WAD = 10n ** 18n;

/** Four colleges of 25% each, a 50% quorum in every college, approval above 50%. */
const equalWeights = () => deployGoverned({ charter: charterOf([[0, 2500, 5000], [1, 2500, 5000], [2, 2500, 5000], [3, 2500, 5000]]) });
/** Three colleges: PUBLIC 50%, CITIZENS 25%, ASSOCIATIONS 25% (PRIVATE_PARTNERS is not in the charter), 10% quorums. */
const halfAndHalf = () => deployGoverned({ charter: charterOf([[0, 5000, 1000], [1, 2500, 1000], [3, 2500, 1000]]) });
/** Four colleges, the fourth being college 4, which has no member. */
const emptyCollege = () => deployGoverned({ charter: charterOf([[0, 2500, 1000], [1, 2500, 1000], [2, 2500, 1000], [4, 2500, 1000]]) });

async function results(f: GovernanceFixture, proposalId: bigint, college: number) {
  const [forVotes, againstVotes, abstainVotes] = await f.governor.proposalVotes(proposalId, college);
  return [Number(forVotes), Number(againstVotes), Number(abstainVotes)];
}

describe("CityGovernor: collegial counting against hand-computed cases", function () {
  it("counts each vote in the voter's college and emits CollegeVoteCast with it", async function () {
    const f = await loadFixture(equalWeights);
    const pid = await propose(f, await feeProposal(f, 150));
    await openVote();
    const voter = f.colleges[1][0];
    await expect(f.governor.connect(voter).castVote(pid, Support.For))
      .to.emit(f.governor, "CollegeVoteCast")
      .withArgs(pid, voter.address, 1, Support.For)
      .and.to.emit(f.governor, "VoteCast")
      .withArgs(voter.address, pid, Support.For, 1, "");
    await (await f.governor.connect(f.colleges[3][0]).castVote(pid, Support.Abstain)).wait();
    await (await f.governor.connect(f.colleges[3][1]).castVote(pid, Support.Against)).wait();
    expect(await results(f, pid, 1)).to.deep.equal([1, 0, 0]);
    expect(await results(f, pid, 3)).to.deep.equal([0, 1, 1]);
    expect(await results(f, pid, 0)).to.deep.equal([0, 0, 0]);
    expect(await f.governor.hasVoted(pid, voter.address)).to.equal(true);
  });

  it("a college below its quorum blocks a proposal every vote supports; one more vote (an abstention) unblocks it", async function () {
    const f = await loadFixture(equalWeights);
    // PUBLIC has 4 members and a 50% quorum: 2 votes needed. Everyone else: unanimous and above quorum.
    const blocked = await propose(f, await feeProposal(f, 150));
    const passing = await propose(f, await feeProposal(f, 160));
    await openVote();
    await vote(f, blocked, [[1, 0, 0], [5, 0, 0], [2, 0, 0], [2, 0, 0]]);
    await vote(f, passing, [[1, 0, 1], [5, 0, 0], [2, 0, 0], [2, 0, 0]]);
    await closeVote();
    // Both score 100%: 25% × 1/1 in each college.
    expect((await f.governor.weightedResult(blocked))[0]).to.equal(WAD);
    expect(await f.governor.state(blocked)).to.equal(State.Defeated);
    expect(await f.governor.state(passing)).to.equal(State.Succeeded);
    // The informative total quorum: ⌈50% × 4⌉ + ⌈50% × 10⌉ + 2 + 2 = 11.
    const snapshot = await f.governor.proposalSnapshot(blocked);
    expect(await f.governor.quorum(snapshot)).to.equal(11n);
  });

  it("equal weights at the threshold boundary: exactly 50% is defeated, 54.58% passes", async function () {
    const f = await loadFixture(equalWeights);
    const tie = await propose(f, await feeProposal(f, 150));
    const above = await propose(f, await feeProposal(f, 160));
    await openVote();
    // Two colleges unanimously for, two unanimously against: 25% + 25% = 50%, which does not exceed 50%.
    await vote(f, tie, [[2, 0, 0], [5, 0, 0], [0, 2, 0], [0, 2, 0]]);
    // 25% × 4/4 + 25% × 6/10 + 25% × 1/4 + 25% × 1/3 = 25 + 15 + 6.25 + 8.333… = 54.583…%
    await vote(f, above, [[4, 0, 0], [6, 4, 0], [1, 3, 0], [1, 2, 0]]);
    await closeVote();
    expect(await f.governor.weightedResult(tie)).to.deep.equal([WAD / 2n, 5000n]);
    expect(await f.governor.state(tie)).to.equal(State.Defeated);
    const expected = (WAD / 4n) + (WAD / 4n) * 6n / 10n + (WAD / 4n) / 4n + (WAD / 4n) / 3n;
    const [score] = await f.governor.weightedResult(above);
    expect(score - expected).to.be.within(0n, 1n); // each term rounded down, at 1e-36 before scaling to 1e18
    expect(await f.governor.state(above)).to.equal(State.Succeeded);
  });

  it("a 50/50 split of the weights (PUBLIC's 50% for, CITIZENS' and ASSOCIATIONS' 25% + 25% against) is not a majority", async function () {
    const f = await loadFixture(halfAndHalf);
    const split = await propose(f, await feeProposal(f, 150));
    const tipped = await propose(f, await feeProposal(f, 160));
    await openVote();
    await vote(f, split, [[4, 0, 0], [0, 10, 0], [0, 0, 0], [0, 4, 0]]);
    // One citizen changes sides: 50% + 25% × 1/10 = 52.5%.
    await vote(f, tipped, [[4, 0, 0], [1, 9, 0], [0, 0, 0], [0, 4, 0]]);
    await closeVote();
    expect(await f.governor.weightedResult(split)).to.deep.equal([WAD / 2n, 5000n]);
    expect(await f.governor.state(split)).to.equal(State.Defeated);
    expect((await f.governor.weightedResult(tipped))[0]).to.equal((WAD * 525n) / 1000n);
    expect(await f.governor.state(tipped)).to.equal(State.Succeeded);
  });

  it("refuses the vote of a member whose college is not in the proposal's charter", async function () {
    const f = await loadFixture(halfAndHalf);
    const pid = await propose(f, await feeProposal(f, 150));
    await openVote();
    await expect(f.governor.connect(f.colleges[2][0]).castVote(pid, Support.For))
      .to.be.revertedWithCustomError(f.governor, "CityGovernorCollegeNotInCharter")
      .withArgs(pid, 2);
  });

  it("a college with zero members is rejected: no proposal while it is empty", async function () {
    const f = await loadFixture(emptyCollege);
    const p = await feeProposal(f, 150);
    await expect(f.governor.connect(f.orchestrator).propose(p.targets, p.values, p.calldatas, p.description))
      .to.be.revertedWithCustomError(f.charter, "CityCharterEmptyCollege")
      .withArgs(4);
  });

  it("a college left with zero members at the snapshot never reaches its quorum", async function () {
    const fixture = await loadFixture(emptyCollege);
    const [member, ...others] = fixture.colleges[0];
    const f = { ...fixture, colleges: [others, ...fixture.colleges.slice(1)] };
    await (await f.registry.connect(f.council).configureCollege(4, "NEIGHBOURHOODS", true)).wait();
    await (await f.registry.connect(f.registrar).update(member.address, 4, 1, Flags.RESIDENT, id("moved to college 4"))).wait();
    const pid = await propose(f, await feeProposal(f, 150));
    // Before the snapshot, the only member of college 4 is removed.
    await (await f.registry.connect(f.registrar).remove(member.address, id("left the city"))).wait();
    await openVote();
    await vote(f, pid, [[3, 0, 0], [10, 0, 0], [4, 0, 0]]);
    await closeVote();
    expect(await f.registry.getPastCollegeSize(4, await f.governor.proposalSnapshot(pid))).to.equal(0n);
    expect((await f.governor.weightedResult(pid))[0]).to.equal((WAD * 3n) / 4n);
    expect(await f.governor.state(pid)).to.equal(State.Defeated);
  });

  it("every vote counts once, from members at the snapshot, with bravo support values", async function () {
    const f = await loadFixture(equalWeights);
    const pid = await propose(f, await feeProposal(f, 150));
    const late = f.people[0];
    await openVote();
    await (await f.registry.connect(f.registrar).register(late.address, 1, 1, Flags.RESIDENT, id("late member"))).wait();
    const [voter] = f.colleges[1];
    await (await f.governor.connect(voter).castVote(pid, Support.For)).wait();
    await expect(f.governor.connect(voter).castVote(pid, Support.Against))
      .to.be.revertedWithCustomError(f.governor, "CityGovernorAlreadyVoted")
      .withArgs(pid, voter.address);
    await expect(f.governor.connect(late).castVote(pid, Support.For))
      .to.be.revertedWithCustomError(f.governor, "CityGovernorNotAMember")
      .withArgs(late.address);
    await expect(f.governor.connect(f.outsider).castVote(pid, Support.For))
      .to.be.revertedWithCustomError(f.governor, "CityGovernorNotAMember")
      .withArgs(f.outsider.address);
    await expect(f.governor.connect(f.colleges[1][1]).castVote(pid, 3))
      .to.be.revertedWithCustomError(f.governor, "CityGovernorInvalidSupport")
      .withArgs(3);
    expect(COLLEGE_SIZES[1]).to.equal(10);
  });

  it("a member suspended after the snapshot no longer votes with that membership", async function () {
    const f = await loadFixture(equalWeights);
    const pid = await propose(f, await feeProposal(f, 150));
    await openVote();
    const [member] = f.colleges[0];
    await (await f.registry.connect(f.registrar).suspend(member.address, id("under review"))).wait();
    await advance(1);
    await expect(f.governor.connect(member).castVote(pid, Support.For))
      .to.be.revertedWithCustomError(f.governor, "CityGovernorNotAMember")
      .withArgs(member.address);
  });
});
