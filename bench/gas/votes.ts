import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { AbiCoder, keccak256 } from "ethers";
import { deployCity } from "../../scripts/lib/deploy";
import { Flags } from "../../scripts/lib/roles";
import type { GasEntry } from "./report";
import { gasOf } from "./report";
import { measureReferenceCastVote } from "./referenceGovernor";

const DAY = 24 * 3600;
/** Members who vote before the measured one, so no counter slot the measured vote writes is written for the first time. */
const EARLIER_VOTERS = 3;

/**
 * CityBallots operations of a later voter in their steady state: earlier members of the same college and district
 * already voted the same option, and the measured member has voted in the city before (a member's first ballot
 * ever numbers them once, as an ERC20Votes holder delegates once before a Governor counts them: the reference
 * voter self-delegated before the proposal). `votes.referendumFirstVote` is that first ballot of a member. The
 * referendum vote's baseline is a later voter's `castVote` on a plain OpenZeppelin Governor deployed by the bench
 * (bench/gas/referenceGovernor.ts).
 */
export async function measureBallots(hre: HardhatRuntimeEnvironment): Promise<Record<string, GasEntry>> {
  const { ethers } = hre;
  const castVote = await measureReferenceCastVote(hre);
  const [admin, registrar, orchestrator, ...people] = await ethers.getSigners();
  const voters = people.slice(0, EARLIER_VOTERS + 2);
  const { registry, ballots } = await deployCity(hre, admin, {
    grants: { REGISTRAR: [registrar.address], ORCHESTRATOR: [orchestrator.address] },
  });
  for (const [i, who] of voters.entries()) {
    await (await registry.connect(registrar).register(who.address, 1, 1, Flags.RESIDENT, ethers.id(`bench-v-${i}`))).wait();
  }

  const opensAt = (await ethers.provider.getBlock("latest"))!.timestamp + 100;
  const base = {
    kind: 0,
    sealed_: false,
    binding: true,
    approval: false,
    optionCount: 0,
    maxApprovals: 0,
    collegeMask: 0b1111,
    flagBit: 0,
    thresholdBps: 0,
    opensAt,
    closesAt: opensAt + 7 * DAY,
    revealWindow: 0,
    districts: [],
    questionHash: ethers.id("bench question"),
  };
  await (await ballots.connect(orchestrator).createBallot(base)).wait();
  await (await ballots.connect(orchestrator).createBallot({ ...base, sealed_: true, revealWindow: DAY })).wait();
  const noReferendum = { ...base, collegeMask: 0, opensAt: 0, closesAt: 0, questionHash: ethers.ZeroHash };
  await (await ballots.connect(orchestrator).createPetition({ ...base, kind: 2, thresholdBps: 10_000 }, { proposalId: 1n, referendum: noReferendum })).wait();
  await (await ballots.connect(orchestrator).createBallot({ ...base, questionHash: ethers.id("an earlier question") })).wait();
  const [referendum, sealed, petition, earlier] = [1n, 2n, 3n, 4n];
  await hre.network.provider.send("evm_setNextBlockTimestamp", [opensAt]);
  // The members who vote below voted in the city before (all but the newcomer, the last one).
  for (const who of voters.slice(0, EARLIER_VOTERS + 1)) await (await ballots.connect(who).vote(earlier, 1n)).wait();

  const { chainId } = await ethers.provider.getNetwork();
  const salt = ethers.id("salt");
  const commitment = (voter: string) =>
    keccak256(AbiCoder.defaultAbiCoder().encode(["uint64", "bytes32", "address", "uint256", "uint256"], [0n, salt, voter, sealed, chainId]));
  for (const who of voters.slice(0, EARLIER_VOTERS)) {
    await (await ballots.connect(who).vote(referendum, 0n)).wait();
    await (await ballots.connect(who).commit(sealed, commitment(who.address))).wait();
    await (await ballots.connect(who).sign(petition)).wait();
  }
  const later = voters[EARLIER_VOTERS];
  const referendumVote = await gasOf(ballots.connect(later).vote(referendum, 0n));
  const referendumFirstVote = await gasOf(ballots.connect(voters[EARLIER_VOTERS + 1]).vote(referendum, 0n));
  const sealedCommit = await gasOf(ballots.connect(later).commit(sealed, commitment(later.address)));
  const petitionSign = await gasOf(ballots.connect(later).sign(petition));

  await hre.network.provider.send("evm_setNextBlockTimestamp", [opensAt + 7 * DAY]);
  for (const who of voters.slice(0, EARLIER_VOTERS)) await (await ballots.connect(who).reveal(sealed, 0n, salt)).wait();
  const sealedReveal = await gasOf(ballots.connect(later).reveal(sealed, 0n, salt));

  return {
    "votes.referendumVote": { gas: referendumVote, baseline: castVote },
    "votes.referendumFirstVote": { gas: referendumFirstVote, baseline: castVote },
    "votes.sealedCommit": { gas: sealedCommit, baseline: castVote },
    "votes.sealedReveal": { gas: sealedReveal },
    "votes.petitionSign": { gas: petitionSign, baseline: castVote },
  };
}
