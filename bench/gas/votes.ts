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

/** Projects on the measured budget round's ballot (city-wide, €1,000-1,006 each) and the tally's round size. */
const BUDGET_BALLOT_PROJECTS = 12;
const TALLY_PROJECTS = 100;
const TALLY_VOTERS = 12;

/**
 * ParticipatoryBudget (bench/gas.ts area "votes (budget)"): a later member's first ballot selecting 1, 5 and 10
 * projects (earlier members already voted for every project, so each count slot the ballot writes already holds votes,
 * and the ballot log's head exists), and the greedy tally of a round with 100 projects on the ballot and ballots from
 * 12 members (each project has votes, and all fit the envelope: the worst case, 100 winners written and evented).
 * The ballots' baseline is the issue's target, not a measurement: 55k + 6k per project selected.
 */
export async function measureBudget(hre: HardhatRuntimeEnvironment): Promise<Record<string, GasEntry>> {
  const { ethers } = hre;
  const [admin, registrar, orchestrator, ...people] = await ethers.getSigners();
  const { registry, budget } = await deployCity(hre, admin, {
    grants: { REGISTRAR: [registrar.address], ORCHESTRATOR: [orchestrator.address] },
  });
  const members = people.slice(0, TALLY_VOTERS);
  for (const [i, who] of members.entries()) {
    await (await registry.connect(registrar).register(who.address, 1, 1, Flags.RESIDENT, ethers.id(`bench-budget-${i}`))).wait();
  }
  const start = (await ethers.provider.getBlock("latest"))!.timestamp;
  const params = (count: number) => ({
    snapshot: start + 10,
    proposalsEnd: start + DAY,
    supportEnd: start + 2 * DAY,
    reviewEnd: start + 3 * DAY,
    voteEnd: start + 10 * DAY,
    supportThreshold: 0,
    ballotRule: 0,
    maxApprovals: 0,
    minSpendBps: 0,
    collegeMask: 0xffff,
    winnerRule: 0,
    cityAmount: BigInt(count) * 2_000_000_000n,
    districts: [1],
    districtAmounts: [1_000_000_000n],
  });
  const rounds: [bigint, number][] = [
    [1n, BUDGET_BALLOT_PROJECTS],
    [2n, TALLY_PROJECTS],
  ];
  for (const [roundId, count] of rounds) {
    await (await budget.connect(orchestrator).createRound(params(count))).wait();
    for (let i = 0; i < count; ++i) {
      await (await budget.connect(members[i % members.length]).submit(roundId, 0, 1_000_000_000n + BigInt(i % 7) * 1_000_000n, ethers.id(`p${i}`), "")).wait();
    }
  }
  await hre.network.provider.send("evm_setNextBlockTimestamp", [start + 2 * DAY]);
  for (const [roundId, count] of rounds) {
    for (let i = 1; i <= count; ++i) await (await budget.connect(orchestrator).review(roundId, i, true, ethers.ZeroHash)).wait();
  }
  await hre.network.provider.send("evm_setNextBlockTimestamp", [start + 3 * DAY]);
  await hre.network.provider.send("evm_mine");

  const all = (1n << BigInt(BUDGET_BALLOT_PROJECTS)) - 1n;
  const bits = (n: number) => (1n << BigInt(n)) - 1n;
  const [v1, v5, v10, ...earlier] = members;
  for (const who of earlier) await (await budget.connect(who).vote(1n, all)).wait();
  const budgetBallot1 = await gasOf(budget.connect(v1).vote(1n, bits(1)));
  const budgetBallot5 = await gasOf(budget.connect(v5).vote(1n, bits(5)));
  const budgetBallot10 = await gasOf(budget.connect(v10).vote(1n, bits(10)));

  // Each member approves a different spread of the 100 projects (every project gets votes, counts differ).
  for (const [i, who] of members.entries()) {
    let sel = 0n;
    for (let p = 0; p < TALLY_PROJECTS; ++p) if ((p * 7 + i * 13) % (i + 3) !== 0) sel |= 1n << BigInt(p);
    await (await budget.connect(who).vote(2n, sel)).wait();
  }
  await hre.network.provider.send("evm_setNextBlockTimestamp", [start + 10 * DAY]);
  const tally = await gasOf(budget.tally(2n));

  const target = (n: number) => 55_000 + 6_000 * n;
  return {
    "votes.budgetBallot1": { gas: budgetBallot1, baseline: target(1) },
    "votes.budgetBallot5": { gas: budgetBallot5, baseline: target(5) },
    "votes.budgetBallot10": { gas: budgetBallot10, baseline: target(10) },
    "votes.tally": { gas: tally },
  };
}
