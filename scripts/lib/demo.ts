/**
 * The demo city that `npm start` seeds: members across the four colleges and five districts, coins issued against
 * deposits, payments between members (some relayed through the forwarder), and a basic-income program whose first
 * period some members have claimed.
 *
 * Everything is derived from fixed strings, so every run gives the same keys, addresses, amounts and references
 * (block timestamps follow the clock). No personal data: credentials are salted hashes of made-up ids.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Wallet, id, solidityPackedKeccak256, type Signer } from "ethers";
import type { City } from "./deploy";
import { signForwardRequest } from "./relay";
import { COLLEGES, Flags } from "./roles";

/** 1 CityCoin = 1_000_000 base units (6 decimals). */
const EURO = 1_000_000n;
const DAY = 24 * 3600;

export const DEMO_MEMBER_COUNT = 40;
export const DEMO_DISTRICTS = 5;
/** Payments between members; every sixth one is relayed through the forwarder (the payer spends no ETH). */
export const DEMO_PAYMENTS = 24;
const RELAY_EVERY = 6;
/** The reserve the issuer attests before issuing: €100,000. */
export const DEMO_RESERVE = 100_000n * EURO;
/** Issued to the community fund, which funds the basic-income program. */
export const DEMO_CITY_BUDGET = 2_000n * EURO;
/** Parking: every PARKING_OWNER member lists a spot at €1.50 an hour; this many bookings follow. */
export const DEMO_BOOKINGS = 6;
const DEMO_HOURLY_RATE = 1_500_000n;
const HOUR = 3600;
/** The basic-income program: residents of the CITIZENS college, €50 per 30-day period, 12 periods. */
export const DEMO_PROGRAM = {
  college: 1,
  flagBit: 0, // RESIDENT; the contract takes `bit + 1`
  periodLength: 30 * DAY,
  periodCount: 12,
  amountPerPeriod: 50n * EURO,
} as const;
/** ETH given to each member key (hardhat_setBalance) so members can also send transactions themselves. */
const MEMBER_ETH = 10n ** 19n;

/** The registrar's salt for the demo credential hashes. */
const CREDENTIAL_SALT = id("cityledger demo registrar salt");

/** The private key of demo member `index`: keccak256("cityledger demo member " + index). */
export function demoMemberKey(index: number): string {
  return id(`cityledger demo member ${index}`);
}

export interface DemoMember {
  index: number;
  key: string;
  address: string;
  college: number;
  district: number;
  flags: bigint;
  /** Salted hash of a made-up registrar file id, `DEMO-0007`. */
  credentialHash: string;
  /** Opening deposit issued to the member, in base units. */
  deposit: bigint;
}

/**
 * The demo members, a pure function of `count`. Colleges by `index % 10`: 0 PUBLIC, 1-6 CITIZENS, 7-8
 * PRIVATE_PARTNERS, 9 ASSOCIATIONS; districts 1..5; flags vary within each college.
 */
export function demoMembers(count = DEMO_MEMBER_COUNT): DemoMember[] {
  return Array.from({ length: count }, (_, index) => {
    const slot = index % 10;
    let college: number;
    let flags: bigint;
    if (slot === 0) {
      college = 0; // PUBLIC: city services and public bodies
      flags = Flags.RESIDENT;
    } else if (slot <= 6) {
      college = 1; // CITIZENS: every one a resident, some prosumers or parking owners
      flags = Flags.RESIDENT;
      if (index % 4 === 1) flags |= Flags.PROSUMER;
      if (index % 3 === 0) flags |= Flags.PARKING_OWNER;
    } else if (slot <= 8) {
      college = 2; // PRIVATE_PARTNERS: merchants, some also prosumers or residents
      flags = Flags.MERCHANT;
      if (index % 4 === 3) flags |= Flags.PROSUMER;
      if (index % 3 === 1) flags |= Flags.RESIDENT;
    } else {
      college = 3; // ASSOCIATIONS
      flags = Flags.ASSOCIATION;
      if (index % 20 === 19) flags |= Flags.PARKING_OWNER;
    }
    const key = demoMemberKey(index);
    return {
      index,
      key,
      address: new Wallet(key).address,
      college,
      district: ((index * 3) % DEMO_DISTRICTS) + 1,
      flags,
      credentialHash: solidityPackedKeccak256(["bytes32", "string"], [CREDENTIAL_SALT, `DEMO-${String(index).padStart(4, "0")}`]),
      deposit: (20n + BigInt((index * 37) % 181)) * EURO,
    };
  });
}

/** The demo payments: payer, payee (never the payer) and amount, a pure function of the member count. */
export function demoPayments(count = DEMO_MEMBER_COUNT): { from: number; to: number; amount: bigint; relayed: boolean }[] {
  return Array.from({ length: Math.min(DEMO_PAYMENTS, count) }, (_, k) => {
    const from = (k * 7) % count;
    const to = (from + 1 + ((k * 5) % (count - 1))) % count;
    const amount = BigInt((k % 9) + 1) * EURO + BigInt((k * 13) % 100) * 10_000n;
    return { from, to, amount, relayed: k % RELAY_EVERY === RELAY_EVERY - 1 };
  });
}

/** Who acts in the demo: each signer holds the role its name says (granted by deployCity). */
export interface DemoActors {
  registrar: Signer;
  issuer: Signer;
  /** Attests the reserve (RESERVE_ATTESTER): never the issuer. */
  attester: Signer;
  council: Signer;
  relayer: Signer;
  /** The community fund (a city account): receives the city budget and funds the program. */
  treasury: Signer;
}

export interface DemoSummary {
  members: DemoMember[];
  /** Active members per college id. */
  byCollege: number[];
  districts: number;
  reserve: bigint;
  issued: bigint;
  deposits: number;
  payments: number;
  relayedPayments: number;
  program: { id: bigint; eligible: number; amountPerPeriod: bigint; periodLength: number; claims: number };
  parking: { spots: number; bookings: number };
}

export interface SeedHooks {
  onPhase?: (phase: string) => void;
  onStep?: (detail: string) => void;
}

/** How many steps {seedDemoCity} reports, for a progress bar. */
export function demoStepCount(count = DEMO_MEMBER_COUNT): number {
  const citizens = demoMembers(count).filter((m) => m.college === DEMO_PROGRAM.college).length;
  const claims = Math.ceil(citizens / 2);
  const owners = demoMembers(count).filter((m) => (m.flags & Flags.PARKING_OWNER) !== 0n).length;
  // balances + registrations + reserve + issues (members and budget) + payments + program (create, approve, fund,
  // start) + claims + parking (a spot per owner, then bookings)
  return count + count + 1 + (count + 1) + Math.min(DEMO_PAYMENTS, count) + 4 + claims + owners + DEMO_BOOKINGS;
}

/** Seeds the demo city into a freshly deployed `city` (see the module comment). */
export async function seedDemoCity(
  hre: HardhatRuntimeEnvironment,
  city: City,
  actors: DemoActors,
  hooks: SeedHooks = {},
): Promise<DemoSummary> {
  const phase = hooks.onPhase ?? (() => {});
  const step = hooks.onStep ?? (() => {});
  const { ethers } = hre;
  const provider = ethers.provider;
  const { registry, coin, income, forwarder } = city;
  const members = demoMembers();
  const wallets = members.map((m) => new Wallet(m.key, provider));

  phase("funding member keys with ETH");
  for (const m of members) {
    await provider.send("hardhat_setBalance", [m.address, `0x${MEMBER_ETH.toString(16)}`]);
    step(`member ${m.index}`);
  }

  phase(`registering ${members.length} members`);
  const registrar = registry.connect(actors.registrar);
  for (const m of members) {
    await (await registrar.register(m.address, m.college, m.district, m.flags, m.credentialHash)).wait();
    step(`${COLLEGES[m.college]} member ${m.index}, district ${m.district}`);
  }

  phase("attesting the reserve and issuing coins against deposits");
  const issuer = coin.connect(actors.issuer);
  await (await coin.connect(actors.attester).attestReserve(DEMO_RESERVE, id("cityledger demo reserve report 1"))).wait();
  step("reserve attested");
  let issued = 0n;
  for (const m of members) {
    await (await issuer.issue(m.address, m.deposit, id(`cityledger demo deposit ${m.index}`))).wait();
    issued += m.deposit;
    step(`deposit ${m.index}`);
  }
  const treasury = await actors.treasury.getAddress();
  await (await issuer.issue(treasury, DEMO_CITY_BUDGET, id("cityledger demo city budget"))).wait();
  issued += DEMO_CITY_BUDGET;
  step("city budget");

  phase("payments between members");
  const payments = demoPayments(members.length);
  const coinAddress = await coin.getAddress();
  for (const p of payments) {
    const payee = members[p.to].address;
    if (p.relayed) {
      const data = coin.interface.encodeFunctionData("transfer", [payee, p.amount]);
      const request = await signForwardRequest(forwarder, wallets[p.from], { to: coinAddress, data });
      await (await forwarder.connect(actors.relayer).execute(request)).wait();
    } else {
      await (await coin.connect(wallets[p.from]).transfer(payee, p.amount)).wait();
    }
    step(`${p.from} → ${p.to}${p.relayed ? " (relayed)" : ""}`);
  }

  phase("basic income: program, funding, first claims");
  const latest = await provider.getBlock("latest");
  const start = latest!.timestamp + 30;
  const council = income.connect(actors.council);
  const programId = (await income.programCount()) + 1n;
  await (
    await council.createProgram(
      1 << DEMO_PROGRAM.college,
      DEMO_PROGRAM.flagBit + 1,
      start,
      DEMO_PROGRAM.periodLength,
      DEMO_PROGRAM.periodCount,
      DEMO_PROGRAM.amountPerPeriod,
    )
  ).wait();
  step("program created");
  const eligible = members.filter(
    (m) => m.college === DEMO_PROGRAM.college && (m.flags & (1n << BigInt(DEMO_PROGRAM.flagBit))) !== 0n,
  );
  const budget = DEMO_PROGRAM.amountPerPeriod * BigInt(eligible.length);
  await (await coin.connect(actors.treasury).approve(await income.getAddress(), budget)).wait();
  step("budget approved");
  await (await income.connect(actors.treasury).fund(programId, budget)).wait();
  step("program funded");
  // The first period starts 30 s after creation, so the members registered above are in its snapshot.
  const now = (await provider.getBlock("latest"))!.timestamp;
  if (now < start) {
    await provider.send("evm_setNextBlockTimestamp", [start]);
    await provider.send("evm_mine", []);
  }
  step("first period open");
  const claimants = eligible.filter((_, i) => i % 2 === 0);
  for (const m of claimants) {
    await (await income.connect(wallets[m.index]).claim(programId)).wait();
    step(`member ${m.index} claimed`);
  }

  phase("parking: owners list spots, drivers book");
  const { parking } = city;
  const parkingAddress = await parking.getAddress();
  const owners = members.filter((m) => (m.flags & Flags.PARKING_OWNER) !== 0n);
  const spots: bigint[] = [];
  for (const m of owners) {
    await (
      await parking.connect(wallets[m.index]).list({
        district: m.district,
        geohash: ethers.zeroPadBytes(ethers.toUtf8Bytes(`u0tsk${m.index % 10}`), 12),
        descriptionHash: id(`cityledger demo spot of member ${m.index}`),
        hourlyRate: DEMO_HOURLY_RATE,
        dailyCap: 0,
        presetId: 1,
        checkIn: false,
        deposit: 0,
        weeklyAvailability: (1n << 168n) - 1n,
      })
    ).wait();
    spots.push(await parking.spotCount());
    step(`spot of member ${m.index} in district ${m.district}`);
  }
  // Whole hours from tomorrow on: drivers (non-owners) book two hours each, one spot apiece.
  const tomorrow = (Math.floor((await provider.getBlock("latest"))!.timestamp / HOUR) + 24) * HOUR;
  const drivers = members.filter((m) => (m.flags & Flags.PARKING_OWNER) === 0n);
  let bookings = 0;
  for (let i = 0; i < Math.min(DEMO_BOOKINGS, spots.length, drivers.length); i++) {
    const driver = wallets[drivers[i].index];
    const start = tomorrow + i * 3 * HOUR;
    await (await coin.connect(driver).approve(parkingAddress, 2n * DEMO_HOURLY_RATE)).wait();
    await (await parking.connect(driver).book(spots[i], start, start + 2 * HOUR, 2n * DEMO_HOURLY_RATE)).wait();
    bookings++;
    step(`member ${drivers[i].index} booked spot ${spots[i]}`);
  }

  const byCollege = COLLEGES.map((_, college) => members.filter((m) => m.college === college).length);
  return {
    members,
    byCollege,
    districts: DEMO_DISTRICTS,
    reserve: DEMO_RESERVE,
    issued,
    deposits: members.length + 1,
    payments: payments.length,
    relayedPayments: payments.filter((p) => p.relayed).length,
    program: {
      id: programId,
      eligible: eligible.length,
      amountPerPeriod: DEMO_PROGRAM.amountPerPeriod,
      periodLength: DEMO_PROGRAM.periodLength,
      claims: claimants.length,
    },
    parking: { spots: spots.length, bookings },
  };
}
