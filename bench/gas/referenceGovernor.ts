import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { gasOf } from "./report";

/** Voting delay and period of the reference governor (seconds, timestamp clock). */
const VOTING_DELAY = 60;
const VOTING_PERIOD = 7 * 24 * 3600;
/** Voters who cast before the measured one, so the measured vote is a later voter's (proposal tallies already warm). */
const EARLIER_VOTERS = 3;

/**
 * Gas of a later voter's `castVote` on a plain OpenZeppelin Governor (GovernorSettings, GovernorCountingSimple,
 * GovernorVotes, GovernorVotesQuorumFraction) over an ERC20Votes token with a timestamp clock, deployed here: the
 * baseline of every vote the city casts (governance, ballots). Voting power is delegated (each voter self-delegates
 * before the proposal), and the measured voter votes For after `EARLIER_VOTERS` others voted For, so none of the
 * proposal's counters is written for the first time. Works on a fresh or used chain: it deploys its own contracts.
 */
export async function measureReferenceCastVote(hre: HardhatRuntimeEnvironment): Promise<number> {
  const { ethers } = hre;
  const signers = await ethers.getSigners();
  const [deployer] = signers;
  const voters = signers.slice(1, 2 + EARLIER_VOTERS);
  const token = await (await ethers.getContractFactory("ReferenceVotesToken", deployer)).deploy();
  const governor = await (await ethers.getContractFactory("ReferenceGovernor", deployer)).deploy(
    await token.getAddress(),
    VOTING_DELAY,
    VOTING_PERIOD,
  );
  for (const voter of voters) {
    await (await token.mint(voter.address, 10n ** 18n)).wait();
    await (await token.connect(voter).delegate(voter.address)).wait();
  }
  // The proposal's snapshot must follow the delegations: one block later is enough.
  await ethers.provider.send("evm_mine", []);
  const targets = [await token.getAddress()];
  const calldatas = [token.interface.encodeFunctionData("mint", [deployer.address, 1n])];
  const description = "reference proposal";
  await (await governor.connect(voters[0]).propose(targets, [0n], calldatas, description)).wait();
  const proposalId = await governor.hashProposal(targets, [0n], calldatas, ethers.id(description));
  await ethers.provider.send("evm_increaseTime", [VOTING_DELAY + 1]);
  await ethers.provider.send("evm_mine", []);
  for (const voter of voters.slice(0, EARLIER_VOTERS)) {
    await (await governor.connect(voter).castVote(proposalId, 1)).wait();
  }
  return gasOf(governor.connect(voters[EARLIER_VOTERS]).castVote(proposalId, 1));
}
