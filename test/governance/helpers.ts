import hre from "hardhat";
import { Wallet, id, type AddressLike, type BigNumberish, type BytesLike } from "ethers";
import { cityFixture, freshCredential, type CityFixture } from "../fixtures";
import { advance } from "../fixtures";
import { DEFAULT_CHARTER, deployGovernance, handOverToGovernance, type CharterInput, type Governance, type GovernanceOptions } from "../../scripts/lib/governance";
import { Flags } from "../../scripts/lib/roles";
import type { CityGovernor } from "../../typechain-types";

export const VOTING_DELAY = 60;
export const VOTING_PERIOD = 3_600;
export const TIMELOCK_DELAY = 600;

/** Members per college in the governance fixture: PUBLIC, CITIZENS, PRIVATE_PARTNERS, ASSOCIATIONS. */
export const COLLEGE_SIZES = [4, 10, 4, 4] as const;

/** Proposal states as OpenZeppelin's IGovernor numbers them. */
export const State = { Pending: 0, Active: 1, Canceled: 2, Defeated: 3, Succeeded: 4, Queued: 5, Expired: 6, Executed: 7 } as const;
export const Support = { Against: 0, For: 1, Abstain: 2 } as const;

export interface GovernanceFixture extends CityFixture, Omit<Governance, "record"> {
  /** Members by college, funded with ETH, registered in the order of COLLEGE_SIZES. */
  colleges: Wallet[][];
  /** The governance contracts' deployment entries (what deployments/<chainId>.json records under `contracts`). */
  governanceRecord: Governance["record"];
}

/** A deterministic funded wallet (the Hardhat accounts are too few for four colleges). */
export async function fundedWallet(label: string): Promise<Wallet> {
  const wallet = new Wallet(id(`cityledger governance test ${label}`), hre.ethers.provider);
  await hre.network.provider.send("hardhat_setBalance", [wallet.address, "0x56BC75E2D63100000"]);
  return wallet;
}

/** Registers `sizes[c]` fresh members in each college `c`. */
export async function populate(f: CityFixture, sizes: readonly number[]): Promise<Wallet[][]> {
  const colleges: Wallet[][] = [];
  for (const [college, size] of sizes.entries()) {
    const members: Wallet[] = [];
    for (let i = 0; i < size; i++) {
      const wallet = await fundedWallet(`${college}-${i}`);
      await (await f.registry.connect(f.registrar).register(wallet.address, college, 1, Flags.RESIDENT, freshCredential())).wait();
      members.push(wallet);
    }
    colleges.push(members);
  }
  return colleges;
}

/** The city, 22 members in four colleges, and its governance (not handed over: the admin is still the deployer). */
export async function deployGoverned(options: GovernanceOptions = {}): Promise<GovernanceFixture> {
  const f = await cityFixture();
  const colleges = await populate(f, COLLEGE_SIZES);
  const gov = await deployGovernance(hre, f, f.admin, {
    votingDelay: VOTING_DELAY,
    votingPeriod: VOTING_PERIOD,
    timelockDelay: TIMELOCK_DELAY,
    ...options,
  });
  const { timelock, charter, governor, agenda, veto } = gov;
  return { ...f, timelock, charter, governor, agenda, veto, colleges, governanceRecord: gov.record };
}

/** The governed city after the handover: the timelock is ADMIN and holds COUNCIL; the deployer holds nothing. */
export async function handedOver(): Promise<GovernanceFixture> {
  const f = await deployGoverned();
  await handOverToGovernance(f, f, f.admin);
  return f;
}

export async function governanceFixture(): Promise<GovernanceFixture> {
  return deployGoverned();
}

/** A charter with the given colleges (weights, quorums) and the default thresholds unless overridden. */
export function charterOf(colleges: [number, number, number][], overrides: Partial<CharterInput> = {}): CharterInput {
  return {
    ...DEFAULT_CHARTER,
    colleges: colleges.map(([college, weightBps, quorumBps]) => ({ college, weightBps, quorumBps })),
    ...overrides,
  };
}

export interface ProposalCall {
  targets: AddressLike[];
  values: BigNumberish[];
  calldatas: BytesLike[];
  description: string;
}

let descriptionCounter = 0;
/** A proposal setting CityCoin's redemption fee to `bps` (a COUNCIL function the timelock holds after handover). */
export async function feeProposal(f: GovernanceFixture, bps: number, description?: string): Promise<ProposalCall> {
  return {
    targets: [await f.coin.getAddress()],
    values: [0n],
    calldatas: [f.coin.interface.encodeFunctionData("setRedemptionFee", [bps])],
    description: description ?? `Set the redemption fee to ${bps} bps (#${++descriptionCounter})`,
  };
}

export function proposalId(governor: CityGovernor, p: ProposalCall): Promise<bigint> {
  return governor.hashProposal(p.targets, p.values, p.calldatas, id(p.description));
}

/** The orchestrator proposes `p`; returns its id. */
export async function propose(f: GovernanceFixture, p: ProposalCall): Promise<bigint> {
  await (await f.governor.connect(f.orchestrator).propose(p.targets, p.values, p.calldatas, p.description)).wait();
  return proposalId(f.governor, p);
}

/** Moves past the voting delay: the vote is open. */
export async function openVote() {
  await advance(VOTING_DELAY + 1);
}

/** Moves past the voting period: the vote is closed. */
export async function closeVote() {
  await advance(VOTING_PERIOD + 1);
}

/**
 * Casts, per college c, `votes[c] = [for, against, abstain]` from the first members of that college (in order).
 */
export async function vote(f: GovernanceFixture, id_: bigint, votes: [number, number, number][]) {
  for (const [college, [yes, no, abstain]] of votes.entries()) {
    const members = f.colleges[college];
    let i = 0;
    for (const [support, count] of [[Support.For, yes], [Support.Against, no], [Support.Abstain, abstain]] as const) {
      for (let k = 0; k < count; k++) {
        await (await f.governor.connect(members[i++]).castVote(id_, support)).wait();
      }
    }
  }
}

/** Queues a passed proposal, waits out the timelock and executes it. */
export async function queueAndExecute(f: GovernanceFixture, p: ProposalCall) {
  await (await f.governor.queue(p.targets, p.values, p.calldatas, id(p.description))).wait();
  await advance(TIMELOCK_DELAY + 1);
  await (await f.governor.execute(p.targets, p.values, p.calldatas, id(p.description))).wait();
}
