import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { Signer, BaseContract } from "ethers";
import type {
  BasicIncome,
  CityAuthority,
  CityBallots,
  CityCoin,
  CityForwarder,
  CityRegistry,
  DataUseRegistry,
  EnergyMarket,
  LedgerAnchor,
  MeterRegistry,
  ParkingExchange,
  ParticipatoryBudget,
} from "../../typechain-types";
import { encodeBytes32String, id } from "ethers";
import { COLLEGES, PERMISSIONS, Roles, type ManagedContract, type RoleName } from "./roles";

/** Every contract of the city, in deployment order. */
export const CITY_CONTRACTS = ["CityAuthority", "CityForwarder", "CityRegistry", "CityCoin", "BasicIncome", "LedgerAnchor", "ParkingExchange", "MeterRegistry", "EnergyMarket", "ParticipatoryBudget", "CityBallots", "DataUseRegistry"] as const;
export type CityContractName = (typeof CITY_CONTRACTS)[number];

/** ParkingExchange: seconds after a booking's end during which either party may open a dispute (48 h). */
export const PARKING_DISPUTE_WINDOW = 48 * 3600;
/** ParkingExchange: longest booking, in hours (14 days). */
export const PARKING_MAX_BOOKING_HOURS = 14 * 24;
/**
 * The cancellation presets deployCity adds (ids 1, 2, 3 in this order): the share of the price refunded when the driver
 * cancels at least `minNotice` seconds before the start (first tier met); none met, no refund.
 */
export const PARKING_PRESETS = [
  { name: "flexible", minNotice: [0], refundBps: [10_000] },
  { name: "moderate", minNotice: [48 * 3600, 24 * 3600], refundBps: [10_000, 5_000] },
  { name: "strict", minNotice: [7 * 24 * 3600, 48 * 3600], refundBps: [10_000, 5_000] },
] as const;

/** EnergyMarket: a slot's book closes this many seconds before the slot starts (5 minutes). */
export const ENERGY_GATE_CLOSURE = 300;
/** EnergyMarket: most open orders a slot's book holds. */
export const ENERGY_MAX_ORDERS_PER_SLOT = 64;

export interface DeployOptions {
  /** Seconds a key-recovery migration waits (default 3 days). */
  migrationDelay?: number;
  /** Role holders granted at deployment: role name → accounts. */
  grants?: Partial<Record<RoleName, string[]>>;
  /**
   * Grant delays (seconds) per role: a grant made after deployment takes effect only once the delay has passed, so a
   * rogue grant of a sensitive role can be seen and revoked before it acts. Initial grants are immediate.
   */
  grantDelays?: Partial<Record<RoleName, number>>;
  /** Community fund address (receives redemption fees); default: the deployer. */
  communityFund?: string;
  /** Redemption fee in basis points (default 100 = 1%). */
  redemptionFeeBps?: number;
  /**
   * The ledger node's witnesses, set on LedgerAnchor at deployment: checkpoints are anchored with the signatures of at
   * least `threshold` of `addresses`. Without it, no checkpoint can be anchored until the council sets them.
   */
  witnesses?: { addresses: string[]; threshold: number };
  /** Origin line of the ledger node's log, signed in every checkpoint (default "cityledger.local/<chainId>"). */
  ledgerOrigin?: string;
  /** ParkingExchange city fee in basis points of what owners receive (default 500 = 5%). */
  parkingFeeBps?: number;
  /** ParticipatoryBudget: the city account that funds budget winners (default: the community fund). */
  budgetTreasury?: string;
  /** Called after each step, for progress output. */
  onStep?: (step: string) => void;
}

/** What `deployments/<chainId>.json` holds: enough for the node, the SDK and auditors to find everything. */
export interface DeploymentRecord {
  chainId: number;
  deployer: string;
  deployBlock: number;
  contracts: Record<CityContractName, { address: string; blockNumber: number; abi: unknown[] }>;
  roles: Record<RoleName, string>;
}

export interface City {
  authority: CityAuthority;
  forwarder: CityForwarder;
  registry: CityRegistry;
  coin: CityCoin;
  income: BasicIncome;
  ledgerAnchor: LedgerAnchor;
  parking: ParkingExchange;
  meters: MeterRegistry;
  market: EnergyMarket;
  budget: ParticipatoryBudget;
  ballots: CityBallots;
  datause: DataUseRegistry;
  record: DeploymentRecord;
}

/**
 * A `deploy(name, args)` for one deployment script: deploys artifact `name` from `deployer`, waits for it, records its
 * block in `blocks` (the deployment record's `blockNumber`) and reports the step.
 */
export function contractDeployer<Name extends string>(
  hre: HardhatRuntimeEnvironment,
  deployer: Signer,
  blocks: Partial<Record<Name, number>>,
  step: (detail: string) => void,
  deployed: Partial<Record<Name, BaseContract>> = {},
) {
  return async function deploy<T>(name: Name, args: unknown[], libraries?: Record<string, string>): Promise<T> {
    const factory = await hre.ethers.getContractFactory(name, libraries ? { signer: deployer, libraries } : deployer);
    const contract = await factory.deploy(...args);
    const receipt = await contract.deploymentTransaction()!.wait();
    blocks[name] = receipt!.blockNumber;
    deployed[name] = contract;
    step(`deployed ${name} at ${await contract.getAddress()}`);
    return contract as unknown as T;
  };
}

/** The linked libraries each city contract needs (kept apart for EIP-170), by contract. */
export const LINKED_LIBRARIES = {
  // check-in, check-out and the current user; spot terms, presets and blocked days; disputes, ratings and credits
  ParkingExchange: ["ParkingStays", "ParkingSpots", "ParkingDisputes"],
  // the clearing rule: the uniform-price double auction over a slot's book
  EnergyMarket: ["DoubleAuction"],
  // round setup and result loops; project escrow, milestones and held tranches
  ParticipatoryBudget: ["BudgetResults", "BudgetEscrow"],
  // result sums, finalized in pages; the creation of ballots and petitions
  CityBallots: ["BallotResults", "BallotSetup"],
  // the collegial count: a proposal's rules, votes by college, quorums and the weighted result
  CityGovernor: ["CollegialCounting"],
} as const;

/**
 * Deploys the linked libraries of `contract` and returns them as `getContractFactory`'s `libraries` option. Each is
 * deployed from its bytecode alone: nothing calls a library through ethers, whose ABI parser cannot read the enum and
 * contract types Solidity writes in external library signatures (it warns "Invalid Fragment" for each).
 */
export async function linkedLibraries(
  hre: HardhatRuntimeEnvironment,
  deployer: Signer,
  contract: keyof typeof LINKED_LIBRARIES,
): Promise<Record<string, string>> {
  const libraries: Record<string, string> = {};
  for (const name of LINKED_LIBRARIES[contract]) {
    const { bytecode } = await hre.artifacts.readArtifact(name);
    const library = await new hre.ethers.ContractFactory([], bytecode, deployer).deploy();
    await library.deploymentTransaction()!.wait();
    libraries[name] = await library.getAddress();
  }
  return libraries;
}

/**
 * Deploys the whole city from `deployer` (who becomes the authority's admin until governance takes over), wires
 * every restricted function to its role, registers the city accounts and grants the requested roles.
 * Deterministic: the same deployer and nonce give the same addresses.
 */
export async function deployCity(hre: HardhatRuntimeEnvironment, deployer: Signer, options: DeployOptions = {}): Promise<City> {
  const step = options.onStep ?? (() => {});
  const { ethers } = hre;
  const admin = await deployer.getAddress();
  const blocks: Partial<Record<CityContractName, number>> = {};
  // Every contract deployed below, by name: the role wiring and the record read it, so a new contract is one line.
  const deployed: Partial<Record<CityContractName, BaseContract>> = {};

  const deploy = contractDeployer<CityContractName>(hre, deployer, blocks, step, deployed);

  const authority = await deploy<CityAuthority>("CityAuthority", [admin]);
  const authorityAddress = await authority.getAddress();
  const forwarder = await deploy<CityForwarder>("CityForwarder", []);
  const forwarderAddress = await forwarder.getAddress();
  const registry = await deploy<CityRegistry>("CityRegistry", [
    authorityAddress,
    forwarderAddress,
    [...COLLEGES],
    options.migrationDelay ?? 3 * 24 * 3600,
  ]);
  const registryAddress = await registry.getAddress();
  const coin = await deploy<CityCoin>("CityCoin", [authorityAddress, forwarderAddress, registryAddress]);
  const coinAddress = await coin.getAddress();
  const income = await deploy<BasicIncome>("BasicIncome", [authorityAddress, forwarderAddress, coinAddress, registryAddress]);
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const ledgerAnchor = await deploy<LedgerAnchor>("LedgerAnchor", [
    authorityAddress,
    options.ledgerOrigin ?? `cityledger.local/${chainId}`,
  ]);
  const parking = await deploy<ParkingExchange>(
    "ParkingExchange",
    [authorityAddress, forwarderAddress, coinAddress, registryAddress, PARKING_DISPUTE_WINDOW, PARKING_MAX_BOOKING_HOURS],
    await linkedLibraries(hre, deployer, "ParkingExchange"),
  );
  const meters = await deploy<MeterRegistry>("MeterRegistry", [authorityAddress, registryAddress, forwarderAddress]);
  const market = await deploy<EnergyMarket>(
    "EnergyMarket",
    [authorityAddress, forwarderAddress, coinAddress, registryAddress, await meters.getAddress(), ENERGY_GATE_CLOSURE, ENERGY_MAX_ORDERS_PER_SLOT],
    await linkedLibraries(hre, deployer, "EnergyMarket"),
  );

  const budgetTreasury = options.budgetTreasury ?? options.communityFund ?? admin;
  const budget = await deploy<ParticipatoryBudget>(
    "ParticipatoryBudget",
    [authorityAddress, forwarderAddress, coinAddress, registryAddress, budgetTreasury],
    await linkedLibraries(hre, deployer, "ParticipatoryBudget"),
  );
  const ballots = await deploy<CityBallots>(
    "CityBallots",
    [authorityAddress, forwarderAddress, registryAddress],
    await linkedLibraries(hre, deployer, "CityBallots"),
  );
  const datause = await deploy<DataUseRegistry>("DataUseRegistry", [authorityAddress, forwarderAddress, registryAddress]);

  for (const [name, table] of Object.entries(PERMISSIONS) as [ManagedContract, Record<string, RoleName>][]) {
    const byRole = new Map<RoleName, string[]>();
    for (const [signature, role] of Object.entries(table)) {
      if (role === "ADMIN") continue;
      byRole.set(role, [...(byRole.get(role) ?? []), id(signature).slice(0, 10)]);
    }
    for (const [role, selectors] of byRole) {
      await (await authority.setTargetFunctionRole(await deployed[name]!.getAddress(), selectors, Roles[role])).wait();
    }
    step(`wired ${name} permissions`);
  }

  for (const [role, accounts] of Object.entries(options.grants ?? {}) as [RoleName, string[]][]) {
    for (const account of accounts) {
      await (await authority.grantRole(Roles[role], account, 0)).wait();
    }
  }
  for (const [role, delay] of Object.entries(options.grantDelays ?? {}) as [RoleName, number][]) {
    await (await authority.setGrantDelay(Roles[role], delay)).wait();
  }
  step("granted roles");

  // The deployer configures the city accounts through a temporary COUNCIL grant, revoked right after, so that the
  // deployer's lasting powers are exactly those of the admin (which governance takes over).
  const [wasCouncil] = await authority.hasRole(Roles.COUNCIL, admin);
  if (!wasCouncil) await (await authority.grantRole(Roles.COUNCIL, admin, 0)).wait();
  // Listeners follow key recoveries: CityCoin moves balances; ParkingExchange follows its parties to their new keys;
  // MeterRegistry and EnergyMarket move meters, market balances and orders; BasicIncome and ParticipatoryBudget follow
  // recovered keys' claims and tranches.
  await (
    await registry.setMembershipListeners([
      coinAddress,
      await parking.getAddress(),
      await meters.getAddress(),
      await market.getAddress(),
      await income.getAddress(),
      await budget.getAddress(),
    ])
  ).wait();
  await (await coin.setCommunityFund(options.communityFund ?? admin)).wait();
  await (await coin.setCityAccount(await income.getAddress(), true)).wait();
  await (await coin.setRedemptionFee(options.redemptionFeeBps ?? 100)).wait();
  await (await coin.setCityAccount(await parking.getAddress(), true)).wait();
  await (await coin.setCityAccount(await market.getAddress(), true)).wait();
  await (await coin.setCityAccount(await budget.getAddress(), true)).wait();
  await (await coin.setCityAccount(budgetTreasury, true)).wait();
  for (const preset of PARKING_PRESETS) {
    await (await parking.addCancellationPreset(encodeBytes32String(preset.name), [...preset.minNotice], [...preset.refundBps])).wait();
  }
  await (await parking.setCityFee(options.parkingFeeBps ?? 500)).wait();
  if (options.witnesses) {
    await (await ledgerAnchor.setWitnesses(options.witnesses.addresses, options.witnesses.threshold)).wait();
  }
  if (!wasCouncil) await (await authority.revokeRole(Roles.COUNCIL, admin)).wait();
  step("configured city accounts");

  const network = await ethers.provider.getNetwork();
  const contracts = {} as DeploymentRecord["contracts"];
  for (const name of CITY_CONTRACTS) {
    const artifact = await hre.artifacts.readArtifact(name);
    contracts[name] = { address: await deployed[name]!.getAddress(), blockNumber: blocks[name]!, abi: artifact.abi };
  }
  const record: DeploymentRecord = {
    chainId: Number(network.chainId),
    deployer: admin,
    deployBlock: blocks.CityAuthority!,
    contracts,
    roles: Object.fromEntries(Object.entries(Roles).map(([k, v]) => [k, v.toString()])) as Record<RoleName, string>,
  };
  return { authority, forwarder, registry, coin, income, ledgerAnchor, parking, meters, market, budget, ballots, datause, record };
}
