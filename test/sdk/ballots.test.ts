import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { keccak256, toHex, zeroHash } from "viem";
import {
  ContractNotDeployedError,
  approvalOf,
  cityErrorMessages,
  createCityClient,
  hashCommitment,
  memorySaltStore,
  referendumOptions,
  type BallotParameters,
} from "../../sdk/src";
import { addressOf, expectCityError, now, publicClient, sdkFixture } from "./helpers";

const DAY = 24 * 3600;
const QUESTION = keccak256(toHex("Should the old town be car-free on Sundays?"));

/** The SDK fixture (alice and bob: CITIZENS, district 7) with a ballot of `params` created by the orchestrator. */
async function withBallot(params: Partial<BallotParameters> = {}) {
  const f = await loadFixture(sdkFixture);
  const opensAt = (await now()) + 60;
  await f.orchestrator.ballots.createBallot({
    params: { kind: "referendum", opensAt, closesAt: opensAt + 7 * DAY, questionHash: QUESTION, ...params },
    wait: true,
  });
  const ballotId = await f.reader.ballots.getBallotCount();
  return { ...f, ballotId, opensAt, closesAt: opensAt + 7 * DAY };
}

describe("sdk: ballots", () => {
  it("creates a referendum, votes, changes a vote, reads live results and finalizes", async () => {
    const f = await withBallot({ thresholdBps: 5_000, binding: true });
    expect(f.ballotId).to.equal(1n);
    expect(await f.reader.ballots.getBallotState({ ballotId: f.ballotId })).to.equal("pending");
    await time.increaseTo(f.opensAt);
    await f.alice.ballots.vote({ ballotId: f.ballotId, choice: referendumOptions.yes, wait: true });
    await f.bob.ballots.vote({ ballotId: f.ballotId, choice: referendumOptions.yes, wait: true });
    await f.bob.ballots.vote({ ballotId: f.ballotId, choice: referendumOptions.no, wait: true });
    expect(await f.reader.ballots.getChoice({ ballotId: f.ballotId, voter: addressOf(f.bob) })).to.deep.equal({ voted: true, choice: 1n });
    const results = await f.reader.ballots.getResults({ ballotId: f.ballotId });
    expect(results.counts).to.deep.equal([1n, 1n, 0n]);
    expect(results.turnout).to.equal(2n);
    expect(results.byCollege[1]).to.deep.equal({ counts: [1n, 1n, 0n], turnout: 2n });
    expect(results.byDistrict).to.deep.equal([{ district: 7, counts: [1n, 1n, 0n], turnout: 2n }]);
    await expectCityError(f.alice.ballots.finalizeBallot({ ballotId: f.ballotId }), "CityBallotsWrongState", [f.ballotId, 2]);
    await time.increaseTo(f.closesAt);
    await f.outsider.ballots.finalizeBallot({ ballotId: f.ballotId, wait: true });
    expect(await f.reader.ballots.getBallotState({ ballotId: f.ballotId })).to.equal("finalized");
    const { config, tally } = await f.reader.ballots.getBallot({ ballotId: f.ballotId });
    expect(config.optionCount).to.equal(3);
    expect(tally.finalized).to.equal(true);
    expect(tally.electorate).to.equal(2n);
  });

  it("decodes a refused vote with its name, arguments and sentence", async () => {
    const f = await withBallot();
    await time.increaseTo(f.opensAt);
    const outsider = addressOf(f.outsider);
    const err = await expectCityError(f.outsider.ballots.vote({ ballotId: f.ballotId, choice: 0n }), "CityBallotsNotAMember", [f.ballotId, outsider]);
    expect(err.shortMessage).to.contain("was not an active member at the snapshot");
    expect(cityErrorMessages.CityBallotsWrongState.message([1n, 1], {})).to.equal("ballot 1 is not open yet");
  });

  it("seals a vote: commit keeps the salt, reveal reads it back, the result counts it", async () => {
    const f = await withBallot({ kind: "consultation", optionCount: 4, approval: true, maxApprovals: 2, sealed: true, revealWindow: DAY });
    await time.increaseTo(f.opensAt);
    const store = memorySaltStore();
    const choice = approvalOf([1, 3]);
    const first = await f.alice.ballots.commitVote({ ballotId: f.ballotId, choice: approvalOf([0]), store, wait: true });
    const { salt, commitment } = await f.alice.ballots.commitVote({ ballotId: f.ballotId, choice, store, wait: true });
    expect(salt).to.not.equal(first.salt);
    expect(commitment).to.equal(hashCommitment({ ballotId: f.ballotId, voter: addressOf(f.alice), choice, salt, chainId: 31337 }));
    expect(await f.reader.ballots.getCommitment({ ballotId: f.ballotId, voter: addressOf(f.alice) })).to.equal(commitment);
    expect((await f.reader.ballots.getResults({ ballotId: f.ballotId })).counts).to.deep.equal([0n, 0n, 0n, 0n]);
    await time.increaseTo(f.closesAt);
    await expectCityError(f.alice.ballots.revealVote({ ballotId: f.ballotId, choice: approvalOf([0]), salt: first.salt }), "CityBallotsBadReveal", [
      f.ballotId,
      addressOf(f.alice),
    ]);
    await f.alice.ballots.revealVote({ ballotId: f.ballotId, store, wait: true });
    const results = await f.reader.ballots.getResults({ ballotId: f.ballotId });
    expect(results.counts).to.deep.equal([0n, 1n, 0n, 1n]);
    let missing: unknown;
    try {
      await f.bob.ballots.revealVote({ ballotId: f.ballotId, store });
    } catch (err) {
      missing = err;
    }
    expect((missing as Error).name).to.equal("SealedVoteNotFoundError");
  });

  it("petitions: members sign, the threshold puts the proposal on the agenda", async () => {
    const f = await loadFixture(sdkFixture);
    const opensAt = (await now()) + 60;
    await f.orchestrator.ballots.createPetition({
      params: { kind: "petition", thresholdBps: 10_000, opensAt, closesAt: opensAt + DAY, questionHash: QUESTION },
      proposalId: 42n,
      wait: true,
    });
    await time.increaseTo(opensAt);
    await f.alice.ballots.signPetition({ petitionId: 1n, wait: true });
    expect(await f.reader.ballots.getPetitionOutcome({ petitionId: 1n })).to.deep.equal({ reached: false, proposalId: 42n });
    await expectCityError(f.alice.ballots.signPetition({ petitionId: 1n }), "CityBallotsAlreadySigned", [1n, addressOf(f.alice)]);
    await f.bob.ballots.signPetition({ petitionId: 1n, wait: true });
    expect(await f.reader.ballots.getPetitionOutcome({ petitionId: 1n })).to.deep.equal({ reached: true, proposalId: 42n });
  });

  it("a deployment without CityBallots says so", async () => {
    const f = await loadFixture(sdkFixture);
    const city = createCityClient({ publicClient, deployment: { ...f.deployment, addresses: { ...f.deployment.addresses, cityBallots: undefined } } });
    let caught: unknown;
    try {
      await city.ballots.getBallotCount();
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(ContractNotDeployedError);
    expect(zeroHash).to.have.length(66);
  });
});
