/**
 * The demo's data use (DataUseRegistry): the city's mobility service, registered as a processor by the council,
 * declares two purposes — an occupancy study of shared parking that members consent to, and keeping booking records
 * as a public task; members consent (two withdraw again a day later), and the service commits its access records of
 * the month before the seed and reveals that month's pseudonym salt.
 */
import { AbiCoder, id, keccak256 } from "ethers";
import { MemberWallet } from "./members";
import { mined, type DemoContext } from "./context";
import { DAY, HOUR } from "./timeline";

/** IDataUseRegistry.LegalBasis. */
const CONSENT = 0;
const PUBLIC_TASK = 4;
/** Members 0..11 consent to the study; the last two of them withdraw. */
const CONSENTING = 12;
const WITHDRAWING = 2;
/** Access records the service commits for the month. */
const RECORDS = 42;

export interface DemoDataUse {
  processorId: bigint;
  /** The processor's account: keccak256("cityledger demo processor 1") is its (public) key. */
  processor: string;
  purposes: { consent: bigint; publicTask: bigint };
  /** Members whose consent to the study stands. */
  consents: number;
  /** The committed month (YYYYMM) and its number of records; its salt is revealed. */
  batch: { period: number; records: number };
}

/** Schedules the processor, its purposes, the consents and the batch; the returned function reads what was made. */
export function scheduleDataUse(ctx: DemoContext): () => Promise<DemoDataUse> {
  const { city, timeline, actors, wallets, members } = ctx;
  const registry = city.datause;
  const t0 = timeline.t0;
  const processor = new MemberWallet(id("cityledger demo processor 1"), ctx.hre.ethers.provider);
  const asProcessor = registry.connect(processor);
  const made = { processorId: 0n, consent: 0n, publicTask: 0n };
  // The month before the seed's start, as YYYYMM.
  const start = new Date(t0 * 1000);
  const previous = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() - 1, 1));
  const period = previous.getUTCFullYear() * 100 + previous.getUTCMonth() + 1;
  const salt = id(`cityledger demo pseudonym salt ${period}`);
  const terms = (description: string, legalBasis: number) => ({
    descriptionHash: id(description),
    legalBasis,
    categories: 0b11, // identity and location
    retention: 365 * DAY,
    recipients: [id("the city's mobility department")],
  });

  timeline.at(t0, "data use: a processor and its purposes", async () => {
    await ctx.hre.ethers.provider.send("hardhat_setBalance", [processor.address, "0x8ac7230489e80000"]);
    await mined(registry.connect(actors.council).registerProcessor(processor.address, id("City mobility service"), "https://demo.cityledger.invalid/processors/mobility"));
    made.processorId = await registry.processorCount();
    await mined(asProcessor.declarePurpose(made.processorId, terms("Occupancy study of shared parking spots", CONSENT)));
    made.consent = await registry.purposeCount();
    await mined(asProcessor.declarePurpose(made.processorId, terms("Keeping parking booking records", PUBLIC_TASK)));
    made.publicTask = await registry.purposeCount();
  });
  timeline.at(t0 + 3 * HOUR, "data use: members consent", async () => {
    for (const m of members.slice(0, CONSENTING)) await mined(registry.connect(wallets[m.index]).grantConsent(made.consent));
  });
  timeline.at(t0 + DAY + 2 * HOUR, "data use: consents withdrawn, access records committed", async () => {
    for (const m of members.slice(CONSENTING - WITHDRAWING, CONSENTING)) await mined(registry.connect(wallets[m.index]).withdrawConsent(made.consent));
    // A commitment to the month's records (the demo publishes none: any 32 bytes stand for their Merkle root).
    const saltHash = keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32"], [salt]));
    await mined(asProcessor.publishBatch(made.processorId, period, id(`cityledger demo access records ${period}`), RECORDS, saltHash));
    await mined(asProcessor.revealSalt(made.processorId, period, salt));
  });

  return async () => ({
    processorId: made.processorId,
    processor: processor.address,
    purposes: { consent: made.consent, publicTask: made.publicTask },
    consents: CONSENTING - WITHDRAWING,
    batch: { period, records: RECORDS },
  });
}
