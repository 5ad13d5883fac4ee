/**
 * A plausible city for the ledger benchmarks, without a chain: a deployment record built from the Hardhat artifacts
 * (the real ABIs, fixed fake addresses) and a deterministic stream of the city's real events, ABI-encoded with viem
 * against those ABIs, that the projections reduce:
 *
 *   1. `CityRegistry.CollegeConfigured` for the four colleges;
 *   2. per member, one transaction: `CityRegistry.MemberRegistered` + `CityCoin.MembershipMirrored`;
 *   3. per member, one issue: `CityCoin.Transfer(0, member)` + `CityCoin.Issued`;
 *   4. then `CityCoin.Transfer(member, member)` between random members, one per transaction, until the count is met.
 *
 * Blocks hold 20 transactions. Hashes are SHA-256 of a label (fake but unique); randomness is a seeded PRNG, so the
 * same count always gives the same log (and the same root).
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { encodeAbiParameters, encodeEventTopics, getAddress, type AbiEvent, type Address, type Hex } from "viem";
import { CITY_CONTRACTS, type DeploymentRecord } from "../../scripts/lib/deploy";
import { Roles, type RoleName } from "../../scripts/lib/roles";
import type { RawLog } from "../../ledger-node/src/types";

export const CHAIN_ID = 31337;
/** Bump when the generated log changes: cached logs of another version are rebuilt. */
export const GENERATOR_VERSION = 1;

const COLLEGES = ["PUBLIC", "CITIZENS", "PRIVATE_PARTNERS", "ASSOCIATIONS"];

function sha256Hex(label: string): string {
  return createHash("sha256").update(label).digest("hex");
}

function fakeAddress(label: string): Address {
  return getAddress(`0x${sha256Hex(label).slice(0, 40)}`);
}

/** `artifacts/contracts/<dir>/<name>.sol/<name>.json`, wherever `<dir>` is. */
function findArtifact(root: string, name: string): string | undefined {
  const base = join(root, "artifacts", "contracts");
  if (!existsSync(base)) return undefined;
  for (const dir of readdirSync(base)) {
    const file = join(base, dir, `${name}.sol`, `${name}.json`);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/**
 * The deployment record of the city's contracts (`CITY_CONTRACTS`) deployed at blocks 1, 2, … of chain 31337, with
 * the ABIs of `artifacts/` and fixed fake addresses. A contract not compiled yet is left out; the registry and the
 * coin, whose events the log holds, are required (run `npx hardhat compile`).
 */
export function benchDeployment(root = process.cwd()): DeploymentRecord {
  const contracts: Partial<DeploymentRecord["contracts"]> = {};
  CITY_CONTRACTS.forEach((name, i) => {
    const file = findArtifact(root, name);
    if (!file) {
      if (name === "CityRegistry" || name === "CityCoin") throw new Error(`no artifact for ${name}: run \`npx hardhat compile\` first`);
      return;
    }
    const { abi } = JSON.parse(readFileSync(file, "utf8")) as { abi: unknown[] };
    contracts[name] = { address: fakeAddress(`cityledger.bench/${name}`), blockNumber: i + 1, abi };
  });
  const roles = Object.fromEntries(Object.entries(Roles).map(([k, v]) => [k, v.toString()])) as Record<RoleName, string>;
  return {
    chainId: CHAIN_ID,
    deployer: fakeAddress("cityledger.bench/deployer"),
    deployBlock: 1,
    contracts: contracts as DeploymentRecord["contracts"],
    roles,
  };
}

/** Mulberry32: a small seeded PRNG (the log must be the same on every run). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Contract = "CityRegistry" | "CityCoin";

export interface CityLogOptions {
  /** Members registered (and issued coins) before the transfers start (default 4,000). */
  members?: number;
  seed?: number;
}

/** The city's event stream, log after log (see the file header). */
export class CityLog {
  readonly members: Address[];
  /** Events emitted before the first member-to-member transfer. */
  readonly setupEvents: number;
  private readonly events = new Map<string, AbiEvent>();
  private readonly addresses: Record<Contract, Address>;
  private readonly random: () => number;
  private readonly txsPerBlock = 20;

  private emitted = 0;
  private tx = 0;
  private block = 10n;
  private blockHash: Hex;
  private logIndex = 0;
  private txInBlock = 0;
  private queue: RawLog[] = [];
  private phase = 0;
  private phaseIndex = 0;

  constructor(
    readonly record: DeploymentRecord,
    options: CityLogOptions = {},
  ) {
    const count = options.members ?? 4_000;
    this.random = prng(options.seed ?? 0xc17e);
    this.members = Array.from({ length: count }, (_, i) => `0x${sha256Hex(`member-${i}`).slice(0, 40)}` as Address);
    this.setupEvents = COLLEGES.length + 4 * count;
    this.addresses = { CityRegistry: record.contracts.CityRegistry.address as Address, CityCoin: record.contracts.CityCoin.address as Address };
    for (const contract of ["CityRegistry", "CityCoin"] as const) {
      for (const item of record.contracts[contract].abi as { type?: string; name?: string }[]) {
        if (item.type === "event") this.events.set(`${contract}.${item.name}`, item as AbiEvent);
      }
    }
    this.blockHash = `0x${sha256Hex(`block-${this.block}`)}`;
  }

  /** Logs emitted so far. */
  get count(): number {
    return this.emitted;
  }

  /** The last block that holds an emitted log, for the ingest cursor. */
  get cursor(): { block: bigint; blockHash: Hex } {
    return { block: this.block, blockHash: this.blockHash };
  }

  /** The next `n` logs. */
  take(n: number): RawLog[] {
    const out: RawLog[] = [];
    while (out.length < n) {
      if (this.queue.length === 0) this.nextTransaction();
      out.push(this.queue.shift()!);
    }
    this.emitted += out.length;
    return out;
  }

  private nextTransaction(): void {
    const txHash: Hex = `0x${sha256Hex(`tx-${this.tx++}`)}`;
    if (this.txInBlock === this.txsPerBlock) {
      this.block += 1n;
      this.blockHash = `0x${sha256Hex(`block-${this.block}`)}`;
      this.logIndex = 0;
      this.txInBlock = 0;
    }
    this.txInBlock += 1;
    const members = this.members;
    const emit = (contract: Contract, name: string, args: Record<string, unknown>) =>
      this.queue.push(this.log(txHash, contract, name, args));
    const i = this.phaseIndex++;
    switch (this.phase) {
      case 0:
        emit("CityRegistry", "CollegeConfigured", { college: i, name: COLLEGES[i], enabled: true });
        if (i + 1 === COLLEGES.length) this.nextPhase();
        return;
      case 1: {
        const account = members[i];
        emit("CityRegistry", "MemberRegistered", {
          account,
          college: i % COLLEGES.length,
          district: 1 + (i % 20),
          flags: BigInt(1 + (i % 7)),
          credentialHash: `0x${sha256Hex(`credential-${i}`)}`,
          since: 1_700_000_000 + i * 12,
        });
        emit("CityCoin", "MembershipMirrored", { account, active: true });
        if (i + 1 === members.length) this.nextPhase();
        return;
      }
      case 2: {
        const amount = 1_000n * 10n ** 18n;
        emit("CityCoin", "Transfer", { from: `0x${"00".repeat(20)}`, to: members[i], value: amount });
        emit("CityCoin", "Issued", { to: members[i], amount, depositRef: `0x${sha256Hex(`deposit-${i}`)}` });
        if (i + 1 === members.length) this.nextPhase();
        return;
      }
      default: {
        const from = Math.floor(this.random() * members.length);
        let to = Math.floor(this.random() * (members.length - 1));
        if (to >= from) to += 1;
        const value = BigInt(1 + Math.floor(this.random() * 1_000_000)) * 10n ** 12n;
        emit("CityCoin", "Transfer", { from: members[from], to: members[to], value });
      }
    }
  }

  private nextPhase(): void {
    this.phase += 1;
    this.phaseIndex = 0;
  }

  /** One log of `contract.name`, topics and data encoded by viem against the deployment's ABI. */
  private log(txHash: Hex, contract: Contract, name: string, args: Record<string, unknown>): RawLog {
    const event = this.events.get(`${contract}.${name}`);
    if (!event) throw new Error(`the ${contract} ABI in artifacts/ has no event ${name}: recompile, or update bench/ledger/city.ts`);
    const indexed: Record<string, unknown> = {};
    for (const input of event.inputs) if (input.indexed) indexed[input.name!] = args[input.name!];
    const plain = event.inputs.filter((input) => !input.indexed);
    const topics = encodeEventTopics({ abi: [event], eventName: name, args: indexed } as Parameters<typeof encodeEventTopics>[0]) as Hex[];
    const data = encodeAbiParameters(
      plain,
      plain.map((input) => args[input.name!]),
    );
    return {
      chainId: CHAIN_ID,
      blockNumber: this.block,
      blockHash: this.blockHash,
      transactionHash: txHash,
      logIndex: this.logIndex++,
      address: this.addresses[contract],
      topics,
      data,
    };
  }
}
