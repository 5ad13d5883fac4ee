/**
 * The governance projection reduced from the real CityGovernor's, CitizensVeto's and CityCharter's logs: a proposal
 * voted in four colleges, queued and executed; one vetoed by citizens while queued; one cancelled by the orchestrator
 * with a reason; one co-signed by members. Per-college votes, weighted scores, statuses, veto progress and the charter
 * are compared with the contracts' views; the queries and the API routes are checked on the same state.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { id } from "ethers";
import { getAddress } from "viem";
import { CityEventDecoder } from "@cityledger/sdk/ledger";
import type { DecodedEntry, RawLog } from "../../ledger-node/src/types";
import { ProjectionEngine, canonicalJson } from "../../ledger-node/src/projections";
import { createQueries, governanceProjection } from "../../ledger-node/src/domains";
import { buildApp } from "../../ledger-node/src/api/app";
import { PROBLEM_BASE } from "../../ledger-node/src/api/problems";
import { UpdateBus } from "../../ledger-node/src/updates";
import type { NodeContext } from "../../ledger-node/src/context";
import { signCosign, signVeto } from "../../scripts/lib/governance";
import { now } from "../fixtures";
import { cityLogs } from "./projections.scenario.test";
import { closeVote, feeProposal, handedOver, openVote, proposalId, propose, queueAndExecute, vote } from "../governance/helpers";

async function governanceScenario() {
  const f = await handedOver();
  const record = { ...f.record, contracts: { ...f.record.contracts, ...f.governanceRecord } };

  const executed = await feeProposal(f, 250, "Fee to 2.5%");
  const vetoed = await feeProposal(f, 900, "Fee to 9%");
  const cancelled = await feeProposal(f, 50, "Fee to 0.5%");
  const a = await propose(f, executed);
  const b = await propose(f, vetoed);
  const c = await propose(f, cancelled);
  await (await f.governor.connect(f.orchestrator).cancelWithReason(cancelled.targets, cancelled.values, cancelled.calldatas, id(cancelled.description), "duplicate")).wait();
  await openVote();
  await vote(f, a, [[3, 1, 0], [6, 2, 1], [1, 1, 0], [2, 0, 0]]);
  await vote(f, b, [[2, 0, 0], [3, 0, 0], [2, 0, 0], [2, 0, 0]]);
  await closeVote();
  await (await f.governor.queue(vetoed.targets, vetoed.values, vetoed.calldatas, id(vetoed.description))).wait();
  const citizen = f.colleges[1][9];
  await (await f.veto.connect(f.relayer).vetoBySig(b, citizen.address, await signVeto(f.veto, citizen, b))).wait();
  await queueAndExecute(f, executed);

  // A member's co-signed proposal, still pending.
  const members = f.colleges.flat().sort((x, y) => (BigInt(x.address) < BigInt(y.address) ? -1 : 1));
  const cosigned = await feeProposal(f, 120, "Fee to 1.2%, co-signed");
  const d = await proposalId(f.governor, cosigned);
  const deadline = (await now()) + 3600;
  const cosig = { cosigners: [members[1].address], deadline, signatures: [await signCosign(f.governor, members[1], d, deadline)] };
  await (await f.agenda.connect(members[0]).proposeWithCosigners(cosigned.targets, cosigned.values, cosigned.calldatas, cosigned.description, cosig)).wait();
  return { ...f, record, ids: { a, b, c, d }, citizen, proposer: members[0], cosigner: members[1] };
}

describe("governance projection (reduced from CityGovernor's, CitizensVeto's and CityCharter's logs)", () => {
  let f: Awaited<ReturnType<typeof governanceScenario>>;
  let logs: RawLog[];
  let entries: DecodedEntry[];
  let engine: ProjectionEngine;

  before(async () => {
    f = await loadFixture(governanceScenario);
    logs = await cityLogs(f);
    const decoder = new CityEventDecoder(f.record);
    entries = logs.flatMap((log, seq): DecodedEntry[] => {
      const event = decoder.decode(log);
      return event ? [{ seq, log, event, timestamp: 0 }] : [];
    });
    expect(entries.length).to.equal(logs.length);
    (engine = new ProjectionEngine()).apply(entries);
  });

  it("matches the contracts: per-college votes, scores, statuses, cancellation, co-signers, veto and the charter", async () => {
    const q = createQueries(engine);
    const { a, b, c, d } = f.ids;
    for (const pid of [a, b]) {
      const view = q.governance.proposal(pid)!;
      const [scoreWad, thresholdBps] = await f.governor.weightedResult(pid);
      expect(view.scoreWad).to.equal(scoreWad);
      expect(view.thresholdBps).to.equal(Number(thresholdBps));
      for (const college of view.colleges) {
        const [forVotes, againstVotes, abstainVotes] = await f.governor.proposalVotes(pid, college.college);
        expect([college.forVotes, college.againstVotes, college.abstainVotes]).to.deep.equal([forVotes, againstVotes, abstainVotes]);
      }
    }
    const executed = q.governance.proposal(a)!;
    expect(executed.status).to.equal("executed");
    expect(executed.scoreWad).to.equal(75n * 10n ** 16n);
    expect(executed.operationId).to.equal((await f.governor.proposalOperationId(a)).toLowerCase());
    expect(executed.eta).to.equal(Number(await f.governor.proposalEta(a)));
    expect(executed.proposer).to.equal(getAddress(f.orchestrator.address));
    expect(executed.colleges.map((x) => [x.college, x.weightBps, x.quorumBps])).to.deep.equal([[0, 2500, 2000], [1, 3500, 1000], [2, 2000, 2000], [3, 2000, 2000]]);

    const vetoed = q.governance.proposal(b)!;
    expect(vetoed.status).to.equal("vetoed");
    expect(vetoed.veto).to.deep.equal({ college: 1, signatures: 1, needed: 1, signers: [getAddress(f.citizen.address)] });

    const cancelled = q.governance.proposal(c)!;
    expect(cancelled).to.deep.include({ status: "canceled", cancelReason: "duplicate", canceledBy: getAddress(f.orchestrator.address) });

    const cosigned = q.governance.proposal(d)!;
    expect(cosigned).to.deep.include({ status: "created", proposer: getAddress(f.proposer.address), charterVersion: 1, constitutional: false });
    expect(cosigned.cosigners).to.deep.equal([getAddress(f.cosigner.address)]);

    const charter = await f.charter.charter(1);
    expect(q.governance.charter(1)).to.deep.include({
      version: 1,
      approvalThresholdBps: Number(charter.approvalThresholdBps),
      superMajorityBps: Number(charter.superMajorityBps),
      vetoCollege: Number(charter.vetoCollege),
      vetoThresholdBps: Number(charter.vetoThresholdBps),
    });
    // The constitutional roles, as the charter holds them: every id below 256 but ARBITER (4) and RELAYER (7).
    const mask = await f.charter.constitutionalRoles();
    const roles = q.governance.constitutionalRoles()!;
    expect(roles).to.have.length(254);
    expect(roles).to.not.include.members([4, 7]);
    expect(roles.every((r) => r === 0 || ((mask >> BigInt(r)) & 1n) === 1n)).to.equal(true);
    const setWitnesses = f.ledgerAnchor.interface.getFunction("setWitnesses")!.selector;
    expect(q.governance.constitutionalCalls()).to.deep.equal([{ target: getAddress(await f.ledgerAnchor.getAddress()), selector: setWitnesses }]);
    expect(q.governance.proposals({}).items.map((p) => p.id)).to.deep.equal([d, c, b, a]);
    expect(q.governance.proposals({ status: "vetoed" }).items.map((p) => p.id)).to.deep.equal([b]);
  });

  it("is deterministic: the same hash from the fast decoder and through encode/decode", () => {
    const fast = new ProjectionEngine();
    fast.applyLog(logs.map((log, seq) => ({ seq, log, leafInput: new Uint8Array(), leafHash: new Uint8Array() })), new CityEventDecoder(f.record));
    expect(fast.stateHash()).to.equal(engine.stateHash());
    const json = canonicalJson(governanceProjection.encode(engine.state(governanceProjection)));
    const decoded = governanceProjection.decode(JSON.parse(json));
    expect(canonicalJson(governanceProjection.encode(decoded))).to.equal(json);
    expect(engine.stateHashes().domains.governance).to.match(/^[0-9a-f]{64}$/);
  });

  it("serves the governance routes, with 404s for unknown proposals and charters", async () => {
    const ctx = { updates: new UpdateBus(), chainId: 31337 } as unknown as NodeContext;
    const app = await buildApp(ctx, { queries: createQueries(engine), docs: false });
    try {
      const list = await app.inject({ url: "/v1/governance/proposals?order=asc&limit=2" });
      expect(list.statusCode, list.body).to.equal(200);
      expect(list.headers["x-projection-seq"]).to.equal(String(engine.seq));
      expect(list.json().total).to.equal(4);
      expect(list.json().items.map((p: { id: string }) => p.id)).to.deep.equal([f.ids.a.toString(), f.ids.b.toString()]);
      const one = await app.inject({ url: `/v1/governance/proposals/${f.ids.b}` });
      expect(one.statusCode, one.body).to.equal(200);
      expect(one.json()).to.deep.include({ status: "vetoed", description: "Fee to 9%", scoreWad: (10n ** 18n).toString() });
      expect(one.json().colleges[1]).to.deep.equal({ college: 1, weightBps: 3500, quorumBps: 1000, forVotes: "3", againstVotes: "0", abstainVotes: "0" });
      const charter = await app.inject({ url: "/v1/governance/charters/1" });
      expect(charter.statusCode, charter.body).to.equal(200);
      expect(charter.json().colleges).to.have.length(4);
      const charters = (await app.inject({ url: "/v1/governance/charters" })).json();
      expect(charters.total).to.equal(charters.items.length);
      expect(charters.items.map((c: { version: number }) => c.version)).to.deep.equal(
        Array.from({ length: charters.total }, (_, i) => i + 1),
      );
      expect(charters.items[0]).to.deep.equal(charter.json());
      for (const url of ["/v1/governance/proposals/12345", "/v1/governance/charters/9"]) {
        const res = await app.inject({ url });
        expect(res.statusCode, url).to.equal(404);
        expect(res.headers["content-type"]).to.match(/^application\/problem\+json/);
        expect(res.json().type).to.equal(`${PROBLEM_BASE}not-found`);
      }
      const bad = await app.inject({ url: "/v1/governance/proposals?limit=0" });
      expect(bad.statusCode).to.equal(400);
    } finally {
      await app.close();
    }
  });
});
