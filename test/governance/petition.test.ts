import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { advance } from "../fixtures";
import { Kind, NO_REFERENDUM, ballotParams } from "../votes/ballotHelpers";
import { State, deployGoverned, feeProposal, proposalId } from "./helpers";

describe("CityGovernor × CityBallots: a successful petition puts its proposal on the agenda", function () {
  it("only once the real petition reached its threshold, and only the proposal it names", async function () {
    const f = await loadFixture(deployGoverned);
    expect(await f.governor.petitions()).to.equal(await f.ballots.getAddress());
    const p = await feeProposal(f, 50, "Lower the redemption fee to 0.5% (citizens' petition)");
    const pid = await proposalId(f.governor, p);
    // 10% of the 22 members: 3 signatures.
    const params = await ballotParams({ kind: Kind.Petition, thresholdBps: 1_000 });
    await (await f.ballots.connect(f.orchestrator).createPetition(params, { proposalId: pid, referendum: NO_REFERENDUM })).wait();
    const petitionId = await f.ballots.ballotCount();
    const submit = (q: typeof p) => f.agenda.connect(f.outsider).proposeByPetition(petitionId, q.targets, q.values, q.calldatas, q.description);
    await advance(101);
    for (const signer of f.colleges[1].slice(0, 2)) await (await f.ballots.connect(signer).sign(petitionId)).wait();
    await expect(submit(p)).to.be.revertedWithCustomError(f.governor, "CityGovernorPetitionNotReached").withArgs(petitionId);
    await (await f.ballots.connect(f.colleges[0][0]).sign(petitionId)).wait();
    expect(await f.ballots.petitionOutcome(petitionId)).to.deep.equal([true, pid]);
    const other = await feeProposal(f, 10, "Something else");
    await expect(submit(other))
      .to.be.revertedWithCustomError(f.governor, "CityGovernorPetitionMismatch")
      .withArgs(petitionId, pid, await proposalId(f.governor, other));
    await expect(submit(p)).to.emit(f.governor, "ProposalPetitioned").withArgs(pid, petitionId);
    expect(await f.governor.state(pid)).to.equal(State.Pending);
    expect(await f.governor.proposalProposer(pid)).to.equal(await f.ballots.getAddress());
  });
});
