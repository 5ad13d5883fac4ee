/**
 * The ballots projection reduced from the real CityBallots' logs: an open referendum with changed votes, a sealed
 * consultation (approval) with recommits, reveals and an unrevealed commitment, and a petition that opens its
 * referendum. Live results are compared with the contract's `results` view, final ones with its events; the routes
 * serve results, turnout and a receipt whose inclusion proof verifies against the log's root.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { id } from "ethers";
import { bytesToHex, getAddress, hexToBytes, keccak256, toHex, type Hex } from "viem";
import { CityEventDecoder } from "@cityledger/sdk/ledger";
import { LogStore } from "../../ledger-node/src/log/store";
import type { DecodedEntry, RawLog } from "../../ledger-node/src/types";
import { ProjectionEngine, canonicalJson } from "../../ledger-node/src/projections";
import { ballotsProjection, createQueries } from "../../ledger-node/src/domains";
import { buildApp } from "../../ledger-node/src/api/app";
import { UpdateBus } from "../../ledger-node/src/updates";
import type { FollowerView, NodeContext } from "../../ledger-node/src/context";
import { verifyInclusion } from "../../sdk/src/merkle";
import { leafFromLog, verifierKey } from "../../sdk/src/ledger";
import { cityLogs } from "./projections.scenario.test";
import { DAY, Kind, NO_REFERENDUM, ballotParams, ballotsFixture, commitmentOf, referendumTemplate, type BallotsCtx } from "../votes/ballotHelpers";

const SALT = id("salt");

async function ballotsScenario() {
  const f = await ballotsFixture();
  const o = f.ballots.connect(f.orchestrator);
  const referendum = await ballotParams({ thresholdBps: 2_000, binding: true });
  await (await o.createBallot(referendum)).wait();
  const sealed = await ballotParams({ kind: Kind.Consultation, optionCount: 4, approval: true, maxApprovals: 2, sealed_: true, revealWindow: DAY });
  await (await o.createBallot(sealed)).wait();
  const petition = await ballotParams({ kind: Kind.Petition, thresholdBps: 3_000 });
  await (await o.createPetition(petition, { proposalId: 0n, referendum: referendumTemplate() })).wait();
  await time.increaseTo(Number(referendum.opensAt));
  const send = async (tx: Promise<{ wait(): Promise<unknown> }>) => void (await (await tx).wait());
  // Referendum 1: alice yes → no, bob yes, dave blank, frank no.
  await send(f.ballots.connect(f.alice).vote(1n, 0n));
  await send(f.ballots.connect(f.bob).vote(1n, 0n));
  await send(f.ballots.connect(f.dave).vote(1n, 2n));
  await send(f.ballots.connect(f.alice).vote(1n, 1n));
  await send(f.ballots.connect(f.frank).vote(1n, 1n));
  // Sealed consultation 2: carol recommits, erin never reveals.
  const commit = (who: { address: string }, choice: bigint) => commitmentOf(2n, who.address, choice, SALT);
  await send(f.ballots.connect(f.carol).commit(2n, commit(f.carol, 0b0001n)));
  await send(f.ballots.connect(f.carol).commit(2n, commit(f.carol, 0b1010n)));
  await send(f.ballots.connect(f.dave).commit(2n, commit(f.dave, 0b0010n)));
  await send(f.ballots.connect(f.erin).commit(2n, commit(f.erin, 0b0100n)));
  // Petition 3: two signatures of six reach 30% and open referendum 4.
  await send(f.ballots.connect(f.erin).sign(3n));
  await send(f.ballots.connect(f.frank).sign(3n));
  await send(f.ballots.connect(f.bob).vote(4n, 0n));
  await time.increaseTo(Number(referendum.closesAt));
  await send(f.ballots.connect(f.carol).reveal(2n, 0b1010n, SALT));
  await send(f.ballots.connect(f.dave).reveal(2n, 0b0010n, SALT));
  await send(f.ballots.finalize(1n));
  await send(f.ballots.finalize(3n));
  await time.increaseTo(Number(sealed.closesAt) + DAY);
  await send(f.ballots.finalize(2n));
  return f;
}

describe("ballots projection (reduced from CityBallots' logs)", () => {
  let f: BallotsCtx;
  let logs: RawLog[];
  let entries: DecodedEntry[];
  let engine: ProjectionEngine;

  before(async () => {
    f = await loadFixture(ballotsScenario);
    logs = await cityLogs(f);
    const decoder = new CityEventDecoder(f.record);
    entries = [];
    logs.forEach((log, seq) => {
      const event = decoder.decode(log);
      if (event) entries.push({ seq, log, event, timestamp: 0 });
    });
    engine = new ProjectionEngine();
    engine.apply(entries);
  });

  it("sees every CityBallots event kind of the scenario", () => {
    const names = new Set(entries.filter((e) => e.event.contract === "CityBallots").map((e) => e.event.name));
    for (const n of [
      "BallotCreated", "PetitionRequested", "VoteCast", "VoteCommitted", "VoteRevealed", "PetitionSigned",
      "PetitionThresholdReached", "BallotFinalized", "BallotCollegeResult", "BallotDistrictResult",
    ]) expect(names, n).to.include(n);
  });

  it("derives, for every ballot, the contract's counts per option, college and district, and its final result", async () => {
    const queries = createQueries(engine);
    const state = engine.state(ballotsProjection);
    expect(BigInt(state.ballots.size)).to.equal(await f.ballots.ballotCount());
    for (const b of state.ballots.values()) {
      const view = queries.ballots.ballot(b.id)!;
      const [totals, byCollege, byDistrict] = await f.ballots.results(b.id);
      const n = b.optionCount;
      expect(view.results.counts, `ballot ${b.id}`).to.deep.equal(totals.slice(0, n));
      expect(view.results.turnout, `ballot ${b.id}`).to.equal(totals[n]);
      for (const c of view.results.byCollege) expect([...c.counts, c.turnout], `college ${c.college}`).to.deep.equal(byCollege[c.college]);
      const districts = await f.ballots.votedDistricts(b.id);
      for (const d of view.results.byDistrict) {
        expect([...d.counts, d.turnout], `district ${d.district}`).to.deep.equal(byDistrict[districts.findIndex((x) => Number(x) === d.district)]);
      }
      const [config, tally] = await f.ballots.ballot(b.id);
      expect([view.snapshot, view.closesAt, view.electorate, view.needed]).to.deep.equal([Number(config.snapshot), Number(config.closesAt), tally.electorate, tally.needed]);
      expect(view.final !== null).to.equal(tally.finalized);
      if (view.final) {
        expect(view.final.counts).to.deep.equal(view.results.counts);
        expect(view.final.turnout).to.equal(view.results.turnout);
        expect(view.final.counted).to.equal(view.results.counted);
        expect(view.final.quorumMet).to.equal(view.results.quorumMet);
      }
    }
    const sealed = queries.ballots.ballot(2n)!;
    expect(sealed.results).to.include({ turnout: 3n, counted: 2n });
    expect(sealed.results.counts).to.deep.equal([0n, 2n, 0n, 1n]);
    const petition = queries.ballots.ballot(3n)!;
    expect([petition.kind, petition.reached, petition.referendumId, petition.proposalId]).to.deep.equal(["petition", true, 4n, 0n]);
    expect(queries.ballots.ballot(4n)!.petitionId).to.equal(3n);
    expect(queries.ballots.ballots({ kind: "referendum" }).items.map((b) => b.id)).to.deep.equal([4n, 1n]);
    expect(queries.ballots.ballots({ order: "asc", limit: 2 }).items.map((b) => b.id)).to.deep.equal([1n, 2n]);
  });

  it("is deterministic: the same hash from the fast decoder and through encode/decode", () => {
    const fast = new ProjectionEngine();
    fast.applyLog(logs.map((log, seq) => ({ seq, log, leafInput: new Uint8Array(), leafHash: new Uint8Array() })), new CityEventDecoder(f.record));
    expect(fast.stateHash()).to.equal(engine.stateHash());
    const json = canonicalJson(ballotsProjection.encode(engine.state(ballotsProjection)));
    expect(canonicalJson(ballotsProjection.encode(ballotsProjection.decode(JSON.parse(json))))).to.equal(json);
  });

  it("serves results, turnout and a receipt whose entries are proven in the log", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cityledger-ballots-"));
    const signer = { name: "cityledger.test/31337", privateKey: new Uint8Array(32).fill(7) };
    const store = await LogStore.open({ dir, origin: signer.name, signer, genesis: { block: 0n, blockHash: `0x${"00".repeat(32)}` as Hex, size: 0 } });
    try {
      await store.append(logs, { block: 1n, blockHash: keccak256(toHex("cursor")) });
      const follower = { status: () => ({ state: "following", finalBlock: 1n, tentativeBlock: 1n }), tentative: () => [] } as unknown as FollowerView;
      const ctx: NodeContext = { store, decoder: new CityEventDecoder(f.record), follower, updates: new UpdateBus(), verifierKey: verifierKey(signer), chainId: 31337 };
      const app = await buildApp(ctx, { queries: createQueries(engine), docs: false });
      const ballot = (await app.inject({ url: "/v1/ballots/1" })).json();
      expect(ballot.results.counts).to.deep.equal(["1", "2", "1"]);
      expect(ballot.final.quorumMet).to.equal(true);
      expect(ballot.openedBy).to.equal(null);
      expect((await app.inject({ url: "/v1/ballots?kind=petition" })).json().items.map((b: { id: string }) => b.id)).to.deep.equal(["3"]);
      const turnout = (await app.inject({ url: "/v1/ballots/2/turnout" })).json();
      expect(turnout).to.deep.equal({
        ballotId: "2",
        electorate: "6",
        turnout: "3",
        counted: "2",
        byCollege: [{ college: 0, turnout: "1" }, { college: 1, turnout: "1" }, { college: 3, turnout: "1" }],
        byDistrict: [{ district: 2, turnout: "2" }, { district: 3, turnout: "1" }],
      });
      // Sealed ballot 2's commitments: each voter's last, in casting order (carol recommitted before dave's and erin's).
      const commitments = (await app.inject({ url: "/v1/ballots/2/commitments?order=asc" })).json();
      expect(commitments.total).to.equal(3);
      expect(commitments.items.map((c: { voter: string; commitment: string; revealed: boolean }) => [c.voter, c.commitment, c.revealed])).to.deep.equal([
        [getAddress(f.carol.address), commitmentOf(2n, f.carol.address, 0b1010n, SALT), true],
        [getAddress(f.dave.address), commitmentOf(2n, f.dave.address, 0b0010n, SALT), true],
        [getAddress(f.erin.address), commitmentOf(2n, f.erin.address, 0b0100n, SALT), false],
      ]);
      expect((await app.inject({ url: "/v1/ballots/1/commitments" })).json()).to.deep.include({ items: [], total: 0 });
      expect((await app.inject({ url: "/v1/ballots/99/commitments" })).statusCode).to.equal(404);
      const receipt = (await app.inject({ url: `/v1/ballots/2/receipts/${f.carol.address}` })).json();
      expect(receipt.voter).to.equal(getAddress(f.carol.address));
      expect(receipt.choice).to.equal("10");
      expect(receipt.commitment).to.equal(commitmentOf(2n, f.carol.address, 0b1010n, SALT));
      for (const proven of [receipt.cast, receipt.reveal]) {
        const seq = proven.inclusion.seq;
        expect(proven.entry.leafHash).to.equal(bytesToHex(leafFromLog(logs[seq])));
        verifyInclusion(hexToBytes(proven.inclusion.leafHash), seq, logs.length, proven.inclusion.proof.map((h: Hex) => hexToBytes(h)), hexToBytes(proven.inclusion.root));
      }
      expect(receipt.cast.entry.event.name).to.equal("VoteCommitted");
      expect(receipt.cast.entry.event.args.commitment).to.equal(receipt.commitment);
      expect(receipt.reveal.entry.event.name).to.equal("VoteRevealed");
      // Alice changed her vote: the receipt is the last one's entry.
      const alice = (await app.inject({ url: `/v1/ballots/1/receipts/${f.alice.address}` })).json();
      expect(alice.choice).to.equal("1");
      expect(alice.reveal).to.equal(null);
      expect(alice.cast.entry.event.args.choice).to.equal("1");
      const missing = await app.inject({ url: `/v1/ballots/1/receipts/${f.carol.address}` });
      expect(missing.statusCode).to.equal(404);
      expect((await app.inject({ url: "/v1/ballots/99" })).statusCode).to.equal(404);
      expect((await app.inject({ url: "/v1/ballots/abc" })).statusCode).to.equal(400);
      await app.close();
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});


/** A petition a member opened, and a referendum finalized in pages (two pages of one district, then `finalize`). */
async function memberPetitionAndPagesScenario() {
  const f = await ballotsFixture();
  const send = async (tx: Promise<{ wait(): Promise<unknown> }>) => void (await (await tx).wait());
  const referendum = await ballotParams({ thresholdBps: 2_000 });
  await send(f.ballots.connect(f.orchestrator).createBallot(referendum));
  const petition = await ballotParams({ kind: Kind.Petition, thresholdBps: 3_400, collegeMask: 0xffff });
  await send(f.ballots.connect(f.carol).openPetition(petition, { proposalId: 77n, referendum: NO_REFERENDUM }));
  await time.increaseTo(Number(referendum.opensAt));
  // Districts 1 (alice, bob), 2 (carol, dave) and 9 (frank) vote.
  for (const [who, choice] of [[f.alice, 0n], [f.bob, 1n], [f.carol, 0n], [f.dave, 2n], [f.frank, 0n]] as const) await send(f.ballots.connect(who).vote(1n, choice));
  for (const who of [f.alice, f.carol, f.erin]) await send(f.ballots.connect(who).sign(2n));
  await time.increaseTo(Number(referendum.closesAt));
  await send(f.ballots.finalizePage(1n, 1));
  await send(f.ballots.finalizePage(1n, 1));
  await send(f.ballots.finalize(1n));
  return f;
}

describe("ballots projection: member petitions and paged finalization", () => {
  it("records the member who opened a petition, and the result of a ballot finalized in pages, replay equal", async () => {
    const f = await loadFixture(memberPetitionAndPagesScenario);
    const logs = await cityLogs(f);
    const decoder = new CityEventDecoder(f.record);
    const entries: DecodedEntry[] = [];
    logs.forEach((log, seq) => {
      const event = decoder.decode(log);
      if (event) entries.push({ seq, log, event, timestamp: 0 });
    });
    expect(entries.filter((e) => e.event.name === "BallotResultsPaged")).to.have.length(2);
    expect(entries.filter((e) => e.event.name === "PetitionOpened")).to.have.length(1);
    const engine = new ProjectionEngine();
    engine.apply(entries);
    const q = createQueries(engine);
    const petition = q.ballots.ballot(2n)!;
    expect([petition.kind, petition.openedBy, petition.proposalId, petition.reached]).to.deep.equal(["petition", getAddress(f.carol.address), 77n, true]);
    expect(engine.state(ballotsProjection).ballots.get("2")!.openedBy).to.equal(f.carol.address.toLowerCase());
    const referendum = q.ballots.ballot(1n)!;
    expect(referendum.openedBy).to.equal(null);
    const [totals] = await f.ballots.results(1n);
    expect(referendum.final).to.not.equal(null);
    expect(referendum.final!.counts).to.deep.equal(totals.slice(0, 3));
    expect(referendum.final!.counts).to.deep.equal([3n, 1n, 1n]);
    expect(referendum.final!.turnout).to.equal(5n);
    expect(referendum.results.byDistrict.map((d) => [d.district, d.turnout])).to.deep.equal([[1, 2n], [2, 2n], [9, 1n]]);
    // Replay: the fast decoder gives the same hash; encode → decode → encode is stable (openedBy included).
    const fast = new ProjectionEngine();
    fast.applyLog(logs.map((log, seq) => ({ seq, log, leafInput: new Uint8Array(), leafHash: new Uint8Array() })), new CityEventDecoder(f.record));
    expect(fast.stateHash()).to.equal(engine.stateHash());
    const json = canonicalJson(ballotsProjection.encode(engine.state(ballotsProjection)));
    expect(json).to.include(f.carol.address.toLowerCase());
    expect(canonicalJson(ballotsProjection.encode(ballotsProjection.decode(JSON.parse(json))))).to.equal(json);
  });
});
