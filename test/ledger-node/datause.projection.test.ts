/**
 * The datause projection, reduced from the real DataUseRegistry's logs: a processor registered then updated, a
 * consent-based purpose changed materially once (its consents lapse) and once not, a public-task purpose retired,
 * members granting and withdrawing, a batch published and its salt revealed. The queries agree with the contract's
 * own reads, the routes serve them with problems for bad input, and the state survives replay and encode/decode.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { AbiCoder, id, keccak256 } from "ethers";
import { getAddress } from "viem";
import { buildApp } from "../../ledger-node/src/api/app";
import { createQueries, datauseProjection } from "../../ledger-node/src/domains";
import { UpdateBus } from "../../ledger-node/src/updates";
import type { NodeContext } from "../../ledger-node/src/context";
import { cityFixture, register } from "../fixtures";
import { expectDeterministic, problemChecker, projectCity } from "./projection-helpers";

const DAY = 24 * 3600;
const SALT = id("salt of 2026-11");
const SALT_HASH = keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32"], [SALT]));
const terms = (changes: object = {}) => ({
  descriptionHash: id("parking study"),
  legalBasis: 0,
  categories: 2,
  retention: 30 * DAY,
  recipients: [] as string[],
  ...changes,
});

async function datauseScenario() {
  const f = await cityFixture();
  const [publisher, alice, bob, newPublisher] = f.people;
  for (const m of [alice, bob]) await register(f, m);
  const d = f.datause;
  await (await d.connect(f.council).registerProcessor(publisher.address, id("Parking operator"), "mailto:dpo@parking.example")).wait();
  await (await d.connect(publisher).declarePurpose(1n, terms())).wait();
  await (await d.connect(publisher).declarePurpose(1n, terms({ legalBasis: 4, categories: 1 }))).wait();
  await (await d.connect(alice).grantConsent(1n)).wait();
  await (await d.connect(bob).grantConsent(1n)).wait();
  await (await d.connect(publisher).updatePurpose(1n, terms({ retention: 60 * DAY }))).wait(); // material: both lapse
  await (await d.connect(alice).grantConsent(1n)).wait();
  await (await d.connect(publisher).updatePurpose(1n, terms({ retention: 60 * DAY, descriptionHash: id("clearer") }))).wait(); // minor
  await (await d.connect(bob).grantConsent(1n)).wait();
  await (await d.connect(bob).withdrawConsent(1n)).wait();
  await (await d.connect(publisher).retirePurpose(2n)).wait();
  await (await d.connect(publisher).publishBatch(1n, 202611, id("root"), 12, SALT_HASH)).wait();
  await (await d.connect(publisher).revealSalt(1n, 202611, SALT)).wait();
  await (await d.connect(f.council).updateProcessor(1n, newPublisher.address, id("Parking operator"), "https://parking.example/dpo")).wait();
  return { ...f, alice, bob, newPublisher };
}

describe("datause projection", () => {
  it("projects processors, versioned purposes, consents with their history and batches, as the contract reads them", async () => {
    const f = await loadFixture(datauseScenario);
    const run = await projectCity(f);
    const q = createQueries(run.engine).datause;

    const processor = q.processor(1n)!;
    expect(processor).to.deep.include({ id: 1n, account: getAddress(f.newPublisher.address), contactUri: "https://parking.example/dpo", active: true });
    expect(processor.changed).to.not.equal(undefined);
    expect(q.processors().total).to.equal(1);

    const purpose = q.purpose(1n)!;
    expect(purpose).to.deep.include({ version: 3, consentEpoch: 2, retention: 60 * DAY, legalBasis: "consent", consents: 1, active: true });
    expect(purpose.versions.map((v) => [v.version, v.consentEpoch, v.material])).to.deep.equal([
      [1, 1, false],
      [2, 2, true],
      [3, 2, false],
    ]);
    const onChain = await f.datause.purposeOf(1n);
    expect([onChain.version, onChain.consentEpoch]).to.deep.equal([BigInt(purpose.version), BigInt(purpose.consentEpoch)]);
    expect(q.purpose(2n)).to.deep.include({ active: false, legalBasis: "public-task" });
    expect(q.purposes({ processorId: 1n }).items.map((p) => p.id)).to.deep.equal([1n, 2n]);
    expect(q.purposes({ processorId: 2n }).total).to.equal(0);

    // Consents now: alice granted again after the lapse; bob granted then withdrew. Both agree with consentOf.
    for (const member of [f.alice, f.bob]) {
      const view = q.consent(1n, member.address)!;
      const [granted, since] = await f.datause.consentOf(1n, member.address);
      expect([view.granted, view.since]).to.deep.equal([granted, since]);
    }
    expect(q.consent(1n, f.alice.address)).to.deep.include({ granted: true, lapsed: false, version: 2, epoch: 2 });
    expect(q.consent(1n, f.bob.address)).to.deep.include({ granted: false, lapsed: false, version: 3 });
    expect(q.consents(f.alice.address).items.map((c) => c.purposeId)).to.deep.equal([1n]);
    // History, newest first by default: alice's lapsed grant stays on record.
    expect(q.consentHistory(f.alice.address).items.map((c) => [c.granted, c.epoch])).to.deep.equal([
      [true, 2],
      [true, 1],
    ]);
    expect(q.consentHistory(f.bob.address, { order: "asc" }).items.map((c) => [c.granted, c.version])).to.deep.equal([
      [true, 1],
      [true, 3],
      [false, 3],
    ]);

    const batch = q.batch(1n, 202611)!;
    expect(batch).to.deep.include({ processorId: 1n, period: 202611, root: id("root"), recordCount: 12, saltHash: SALT_HASH, salt: SALT });
    expect(batch.revealed!.seq).to.be.greaterThan(batch.seq);
    expect(q.batches({ processorId: 1n }).total).to.equal(1);

    const decoded = expectDeterministic(f, datauseProjection, run);
    expect([...decoded._changesByMember.get(f.bob.address.toLowerCase())!]).to.deep.equal([...run.engine.state(datauseProjection)._changesByMember.get(f.bob.address.toLowerCase())!]);
    expect(decoded._batchList).to.have.length(1);
  });

  it("a consent that material changes lapsed reads as lapsed, from the first change's block, as consentOf says", async () => {
    const f = await loadFixture(datauseScenario);
    await (await f.datause.connect(f.newPublisher).updatePurpose(1n, terms({ retention: 90 * DAY }))).wait();
    // A later material change: the consent still lapsed at the first one.
    await (await f.datause.connect(f.newPublisher).updatePurpose(1n, terms({ retention: 120 * DAY }))).wait();
    const run = await projectCity(f);
    const view = createQueries(run.engine).datause.consent(1n, f.alice.address)!;
    expect(view).to.deep.include({ granted: false, lapsed: true });
    expect(await f.datause.consentOf(1n, f.alice.address)).to.deep.equal([false, view.since]);
    expect(createQueries(run.engine).datause.purpose(1n)!.consents).to.equal(0);
  });

  it("serves /v1/datause routes with paging, and problems for bad input and what does not exist", async () => {
    const f = await loadFixture(datauseScenario);
    const run = await projectCity(f);
    const app = await buildApp({ updates: new UpdateBus(), chainId: 31337 } as unknown as NodeContext, { queries: createQueries(run.engine), docs: false });
    const problem = problemChecker(app);
    const get = async (url: string) => {
      const res = await app.inject({ url });
      expect(res.statusCode, `${url}: ${res.body}`).to.equal(200);
      return res.json();
    };
    try {
      expect((await get("/v1/datause/processors")).items[0]).to.deep.include({ id: "1", account: getAddress(f.newPublisher.address) });
      expect(await get("/v1/datause/processors/1")).to.deep.include({ nameHash: id("Parking operator") });
      const purpose = await get("/v1/datause/purposes/1");
      expect(purpose).to.deep.include({ id: "1", processorId: "1", version: 3, legalBasis: "consent", retention: 60 * DAY });
      expect(purpose.versions).to.have.length(3);
      expect((await get("/v1/datause/purposes?processorId=1&limit=1&offset=1")).items.map((p: { id: string }) => p.id)).to.deep.equal(["2"]);
      const consents = await get(`/v1/datause/consents/${f.alice.address.toLowerCase()}`);
      expect(consents.items).to.deep.equal([{ purposeId: "1", member: getAddress(f.alice.address), granted: true, lapsed: false, since: consents.items[0].since, version: 2, epoch: 2 }]);
      expect((await get(`/v1/datause/consents/${f.bob.address}/history?order=asc`)).items.map((c: { granted: boolean }) => c.granted)).to.deep.equal([true, true, false]);
      expect((await get("/v1/datause/batches")).items[0]).to.deep.include({ processorId: "1", period: 202611, recordCount: 12, salt: SALT });
      expect(await get("/v1/datause/batches/1/202611")).to.deep.include({ root: id("root") });
      await problem("/v1/datause/processors/2", 404, "not-found");
      await problem("/v1/datause/purposes/9", 404, "not-found");
      await problem("/v1/datause/batches/1/202612", 404, "not-found");
      await problem("/v1/datause/purposes/x", 400, "invalid-parameter");
      await problem("/v1/datause/consents/0x1234", 400, "invalid-parameter");
      await problem("/v1/datause/purposes?limit=0", 400, "out-of-range");
    } finally {
      await app.close();
    }
  });
});
