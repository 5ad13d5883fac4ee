import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { Signer } from "ethers";
import { getCreateAddress, id } from "ethers";
import type { CitizensVeto, CityAgenda, CityCharter, CityGovernor, TimelockController } from "../../typechain-types";
import { contractDeployer, linkedLibraries, type City } from "./deploy";
import { Roles, type RoleName } from "./roles";

/** One college of a charter (basis points). */
export interface CollegeRuleInput {
  college: number;
  weightBps: number;
  quorumBps: number;
}

/** A charter as CityCharter takes it (see contracts/governance/ICityCharter.sol). */
export interface CharterInput {
  colleges: CollegeRuleInput[];
  approvalThresholdBps: number;
  superMajorityBps: number;
  cosignShareBps: number;
  vetoCollege: number;
  vetoThresholdBps: number;
}

/**
 * The city's first charter: the four colleges (PUBLIC 25%, CITIZENS 35%, PRIVATE_PARTNERS 20%, ASSOCIATIONS 20%,
 * citizens weighing most, partners "not in proportion to their investment"), quorums of 20% (10% for the large
 * citizens' college), a simple majority of the weighted result (more than 50%), more than 2/3 for charter and
 * governance changes, 5% of the members to co-sign a member's proposal, and a citizens' veto at 10% of that college.
 */
export const DEFAULT_CHARTER: CharterInput = {
  colleges: [
    { college: 0, weightBps: 2_500, quorumBps: 2_000 },
    { college: 1, weightBps: 3_500, quorumBps: 1_000 },
    { college: 2, weightBps: 2_000, quorumBps: 2_000 },
    { college: 3, weightBps: 2_000, quorumBps: 2_000 },
  ],
  approvalThresholdBps: 5_000,
  superMajorityBps: 6_666,
  cosignShareBps: 500,
  vetoCollege: 1,
  vetoThresholdBps: 1_000,
};

/** Charter bounds, mirroring CityCharter's constants (checked against them by test/governance/CityCharter.test.ts). */
export const CHARTER_BOUNDS = {
  minColleges: 3,
  maxColleges: 16,
  minWeightBps: 1_000,
  maxWeightBps: 5_000,
  minApprovalBps: 5_000,
  maxThresholdBps: 9_999,
  minSuperMajorityBps: 6_666,
  minVetoBps: 500,
} as const;

/** A production city's governance timing (seconds), what {@link deployGovernance} uses unless told otherwise. */
export const GOVERNANCE_DEFAULTS = {
  /** From a proposal to its snapshot and vote start. */
  votingDelay: 24 * 3600,
  /** How long a vote lasts. */
  votingPeriod: 7 * 24 * 3600,
  /** How long a passed proposal waits in the timelock: the citizens' veto window. */
  timelockDelay: 2 * 24 * 3600,
} as const;

/**
 * The roles whose grant delay does not outlast a whole vote to revoke a grant (voting delay + voting period + veto
 * window, plus `margin`): a rogue grant of such a role would take effect before the city could revoke it. Empty when
 * every role of `roles` is safe.
 */
export function grantDelayShortfalls(
  delays: Partial<Record<RoleName, number>>,
  roles: readonly RoleName[],
  timing: { votingDelay: number; votingPeriod: number; timelockDelay: number } = GOVERNANCE_DEFAULTS,
  margin = 0,
): { role: RoleName; delay: number; needed: number }[] {
  const needed = timing.votingDelay + timing.votingPeriod + timing.timelockDelay + margin + 1;
  return roles.filter((role) => (delays[role] ?? 0) < needed).map((role) => ({ role, delay: delays[role] ?? 0, needed }));
}

/**
 * Calls the charter names constitutional from the start, by contract and signature, besides those its rules already
 * catch (anything needing ADMIN, constitutional roles' grants): COUNCIL functions that hand out a constitutional
 * role's power. Replacing LedgerAnchor's witnesses is the WITNESS role's power in all but name.
 */
export const DEFAULT_CONSTITUTIONAL_CALLS: readonly { contract: "LedgerAnchor"; signature: string }[] = [
  { contract: "LedgerAnchor", signature: "setWitnesses(address[],uint8)" },
];

/** CityGovernor's functions CityAuthority restricts, and the role that may call them. */
export const GOVERNANCE_PERMISSIONS: Record<string, RoleName> = {
  "propose(address[],uint256[],bytes[],string)": "ORCHESTRATOR",
  "cancelWithReason(address[],uint256[],bytes[],bytes32,string)": "ORCHESTRATOR",
};

/** The governance contracts, in deployment order. */
export const GOVERNANCE_CONTRACTS = ["TimelockController", "CityCharter", "CityGovernor", "CityAgenda", "CitizensVeto"] as const;
export type GovernanceContractName = (typeof GOVERNANCE_CONTRACTS)[number];

export interface GovernanceOptions {
  charter?: CharterInput;
  /** Calls named constitutional at deployment (default: {@link DEFAULT_CONSTITUTIONAL_CALLS} of this city). */
  constitutionalCalls?: { target: string; selector: string }[];
  /** Seconds from a proposal to its snapshot and vote start (default 1 day). */
  votingDelay?: number;
  /** Seconds a vote lasts (default 7 days). */
  votingPeriod?: number;
  /** Seconds a passed proposal waits in the timelock, the citizens' veto window (default 2 days). */
  timelockDelay?: number;
  /** The petitions contract a successful petition proposes through (default: the city's CityBallots). */
  petitions?: string;
  onStep?: (step: string) => void;
}

export interface Governance {
  timelock: TimelockController;
  charter: CityCharter;
  governor: CityGovernor;
  /** Members' ways to the agenda (co-signed proposals, petitions): it proposes for them on the governor. */
  agenda: CityAgenda;
  veto: CitizensVeto;
  /** Addresses, deployment blocks and ABIs, for deployments/<chainId>.json's `governance` entry. */
  record: Record<GovernanceContractName, { address: string; blockNumber: number; abi: unknown[] }>;
}

/**
 * Deploys the governance of `city` from `deployer`, who must still be the authority's admin: a TimelockController
 * (the deployer its temporary admin), the CityCharter (changed only by the timelock), the CityGovernor (the timelock's
 * proposer and executor, its collegial count in the linked library CollegialCounting), the CityAgenda (the only caller
 * of the governor's `proposeFor`: deployed right after the governor, whose constructor takes its address computed from
 * the deployer's nonce) and the CitizensVeto (the timelock's canceller), and wires `propose` and `cancelWithReason` to
 * ORCHESTRATOR. Nothing is handed over yet: see {@link handOverToGovernance}.
 */
export async function deployGovernance(
  hre: HardhatRuntimeEnvironment,
  city: City,
  deployer: Signer,
  options: GovernanceOptions = {},
): Promise<Governance> {
  const step = options.onStep ?? (() => {});
  const admin = await deployer.getAddress();
  const blocks: Partial<Record<GovernanceContractName, number>> = {};

  const deploy = contractDeployer<GovernanceContractName>(hre, deployer, blocks, step);

  const timelock = await deploy<TimelockController>("TimelockController", [
    options.timelockDelay ?? GOVERNANCE_DEFAULTS.timelockDelay,
    [],
    [],
    admin,
  ]);
  const timelockAddress = await timelock.getAddress();
  const registryAddress = await city.registry.getAddress();
  const named = { LedgerAnchor: city.ledgerAnchor };
  const constitutionalCalls =
    options.constitutionalCalls ??
    (await Promise.all(
      DEFAULT_CONSTITUTIONAL_CALLS.map(async ({ contract, signature }) => ({
        target: await named[contract].getAddress(),
        selector: id(signature).slice(0, 10),
      })),
    ));
  const charter = await deploy<CityCharter>("CityCharter", [
    timelockAddress,
    registryAddress,
    options.charter ?? DEFAULT_CHARTER,
    constitutionalCalls,
  ]);
  const libraries = await linkedLibraries(hre, deployer, "CityGovernor");
  // The agenda is the deployer's next contract after the governor: the governor takes its address as an immutable, and
  // the agenda's constructor checks that the governor names it.
  const agendaAddress = getCreateAddress({ from: admin, nonce: (await deployer.getNonce()) + 1 });
  const governor = await deploy<CityGovernor>("CityGovernor", [
    {
      authority: await city.authority.getAddress(),
      forwarder: await city.forwarder.getAddress(),
      registry: registryAddress,
      timelock: timelockAddress,
      charter: await charter.getAddress(),
      votingDelay: options.votingDelay ?? GOVERNANCE_DEFAULTS.votingDelay,
      votingPeriod: options.votingPeriod ?? GOVERNANCE_DEFAULTS.votingPeriod,
      petitions: options.petitions ?? (await city.ballots.getAddress()),
      agenda: agendaAddress,
    },
  ], libraries);
  const governorAddress = await governor.getAddress();
  const agenda = await deploy<CityAgenda>("CityAgenda", [governorAddress, await city.forwarder.getAddress()]);
  if ((await agenda.getAddress()) !== agendaAddress) throw new Error(`CityAgenda landed at ${await agenda.getAddress()}, not ${agendaAddress}: another transaction from the deployer came between`);
  const veto = await deploy<CitizensVeto>("CitizensVeto", [
    governorAddress,
    timelockAddress,
    registryAddress,
    await city.forwarder.getAddress(),
  ]);

  await (await timelock.grantRole(await timelock.PROPOSER_ROLE(), governorAddress)).wait();
  await (await timelock.grantRole(await timelock.EXECUTOR_ROLE(), governorAddress)).wait();
  await (await timelock.grantRole(await timelock.CANCELLER_ROLE(), await veto.getAddress())).wait();
  const selectors = Object.keys(GOVERNANCE_PERMISSIONS).map((signature) => id(signature).slice(0, 10));
  await (await city.authority.setTargetFunctionRole(governorAddress, selectors, Roles.ORCHESTRATOR)).wait();
  step("wired the timelock's roles and the orchestrator's functions");

  const record = {} as Governance["record"];
  const all: Record<GovernanceContractName, { getAddress(): Promise<string> }> = {
    TimelockController: timelock,
    CityCharter: charter,
    CityGovernor: governor,
    CityAgenda: agenda,
    CitizensVeto: veto,
  };
  for (const name of GOVERNANCE_CONTRACTS) {
    const artifact = await hre.artifacts.readArtifact(name);
    record[name] = { address: await all[name].getAddress(), blockNumber: blocks[name]!, abi: artifact.abi };
  }
  return { timelock, charter, governor, agenda, veto, record };
}

/**
 * Hands the city over to its governance: the timelock becomes ADMIN of CityAuthority and holds COUNCIL (so fees,
 * programs and every role grant go through a collegial proposal), then the deployer gives up every role it holds in
 * the authority and its admin role of the timelock. Afterwards the deployer can grant nothing, call no restricted
 * function and touch no timelock operation (test/governance/handover.test.ts proves it).
 */
export async function handOverToGovernance(
  city: City,
  governance: Pick<Governance, "timelock">,
  deployer: Signer,
  onStep: (step: string) => void = () => {},
): Promise<void> {
  const admin = await deployer.getAddress();
  const timelockAddress = await governance.timelock.getAddress();
  await (await city.authority.connect(deployer).grantRole(Roles.ADMIN, timelockAddress, 0)).wait();
  await (await city.authority.connect(deployer).grantRole(Roles.COUNCIL, timelockAddress, 0)).wait();
  for (const [name, role] of Object.entries(Roles) as [RoleName, bigint][]) {
    if (name === "ADMIN") continue;
    const [held] = await city.authority.hasRole(role, admin);
    if (held) await (await city.authority.connect(deployer).revokeRole(role, admin)).wait();
  }
  await (await governance.timelock.connect(deployer).renounceRole(await governance.timelock.DEFAULT_ADMIN_ROLE(), admin)).wait();
  await (await city.authority.connect(deployer).renounceRole(Roles.ADMIN, admin)).wait();
  onStep("handed the city over to governance (the timelock is admin; the deployer holds nothing)");
}

/** EIP-712 domain of a contract that implements ERC-5267 (`eip712Domain()`). */
async function domainOf(contract: { eip712Domain(): Promise<[string, string, string, bigint, string, string, bigint[]]> }) {
  const [, name, version, chainId, verifyingContract] = await contract.eip712Domain();
  return { name, version, chainId, verifyingContract };
}

/** A member's `castVoteBySig` signature (OpenZeppelin's `Ballot`, with the voter's governor nonce). */
export async function signBallot(governor: CityGovernor, voter: Signer, proposalId: bigint, support: number): Promise<string> {
  const address = await voter.getAddress();
  return voter.signTypedData(
    await domainOf(governor),
    { Ballot: [{ name: "proposalId", type: "uint256" }, { name: "support", type: "uint8" }, { name: "voter", type: "address" }, { name: "nonce", type: "uint256" }] },
    { proposalId, support, voter: address, nonce: await governor.nonces(address) },
  );
}

/** A member's co-signature of proposal `proposalId`, valid until `deadline`. */
export async function signCosign(governor: CityGovernor, cosigner: Signer, proposalId: bigint, deadline: number | bigint): Promise<string> {
  return cosigner.signTypedData(
    await domainOf(governor),
    { Cosign: [{ name: "proposalId", type: "uint256" }, { name: "deadline", type: "uint256" }] },
    { proposalId, deadline },
  );
}

/** A citizen's veto of queued proposal `proposalId`, for CitizensVeto.vetoBySig. */
export async function signVeto(veto: CitizensVeto, citizen: Signer, proposalId: bigint): Promise<string> {
  return citizen.signTypedData(
    await domainOf(veto),
    { Veto: [{ name: "proposalId", type: "uint256" }, { name: "citizen", type: "address" }] },
    { proposalId, citizen: await citizen.getAddress() },
  );
}
