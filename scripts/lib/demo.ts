/**
 * The demo city that `npm start` seeds, every domain of it: members across the four colleges and five districts, coins
 * issued against deposits, payments between members (some relayed through the forwarder), a basic-income program whose
 * first period some members have claimed; then nine days of city life on the local chain's clock (demo/timeline.ts):
 * governance proposals voted, queued and vetoed, ballots of every kind, participatory-budget rounds in every phase, an
 * energy market with settled slots, a data-use processor with its purposes, members' consents and a month's access
 * records; and, when the city is ready, what is open stays open for days (a consultation, a sealed vote, a petition, a
 * budget vote, a proposal's vote, its veto window, an energy slot), with parking spots listed and booked from tomorrow
 * on.
 *
 * Everything is derived from fixed strings, so every run gives the same keys, addresses, amounts, ids, votes and
 * results; only block timestamps follow the clock (the history is laid out from the chain's time at the start). No
 * personal data: credentials are salted hashes of made-up ids, questions and projects are made up.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import fs from "node:fs";
import { id } from "ethers";
import { formatCity } from "@cityledger/sdk";
import type { City } from "./deploy";
import type { Governance } from "./governance";
import { signForwardRequest } from "./relay";
import { COLLEGES, Flags } from "./roles";
import { scheduleBallots, type DemoBallots } from "./demo/ballots";
import { BUDGET_PHASES, scheduleBudget, type DemoBudget } from "./demo/budget";
import type { DemoActors, DemoContext } from "./demo/context";
import { scheduleDataUse, type DemoDataUse } from "./demo/datause";
import { scheduleEnergy, type DemoEnergy } from "./demo/energy";
import { DEMO_DISTRICTS, DEMO_MEMBER_COUNT, EURO, MemberWallet, demoMembers, type DemoMember } from "./demo/members";
import { scheduleGovernance, type DemoGovernance } from "./demo/proposals";
import { DAY, HOUR, MINUTE, Timeline } from "./demo/timeline";

export { DEMO_DISTRICTS, DEMO_MEMBER_COUNT, demoMemberKey, demoMembers, type DemoMember } from "./demo/members";
export type { DemoActors } from "./demo/context";
export type { DemoBallot, DemoBallots, DemoSealedVote } from "./demo/ballots";
export { demoSealedSalt } from "./demo/ballots";
export { BUDGET_PHASES, type BudgetPhaseName, type DemoBudget } from "./demo/budget";
export { demoMeterKey, type DemoEnergy } from "./demo/energy";
export type { DemoDataUse } from "./demo/datause";
export { submitDemoRecords } from "./demo/datause";
export type { DemoGovernance, DemoProposal } from "./demo/proposals";

/** Payments between members; every sixth one is relayed through the forwarder (the payer spends no ETH). */
export const DEMO_PAYMENTS = 24;
const RELAY_EVERY = 6;
/** The reserve the issuer attests before issuing: €100,000. */
export const DEMO_RESERVE = 100_000n * EURO;
/** Issued to the community fund, which funds the basic-income program and the participatory budget's winners. */
export const DEMO_CITY_BUDGET = 10_000n * EURO;
/** Parking: every PARKING_OWNER member lists a spot at €1.50 an hour; this many bookings follow. */
export const DEMO_BOOKINGS = 6;
const DEMO_HOURLY_RATE = 1_500_000n;
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

/** The demo payments: payer, payee (never the payer) and amount, a pure function of the member count. */
export function demoPayments(count = DEMO_MEMBER_COUNT): { from: number; to: number; amount: bigint; relayed: boolean }[] {
  return Array.from({ length: Math.min(DEMO_PAYMENTS, count) }, (_, k) => {
    const from = (k * 7) % count;
    const to = (from + 1 + ((k * 5) % (count - 1))) % count;
    const amount = BigInt((k % 9) + 1) * EURO + BigInt((k * 13) % 100) * 10_000n;
    return { from, to, amount, relayed: k % RELAY_EVERY === RELAY_EVERY - 1 };
  });
}

/** What the seed made, for the summary `npm start` prints and for tests that look for it (ids, ballots, rounds…). */
export interface DemoCity {
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
  governance: DemoGovernance;
  ballots: DemoBallots;
  budget: DemoBudget;
  energy: DemoEnergy;
  dataUse: DemoDataUse;
  /** The chain's time when the seed started, on the hour (unix seconds): every other time follows from it. */
  startedAt: number;
  /** The chain's time when the seed ended: every open item is open then and for days after. */
  readyAt: number;
  /** How long the seed took (wall-clock seconds). */
  seconds: number;
}

export interface SeedHooks {
  onPhase?: (phase: string) => void;
  onStep?: (detail: string) => void;
  /** Steps planned beyond {demoStepCount}'s, once the seed has laid out its timeline (one per scheduled action). */
  onMoreSteps?: (count: number) => void;
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

/**
 * Seeds the demo city into a freshly deployed `city` and its `governance` (see the module comment). The deployer must
 * still be the authority's admin (the dev city's, as deployGovernance leaves it); `actors` hold the roles they are named
 * after.
 */
export async function seedDemoCity(
  hre: HardhatRuntimeEnvironment,
  city: City,
  governance: Governance,
  actors: DemoActors,
  hooks: SeedHooks = {},
): Promise<DemoCity> {
  const startedAt = Date.now();
  const phase = hooks.onPhase ?? (() => {});
  const step = hooks.onStep ?? (() => {});
  const { ethers } = hre;
  const provider = ethers.provider;
  // The seed starts on the hour of the chain's clock: every time it lays out from there (energy slots, parking hours)
  // then falls the same way on every run.
  const chainStart = (Math.floor((await provider.getBlock("latest"))!.timestamp / HOUR) + 1) * HOUR;
  await provider.send("evm_setNextBlockTimestamp", [chainStart]);
  await provider.send("evm_mine", []);
  const { registry, coin, income, forwarder } = city;
  const members = demoMembers();
  const wallets = members.map((m) => new MemberWallet(m.key, provider));

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

  phase("nine days of city life: governance, ballots, participatory budget, energy market");
  // The history starts a minute from now on the chain's clock; what is open when the city is ready comes last.
  const timeline = new Timeline((await provider.getBlock("latest"))!.timestamp + MINUTE);
  const ctx: DemoContext = { hre, city, governance, actors, members, wallets, timeline };
  const made = {
    governance: scheduleGovernance(ctx, programId),
    ballots: scheduleBallots(ctx),
    budget: scheduleBudget(ctx),
    energy: scheduleEnergy(ctx),
    dataUse: scheduleDataUse(ctx),
  };
  hooks.onMoreSteps?.(timeline.size);
  await timeline.play(provider, step);

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
    governance: await made.governance(),
    ballots: await made.ballots(),
    budget: await made.budget(),
    energy: await made.energy(),
    dataUse: await made.dataUse(),
    startedAt: chainStart,
    readyAt: (await provider.getBlock("latest"))!.timestamp,
    seconds: (Date.now() - startedAt) / 1000,
  };
}

/** `T` as JSON carries it: bigints as decimal strings. */
export type Jsonified<T> = T extends bigint
  ? string
  : T extends readonly (infer U)[]
    ? Jsonified<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;

/**
 * Writes what the seed made beside the deployment record, as `<chainId>.demo.json` (bigints as decimal strings), for
 * tools and tests that run `npm start` in another process; returns the file's path.
 */
export function writeDemoCity(demo: DemoCity, deploymentFile: string): string {
  const file = deploymentFile.replace(/\.json$/, ".demo.json");
  fs.writeFileSync(file, JSON.stringify(demo, (_, value: unknown) => (typeof value === "bigint" ? value.toString() : value), 2) + "\n");
  return file;
}

/** A chain time for the summary, to the minute: "2026-12-14 11:00 UTC". */
function when(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** The summary's lines for the domains the timeline seeded (`npm start` prints them under "demo city"). */
export function demoSummaryLines(d: DemoCity): string[] {
  const { governance: g, ballots: b, budget, energy, dataUse } = d;
  const short = (proposalId: bigint) => `${proposalId.toString().slice(0, 8)}…`;
  const [yes, no, blank] = b.closedReferendum.counts;
  const rounds = BUDGET_PHASES.map((phase) => `#${budget.rounds[phase]} ${phase}`).join(", ");
  const prices = energy.settledSlots.map((s) => `€${formatCity(s.price)}`).join(", ");
  return [
    `    governance      proposal ${short(g.queued.id)} queued, citizens' veto ${g.queued.vetoes}/${g.queued.vetoesNeeded} until ${when(g.queued.eta)}`,
    `                    proposal ${short(g.active.id)} open for votes until ${when(g.active.deadline)}; ${short(g.defeated.id)} defeated`,
    `    ballots         #${b.closedReferendum.id} referendum closed (yes ${yes}, no ${no}, blank ${blank}); #${b.openConsultation.id} consultation open until ${when(b.openConsultation.closesAt)}`,
    `                    #${b.sealedReferendum.id} sealed referendum, commit phase until ${when(b.sealedReferendum.closesAt)}; #${b.petition.id} petition ${b.petition.signatures}/${b.petition.needed} signatures`,
    `    budget          rounds ${rounds}; #${budget.equalShares.roundId} Equal Shares: ${budget.equalShares.winningProjects.length} winners funded`,
    `    data use        3 processors, 5 purposes, ${dataUse.consents.study + dataUse.consents.research} members' consents, access records of ${dataUse.periods.join(" and ")} (1 violation: bulletin at /v1/datause/bulletins/<YYYY-MM>)`,
    `    energy          ${energy.meters.production + energy.meters.consumption} meters; ${energy.settledSlots.length} slots settled at ${prices} per kWh; slot ${energy.openSlot.slot} open for orders until ${when(energy.openSlot.gateClosesAt)}`,
  ];
}
