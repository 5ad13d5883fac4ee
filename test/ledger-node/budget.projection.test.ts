/**
 * The participatory-budget projection reduced from the real ParticipatoryBudget's logs: an Equal Shares round whose
 * posted result is challenged and withdrawn by the council (its winners back on the ballot), posted again, challenged
 * again and upheld, funded; a tranche paid, one held for a suspended proposer whose key is then recovered (what is
 * held moves, the next tranche goes to the new key), the held tranche withdrawn (or forfeited once the member is
 * removed), a project closed. Every project, the
 * held amounts and the contract's coin balance (Σ escrow + Σ held) are compared with the chain; the routes serve it;
 * replay and encode/decode give the same state.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { id } from "ethers";
import { getAddress, keccak256, toHex, type Hex } from "viem";
import { CityEventDecoder } from "@cityledger/sdk/ledger";
import { LogStore } from "../../ledger-node/src/log/store";
import { budgetProjection, createQueries } from "../../ledger-node/src/domains";
import { buildApp } from "../../ledger-node/src/api/app";
import { UpdateBus } from "../../ledger-node/src/updates";
import type { FollowerView, NodeContext } from "../../ledger-node/src/context";
import { verifierKey } from "../../sdk/src/ledger";
import { recoverKey, coins } from "../fixtures";
import { WinnerRule, budgetFixture, selection, votingRound } from "../votes/budgetHelpers";
import { expectDeterministic, problemChecker, projectCity } from "./projection-helpers";

async function budgetScenario() {
  const f = await budgetFixture();
  const send = async (tx: Promise<{ wait(): Promise<unknown> }>) => void (await (await tx).wait());
  const o = f.budget.connect(f.orchestrator);
  // Projects 1 (alice, city-wide €60k), 2 (bob, city-wide €40k), 3 (carol, north €30k) at ballot indexes 0, 1, 2.
  const { roundId, params } = await votingRound(
    f,
    [
      { envelope: 0, cost: coins(60_000), proposer: f.alice },
      { envelope: 0, cost: coins(40_000), proposer: f.bob },
      { envelope: 1, cost: coins(30_000), proposer: f.carol },
    ],
    { winnerRule: WinnerRule.EqualSharesAdd1 },
  );
  await send(f.budget.connect(f.alice).vote(roundId, selection(0, 2)));
  await send(f.budget.connect(f.bob).vote(roundId, selection(1)));
  await send(f.budget.connect(f.carol).vote(roundId, selection(0, 2)));
  await time.increaseTo(params.voteEnd);
  const head = await f.budget.logHead(roundId);
  // A wrong result, challenged by bob and rejected by the council; the right one, challenged by dave and upheld.
  await send(o.postResult(roundId, selection(1), head));
  await send(f.budget.connect(f.bob).challengeResult(roundId, selection(0, 2)));
  await send(f.budget.connect(f.council).resolveChallenge(roundId, false, id("recount: wrong")));
  await send(o.postResult(roundId, selection(0, 2), head));
  await send(f.budget.connect(f.dave).challengeResult(roundId, selection(0, 1)));
  await send(f.budget.connect(f.council).resolveChallenge(roundId, true, id("recount: right")));
  await send(o.fund(roundId));
  // Tranches: alice paid; carol suspended (held), reinstated, her key recovered (held moves), the next tranche paid
  // to the new key, which withdraws what was held; alice's project closed.
  const newCarol = f.rest[0]!;
  await send(o.release(roundId, 1, coins(10_000), id("m1")));
  await send(f.registry.connect(f.registrar).suspend(f.carol.address, id("check")));
  await send(o.release(roundId, 3, coins(5_000), id("m1")));
  await send(f.registry.connect(f.registrar).reinstate(f.carol.address));
  await send(recoverKey(f, f.carol.address, newCarol.address));
  await send(o.release(roundId, 3, coins(7_000), id("m2")));
  await send(o.release(roundId, 3, coins(1_000), id("m3")));
  await send(o.closeProject(roundId, 1, id("done")));
  return { ...f, roundId, newCarol, head };
}

describe("budget projection (reduced from ParticipatoryBudget's logs)", () => {
  it("follows challenges, funding, tranches paid and held, key recoveries and closures, as the contract holds them", async () => {
    const f = await loadFixture(budgetScenario);
    const run = await projectCity(f);
    const names = new Set(run.entries.filter((e) => e.event.contract === "ParticipatoryBudget").map((e) => e.event.name));
    for (const name of ["ResultChallenged", "ChallengeResolved", "TrancheHeld", "ProposerMigrated", "RoundFunded", "ProjectClosed"]) expect(names, name).to.include(name);
    const q = createQueries(run.engine);
    const round = q.budget.round(f.roundId)!;
    expect(round.result).to.deep.include({ winners: selection(0, 2), logHead: f.head });
    expect(round.challenged).to.equal(false);
    expect(round.challenges.map((c) => [c.challenger, c.posted, c.winners, c.resolution?.upheld])).to.deep.equal([
      [getAddress(f.bob.address), selection(1), selection(0, 2), false],
      [getAddress(f.dave.address), selection(0, 2), selection(0, 1), true],
    ]);
    expect(round.funded).to.deep.include({ total: coins(90_000), treasury: getAddress(f.treasury.address) });
    // Every project as the contract holds it: status, cost, escrow, released.
    for (const p of round.projects) {
      const chain = await f.budget.project(f.roundId, p.projectId);
      expect([p.status, p.cost, p.escrow, p.released], `project ${p.projectId}`).to.deep.equal([
        ["none", "submitted", "feasible", "infeasible", "selected", "funded", "closed"][Number(chain.status)],
        chain.cost,
        chain.escrow,
        chain.released,
      ]);
    }
    // Project 2 won the first (withdrawn) result only: back on the ballot, feasible.
    expect(q.budget.project(f.roundId, 2)!.status).to.equal("feasible");
    expect(q.budget.project(f.roundId, 1)).to.deep.include({ status: "closed", returned: coins(50_000), released: coins(10_000) });
    const carolProject = q.budget.project(f.roundId, 3)!;
    expect(carolProject).to.deep.include({ proposer: getAddress(f.carol.address), recipient: getAddress(f.newCarol.address), held: coins(5_000), released: coins(13_000) });
    // Held: what was held for carol moved to her new key; the projection agrees with heldOf (before the withdrawal).
    expect(q.budget.held(f.carol.address)).to.deep.equal({ account: getAddress(f.carol.address), held: 0n, currentKey: getAddress(f.newCarol.address) });
    expect(q.budget.held(f.newCarol.address).held).to.equal(await f.budget.heldOf(f.newCarol.address));
    expect(q.budget.held(f.newCarol.address).held).to.equal(coins(5_000));
    // Σ escrow + Σ held = the contract's coins.
    const state = run.engine.state(budgetProjection);
    const held = [...state.held.values()].reduce((s, v) => s + v, 0n);
    expect(round.escrow + held).to.equal(await f.coin.balanceOf(f.budget));
    expectDeterministic(f, budgetProjection, run);
  });

  it("follows a forfeit: what was held for a removed member goes to the treasury (HeldForfeited)", async () => {
    const f = await loadFixture(budgetScenario);
    await (await f.registry.connect(f.registrar).remove(f.newCarol.address, id("moved away"))).wait();
    const treasuryBefore = await f.coin.balanceOf(f.treasury.address);
    await (await f.budget.connect(f.council).forfeitHeld(f.newCarol.address, id("council decision"))).wait();
    expect(await f.coin.balanceOf(f.treasury.address)).to.equal(treasuryBefore + coins(5_000));
    const run = await projectCity(f);
    expect(run.entries.some((e) => e.event.name === "HeldForfeited")).to.equal(true);
    const q = createQueries(run.engine);
    expect(q.budget.held(f.newCarol.address).held).to.equal(0n);
    expect(run.engine.state(budgetProjection).held.size).to.equal(0);
    expect(q.budget.round(f.roundId)!.escrow).to.equal(await f.coin.balanceOf(f.budget));
    expectDeterministic(f, budgetProjection, run);
  });

  it("lists the rounds, a round's projects and a project, as the round view holds them", async () => {
    const f = await loadFixture(budgetScenario);
    const run = await projectCity(f);
    const q = createQueries(run.engine);
    const round = q.budget.round(f.roundId)!;
    expect(q.budget.rounds().items.map((r) => r.id)).to.deep.equal([f.roundId]);
    expect(q.budget.projects(f.roundId)!.items).to.deep.equal(round.projects);
    expect(q.budget.projects(f.roundId, { status: "closed" })!.items.map((p) => p.status)).to.deep.equal(round.projects.filter((p) => p.status === "closed").map(() => "closed"));
    expect(q.budget.projects(f.roundId + 1n)).to.equal(undefined);
    const first = round.projects[0];
    expect(q.budget.project(f.roundId, first.projectId)).to.deep.equal(first);

    const ctx = { updates: new UpdateBus(), chainId: 31337 } as unknown as NodeContext;
    const app = await buildApp(ctx, { queries: q, docs: false });
    const problem = problemChecker(app);
    try {
      const rounds = (await app.inject({ url: "/v1/budget/rounds" })).json();
      expect(rounds).to.deep.include({ total: 1, offset: 0, limit: 50 });
      expect(rounds.items[0].id).to.equal(String(f.roundId));
      const projects = (await app.inject({ url: `/v1/budget/rounds/${f.roundId}/projects?limit=1&order=desc` })).json();
      expect(projects.total).to.equal(round.projects.length);
      expect(projects.items[0].projectId).to.equal(round.projects[round.projects.length - 1].projectId);
      const one = (await app.inject({ url: `/v1/budget/rounds/${f.roundId}/projects/${first.projectId}` })).json();
      expect(one).to.deep.include({ roundId: String(f.roundId), projectId: first.projectId, status: first.status });
      await problem(`/v1/budget/rounds/${f.roundId + 1n}/projects`, 404, "not-found");
      await problem(`/v1/budget/rounds/${f.roundId}/projects/999`, 404, "not-found");
      await problem(`/v1/budget/rounds/${f.roundId}/projects?status=lost`, 400, "invalid-parameter");
      await problem("/v1/budget/rounds?limit=1001", 400, "out-of-range");
    } finally {
      await app.close();
    }
  });

  it("follows the withdrawal of held tranches and serves rounds and held amounts", async () => {
    const f = await loadFixture(budgetScenario);
    await (await f.budget.connect(f.newCarol).withdrawHeld()).wait();
    const run = await projectCity(f);
    const q = createQueries(run.engine);
    expect(q.budget.held(f.newCarol.address).held).to.equal(0n);
    expect(await f.budget.heldOf(f.newCarol.address)).to.equal(0n);
    expect(q.budget.round(f.roundId)!.escrow).to.equal(await f.coin.balanceOf(f.budget));
    expectDeterministic(f, budgetProjection, run);

    const dir = mkdtempSync(join(tmpdir(), "cityledger-budget-"));
    const signer = { name: "cityledger.test/31337", privateKey: new Uint8Array(32).fill(7) };
    const store = await LogStore.open({ dir, origin: signer.name, signer, genesis: { block: 0n, blockHash: `0x${"00".repeat(32)}` as Hex, size: 0 } });
    try {
      await store.append(run.logs, { block: 1n, blockHash: keccak256(toHex("cursor")) });
      const follower = { status: () => ({ state: "following", finalBlock: 1n, tentativeBlock: 1n }), tentative: () => [] } as unknown as FollowerView;
      const ctx: NodeContext = { store, decoder: new CityEventDecoder(f.record), follower, updates: new UpdateBus(), verifierKey: verifierKey(signer), chainId: 31337 };
      const app = await buildApp(ctx, { queries: q, docs: false });
      const res = await app.inject({ url: `/v1/budget/rounds/${f.roundId}` });
      expect(res.statusCode, res.body).to.equal(200);
      expect(res.headers["x-projection-seq"]).to.equal(String(run.logs.length));
      const round = res.json();
      expect(round.result.winners).to.equal(selection(0, 2).toString());
      expect(round.challenges.map((c: { resolution: { upheld: boolean } }) => c.resolution.upheld)).to.deep.equal([false, true]);
      expect(round.projects.map((p: { status: string }) => p.status)).to.deep.equal(["closed", "feasible", "funded"]);
      expect(round.projects[2].recipient).to.equal(getAddress(f.newCarol.address));
      const held = (await app.inject({ url: `/v1/budget/held/${f.carol.address}` })).json();
      expect(held).to.deep.equal({ account: getAddress(f.carol.address), held: "0", currentKey: getAddress(f.newCarol.address) });
      expect((await app.inject({ url: "/v1/budget/rounds/99" })).statusCode).to.equal(404);
      expect((await app.inject({ url: "/v1/budget/rounds/abc" })).statusCode).to.equal(400);
      expect((await app.inject({ url: "/v1/budget/held/0x123" })).statusCode).to.equal(400);
      await app.close();
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
