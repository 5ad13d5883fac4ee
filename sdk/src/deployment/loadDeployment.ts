import { getAddress, isAddress, type Address } from "viem";
import { InvalidDeploymentError } from "../errors/deployment";

/**
 * The city's contracts, in deployment order, by artifact name.
 *
 * @example
 * ```ts
 * for (const name of cityContractNames) console.log(name, deployment.contracts[name].address);
 * ```
 */
export const cityContractNames = ["CityAuthority", "CityForwarder", "CityRegistry", "CityCoin", "BasicIncome"] as const;

/** @example `const name: CityContractName = "CityCoin";` */
export type CityContractName = (typeof cityContractNames)[number];

/**
 * Contracts of the city's service modules the SDK calls when the record names them (a record written before a module
 * existed stays valid): their address is then in {@link CityAddresses}, validated like the others.
 *
 * @example
 * ```ts
 * if (deployment.addresses.parkingExchange) await city.parking.getSpot({ spotId: 1n });
 * ```
 */
export const cityModuleContractNames = ["ParkingExchange", "MeterRegistry", "EnergyMarket", "CityBallots", "ParticipatoryBudget", "CityGovernor", "CityAgenda", "CityCharter", "CitizensVeto"] as const;

/** @example `const name: CityModuleContractName = "ParkingExchange";` */
export type CityModuleContractName = (typeof cityModuleContractNames)[number];

/**
 * The roles a deployment record names (their ids are read from the record, never assumed).
 *
 * @example
 * ```ts
 * const registrarRole = deployment.roles.REGISTRAR; // 1n
 * ```
 */
export const cityRoleNames = [
  "ADMIN",
  "REGISTRAR",
  "ISSUER",
  "ORCHESTRATOR",
  "ARBITER",
  "METER_OPERATOR",
  "WITNESS",
  "RELAYER",
  "GUARDIAN",
  "COUNCIL",
  "RESERVE_ATTESTER",
] as const;

/** @example `const role: CityRoleName = "ISSUER";` */
export type CityRoleName = (typeof cityRoleNames)[number];

/**
 * The contract addresses the SDK's actions call, keyed in camel case.
 *
 * @example
 * ```ts
 * const { cityCoin } = city.addresses;
 * ```
 */
export interface CityAddresses {
  cityAuthority: Address;
  cityForwarder: Address;
  cityRegistry: Address;
  cityCoin: Address;
  basicIncome: Address;
  /** ParkingExchange, when the record names it (see {@link cityModuleContractNames}). */
  parkingExchange?: Address | undefined;
  /** MeterRegistry, when the record names it. */
  meterRegistry?: Address | undefined;
  /** EnergyMarket, when the record names it. */
  energyMarket?: Address | undefined;
  /** CityBallots, when the record names it. */
  cityBallots?: Address | undefined;
  /** ParticipatoryBudget, when the record names it. */
  participatoryBudget?: Address | undefined;
  /** CityGovernor, when the record names it (scripts/lib/governance.ts deploys it). */
  cityGovernor?: Address | undefined;
  /** CityAgenda, when the record names it: members' co-signed proposals and petitions go through it. */
  cityAgenda?: Address | undefined;
  /** CityCharter, when the record names it. */
  cityCharter?: Address | undefined;
  /** CitizensVeto, when the record names it. */
  citizensVeto?: Address | undefined;
}

/**
 * The JSON the deploy library writes to `deployments/<chainId>.json` (numbers as JSON numbers, role ids as decimal
 * strings).
 *
 * @example
 * ```ts
 * const record: DeploymentRecordJson = JSON.parse(fs.readFileSync("deployments/31337.json", "utf8"));
 * ```
 */
export interface DeploymentRecordJson {
  chainId: number;
  deployer: string;
  deployBlock: number;
  contracts: Record<CityContractName, { address: string; blockNumber: number; abi?: readonly unknown[] }> &
    Record<string, { address: string; blockNumber: number; abi?: readonly unknown[] }>;
  roles: Record<string, string>;
}

/**
 * A validated deployment: checksummed addresses, block numbers and role ids as bigints.
 *
 * @example
 * ```ts
 * const deployment: CityDeployment = loadDeployment(record);
 * deployment.addresses.cityCoin; // "0x…"
 * ```
 */
export interface CityDeployment {
  chainId: number;
  deployer: Address;
  deployBlock: bigint;
  /** The five contracts the SDK calls, plus any other the record names (e.g. contracts of later modules). */
  contracts: { readonly [name in CityContractName]: CityContractDeployment } & Readonly<Record<string, CityContractDeployment>>;
  addresses: CityAddresses;
  /** Role ids by name: the city's roles, plus any other the record names. */
  roles: Readonly<Record<CityRoleName, bigint>> & Readonly<Record<string, bigint>>;
}

/**
 * Where one contract lives.
 *
 * @example
 * ```ts
 * const { address, blockNumber }: CityContractDeployment = deployment.contracts.CityCoin;
 * ```
 */
export interface CityContractDeployment {
  address: Address;
  /** The block the contract was deployed in: where a follower starts reading its logs. */
  blockNumber: bigint;
}

const ADDRESS_KEYS: { readonly [name in CityContractName | CityModuleContractName]: keyof CityAddresses } = {
  CityAuthority: "cityAuthority",
  CityForwarder: "cityForwarder",
  CityRegistry: "cityRegistry",
  CityCoin: "cityCoin",
  BasicIncome: "basicIncome",
  ParkingExchange: "parkingExchange",
  MeterRegistry: "meterRegistry",
  EnergyMarket: "energyMarket",
  CityBallots: "cityBallots",
  ParticipatoryBudget: "participatoryBudget",
  CityGovernor: "cityGovernor",
  CityAgenda: "cityAgenda",
  CityCharter: "cityCharter",
  CitizensVeto: "citizensVeto",
};

/**
 * Options of {@link loadDeployment}.
 * @example `loadDeployment(record, { chainId: 31337 })`
 */
export interface LoadDeploymentOptions {
  /** When given, the record must be for this chain. */
  chainId?: number;
}

/**
 * Validates a deployment record (the parsed JSON of `deployments/<chainId>.json`, or its text) and returns typed,
 * checksummed addresses. Every problem is reported at once, e.g. `contracts.CityCoin is missing`.
 *
 * @param json The record: an object, or its JSON text.
 * @throws {InvalidDeploymentError} When the record is malformed or for another chain than `options.chainId`.
 *
 * @example
 * ```ts
 * import record from "../deployments/31337.json";
 * const deployment = loadDeployment(record, { chainId: 31337 });
 * const city = createCityClient({ publicClient, deployment });
 * ```
 */
export function loadDeployment(json: unknown, options: LoadDeploymentOptions = {}): CityDeployment {
  const problems: string[] = [];
  let record: unknown = json;
  if (typeof json === "string") {
    try {
      record = JSON.parse(json);
    } catch (err) {
      throw new InvalidDeploymentError([`not valid JSON (${(err as Error).message})`]);
    }
  }
  if (!isObject(record)) throw new InvalidDeploymentError([`expected an object, got ${kind(record)}`]);

  const chainId = integer(record.chainId, "chainId", problems);
  if (chainId !== undefined && chainId <= 0) problems.push(`chainId must be positive, got ${chainId}`);
  if (chainId !== undefined && options.chainId !== undefined && chainId !== options.chainId) {
    problems.push(`the record is for chain ${chainId}, expected chain ${options.chainId}`);
  }
  const deployer = address(record.deployer, "deployer", problems);
  const deployBlock = integer(record.deployBlock, "deployBlock", problems);

  const contracts: Record<string, CityContractDeployment> = {};
  const addresses = {} as CityAddresses;
  if (!isObject(record.contracts)) {
    problems.push(record.contracts === undefined ? "contracts is missing" : `contracts must be an object, got ${kind(record.contracts)}`);
  } else {
    const others = Object.keys(record.contracts).filter((name) => !(cityContractNames as readonly string[]).includes(name));
    for (const name of [...cityContractNames, ...others]) {
      const entry = record.contracts[name];
      const path = `contracts.${name}`;
      if (entry === undefined) {
        problems.push(`${path} is missing`);
        continue;
      }
      if (!isObject(entry)) {
        problems.push(`${path} must be an object, got ${kind(entry)}`);
        continue;
      }
      const addr = address(entry.address, `${path}.address`, problems);
      const blockNumber = integer(entry.blockNumber, `${path}.blockNumber`, problems);
      if (entry.abi !== undefined && !Array.isArray(entry.abi)) problems.push(`${path}.abi must be an array`);
      if (addr !== undefined && blockNumber !== undefined) {
        contracts[name] = { address: addr, blockNumber: BigInt(blockNumber) };
        if (isCityContractName(name) || isModuleContractName(name)) addresses[ADDRESS_KEYS[name]] = addr;
      }
    }
  }

  const roles: Record<string, bigint> = {};
  if (!isObject(record.roles)) {
    problems.push(record.roles === undefined ? "roles is missing" : `roles must be an object, got ${kind(record.roles)}`);
  } else {
    for (const [name, value] of Object.entries(record.roles)) {
      const id = roleId(value);
      if (id === undefined) problems.push(`roles.${name} must be a uint64 as a decimal string, got ${kind(value)}`);
      else roles[name] = id;
    }
    for (const name of cityRoleNames) {
      if (!(name in record.roles)) problems.push(`roles.${name} is missing`);
    }
  }

  if (problems.length > 0) throw new InvalidDeploymentError(problems);
  return {
    chainId: chainId!,
    deployer: deployer!,
    deployBlock: BigInt(deployBlock!),
    contracts: contracts as CityDeployment["contracts"],
    addresses,
    roles: roles as CityDeployment["roles"],
  };
}

function isCityContractName(name: string): name is CityContractName {
  return (cityContractNames as readonly string[]).includes(name);
}

function isModuleContractName(name: string): name is CityModuleContractName {
  return (cityModuleContractNames as readonly string[]).includes(name);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

function integer(value: unknown, path: string, problems: string[]): number | undefined {
  if (value === undefined) {
    problems.push(`${path} is missing`);
    return undefined;
  }
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    problems.push(`${path} must be a non-negative integer, got ${kind(value)}`);
    return undefined;
  }
  return value;
}

function address(value: unknown, path: string, problems: string[]): Address | undefined {
  if (value === undefined) {
    problems.push(`${path} is missing`);
    return undefined;
  }
  if (typeof value !== "string" || !isAddress(value, { strict: false })) {
    problems.push(`${path} must be a 20-byte hex address, got ${kind(value)}`);
    return undefined;
  }
  return getAddress(value);
}

function roleId(value: unknown): bigint | undefined {
  const text = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== "string" || !/^\d+$/.test(text)) return undefined;
  const id = BigInt(text);
  return id < 2n ** 64n ? id : undefined;
}
