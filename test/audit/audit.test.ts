import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { bytesToHex, createPublicClient, custom, getAddress, http, type PublicClient } from "viem";
import { startFaultyProxy } from "../ledger-node/helpers/rpc-proxy";
import { MemoryTree } from "../../sdk/src/merkle";
import { leafFromLog, type CityContractName } from "../../sdk/src/ledger";
import { deriveLog } from "../../scripts/audit/derive";
import { EventIndex } from "../../scripts/audit/events";
import { ballotsCheck, budgetCheck, budgetEscrowCheck, governanceCheck, currencyCheck, energyCheck, incomeCheck, parkingCheck, reserveCheck } from "../../scripts/audit/checks";
import type { RawLog } from "../../ledger-node/src/types";
import { formatCheckpoint, signNote, parseCheckpoint } from "../../sdk/src/ledger";
import { runAuditChecks } from "../../scripts/audit/audit";
import { runAudit } from "../../scripts/cli/audit";
import type { AuditCheck, AuditContext, AuditOptions, AuditReport, CheckResult } from "../../scripts/audit/types";
import { startAuditedNode, startRewritingProxy, type AuditedNode, type RewritingProxy } from "./helpers";

const ORIGIN = "cityledger.local/31337";

interface EntriesPage {
  from: number;
  size: number;
  entries: { seq: number; leafHash: string; leafInput: string }[];
}

describe("cityledger audit", function () {
  let env: AuditedNode;
  let proxy: RewritingProxy;
  let client: PublicClient;

  before(async function () {
    this.timeout(180_000);
    env = await startAuditedNode();
    proxy = await startRewritingProxy(env.node.url);
    client = createPublicClient({ transport: http(env.rpc.url, { retryCount: 0 }) }) as PublicClient;
  });

  after(async () => {
    await proxy?.close();
    await env?.close();
  });

  afterEach(() => {
    proxy.rewrite = undefined;
    proxy.rewriteBytes = undefined;
  });

  const audit = (nodeUrl = proxy.url, extra: AuditOptions = {}): Promise<AuditReport> =>
    runAuditChecks({ client, deployment: env.city.record, rpcUrl: env.rpc.url, nodeUrl, ...extra });

  const failures = (report: AuditReport): CheckResult[] => report.results.filter((r) => r.status === "fail");
  const only = (report: AuditReport, check: string): CheckResult[] => report.results.filter((r) => r.check === check);

  it("audits a clean city clean: every check passes, with the figures of each domain", async function () {
    const report = await audit();
    expect(failures(report), JSON.stringify(failures(report), null, 2)).to.deep.equal([]);
    expect(report.ok).to.equal(true);
    expect(report.logSize).to.equal(env.node.store.size);
    const passed = new Set(report.results.filter((r) => r.status === "pass").map((r) => r.check));
    for (const check of ["log.checkpoint", "log.anchors", "log.node-key", "log.entries", "log.projections", "node.answers", "currency.balances", "currency.reserve", "income.budgets", "parking.escrow", "energy.escrow", "ballots.tallies", "budget.results", "budget.escrow", "governance.colleges", "chain.stable"]) {
      expect(passed, check).to.include(check);
    }
    expect(only(report, "log.anchors").filter((r) => r.status === "pass")).to.have.length(2);
    const escrow = (name: string) => report.results.find((r) => r.record === `CityCoin.balanceOf(${name})`)!;
    // Parking: ann's 2-hour booking at €2 an hour is the one open escrow (ben's was cancelled).
    expect(escrow("ParkingExchange").figures).to.deep.equal({ owed: "4000000", balanceOf: "4000000" });
    // Energy: sol's collateral, ben's escrow (800 Wh at €0.11) and ray's deposit of 3,000 base units.
    const energy = escrow("EnergyMarket").figures!;
    expect(energy.owed).to.equal(energy.balanceOf);
    expect(BigInt(energy.owed as string) > 88_000n + 3_000n).to.equal(true);
    // Ballots: the referendum counts ben's last vote; the approval consultation counts every approved option.
    const ballot = (n: number) => report.results.find((r) => r.check === "ballots.tallies" && r.record === `ballot ${n}`)!;
    expect(ballot(1).figures).to.deep.equal({ turnout: 3, counted: 3, counts: "2 0 1" });
    expect(ballot(2).figures).to.deep.equal({ turnout: 2, counted: 2, counts: "1 2 0 1" });
    // Budget: the greedy round and the Equal Shares round, each re-computed from the ballot log.
    const rounds = report.results.filter((r) => r.check === "budget.results");
    expect(rounds.map((r) => [r.status, r.figures!.rule])).to.deep.equal([["pass", "greedy"], ["pass", "Equal Shares (add1, integral share)"]]);
    // Governance: two for and one against among the citizens, one for in the public college, one abstention.
    const proposal = report.results.find((r) => r.check === "governance.colleges")!;
    expect(proposal.record).to.equal(`proposal ${env.city.proposal}`);
    expect(proposal.figures).to.deep.equal({ votes: 5, college0: "1 for, 0 against, 0 abstain", college1: "2 for, 1 against, 0 abstain", college2: "0 for, 0 against, 1 abstain" });
    // Budget money: the greedy round's escrow less the two tranches (€1,000 paid, €2,000 released), plus the €2,000
    // held for ann: a held tranche is still in the contract.
    const budget = escrow("ParticipatoryBudget");
    expect(budget.status).to.equal("pass");
    const fundedTotal = (await env.city.budget.queryFilter(env.city.budget.filters.RoundFunded(1n)))[0].args.total;
    expect(budget.figures).to.deep.equal({ owed: (fundedTotal - 1_000_000_000n).toString(), balanceOf: (fundedTotal - 1_000_000_000n).toString() });
    expect(await env.city.budget.heldOf(env.city.ann.address)).to.equal(2_000_000_000n);
    expect(budget.message).to.match(/held for 1 members €2000 \(1 tranches held\)/);
    // The referendum was finalized in two transactions (a page, then finalize): its districts are reported once each.
    expect((await env.city.ballots.queryFilter(env.city.ballots.filters.BallotResultsPaged(1n))).length).to.equal(1);
    // Income: €10 claimed twice of €100 funded.
    expect(escrow("BasicIncome").figures).to.deep.equal({ owed: "80000000", balanceOf: "80000000" });
  });

  it("re-derives the same log through an RPC that refuses wide eth_getLogs ranges (it splits them)", async function () {
    const faulty = await startFaultyProxy({
      upstream: env.rpc.url,
      seed: 8,
      rates: { drop: 0, lose: 0, truncate: 0, http5xx: 0, delay: 0, rangeLimit: 1 },
      rangeLimitBlocks: 4,
    });
    try {
      const viaProxy = createPublicClient({ transport: http(faulty.url, { retryCount: 0 }) }) as PublicClient;
      const report = await runAuditChecks({ client: viaProxy, deployment: env.city.record, rpcUrl: faulty.url, blockRange: 64n });
      expect(failures(report)).to.deep.equal([]);
      expect(report.logSize).to.equal(env.node.store.size);
      expect(report.root).to.equal(bytesToHex(env.node.store.root()));
      expect(faulty.stats.rangeLimit).to.be.greaterThan(0);
      expect(faulty.stats.widestGetLogs).to.equal(64);
    } finally {
      await faulty.close();
    }
  });

  it("fails chain.stable when the audited block changes hash during the audit (a reorg), saying to re-run at a final block", async function () {
    let calls = 0;
    const reorging = createPublicClient({
      transport: custom({
        async request({ method, params }: { method: string; params?: unknown }) {
          const answer = (await client.request({ method, params } as never)) as { hash?: string } | null;
          // The second read of the audited block (at the end) finds another block there.
          if (method === "eth_getBlockByNumber" && answer?.hash && ++calls === 2) return { ...answer, hash: "0x" + "ee".repeat(32) };
          return answer;
        },
      }),
    }) as PublicClient;
    const report = await runAuditChecks({ client: reorging, deployment: env.city.record, rpcUrl: env.rpc.url });
    const bad = failures(report);
    expect(bad.map((r) => r.check)).to.deep.equal(["chain.stable"]);
    expect(bad[0].message).to.match(/^block \d+ was 0x[0-9a-f]{64} when the audit started and is 0x(ee){32} now: the chain reorganised during the audit\. Re-run with --to-block set to a final block\.$/);
  });

  it("detects an altered entry and names it", async function () {
    proxy.rewrite = rewriteEntries((entries) => {
      const e = entries.find((x) => x.seq === 5);
      if (e) {
        // The dishonest node alters the data and serves a leaf hash that matches its altered input.
        e.leafInput = e.leafInput.slice(0, -2) + (e.leafInput.endsWith("00") ? "01" : "00");
        e.leafHash = leafHashHex(e.leafInput);
      }
      return entries;
    });
    const bad = failures(await audit());
    expect(bad).to.have.length(1);
    expect(bad[0]).to.include({ check: "log.entries", record: "entry 5" });
    expect(bad[0].message).to.match(/entry 5 was altered: the node serves a leaf no chain log gives/);
  });

  it("detects a dropped entry and names the first entry after it", async function () {
    proxy.rewrite = rewriteEntries((entries) => shiftFrom(entries, 12, 1));
    const bad = failures(await audit());
    expect(bad).to.have.length(1);
    expect(bad[0]).to.include({ check: "log.entries", record: "entry 12" });
    expect(bad[0].message).to.match(/entry 12 was dropped: the node's entry 12 is the chain's entry 13/);
  });

  it("detects reordered entries and names them", async function () {
    proxy.rewrite = rewriteEntries((entries) => {
      const a = entries.findIndex((x) => x.seq === 20);
      if (a >= 0) {
        const { leafHash, leafInput } = entries[a];
        Object.assign(entries[a], { leafHash: entries[a + 1].leafHash, leafInput: entries[a + 1].leafInput });
        Object.assign(entries[a + 1], { leafHash, leafInput });
      }
      return entries;
    });
    const bad = failures(await audit());
    expect(bad).to.have.length(1);
    expect(bad[0]).to.include({ check: "log.entries", record: "entry 20" });
    expect(bad[0].message).to.match(/entries reordered: the node's entry 20 is the chain's entry 21 and its entry 21 the chain's entry 20/);
    expect(bad[0].figures).to.include({ firstBadSeq: 20, badEntries: 2 });
  });

  it("samples pages of entries by default (first, last, spread), and compares them all with --all-entries", async function () {
    const size = env.node.store.size;
    // Pages of 10 entries, 2 sampled between the first and the last: with ~100 entries, page 1 (entries 10..19) is not.
    const options = { entryPageSize: 10, entrySamplePages: 2 };
    const pages = Math.ceil(size / 10);
    const sampled = [0, Math.floor(pages / 3), Math.floor((2 * pages) / 3), pages - 1];
    expect(sampled, "the test needs page 1 unsampled").to.not.include(1);
    proxy.rewrite = rewriteEntries((entries) => shiftFrom(entries, 13, 1));
    const clean = only(await audit(proxy.url, options), "log.entries");
    expect(clean.map((r) => r.status)).to.deep.equal(["pass"]);
    expect(clean[0].message).to.include(`(4 of ${pages} pages of 10, sampled; --all-entries compares all)`);
    expect(clean[0].figures).to.include({ compared: 30 + (size - 10 * (pages - 1)) });
    const all = failures(await audit(proxy.url, { ...options, entrySamplePages: "all", entrySource: "api" }));
    expect(all.map((r) => r.record)).to.deep.equal(["entry 13"]);
    // A tampered sampled page is found (a full one between the first and the last: the last page may hold one entry).
    const tampered = 10 * sampled[2] + 3;
    proxy.rewrite = rewriteEntries((entries) => shiftFrom(entries, tampered, 1));
    expect(failures(await audit(proxy.url, options)).map((r) => r.record)).to.deep.equal([`entry ${tampered}`]);
  });

  it("with --all-entries reads every entry from the node's tlog-tiles, and names a dropped or altered one", async function () {
    const size = env.node.store.size;
    const clean = only(await audit(proxy.url, { entrySamplePages: "all" }), "log.entries");
    expect(clean.map((r) => r.status)).to.deep.equal(["pass"]);
    expect(clean[0].message).to.equal(`${size} entries (every one, from ${Math.ceil(size / 256)} tlog-tiles entry bundles and level-0 tiles) equal the re-derived ones`);
    // Pages of /v1/entries are not read at all: tampering with them changes nothing.
    proxy.rewrite = rewriteEntries((entries) => shiftFrom(entries, 13, 1));
    expect(failures(await audit(proxy.url, { entrySamplePages: "all" }))).to.deep.equal([]);
    // The bundle drops entry 13 while its level-0 tile stays honest: entry 13's input no longer hashes to its tile hash.
    proxy.rewriteBytes = (url, body) => (url.startsWith("/tile/entries/000") ? dropFromBundle(body, 13) : undefined);
    const dropped = failures(await audit(proxy.url, { entrySamplePages: "all" }));
    expect(dropped.map((r) => r.record)).to.deep.equal(["entry 13"]);
    expect(dropped[0].message).to.match(/^entry 13 was altered: its leaf input does not hash to the leaf hash served with it; \d+ entries differ in all$/);
    // The level-0 tile carries another leaf hash for entry 5 (what proofs built from tiles would rest on).
    proxy.rewriteBytes = (url, body) => (url.startsWith("/tile/0/000") ? Buffer.concat([body.subarray(0, 5 * 32), Buffer.alloc(32, 0xee), body.subarray(6 * 32)]) : undefined);
    const altered = failures(await audit(proxy.url, { entrySamplePages: "all" }));
    expect(altered.map((r) => r.record)).to.deep.equal(["entry 5"]);
    expect(altered[0].message).to.match(/^entry 5 was altered: its leaf input does not hash to the leaf hash served with it/);
  });

  it("detects a forked checkpoint: a second root signed with the node's key for the same size", async function () {
    const size = env.node.store.size;
    const forged = signNote(formatCheckpoint({ origin: ORIGIN, size, root: new Uint8Array(32).fill(0xab) }), { name: ORIGIN, privateKey: env.nodeKey });
    proxy.rewrite = (url, body) => (url === "/v1/checkpoint" ? JSON.stringify({ ...JSON.parse(body), note: forged, root: "0x" + "ab".repeat(32) }) : undefined);
    const bad = failures(await audit());
    const checkpoint = bad.filter((r) => r.check === "log.checkpoint");
    expect(checkpoint.map((r) => r.record)).to.deep.equal([`checkpoint (size ${size})`, `checkpoints/${size}`]);
    expect(checkpoint[0].message).to.match(new RegExp(`the node signed root 0x(ab){32} for size ${size}; the log re-derived from the chain has root 0x`));
    expect(checkpoint[1].message).to.match(new RegExp(`fork: the node signed two roots for size ${size}`));
  });

  it("detects a checkpoint inconsistent with an anchor: the node's note at an anchored size carries another root", async function () {
    const anchored = Number((await env.city.ledgerAnchor.anchorAt(0)).size);
    const forged = signNote(formatCheckpoint({ origin: ORIGIN, size: anchored, root: new Uint8Array(32).fill(0xcd) }), { name: ORIGIN, privateKey: env.nodeKey });
    proxy.rewrite = (url) => (url === `/v1/checkpoints/${anchored}` ? forged : undefined);
    const bad = failures(await audit());
    expect(bad).to.have.length(1);
    expect(bad[0]).to.include({ check: "log.node-key", record: `checkpoints/${anchored} (anchor #0)` });
    expect(bad[0].message).to.match(new RegExp(`the node signed root 0x(cd){32} at size ${anchored}; the witnesses anchored 0x`));
  });

  it("detects a checkpoint signed by another key than the one the operator published (--node-key)", async function () {
    const honest = env.node.verifierKey;
    const note = env.node.store.checkpoint.note;
    const body = note.slice(0, note.lastIndexOf("\n\n") + 1);
    const impostor = signNote(formatCheckpoint(parseCheckpoint(body)), { name: ORIGIN, privateKey: new Uint8Array(32).fill(9) });
    proxy.rewrite = (url, answer) => (url === "/v1/checkpoint" ? JSON.stringify({ ...JSON.parse(answer), note: impostor }) : undefined);
    const bad = failures(await audit(proxy.url, { nodeKey: honest }));
    expect(bad.map((r) => r.check)).to.deep.equal(["log.checkpoint"]);
    expect(bad[0].message).to.match(/does not verify against the key given with --node-key/);
  });

  it("detects a tampered projection and names its domain", async function () {
    proxy.rewrite = (url, body) => {
      if (url !== "/v1/state") return undefined;
      const state = JSON.parse(body) as { domains: Record<string, string> };
      state.domains.currency = "0".repeat(64);
      return JSON.stringify(state);
    };
    const bad = failures(await audit());
    expect(bad).to.have.length(1);
    expect(bad[0].check).to.equal("log.projections");
    expect(bad[0].record).to.match(/^projection currency \(seq \d+\)$/);
  });

  it("detects a tampered read-model answer (an account's balance) while the state hash stays honest", async function () {
    const ann = env.city.ann.address;
    proxy.rewrite = (url, body) => {
      if (!url.toLowerCase().startsWith(`/v1/accounts/${ann.toLowerCase()}`)) return undefined;
      const account = JSON.parse(body) as { balance: string };
      account.balance = (BigInt(account.balance) + 1_000_000n).toString();
      return JSON.stringify(account);
    };
    const bad = failures(await audit());
    expect(bad).to.have.length(1);
    expect(bad[0]).to.include({ check: "node.answers" });
    expect(bad[0].record.toLowerCase()).to.equal(`/v1/accounts/${ann.toLowerCase()}`);
    expect(BigInt(bad[0].figures!.answered) - BigInt(bad[0].figures!.fromEvents)).to.equal(1_000_000n);
  });

  describe("the money and tally checks, on a log that misses one event (an RPC hiding a log)", function () {
    let full: RawLog[];
    let head: bigint;
    before(async function () {
      head = await client.getBlockNumber();
      const addresses = Object.values(env.city.record.contracts).map((c) => getAddress(c.address));
      full = (await deriveLog({ client, chainId: 31337, addresses, fromBlock: BigInt(env.city.record.deployBlock), toBlock: head })).logs;
    });

    /** Runs `check` on the log without the first event of `contract` named `name` (matching `where`). */
    async function without(check: AuditCheck, contract: CityContractName, name: string, where: (args: Record<string, unknown>) => boolean = () => true) {
      const all = new EventIndex(full, env.city.record.contracts).of(contract);
      const hidden = all.find((e) => e.name === name && where(e.args));
      expect(hidden, `${contract}.${name} in the log`).to.not.equal(undefined);
      const logs = full.filter((_, seq) => seq !== hidden!.seq);
      const tree = new MemoryTree();
      for (const log of logs) tree.appendHash(leafFromLog(log));
      const ctx: AuditContext = {
        deployment: env.city.record,
        client,
        block: head,
        logs,
        tree,
        events: new EventIndex(logs, env.city.record.contracts),
        options: {},
        log: () => {},
      };
      return { bad: (await check.run(ctx)).filter((r) => r.status === "fail"), hidden: hidden! };
    }

    it("a hidden payment: both balances differ from balanceOf, each named", async function () {
      const { bad } = await without(currencyCheck, "CityCoin", "Transfer", (a) => a.from === env.city.ann.address && a.to === env.city.ben.address);
      expect(bad.map((r) => r.record)).to.have.members([`CityCoin.balanceOf(${env.city.ann.address})`, `CityCoin.balanceOf(${env.city.ben.address})`]);
      const ann = bad.find((r) => r.record.includes(env.city.ann.address))!;
      expect(BigInt(ann.figures!.fromEvents) - BigInt(ann.figures!.onChain)).to.equal(25_000_000n);
      expect(ann.message).to.match(/^the events give €[\d.]+; balanceOf\(\) is €[\d.]+$/);
    });

    it("a hidden issue: the supply and the reserve attestation that followed it disagree", async function () {
      const { bad } = await without(currencyCheck, "CityCoin", "Transfer", (a) => a.from === "0x0000000000000000000000000000000000000000");
      expect(bad.map((r) => r.record)).to.include("CityCoin.totalSupply");
      const reserve = await without(reserveCheck, "CityCoin", "Transfer", (a) => a.from === "0x0000000000000000000000000000000000000000");
      expect(reserve.bad[0].record).to.match(/^entry \d+ \(ReserveAttested\)$/);
    });

    it("a hidden income claim: BasicIncome holds less than the events leave it", async function () {
      const { bad } = await without(incomeCheck, "BasicIncome", "IncomeClaimed");
      expect(bad.map((r) => r.record)).to.deep.equal(["CityCoin.balanceOf(BasicIncome)"]);
      expect(bad[0].figures).to.deep.equal({ owed: "90000000", balanceOf: "80000000" });
    });

    it("a hidden cancellation: ParkingExchange holds less than the open escrows", async function () {
      const { bad } = await without(parkingCheck, "ParkingExchange", "BookingCancelled");
      expect(bad.map((r) => r.record)).to.deep.equal(["CityCoin.balanceOf(ParkingExchange)"]);
    });

    it("a hidden order cancellation: the refund claimed is not what the events left the trader", async function () {
      const { bad } = await without(energyCheck, "EnergyMarket", "OrderCancelled");
      // ann's cancelled bid still locks its escrow in the recount, and her refund claim pays what the events never gave her.
      expect(bad).to.have.length(2);
      expect(bad[0].record).to.match(new RegExp(`^entry \\d+ \\(RefundClaimed, ${env.city.ann.address}\\)$`));
      expect(bad[0].message).to.equal("paid €0.12; the events give a balance of €0");
      expect(bad[1].record).to.equal("CityCoin.balanceOf(EnergyMarket)");
    });

    it("a hidden vote change: the referendum's result no longer follows from the votes", async function () {
      const { bad } = await without(ballotsCheck, "CityBallots", "VoteCast", (a) => a.ballotId === 1n && a.voter === env.city.ben.address && a.choice === 0n);
      expect(bad[0].record).to.match(/^ballot 1 \(entry \d+, BallotFinalized\)$/);
      expect(bad[0].message).to.match(/states turnout 3, counted 3, counts \[2, 0, 1\]; the votes give turnout 3, counted 3, counts \[1, 1, 1\]/);
      expect(bad.some((r) => /^ballot 1, college 1 /.test(r.record))).to.equal(true);
    });

    it("a hidden governance vote: a college's counts no longer equal the governor's", async function () {
      const { bad } = await without(governanceCheck, "CityGovernor", "CollegeVoteCast", (a) => a.voter === env.city.ben.address);
      expect(bad.map((r) => r.record)).to.deep.equal([`proposal ${env.city.proposal}, college 1`]);
      expect(bad[0].message).to.equal("the governor counts 1 against, 2 for, 0 abstain; the votes give 0 against, 2 for, 0 abstain");
    });

    it("a hidden budget ballot: the ballot log no longer hashes to the head the round's result was recorded against", async function () {
      const { bad } = await without(budgetCheck, "ParticipatoryBudget", "BallotCast", (a) => a.voter === env.city.ben.address);
      expect(bad.map((r) => r.record.replace(/entry \d+/, "entry N"))).to.deep.equal(["round 1 (entry N, BallotCast)", "round 1 (entry N, RoundTallied)"]);
      expect(bad[1].message).to.match(/the result was recorded against ballot-log head 0x[0-9a-f]{64}; the 4 ballots in the log hash to 0x[0-9a-f]{64}/);
    });
  });

  describe("the participatory budget's escrow and a paged ballot finalization", function () {
    let full: RawLog[];
    let head: bigint;
    before(async function () {
      head = await client.getBlockNumber();
      const addresses = Object.values(env.city.record.contracts).map((c) => getAddress(c.address));
      full = (await deriveLog({ client, chainId: 31337, addresses, fromBlock: BigInt(env.city.record.deployBlock), toBlock: head })).logs;
    });

    /** Runs `check` on the log with `edit` applied to its events (dropping or duplicating entries). */
    async function edited(check: AuditCheck, edit: (logs: RawLog[], events: EventIndex) => RawLog[]) {
      const logs = edit(full, new EventIndex(full, env.city.record.contracts));
      const tree = new MemoryTree();
      for (const log of logs) tree.appendHash(leafFromLog(log));
      const ctx: AuditContext = { deployment: env.city.record, client, block: head, logs, tree, events: new EventIndex(logs, env.city.record.contracts), options: {}, log: () => {} };
      return (await check.run(ctx)).filter((r) => r.status === "fail");
    }
    const seqOf = (events: EventIndex, contract: CityContractName, name: string) => events.of(contract).find((e) => e.name === name)!.seq;

    it("a hidden held tranche: ParticipatoryBudget holds €2,000 more than the projects' escrow (the tranche counts as held)", async function () {
      const bad = await edited(budgetEscrowCheck, (logs, events) => logs.filter((_, seq) => seq !== seqOf(events, "ParticipatoryBudget", "TrancheHeld")));
      expect(bad.map((r) => r.record)).to.deep.equal(["CityCoin.balanceOf(ParticipatoryBudget)"]);
      expect(BigInt(bad[0].figures!.balanceOf as string) - BigInt(bad[0].figures!.owed as string)).to.equal(2_000_000_000n);
    });

    it("a hidden tranche release: the escrow recount exceeds the balance by the tranche paid", async function () {
      const bad = await edited(budgetEscrowCheck, (logs, events) => logs.filter((_, seq) => seq !== seqOf(events, "ParticipatoryBudget", "TrancheReleased")));
      expect(bad.map((r) => r.record)).to.deep.equal(["CityCoin.balanceOf(ParticipatoryBudget)"]);
      expect(BigInt(bad[0].figures!.owed as string) - BigInt(bad[0].figures!.balanceOf as string)).to.equal(1_000_000_000n);
    });

    it("a hidden project funding: the round's funded total is not the sum of its projects' escrows", async function () {
      const bad = await edited(budgetEscrowCheck, (logs, events) => logs.filter((_, seq) => seq !== seqOf(events, "ParticipatoryBudget", "ProjectFunded")));
      expect(bad[0].record).to.match(/^entry \d+ \(RoundFunded, round 1\)$/);
    });

    it("a paged finalization: a district result hidden from the page, or reported twice, is named", async function () {
      const districtOfPage = (events: EventIndex) => {
        const paged = seqOf(events, "CityBallots", "BallotResultsPaged");
        return events.of("CityBallots").find((e) => e.seq > paged && e.name === "BallotDistrictResult")!;
      };
      const hidden = await edited(ballotsCheck, (logs, events) => logs.filter((_, seq) => seq !== districtOfPage(events).seq));
      expect(hidden.map((r) => r.message)).to.deep.equal(["has votes but no BallotDistrictResult"]);
      const twice = await edited(ballotsCheck, (logs, events) => {
        const d = districtOfPage(events);
        return [...logs.slice(0, d.seq + 1), { ...logs[d.seq], logIndex: logs[d.seq].logIndex + 1_000 }, ...logs.slice(d.seq + 1)];
      });
      expect(twice.map((r) => r.message)).to.deep.equal(["a second BallotDistrictResult for the same district"]);
    });
  });

  describe("the command", function () {
    let out: string[];
    let err: string[];
    let restore: () => void;
    beforeEach(() => {
      out = [];
      err = [];
      const { log, error } = console;
      const write = process.stdout.write.bind(process.stdout);
      console.log = (...a: unknown[]) => out.push(a.join(" "));
      console.error = (...a: unknown[]) => err.push(a.join(" "));
      process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
      restore = () => {
        console.log = log;
        console.error = error;
        process.stdout.write = write;
      };
    });
    afterEach(() => restore());

    it("exits 0 on a clean city and writes the JSON and Markdown reports", async function () {
      const jsonFile = path.join(env.dir, "report.json");
      const mdFile = path.join(env.dir, "report.md");
      const code = await runAudit(["--rpc", env.rpc.url, "--deployment", env.deploymentFile, "--node", env.node.url, "--out", jsonFile, "--markdown", mdFile]);
      restore();
      expect(code, err.join("\n")).to.equal(0);
      expect(out.join("\n")).to.match(/✔ log\.checkpoint/).and.match(/all good: \d+ passed/);
      const report = JSON.parse(fs.readFileSync(jsonFile, "utf8")) as AuditReport;
      expect(report.ok).to.equal(true);
      const md = fs.readFileSync(mdFile, "utf8");
      expect(md).to.include("**Result: no discrepancy found.**").and.include(`| log size | ${report.logSize} entries |`);
    });

    it("exits 1 on a discrepancy and names the record", async function () {
      proxy.rewrite = rewriteEntries((entries) => shiftFrom(entries, 7, 1));
      const code = await runAudit(["--rpc", env.rpc.url, "--deployment", env.deploymentFile, "--node", proxy.url, "--json"]);
      restore();
      expect(code).to.equal(1);
      expect(err.join("\n")).to.match(/discrepancy: log\.entries entry 7: entry 7 was dropped/);
      expect((JSON.parse(out.join("")) as AuditReport).ok).to.equal(false);
    });

    it("exits 2 on bad usage or configuration, saying what to do", async function () {
      expect(await runAudit(["--deployment", env.deploymentFile])).to.equal(2);
      expect(await runAudit(["--rpc", env.rpc.url])).to.equal(2);
      expect(await runAudit(["--rpc", "ftp://x", "--deployment", env.deploymentFile])).to.equal(2);
      const notJson = path.join(env.dir, "bad.json");
      fs.writeFileSync(notJson, "{ not json");
      expect(await runAudit(["--rpc", env.rpc.url, "--deployment", notJson])).to.equal(2);
      expect(await runAudit(["--rpc", env.rpc.url, "--deployment", path.join(env.dir, "missing.json")])).to.equal(2);
      expect(await runAudit(["--rpc", env.rpc.url, "--deployment", env.deploymentFile, "--bogus"])).to.equal(2);
      const otherChain = path.join(env.dir, "other-chain.json");
      fs.writeFileSync(otherChain, JSON.stringify({ ...env.city.record, chainId: 1 }));
      expect(await runAudit(["--rpc", env.rpc.url, "--deployment", otherChain])).to.equal(2);
      restore();
      expect(err[0]).to.match(/--rpc is required/);
      expect(err[1]).to.match(/--deployment is required/);
      expect(err[2]).to.match(/--rpc must be an http\(s\) URL/);
      expect(err[3]).to.match(/is not valid JSON/);
      expect(err[4]).to.match(/no deployment record at .*missing\.json/);
      expect(err[5]).to.match(/Unknown option '--bogus'.*cityledger audit --help/);
      expect(err[6]).to.match(/the RPC serves chain 31337 but the deployment record is for chain 1/);
    });

    it("exits 3 when the chain or the node cannot be reached", async function () {
      this.timeout(30_000);
      expect(await runAudit(["--rpc", "http://127.0.0.1:9", "--deployment", env.deploymentFile])).to.equal(3);
      expect(await runAudit(["--rpc", env.rpc.url, "--deployment", env.deploymentFile, "--node", "http://127.0.0.1:9"])).to.equal(3);
      restore();
      expect(err[0]).to.match(/cannot reach the chain at http:\/\/127\.0\.0\.1:9.*Check --rpc/);
      expect(err[1]).to.match(/cannot reach the ledger node at http:\/\/127\.0\.0\.1:9.*Check --node/);
    });

    it("--help prints the options and exits 0", async function () {
      expect(await runAudit(["--help"])).to.equal(0);
      restore();
      expect(out.join("\n")).to.include("--rpc URL").and.include("--markdown FILE").and.include("Exit codes");
    });
  });
});

function leafHashHex(leafInput: string): string {
  const { createHash } = require("node:crypto") as typeof import("node:crypto");
  return "0x" + createHash("sha256").update(Buffer.from([0])).update(Buffer.from(leafInput.slice(2), "hex")).digest("hex");
}

/** A proxy rewrite of /v1/entries pages. */
function rewriteEntries(change: (entries: EntriesPage["entries"]) => EntriesPage["entries"]) {
  return (url: string, body: string): string | undefined => {
    if (!url.startsWith("/v1/entries?")) return undefined;
    const page = JSON.parse(body) as EntriesPage;
    page.entries = change(page.entries);
    return JSON.stringify(page);
  };
}

/** An entry bundle (uint16-prefixed leaf inputs) without its entry `j`: the ones after it move up. */
function dropFromBundle(bundle: Buffer, j: number): Buffer {
  let at = 0;
  for (let i = 0; i < j; i++) at += 2 + bundle.readUInt16BE(at);
  return Buffer.concat([bundle.subarray(0, at), bundle.subarray(at + 2 + bundle.readUInt16BE(at))]);
}

/** The node "forgot" `dropped` entries at `seq`: what follows moves up, keeping the sequence numbers. */
function shiftFrom(entries: EntriesPage["entries"], seq: number, dropped: number): EntriesPage["entries"] {
  const at = entries.findIndex((e) => e.seq === seq);
  if (at < 0) return entries;
  const out = entries.slice(0, entries.length - dropped).map((e) => ({ ...e }));
  for (let i = at; i < out.length; i++) Object.assign(out[i], { leafHash: entries[i + dropped].leafHash, leafInput: entries[i + dropped].leafInput });
  return out;
}
