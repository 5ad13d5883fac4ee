import hre from "hardhat";
import { Signature, Wallet, id, type ContractTransactionResponse } from "ethers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { deployCity, type City } from "../scripts/lib/deploy";
import type { CityCoin } from "../typechain-types";
import { Flags } from "../scripts/lib/roles";
import { permitTypes } from "../sdk/src/relay/typedData";

/** Named signers: each holds exactly the role its name says (or none). */
export interface Actors {
  admin: HardhatEthersSigner;
  registrar: HardhatEthersSigner;
  issuer: HardhatEthersSigner;
  /** Attests the reserve (RESERVE_ATTESTER): never the issuer. */
  attester: HardhatEthersSigner;
  council: HardhatEthersSigner;
  orchestrator: HardhatEthersSigner;
  guardian: HardhatEthersSigner;
  relayer: HardhatEthersSigner;
  outsider: HardhatEthersSigner;
  /** Signers free for members (not registered by the fixture). */
  people: HardhatEthersSigner[];
}

export interface CityFixture extends City, Actors {}

export const MIGRATION_DELAY = 3 * 24 * 3600;
export const RESERVE = 10n ** 15n; // €1bn at 6 decimals: large enough that tests never hit it unless they mean to.

/**
 * The city as deployed by the deploy library, with one signer per role. Use with `loadFixture(cityFixture)` so each
 * test starts from a snapshot.
 */
export async function cityFixture(): Promise<CityFixture> {
  const [admin, registrar, issuer, council, orchestrator, guardian, relayer, outsider, ...people] =
    await hre.ethers.getSigners();
  // Not one of Hardhat's accounts: the suites count on every one of those where it is. A fixed address, funded.
  const attester = await hre.ethers.getImpersonatedSigner(new Wallet(id("cityledger test reserve attester")).address);
  await hre.network.provider.send("hardhat_setBalance", [attester.address, "0x56BC75E2D63100000"]);
  const city = await deployCity(hre, admin, {
    migrationDelay: MIGRATION_DELAY,
    grants: {
      REGISTRAR: [registrar.address],
      ISSUER: [issuer.address],
      RESERVE_ATTESTER: [attester.address],
      COUNCIL: [council.address],
      ORCHESTRATOR: [orchestrator.address],
      GUARDIAN: [guardian.address],
      RELAYER: [relayer.address],
    },
  });
  await (await city.coin.connect(attester).attestReserve(RESERVE, id("initial reserve report"))).wait();
  return { ...city, admin, registrar, issuer, attester, council, orchestrator, guardian, relayer, outsider, people };
}

/**
 * A key recovery as the registry runs it: a REGISTRAR starts it, the ORCHESTRATOR approves it (the second party), the
 * migration delay passes, anyone completes it. Returns the completing transaction, so a test can assert its events.
 */
export async function recoverKey(
  f: Pick<CityFixture, "registry" | "registrar" | "orchestrator">,
  from: string,
  to: string,
): Promise<ContractTransactionResponse> {
  await (await f.registry.connect(f.registrar).startMigration(from, to)).wait();
  await (await f.registry.connect(f.orchestrator).approveMigration(from)).wait();
  await time.increase(MIGRATION_DELAY + 1);
  return f.registry.completeMigration(from);
}

let credentialCounter = 0;
/** A fresh salted credential hash (what a registrar would compute from its file). */
export function freshCredential(): string {
  return id(`credential-${++credentialCounter}-${Math.random()}`);
}

/** Registers `who` (default: college CITIZENS = 1, district 1, RESIDENT). */
export async function register(
  f: CityFixture,
  who: { address: string },
  opts: { college?: number; district?: number; flags?: bigint } = {},
) {
  await (
    await f.registry
      .connect(f.registrar)
      .register(who.address, opts.college ?? 1, opts.district ?? 1, opts.flags ?? Flags.RESIDENT, freshCredential())
  ).wait();
}

let depositCounter = 0;
/** Issues `amount` base units to `to` against a fresh deposit reference. */
export async function issue(f: CityFixture, to: { address: string }, amount: bigint) {
  await (await f.coin.connect(f.issuer).issue(to.address, amount, id(`deposit-${++depositCounter}`))).wait();
}

/** Seconds on the chain now (latest block). */
export async function now(): Promise<number> {
  return (await hre.ethers.provider.getBlock("latest"))!.timestamp;
}

/** Moves chain time forward by `seconds` and mines a block. */
export async function advance(seconds: number) {
  await hre.network.provider.send("evm_increaseTime", [seconds]);
  await hre.network.provider.send("evm_mine");
}

/** 1 CityCoin = 1_000_000 base units. */
export const coins = (euros: number | bigint) => BigInt(euros) * 1_000_000n;

/**
 * An ERC-2612 permit for CityCoin signed by `signer` (for `owner`, default the signer itself: pass another owner to
 * forge one that must be refused).
 */
export async function signPermit(
  coin: CityCoin,
  signer: HardhatEthersSigner,
  permit: { spender: string; value: bigint; deadline: number; owner?: string },
) {
  const owner = permit.owner ?? signer.address;
  const { chainId } = await hre.ethers.provider.getNetwork();
  const signature = await signer.signTypedData(
    { name: "CityCoin", version: "1", chainId, verifyingContract: await coin.getAddress() },
    { Permit: [...permitTypes.Permit] },
    { owner, spender: permit.spender, value: permit.value, nonce: await coin.nonces(owner), deadline: permit.deadline },
  );
  return Signature.from(signature);
}
