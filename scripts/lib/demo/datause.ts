/**
 * The demo's data use (DataUseRegistry): three processors the council registers — the city's mobility service, the
 * energy distributor and a university research partner — declare five purposes on four legal bases (consent, public
 * task, contract, legitimate interest); members consent to the two consent-based ones (three withdraw a day later);
 * each processor commits two monthly batches of access records — the month before the seed (accesses under the
 * purposes that need no consent) and the month of the hour after the withdrawals — and reveals both salts. Exactly one
 * record is a violation: the mobility service's study read the location of a member who had withdrawn an hour before.
 * The records themselves are not on chain: `submitDemoRecords` gives them to the ledger node once it runs, which
 * checks them against the roots.
 */
import { AbiCoder, id, keccak256 } from "ethers";
import { getAddress, type Address, type Hex } from "viem";
import { accessRecordsRoot, periodBounds, periodOf, previousPeriod, pseudonymOf, type AccessRecord } from "@cityledger/sdk/datause";
import { MemberWallet } from "./members";
import { mined, type DemoContext } from "./context";
import { DAY, HOUR } from "./timeline";

/** IDataUseRegistry.LegalBasis. */
const CONSENT = 0;
const CONTRACT = 1;
const PUBLIC_TASK = 4;
const LEGITIMATE_INTEREST = 5;
/** Data categories (bit flags). */
const IDENTITY = 1;
const LOCATION = 2;
const ENERGY = 4;
const PAYMENTS = 8;
const MOBILITY = 16;

/** Members 0..11 consent to the parking study; 10 and 11 withdraw. Members 0..7 consent to the research study; 3 withdraws. */
const STUDY_CONSENTS = 12;
const STUDY_WITHDRAWN = [10, 11];
const RESEARCH_CONSENTS = 8;
const RESEARCH_WITHDRAWN = [3];

const PROCESSORS = [
  { key: "mobility", name: "City mobility service", contact: "https://demo.cityledger.invalid/processors/mobility" },
  { key: "energy", name: "Energy distributor", contact: "https://demo.cityledger.invalid/processors/energy" },
  { key: "research", name: "University research partner", contact: "https://demo.cityledger.invalid/processors/research" },
] as const;
type ProcessorKey = (typeof PROCESSORS)[number]["key"];

const PURPOSES = [
  { key: "study", processor: "mobility", text: "Occupancy study of shared parking spots", basis: CONSENT, categories: IDENTITY | LOCATION },
  { key: "bookings", processor: "mobility", text: "Keeping parking booking records", basis: PUBLIC_TASK, categories: IDENTITY | PAYMENTS },
  { key: "billing", processor: "energy", text: "Billing from meter readings", basis: CONTRACT, categories: ENERGY | PAYMENTS },
  { key: "forecast", processor: "energy", text: "Forecasting the district's demand", basis: LEGITIMATE_INTEREST, categories: ENERGY },
  { key: "research", processor: "research", text: "Study of mobility and energy habits", basis: CONSENT, categories: MOBILITY | ENERGY },
] as const;
type PurposeKey = (typeof PURPOSES)[number]["key"];

export interface DemoBatch {
  processorId: bigint;
  /** YYYYMM. */
  period: number;
  /** In the order of their tree: what the node is given. */
  records: AccessRecord[];
}

export interface DemoDataUse {
  /** Processor ids by name. */
  processors: Record<ProcessorKey, bigint>;
  /** The processors' accounts: keccak256("cityledger demo processor <i>") is each one's (public) key, i = 1..3. */
  accounts: Record<ProcessorKey, string>;
  purposes: Record<PurposeKey, bigint>;
  /** Members whose consent stands, per consent-based purpose. */
  consents: { study: number; research: number };
  /** The two months (YYYYMM), oldest first, each with every processor's batch; every salt is revealed. */
  periods: [number, number];
  batches: DemoBatch[];
  /** The one violation: the member whose withdrawn consent the study ignored, and the record's place. */
  violation: { member: string; processorId: bigint; period: number; index: number };
}

/** Schedules the processors, purposes, consents and batches; the returned function reads what was made. */
export function scheduleDataUse(ctx: DemoContext): () => Promise<DemoDataUse> {
  const { city, timeline, actors, wallets, members } = ctx;
  const registry = city.datause;
  const t0 = timeline.t0;
  const accounts = PROCESSORS.map((_, i) => new MemberWallet(id(`cityledger demo processor ${i + 1}`), ctx.hre.ethers.provider));
  const made = { processors: {} as Record<ProcessorKey, bigint>, purposes: {} as Record<PurposeKey, bigint>, batches: [] as DemoBatch[] };
  const account = (key: ProcessorKey) => accounts[PROCESSORS.findIndex((p) => p.key === key)]!;
  const address = (i: number) => getAddress(members[i]!.address) as Address;

  // The withdrawals come at t0 + 1 day + 2 h; the month's accesses all fall in one hour, a full hour after them (so
  // in one month whatever the date), and the batches are committed after it.
  const withdrawAt = t0 + DAY + 2 * HOUR;
  const hour = Math.floor(withdrawAt / HOUR) * HOUR + 2 * HOUR;
  const periods: [number, number] = [previousPeriod(periodOf(hour)), periodOf(hour)];
  const salt = (processor: number, period: number) => id(`cityledger demo pseudonym salt ${processor}/${period}`) as Hex;

  /** Every processor's records of `period`, at `at(i)` for the i-th. */
  function recordsOf(processor: ProcessorKey, processorId: bigint, period: number, month: 0 | 1): AccessRecord[] {
    const s = salt(Number(processorId), period);
    const rec = (member: number, purpose: PurposeKey, category: number, count: number, timeBucket: number): AccessRecord => ({
      pseudonym: pseudonymOf(address(member), made.purposes[purpose], s),
      purposeId: made.purposes[purpose],
      category,
      count,
      timeBucket,
    });
    // Last month: ten days in, an hour per member, only under the purposes that need no consent.
    const early = (i: number) => periodBounds(period).start + 10 * DAY + i * HOUR;
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
    if (processor === "mobility") {
      return month === 0
        ? range(12, 20).map((m, i) => rec(m, "bookings", IDENTITY, 1, early(i)))
        : [
            // Members 0..9 consent; member 10 withdrew an hour before: the demo's one violation (index 10).
            ...range(0, 11).map((m) => rec(m, "study", LOCATION, 4, hour)),
            ...range(12, 16).map((m) => rec(m, "bookings", PAYMENTS, 1, hour)),
          ];
    }
    if (processor === "energy") {
      return month === 0
        ? range(20, 28).map((m, i) => rec(m, "billing", ENERGY, 96, early(i)))
        : [...range(20, 28).map((m) => rec(m, "billing", ENERGY, 4, hour)), ...range(20, 24).map((m) => rec(m, "forecast", ENERGY, 4, hour))];
    }
    // The research partner began with the register: nothing last month (an empty batch), then its consenting members.
    return month === 0 ? [] : [0, 1, 2].map((m) => rec(m, "research", MOBILITY, 2, hour));
  }

  timeline.at(t0, "data use: three processors and their purposes", async () => {
    for (const [i, p] of PROCESSORS.entries()) {
      await ctx.hre.ethers.provider.send("hardhat_setBalance", [accounts[i]!.address, "0x8ac7230489e80000"]);
      await mined(registry.connect(actors.council).registerProcessor(accounts[i]!.address, id(p.name), p.contact));
      made.processors[p.key] = await registry.processorCount();
    }
    for (const p of PURPOSES) {
      await mined(
        registry.connect(account(p.processor)).declarePurpose(made.processors[p.processor], {
          descriptionHash: id(p.text),
          legalBasis: p.basis,
          categories: p.categories,
          retention: 365 * DAY,
          recipients: [id(`${PROCESSORS.find((x) => x.key === p.processor)!.name}'s data-protection officer`)],
        }),
      );
      made.purposes[p.key] = await registry.purposeCount();
    }
  });
  timeline.at(t0 + 3 * HOUR, "data use: members consent", async () => {
    for (const m of members.slice(0, STUDY_CONSENTS)) await mined(registry.connect(wallets[m.index]).grantConsent(made.purposes.study));
    for (const m of members.slice(0, RESEARCH_CONSENTS)) await mined(registry.connect(wallets[m.index]).grantConsent(made.purposes.research));
  });
  timeline.at(withdrawAt, "data use: consents withdrawn", async () => {
    for (const i of STUDY_WITHDRAWN) await mined(registry.connect(wallets[i]).withdrawConsent(made.purposes.study));
    for (const i of RESEARCH_WITHDRAWN) await mined(registry.connect(wallets[i]).withdrawConsent(made.purposes.research));
  });
  timeline.at(hour + 2 * HOUR, "data use: two months of access records committed, salts revealed", async () => {
    for (const [month, period] of periods.entries()) {
      for (const p of PROCESSORS) {
        const processorId = made.processors[p.key];
        const records = recordsOf(p.key, processorId, period, month as 0 | 1);
        const s = salt(Number(processorId), period);
        const saltHash = keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32"], [s]));
        await mined(registry.connect(account(p.key)).publishBatch(processorId, period, accessRecordsRoot(records), records.length, saltHash));
        await mined(registry.connect(account(p.key)).revealSalt(processorId, period, s));
        made.batches.push({ processorId, period, records });
      }
    }
  });

  return async () => ({
    processors: made.processors,
    accounts: Object.fromEntries(PROCESSORS.map((p, i) => [p.key, accounts[i]!.address])) as Record<ProcessorKey, string>,
    purposes: made.purposes,
    consents: { study: STUDY_CONSENTS - STUDY_WITHDRAWN.length, research: RESEARCH_CONSENTS - RESEARCH_WITHDRAWN.length },
    periods,
    batches: made.batches,
    violation: { member: address(10), processorId: made.processors.mobility, period: periods[1], index: 10 },
  });
}

/**
 * Gives the demo's access records to the ledger node at `nodeUrl`, as a processor would, once the node has followed the
 * chain to every batch (it polls the batch list, not the submission route, which is rate-limited): the node keeps them
 * once they hash to the published roots.
 */
export async function submitDemoRecords(nodeUrl: string, dataUse: Pick<DemoDataUse, "batches">, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${nodeUrl}/v1/datause/batches?limit=1000`, { headers: { accept: "application/json" } });
    const listed = response.ok ? ((await response.json()) as { total: number }).total : 0;
    if (listed >= dataUse.batches.length) break;
    if (Date.now() > deadline) throw new Error(`the ledger node lists ${listed} of the demo's ${dataUse.batches.length} access-record batches after ${timeoutMs / 1000} s: is it following the chain?`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const batch of dataUse.batches) {
    const body = JSON.stringify({ records: batch.records.map((r) => ({ ...r, purposeId: r.purposeId.toString() })) });
    const response = await fetch(`${nodeUrl}/v1/datause/batches/${batch.processorId}/${batch.period}/records`, { method: "POST", headers: { "content-type": "application/json" }, body });
    if (!response.ok) throw new Error(`the ledger node refused the demo's access records of batch ${batch.processorId}/${batch.period}: HTTP ${response.status} ${await response.text()}`);
  }
}
