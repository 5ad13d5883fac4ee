import hre from "hardhat";
import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { createPublicClient, createWalletClient, custom, keccak256, toHex, type Account, type Address, type Hash } from "viem";
import { hardhat } from "viem/chains";
import { deployCity, type DeploymentRecord } from "../../scripts/lib/deploy";
import {
  createCityClient,
  isCityContractError,
  loadDeployment,
  memberFlags,
  parseCity,
  type CityClient,
  type CityContractError,
  type CityDeployment,
  type CityErrorArgs,
  type CityErrorName,
} from "../../sdk/src";

/**
 * One viem transport over Hardhat's in-process network. No retries: Hardhat throws its own errors for reverts (not
 * JSON-RPC ones), which viem would otherwise retry as "unknown" errors.
 */
export const transport = custom(hre.network.provider, { retryCount: 0 });

/** A public client that never serves a cached block number (loadFixture rewinds the chain under it). */
export const publicClient = createPublicClient({ chain: hardhat, transport, pollingInterval: 10, cacheTime: 0 });

export const RESERVE = parseCity("1000000000"); // €1bn: tests hit it only when they mean to

/** A city client acting as `account` (an address Hardhat signs for, or a local viem account). */
export function cityAs(deployment: CityDeployment, account: Address | Account): CityClient {
  const walletClient = createWalletClient({ chain: hardhat, transport, account, pollingInterval: 10, cacheTime: 0 });
  return createCityClient({ publicClient, walletClient, deployment });
}

export interface SdkFixture {
  record: DeploymentRecord;
  deployment: CityDeployment;
  /** Read-only client. */
  reader: CityClient;
  admin: CityClient;
  registrar: CityClient;
  issuer: CityClient;
  /** Attests the reserve (RESERVE_ATTESTER): never the issuer. */
  attester: CityClient;
  council: CityClient;
  orchestrator: CityClient;
  outsider: CityClient;
  /** Registered, active members of CITIZENS (college 1), each holding 100 CITY. */
  alice: CityClient;
  bob: CityClient;
  /** Addresses never registered, free for a test. */
  free: Address[];
}

let counter = 0;
/** A fresh salted credential hash. */
export function credential(): Hash {
  return keccak256(toHex(`sdk-credential-${++counter}`));
}
/** A fresh deposit reference. */
export function depositRef(): Hash {
  return keccak256(toHex(`sdk-deposit-${++counter}`));
}

/**
 * The city deployed by `deployCity` with one account per role, the reserve attested and two members funded — all
 * done through the SDK, so the fixture itself exercises register, attestReserve and issue.
 */
export async function sdkFixture(): Promise<SdkFixture> {
  const signers = await hre.ethers.getSigners();
  const [admin, registrar, issuer, council, orchestrator, outsider, alice, bob, ...rest] = signers;
  // The last account attests the reserve; `free` takes from the front of the rest.
  const attester = rest.pop()!;
  const { record } = await deployCity(hre, admin!, {
    migrationDelay: 3600,
    grants: {
      REGISTRAR: [registrar!.address],
      ISSUER: [issuer!.address],
      RESERVE_ATTESTER: [attester.address],
      COUNCIL: [council!.address],
      ORCHESTRATOR: [orchestrator!.address],
    },
  });
  // Through JSON, as an app would read deployments/<chainId>.json.
  const deployment = loadDeployment(JSON.stringify(record), { chainId: hardhat.id });
  const as = (s: { address: string }) => cityAs(deployment, s.address as Address);
  const f: SdkFixture = {
    record,
    deployment,
    reader: createCityClient({ publicClient, deployment }),
    admin: as(admin!),
    registrar: as(registrar!),
    issuer: as(issuer!),
    attester: as(attester),
    council: as(council!),
    orchestrator: as(orchestrator!),
    outsider: as(outsider!),
    alice: as(alice!),
    bob: as(bob!),
    free: rest.slice(0, 6).map((s) => s.address as Address),
  };
  await f.attester.currency.attestReserve({ reserve: RESERVE, reportHash: keccak256(toHex("reserve report")), wait: true });
  for (const member of [f.alice, f.bob]) {
    const address = addressOf(member);
    await f.registrar.members.register({
      member: address,
      college: 1,
      district: 7,
      flags: memberFlags.RESIDENT,
      credentialHash: credential(),
      wait: true,
    });
    await f.issuer.currency.issue({ to: address, amount: parseCity("100"), depositRef: depositRef(), wait: true });
  }
  return f;
}

/** The wallet account's address of a city client. */
export function addressOf(city: CityClient): Address {
  return city.walletClient!.account!.address;
}

/** Latest block timestamp. */
export async function now(): Promise<number> {
  return time.latest();
}

/** Moves chain time forward and mines a block. */
export async function advance(seconds: number): Promise<void> {
  await time.increase(seconds);
}

/**
 * Asserts that `promise` rejects with a decoded {@link CityContractError} named `name`, with `args` if given, and
 * returns it.
 */
export async function expectCityError<name extends CityErrorName>(
  promise: Promise<unknown>,
  name: name,
  args?: CityErrorArgs<name>,
): Promise<CityContractError<name>> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected a revert with ${name}`).to.not.equal(undefined);
  if (!isCityContractError(caught, name)) {
    throw new Error(`expected CityContractError ${name}, got ${String((caught as Error)?.stack ?? caught)}`);
  }
  if (args) expect(caught.args).to.deep.equal(args);
  return caught;
}
