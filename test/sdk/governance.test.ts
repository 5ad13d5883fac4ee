import { expect } from "chai";
import { id } from "ethers";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { encodeFunctionData, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { cityCoinAbi, loadDeployment, type CityClient, type ProposalCall } from "../../sdk/src";
import { closeVote, handedOver, openVote, TIMELOCK_DELAY, type GovernanceFixture } from "../governance/helpers";
import { advance } from "../fixtures";
import { cityAs, expectCityError, now } from "./helpers";

interface SdkGovernanceFixture {
  f: GovernanceFixture;
  orchestrator: CityClient;
  relayer: CityClient;
  /** SDK clients of the members, by college. */
  colleges: CityClient[][];
}

/** The governed city, handed over, with an SDK client per member (local viem accounts) and for the role holders. */
async function sdkGovernanceFixture(): Promise<SdkGovernanceFixture> {
  const f = await handedOver();
  const deployment = loadDeployment({ ...f.record, contracts: { ...f.record.contracts, ...f.governanceRecord } });
  const colleges = f.colleges.map((members) => members.map((m) => cityAs(deployment, privateKeyToAccount(m.privateKey as Hex))));
  return {
    f,
    orchestrator: cityAs(deployment, f.orchestrator.address as Address),
    relayer: cityAs(deployment, f.relayer.address as Address),
    colleges,
  };
}

function feeCall(coin: Address, bps: number, description: string): ProposalCall {
  return { targets: [coin], calldatas: [encodeFunctionData({ abi: cityCoinAbi, functionName: "setRedemptionFee", args: [bps] })], description };
}

describe("sdk: governance", function () {
  it("proposes, votes (directly and by a relayed signature), reads the per-college results, queues and executes", async function () {
    const { f, orchestrator, relayer, colleges } = await loadFixture(sdkGovernanceFixture);
    const call = feeCall(orchestrator.addresses.cityCoin, 250, "Fee to 2.5% (sdk)");
    await orchestrator.governance.propose({ ...call, wait: true });
    const proposalId = await orchestrator.governance.getProposalId(call);
    expect(proposalId).to.equal(await f.governor.hashProposal([...call.targets], [0n], [...call.calldatas], id(call.description)));
    expect(await orchestrator.governance.getProposalState({ proposalId })).to.equal("pending");
    await openVote();
    expect(await orchestrator.governance.getProposalState({ proposalId })).to.equal("active");
    for (const [college, votes] of [[0, [1, 1]], [1, [1, 1, 0]], [2, [1]], [3, [1, 2]]] as const) {
      for (const [i, support] of votes.entries()) await colleges[college]![i]!.governance.castVote({ proposalId, support, wait: true });
    }
    const ballot = await colleges[1]![5]!.governance.signBallot({ proposalId, support: 2 });
    await relayer.governance.castVoteBySig({ ...ballot, wait: true });
    await expectCityError(colleges[1]![0]!.governance.castVote({ proposalId, support: 1 }), "CityGovernorAlreadyVoted", [proposalId, colleges[1]![0]!.walletClient!.account!.address]);
    await closeVote();
    const results = await orchestrator.governance.getCollegeResults({ proposalId });
    expect(results.charterVersion).to.equal(1);
    expect(results.constitutional).to.equal(false);
    expect(results.thresholdBps).to.equal(5_000);
    expect(results.colleges.map((c) => [c.college, c.members, c.forVotes, c.againstVotes, c.abstainVotes, c.quorumReached])).to.deep.equal([
      [0, 4n, 2n, 0n, 0n, true],
      [1, 10n, 2n, 1n, 1n, true],
      [2, 4n, 1n, 0n, 0n, true],
      [3, 4n, 1n, 0n, 1n, true],
    ]);
    // 25% × 1 + 35% × 2/3 + 20% × 1 + 20% × 1 = 88.33…%
    expect(results.scoreWad).to.equal((await f.governor.weightedResult(proposalId))[0]);
    expect(await orchestrator.governance.getProposalState({ proposalId })).to.equal("succeeded");
    await relayer.governance.queue({ ...call, wait: true });
    expect(await orchestrator.governance.getProposalState({ proposalId })).to.equal("queued");
    await advance(TIMELOCK_DELAY + 1);
    await relayer.governance.execute({ ...call, wait: true });
    expect(await orchestrator.governance.getProposalState({ proposalId })).to.equal("executed");
    expect(await f.coin.redemptionFeeBps()).to.equal(250n);
  });

  it("citizens veto a queued proposal by a relayed signature; the progress is readable", async function () {
    const { orchestrator, relayer, colleges } = await loadFixture(sdkGovernanceFixture);
    const call = feeCall(orchestrator.addresses.cityCoin, 900, "Fee to 9% (sdk)");
    await orchestrator.governance.propose({ ...call, wait: true });
    const proposalId = await orchestrator.governance.getProposalId(call);
    await openVote();
    for (const college of colleges) for (const member of college.slice(0, 3)) await member.governance.castVote({ proposalId, support: 1, wait: true });
    await closeVote();
    await relayer.governance.queue({ ...call, wait: true });
    expect(await orchestrator.governance.getVetoProgress({ proposalId })).to.deep.equal({ signatures: 0n, needed: 1n, college: 1 });
    await expectCityError(colleges[0]![0]!.governance.veto({ proposalId }), "CitizensVetoNotACitizen");
    const signed = await colleges[1]![9]!.governance.signVeto({ proposalId });
    await relayer.governance.vetoBySig({ ...signed, wait: true });
    expect(await orchestrator.governance.getVetoProgress({ proposalId })).to.deep.equal({ signatures: 1n, needed: 1n, college: 1 });
    expect(await orchestrator.governance.getProposalState({ proposalId })).to.equal("canceled");
  });

  it("a member proposes with co-signatures, which the orchestrator cannot cancel; it cancels its own before the vote with a reason, not after", async function () {
    const { orchestrator, colleges } = await loadFixture(sdkGovernanceFixture);
    const call = feeCall(orchestrator.addresses.cityCoin, 120, "Fee to 1.2% (sdk, co-signed)");
    const proposalId = await orchestrator.governance.getProposalId(call);
    // From the chain's clock: other test files in this worker may have moved it far past the wall clock.
    const deadline = BigInt(await now()) + 10n ** 6n;
    const cosigner = colleges[3]![3]!;
    const signature = await cosigner.governance.signCosign({ proposalId, deadline });
    await colleges[2]![3]!.governance.proposeWithCosigners({ ...call, deadline, cosigners: [{ address: cosigner.walletClient!.account!.address, signature }], wait: true });
    expect(await orchestrator.governance.getProposalState({ proposalId })).to.equal("pending");
    await expectCityError(colleges[0]![0]!.governance.cancel({ ...call, reason: "no" }), "AccessManagedUnauthorized");
    await expectCityError(orchestrator.governance.cancel({ ...call, reason: "superseded" }), "CityGovernorMemberProposal", [proposalId]);
    expect(await orchestrator.governance.getProposalState({ proposalId })).to.equal("pending");
    const own = feeCall(orchestrator.addresses.cityCoin, 125, "Fee to 1.25% (sdk, the orchestrator's)");
    await orchestrator.governance.propose({ ...own, wait: true });
    const ownId = await orchestrator.governance.getProposalId(own);
    await orchestrator.governance.cancel({ ...own, reason: "superseded", wait: true });
    expect(await orchestrator.governance.getProposalState({ proposalId: ownId })).to.equal("canceled");

    const other = feeCall(orchestrator.addresses.cityCoin, 130, "Fee to 1.3% (sdk)");
    await orchestrator.governance.propose({ ...other, wait: true });
    await openVote();
    const otherId = await orchestrator.governance.getProposalId(other);
    await expectCityError(orchestrator.governance.cancel({ ...other, reason: "too late" }), "CityGovernorTooLateToCancel", [otherId, 1]);
  });
});
