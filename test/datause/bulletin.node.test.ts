/**
 * Data use, part 2, through a real ledger node following the chain: a processor's two monthly batches whose records
 * are submitted to the node (a tampered set, a wrong count, an unknown batch, malformed and oversized bodies refused
 * with problems; a re-submission idempotent), members' accesses served with proofs that the SDK verifies against the
 * chain, violations at the consent boundaries (withdrawal, material change, never consented; the benefit of the doubt
 * inside an hour), and the month's bulletin with every figure checked, signed like a checkpoint, in four formats, and
 * identical from a second node that followed the chain from scratch.
 */
import { expect } from "chai";
import hre from "hardhat";
import path from "node:path";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { Wallet, id } from "ethers";
import { createPublicClient, custom, getAddress, type Address, type Hex, type PublicClient } from "viem";
import { hardhat } from "viem/chains";
import {
  accessRecordsRoot,
  createCityClient,
  formatPeriod,
  loadDeployment,
  periodBounds,
  periodOf,
  previousPeriod,
  pseudonymOf,
  saltHashOf,
  verifyBulletin,
  BulletinSignatureError,
  RootMismatchError,
  type AccessRecord,
  type DataUseBulletin,
} from "../../sdk/src";
import { startLedgerNode, type LedgerNode } from "../../ledger-node/src/node";
import type { NodeConfig } from "../../ledger-node/src/config";
import { PROBLEM_BASE } from "../../ledger-node/src/api/problems";
import { cityFixture, register, type CityFixture } from "../fixtures";
import { chainLogs, tempDir, writeRecord } from "../ledger-node/helpers/chain";
import { sleep } from "../ledger-node/helpers/prng";
import { runAuditChecks } from "../../scripts/audit/audit";
import { datauseCheck } from "../../scripts/audit/checks";
import { runBulletin } from "../../scripts/cli/bulletin";
import fs from "node:fs";

const HOUR = 3600;
const DAY = 24 * HOUR;
const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const CONSENT = 0;
const PUBLIC_TASK = 4;
const terms = (legalBasis: number, categories: number) => ({ descriptionHash: id(`purpose ${legalBasis}/${categories}`), legalBasis, categories, retention: 30 * DAY, recipients: [] as string[] });

interface Scenario {
  f: CityFixture;
  period: number;
  previous: number;
  salts: Record<number, Hex>;
  records: Record<number, AccessRecord[]>;
  members: Record<"alice" | "bob" | "carol" | "dave", Address>;
}

/** Two months of a processor's data use, laid out on the chain's clock three months ahead (see the file comment). */
async function scenario(): Promise<Scenario> {
  const f = await cityFixture();
  const [publisher, a, b, c, d] = f.people;
  for (const m of [a, b, c, d]) await register(f, m);
  const members = { alice: getAddress(a.address), bob: getAddress(b.address), carol: getAddress(c.address), dave: getAddress(d.address) };
  const start = periodBounds(periodOf(await time.latest())).end;
  const previous = periodOf(start + 40 * DAY);
  const period = periodOf(periodBounds(previous).end);
  const T = periodBounds(period).start;
  const P = periodBounds(previous).start;
  const salts = { [previous]: id(`salt ${previous}`) as Hex, [period]: id(`salt ${period}`) as Hex };
  const datause = f.datause;
  const at = async (t: number) => time.setNextBlockTimestamp(t);

  await at(P + DAY);
  await (await datause.connect(f.council).registerProcessor(publisher.address, id("Parking operator"), "mailto:dpo@parking.example")).wait();
  await (await datause.connect(publisher).declarePurpose(1n, terms(CONSENT, 2))).wait(); // 1: study, location, consent
  await (await datause.connect(publisher).declarePurpose(1n, terms(PUBLIC_TASK, 1))).wait(); // 2: records, identity, public task
  await at(T + DAY + 10 * HOUR);
  for (const m of [a, b, d]) await (await datause.connect(m).grantConsent(1n)).wait();
  await at(T + 2 * DAY + 10 * HOUR);
  await (await datause.connect(b).withdrawConsent(1n)).wait();
  await at(T + 3 * DAY + 10 * HOUR + 1800);
  await (await datause.connect(publisher).updatePurpose(1n, terms(CONSENT, 3))).wait(); // a category more: alice's and dave's consents lapse at 10:30
  await at(T + 4 * DAY + 10 * HOUR);
  await (await datause.connect(a).grantConsent(1n)).wait();

  const rec = (member: Address, purposeId: bigint, category: number, count: number, timeBucket: number, salt: Hex): AccessRecord => ({
    pseudonym: pseudonymOf(member, purposeId, salt),
    purposeId,
    category,
    count,
    timeBucket,
  });
  const s0 = salts[previous]!;
  const s1 = salts[period]!;
  const stranger = getAddress(Wallet.createRandom().address);
  const records = {
    [previous]: [rec(members.carol, 2n, 1, 3, P + 2 * DAY + 10 * HOUR, s0), rec(members.alice, 2n, 1, 1, P + 2 * DAY + 11 * HOUR, s0)],
    [period]: [
      rec(members.alice, 1n, 2, 2, T + DAY + 12 * HOUR, s1), // consent stands
      rec(members.bob, 1n, 2, 1, T + DAY + 12 * HOUR, s1), // consent stands
      rec(members.bob, 1n, 2, 5, T + 2 * DAY + 12 * HOUR, s1), // withdrawn at 10:00: violation
      rec(members.carol, 2n, 1, 4, T + 5 * DAY + 8 * HOUR, s1), // public task: no consent needed
      rec(members.carol, 1n, 2, 1, T + 5 * DAY + 8 * HOUR, s1), // never consented: violation
      rec(members.dave, 1n, 2, 1, T + 3 * DAY + 10 * HOUR, s1), // the hour the change lapsed it at 10:30: consent stood for part of it
      rec(stranger, 2n, 1, 1, T + 6 * DAY, s1), // nobody's pseudonym
      rec(members.alice, 1n, 2, 1, T + 3 * DAY + 12 * HOUR, s1), // lapsed at 10:00, granted again the next day: violation
    ],
  };
  await at(periodBounds(period).end + DAY);
  for (const month of [previous, period]) {
    await (await datause.connect(publisher).publishBatch(1n, month, accessRecordsRoot(records[month]!), records[month]!.length, saltHashOf(salts[month]!))).wait();
    await (await datause.connect(publisher).revealSalt(1n, month, salts[month]!)).wait();
  }
  return { f, period, previous, salts, records, members };
}

const wire = (records: AccessRecord[]) => records.map((r) => ({ ...r, purposeId: r.purposeId.toString() }));

describe("data use: access records, accesses, violations and the bulletin, through a node", function () {
  this.timeout(180_000);

  let s: Scenario;
  let client: PublicClient;
  let deploymentFile: string;
  const nodes: LedgerNode[] = [];

  async function startNode(name: string): Promise<LedgerNode> {
    const dataDir = tempDir(name);
    const config: NodeConfig = {
      rpcUrl: "http://127.0.0.1:1",
      deploymentFile,
      dataDir,
      host: "127.0.0.1",
      port: 0,
      finality: { depth: 0 },
      keyFile: path.join(dataDir, "node.key"),
      pollIntervalMs: 50,
      maxBlockRange: 50n,
    };
    const node = await startLedgerNode(config, { client, logger: quiet });
    nodes.push(node);
    const total = (await chainLogs(hre, s.f.record)).length;
    const deadline = Date.now() + 60_000;
    while (node.store.size < total || node.projections.engine.seq < total) {
      if (Date.now() > deadline) throw new Error(`node stuck at ${node.store.size}/${total}`);
      await sleep(25);
    }
    return node;
  }

  const post = (node: LedgerNode, batch: string, body: unknown, headers: Record<string, string> = { "content-type": "application/json" }) =>
    fetch(`${node.url}/v1/datause/batches/${batch}/records`, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });

  async function expectProblem(response: Response, status: number, kind: string): Promise<string> {
    expect(response.status).to.equal(status);
    expect(response.headers.get("content-type")).to.match(/^application\/problem\+json/);
    const problem = (await response.json()) as { type: string; detail: string };
    expect(problem.type).to.equal(`${PROBLEM_BASE}${kind}`);
    return problem.detail;
  }

  before(async () => {
    s = await scenario();
    client = createPublicClient({ chain: hardhat, transport: custom(hre.network.provider) }) as PublicClient;
    deploymentFile = writeRecord(tempDir("datause-bulletin"), s.f.record);
  });

  after(async () => {
    for (const node of nodes) await node.close();
  });

  it("keeps a batch's records only when they hash to its on-chain root, refusing everything else with a problem", async () => {
    const node = await startNode("datause-records");
    const batch = `1/${s.period}`;
    const records = s.records[s.period]!;
    const swapped = [records[1]!, records[0]!, ...records.slice(2)];
    expect(await expectProblem(await post(node, batch, { records: wire(swapped) }), 422, "records-mismatch")).to.match(/order matters/);
    const tampered = records.map((r, i) => (i === 2 ? { ...r, count: 1 } : r));
    await expectProblem(await post(node, batch, { records: wire(tampered) }), 422, "records-mismatch");
    expect(await expectProblem(await post(node, batch, { records: wire(records.slice(1)) }), 422, "records-mismatch")).to.match(/commits to 8 records, 7 were sent/);
    await expectProblem(await post(node, `2/${s.period}`, { records: wire(records) }), 404, "not-found");
    await expectProblem(await post(node, `1/${previousPeriod(s.previous)}`, { records: [] }), 404, "not-found");
    await expectProblem(await post(node, batch, { records: [{ ...wire(records)[0], category: 3 }] }), 400, "invalid-parameter");
    await expectProblem(await post(node, batch, { records: [{ ...wire(records)[0], timeBucket: 1801 }] }), 400, "invalid-parameter");
    await expectProblem(await post(node, batch, { records: [{ ...wire(records)[0], count: undefined }] }), 400, "invalid-parameter");
    await expectProblem(await post(node, batch, { records: [{ ...wire(records)[0], purposeId: "0x01" }] }), 400, "invalid-parameter");
    await expectProblem(await post(node, batch, "{ not json"), 400, "invalid-request");
    await expectProblem(await post(node, batch, wire(records), { "content-type": "application/xml" }), 415, "unsupported-media-type");
    await expectProblem(await post(node, batch, `{"records":[${" ".repeat(3 * 1024 * 1024)}]}`), 413, "payload-too-large");
    // Nothing stored by any of those.
    await expectProblem(await fetch(`${node.url}/v1/datause/batches/${batch}/records`), 404, "not-found");

    const city = createCityClient({ publicClient: client, deployment: loadDeployment(s.f.record as never), ledgerUrl: node.url });
    const first = await city.datause.submitAccessRecords({ processorId: 1n, period: s.period, records });
    expect(first).to.deep.include({ stored: true, recordCount: 8, root: accessRecordsRoot(records) });
    const again = await post(node, batch, { records: wire(records) });
    expect(again.status).to.equal(200);
    expect(await again.json()).to.deep.include({ stored: false });
    const served = (await (await fetch(`${node.url}/v1/datause/batches/${batch}/records`)).json()) as { records: unknown[] };
    expect(served.records).to.deep.equal(wire(records));
  });

  it("serves each member's accesses with proofs the SDK verifies against the chain, and flags the violations", async () => {
    const node = nodes[0]!;
    await post(node, `1/${s.previous}`, { records: wire(s.records[s.previous]!) });
    const city = createCityClient({ publicClient: client, deployment: loadDeployment(s.f.record as never), ledgerUrl: node.url });

    const bob = await city.datause.getMyAccesses({ member: s.members.bob });
    expect(bob.map((a) => [a.period, a.index, a.record.count, a.violation ?? "lawful"])).to.deep.equal([
      [s.period, 1, 1, "lawful"],
      [s.period, 2, 5, "no-consent"],
    ]);
    const alice = await city.datause.getMyAccesses({ member: s.members.alice });
    expect(alice.map((a) => [a.period, a.index, a.violation ?? "lawful"])).to.deep.equal([
      [s.previous, 1, "lawful"],
      [s.period, 0, "lawful"],
      [s.period, 7, "no-consent"],
    ]);
    expect((await city.datause.getMyAccesses({ member: s.members.dave })).map((a) => a.violation ?? "lawful")).to.deep.equal(["lawful"]);
    expect(await city.datause.getMyAccesses({ member: getAddress(s.f.outsider.address) })).to.deep.equal([]);

    const { items } = (await (await fetch(`${node.url}/v1/datause/violations?period=${formatPeriod(s.period)}`)).json()) as { items: { index: number; member: string; violation: string }[] };
    expect(items.map((v) => [v.index, v.member, v.violation])).to.deep.equal([
      [2, s.members.bob, "no-consent"],
      [4, s.members.carol, "no-consent"],
      [7, s.members.alice, "no-consent"],
    ]);
    const none = (await (await fetch(`${node.url}/v1/datause/violations?period=${formatPeriod(s.previous)}`)).json()) as { items: unknown[] };
    expect(none.items).to.deep.equal([]);
    await expectProblem(await fetch(`${node.url}/v1/datause/violations?period=2026-13`), 400, "invalid-parameter");

    const purposes = await city.datause.getMemberPurposes({ member: s.members.alice });
    expect(purposes.map((p) => [p.purposeId, p.legalBasis, p.consent?.granted ?? null])).to.deep.equal([
      ["1", "consent", true],
      ["2", "public-task", null],
    ]);
    const dave = await city.datause.getMemberPurposes({ member: s.members.dave });
    expect(dave[0]!.consent).to.deep.include({ granted: false, lapsed: true });
  });

  it("refuses a tampered proof: the SDK checks the node's answer, not only the node", async () => {
    const node = nodes[0]!;
    const city = createCityClient({ publicClient: client, deployment: loadDeployment(s.f.record as never), ledgerUrl: `${node.url}/tampered` });
    const original = globalThis.fetch;
    globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      const response = await original(String(input).replace("/tampered", ""), init);
      const body = (await response.json()) as { accesses: { record: { count: number } }[] };
      body.accesses[0]!.record.count += 1;
      return new Response(JSON.stringify(body), { status: 200 });
    }) as typeof fetch;
    try {
      await city.datause.getMyAccesses({ member: s.members.bob }).then(
        () => expect.fail("a tampered record verified"),
        (error: Error) => expect(error).to.be.instanceOf(RootMismatchError),
      );
    } finally {
      globalThis.fetch = original;
    }
  });

  it("computes the month's bulletin, signs it like a checkpoint, and serves it as JSON, Markdown, HTML and CSV", async () => {
    const node = nodes[0]!;
    const url = `${node.url}/v1/datause/bulletins/${formatPeriod(s.period)}`;
    const { bulletin, note, verifierKey } = (await (await fetch(url)).json()) as { bulletin: DataUseBulletin; note: string; verifierKey: string };
    expect(verifierKey).to.equal(node.verifierKey);
    verifyBulletin(bulletin, note, node.verifierKey);
    expect(bulletin.log).to.deep.equal({ size: node.store.size, root: `0x${Buffer.from(node.store.root()).toString("hex")}` });
    expect([bulletin.eligibleMembers, bulletin.unmatchedRecords]).to.deep.equal([4, 1]);
    const [study, records] = bulletin.purposes;
    expect(study).to.deep.equal({
      processorId: "1",
      purposeId: "1",
      legalBasis: "consent",
      categories: 3,
      accesses: 11,
      records: 6,
      membersConcerned: 4,
      consenting: 1, // alice granted again; bob withdrew; dave's lapsed
      consentRateBp: 2500,
      grants: 4,
      withdrawals: 1,
      lapsed: 2,
      violations: 3,
      previousAccesses: 0,
      change: 11,
    });
    expect(records).to.deep.include({ legalBasis: "public-task", accesses: 5, records: 2, membersConcerned: 1, consenting: null, consentRateBp: null, grants: 0, violations: 0, previousAccesses: 4, change: 1 });
    expect(bulletin.categories.map((c) => [c.purposeId, c.category, c.accesses, c.records])).to.deep.equal([
      ["1", "location", 11, 6],
      ["2", "identity", 5, 2],
    ]);
    expect(bulletin.violations.map((v) => [v.index, v.member, v.kind])).to.deep.equal([
      [2, s.members.bob, "no-consent"],
      [4, s.members.carol, "no-consent"],
      [7, s.members.alice, "no-consent"],
    ]);
    expect(bulletin.trend.filter((t) => t.purposeId === "2").map((t) => t.accesses).slice(-2)).to.deep.equal([4, 5]);
    expect(bulletin.batches).to.deep.equal([{ processorId: "1", root: accessRecordsRoot(s.records[s.period]!), recordCount: 8, revealed: true, recordsSubmitted: true }]);

    // The signature binds the content: one figure changed, it no longer verifies.
    expect(() => verifyBulletin({ ...bulletin, purposes: [{ ...study!, violations: 0 }, records!] }, note, node.verifierKey)).to.throw(BulletinSignatureError);
    expect(() => verifyBulletin({ ...bulletin, log: { ...bulletin.log, size: bulletin.log.size - 1 } }, note, node.verifierKey)).to.throw(BulletinSignatureError);

    const as = async (accept: string, query = "") => {
      const r = await fetch(`${url}${query}`, { headers: { accept } });
      expect(r.status, accept).to.equal(200);
      return { type: r.headers.get("content-type"), text: await r.text() };
    };
    const md = await as("text/markdown");
    expect(md.type).to.match(/^text\/markdown/);
    expect(md.text).to.include(`# Data-use bulletin, ${formatPeriod(s.period)}`).and.include("| 1 | 1 | consent | 11 | 6 | 4 | 25.00 % (1) | 4 | 1 | 2 | 3 | +11 (was 0) |").and.include(note.trimEnd());
    const html = await as("text/html");
    expect(html.text).to.match(/^<!doctype html>/).and.include("<svg").and.not.include("<script");
    const csv = await as("text/csv");
    expect(csv.text.split("\r\n")[0]).to.equal("processorId,purposeId,legalBasis,categories,accesses,records,membersConcerned,consenting,consentRateBp,grants,withdrawals,lapsed,violations,previousAccesses,change");
    expect(csv.text.split("\r\n")[2]).to.equal("1,2,public-task,1,5,2,1,,,0,0,0,0,4,1");
    const violationsCsv = await as("text/csv", "?table=violations");
    expect(violationsCsv.text.split("\r\n").filter(Boolean)).to.have.length(4);
    await expectProblem(await fetch(url, { headers: { accept: "image/png" } }), 406, "not-acceptable");
    await expectProblem(await fetch(`${url}?table=secrets`, { headers: { accept: "text/csv" } }), 400, "invalid-parameter");
    await expectProblem(await fetch(`${node.url}/v1/datause/bulletins/202611`), 400, "invalid-parameter");
    await expectProblem(await fetch(`${node.url}/v1/datause/bulletins/1999-12`), 400, "invalid-parameter");
    await expectProblem(await fetch(`${node.url}/v1/datause/violations?period=0999-01`), 400, "invalid-parameter");
  });

  it("gives the same bulletin from a fresh node that followed the chain from scratch", async () => {
    const first = nodes[0]!;
    const second = await startNode("datause-replay");
    for (const month of [s.previous, s.period]) expect((await post(second, `1/${month}`, { records: wire(s.records[month]!) })).status).to.equal(201);
    for (const month of [s.previous, s.period]) {
      const get = async (node: LedgerNode) => (await (await fetch(`${node.url}/v1/datause/bulletins/${formatPeriod(month)}`)).json()) as { bulletin: DataUseBulletin; note: string };
      const [a, b] = [await get(first), await get(second)];
      expect(JSON.stringify(b.bulletin)).to.equal(JSON.stringify(a.bulletin));
      verifyBulletin(b.bulletin, b.note, second.verifierKey);
    }
  });

  it("passes `cityledger audit`'s datause.consent check, which recomputes violations and bulletins from the chain", async () => {
    const node = nodes[0]!;
    const audit = () => runAuditChecks({ client, deployment: s.f.record, rpcUrl: "hardhat (in-process)", nodeUrl: node.url, checks: [datauseCheck] });
    const clean = (await audit()).results.filter((r) => r.check === "datause.consent");
    expect(clean.map((r) => [r.record, r.status])).to.deep.equal([
      [`violations (log size ${node.store.size})`, "pass"],
      [`bulletin ${formatPeriod(s.previous)}`, "pass"],
      [`bulletin ${formatPeriod(s.period)}`, "pass"],
    ]);
    expect(clean[2]!.figures).to.deep.equal({ accesses: 16, violations: 3, logSize: node.store.size });

    // A node that hides a violation, and one that edits a signed bulletin, are caught.
    const original = globalThis.fetch;
    globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      const response = await original(input, init);
      const url = String(input);
      if (!url.includes("/v1/datause/violations") && !url.includes(`/bulletins/${formatPeriod(s.period)}`)) return response;
      const body = (await response.json()) as { items?: unknown[]; bulletin?: DataUseBulletin };
      if (body.items) body.items.pop();
      if (body.bulletin) body.bulletin.purposes[0]!.violations = 0;
      return new Response(JSON.stringify(body), { status: 200 });
    }) as typeof fetch;
    try {
      const dishonest = (await audit()).results.filter((r) => r.check === "datause.consent");
      expect(dishonest.map((r) => r.status)).to.deep.equal(["fail", "pass", "fail"]);
      expect(dishonest[0]!.message).to.match(/^the node misses 1\/\d+#7 no-consent 0x/);
      expect(dishonest[2]!.message).to.match(/^its signature does not hold: the note does not vouch for this bulletin/);
    } finally {
      globalThis.fetch = original;
    }
  });

  it("`cityledger bulletin` writes the month in every format after checking the signature, and says what went wrong otherwise", async () => {
    const node = nodes[0]!;
    const dir = tempDir("datause-bulletin-cli");
    const lines: string[] = [];
    const out = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) };
    const month = formatPeriod(s.period);
    expect(await runBulletin(["--period", month, "--out", dir, "--node", node.url, "--key", node.verifierKey], out)).to.equal(0);
    expect(fs.readdirSync(dir).sort()).to.deep.equal(["batches.csv", "bulletin.html", "bulletin.json", "bulletin.md", "categories.csv", "purposes.csv", "trend.csv", "violations.csv"]);
    const written = JSON.parse(fs.readFileSync(path.join(dir, "bulletin.json"), "utf8")) as { bulletin: DataUseBulletin; note: string };
    verifyBulletin(written.bulletin, written.note, node.verifierKey);
    const served = (await (await fetch(`${node.url}/v1/datause/bulletins/${month}`, { headers: { accept: "text/csv" } })).text());
    expect(fs.readFileSync(path.join(dir, "purposes.csv"), "utf8")).to.equal(served);
    expect(lines.at(-1)).to.match(new RegExp(`^bulletin ${month}: 2 purposes, 16 accesses, 3 violations → `));

    const code = async (...argv: string[]) => {
      lines.length = 0;
      return runBulletin(argv, out);
    };
    expect(await code("--period", "2026-13", "--out", dir, "--node", node.url)).to.equal(2);
    expect(lines[0]).to.match(/--period must be a month written YYYY-MM, got "2026-13"/);
    expect(await code("--period", month, "--node", node.url)).to.equal(2);
    expect(await code("--period", month, "--out", dir, "--node", "http://127.0.0.1:1")).to.equal(3);
    const other = nodes[1]!.verifierKey.replace(/^[^+]+/, node.verifierKey.split("+")[0]!);
    expect(await code("--period", month, "--out", dir, "--node", node.url, "--key", other)).to.equal(1);
    expect(lines.join("\n")).to.match(/✘ the bulletin's signature does not hold/);
  });
});
