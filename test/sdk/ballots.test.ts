import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import { keccak256, parseEther, toHex, zeroHash, type Address } from "viem";
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
import { cityBallotsAbi } from "../../sdk/src/abis/cityBallots";
import { addressOf, cityAs, credential, expectCityError, now, publicClient, sdkFixture } from "./helpers";

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

  it("a member opens a petition (one collecting signatures at a time), members sign it to its threshold", async () => {
    const f = await loadFixture(sdkFixture);
    const opensAt = (await now()) + 60;
    const params = { kind: "petition", thresholdBps: 10_000, opensAt, closesAt: opensAt + DAY, questionHash: QUESTION } as const;
    await f.alice.ballots.openPetition({ params, proposalId: 42n, wait: true });
    const [opened] = await publicClient.getContractEvents({ address: f.deployment.addresses.cityBallots!, abi: cityBallotsAbi, eventName: "PetitionOpened", fromBlock: 0n });
    expect(opened!.args).to.deep.equal({ petitionId: 1n, member: addressOf(f.alice) });
    await expectCityError(f.alice.ballots.openPetition({ params, proposalId: 43n }), "CityBallotsPetitionPending", [addressOf(f.alice), 1n]);
    await expectCityError(f.bob.ballots.openPetition({ params: { ...params, thresholdBps: 100 }, proposalId: 43n }), "CityBallotsMemberPetitionTooNarrow", [0xffff, 0, 100]);
    await expectCityError(f.outsider.ballots.openPetition({ params, proposalId: 43n }), "CityBallotsNotAMember", [0n, addressOf(f.outsider)]);
    await time.increaseTo(opensAt);
    for (const member of [f.alice, f.bob]) await member.ballots.signPetition({ petitionId: 1n, wait: true });
    expect(await f.reader.ballots.getPetitionOutcome({ petitionId: 1n })).to.deep.equal({ reached: true, proposalId: 42n });
  });

  it("finalizeBallot pages a ballot voted in more districts than one transaction sums, then finalizes it", async () => {
    const f = await loadFixture(sdkFixture);
    // 31 more members, each in a district of their own: with alice and bob (district 7), 32 voted districts.
    const voters: Address[] = [];
    for (let i = 0; i < 31; i++) {
      const member = `0x${(0xba110700n * 2n ** 128n + BigInt(i)).toString(16).padStart(40, "0")}` as Address;
      await f.registrar.members.register({ member, college: 1, district: 100 + i, flags: 1n, credentialHash: credential(), wait: true });
      await hre.network.provider.send("hardhat_impersonateAccount", [member]);
      await setBalance(member, parseEther("1"));
      voters.push(member);
    }
    const opensAt = (await now()) + 60;
    await f.orchestrator.ballots.createBallot({ params: { kind: "referendum", opensAt, closesAt: opensAt + DAY, questionHash: QUESTION }, wait: true });
    const ballotId = await f.reader.ballots.getBallotCount();
    await time.increaseTo(opensAt);
    for (const [i, voter] of voters.entries()) await cityAs(f.deployment, voter).ballots.vote({ ballotId, choice: BigInt(i % 3), wait: true });
    await f.alice.ballots.vote({ ballotId, choice: referendumOptions.yes, wait: true });
    await f.bob.ballots.vote({ ballotId, choice: referendumOptions.no, wait: true });
    await time.increaseTo(opensAt + DAY);
    expect(await f.reader.ballots.getFinalizationProgress({ ballotId })).to.deep.equal({ paged: 0n, total: 32n, maxPerPage: 30n, pagesLeft: 1n });
    // A page of no district is refused (the contract caps a page at 30; finalize sums the last 30 at most).
    await expectCityError(f.outsider.ballots.finalizeBallotPage({ ballotId, maxDistricts: 0n }), "CityBallotsNothingToPage", [ballotId, 0n, 32n]);
    const pages: bigint[] = [];
    await f.outsider.ballots.finalizeBallot({ ballotId, wait: true, onPage: (_, progress) => pages.push(progress.paged) });
    expect(pages).to.deep.equal([30n]);
    expect(await f.reader.ballots.getBallotState({ ballotId })).to.equal("finalized");
    expect(await f.reader.ballots.getFinalizationProgress({ ballotId })).to.deep.include({ paged: 30n, total: 32n, pagesLeft: 0n });
    const [finalized] = await publicClient.getContractEvents({ address: f.deployment.addresses.cityBallots!, abi: cityBallotsAbi, eventName: "BallotFinalized", args: { ballotId }, fromBlock: 0n });
    // 11 yes (i % 3 == 0) + alice, 10 no + bob, 10 blank.
    expect(finalized!.args.counts).to.deep.equal([12n, 11n, 10n]);
    const districts = await publicClient.getContractEvents({ address: f.deployment.addresses.cityBallots!, abi: cityBallotsAbi, eventName: "BallotDistrictResult", args: { ballotId }, fromBlock: 0n });
    expect(new Set(districts.map((d) => d.args.district)).size).to.equal(32);
    expect(districts).to.have.length(32);
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
