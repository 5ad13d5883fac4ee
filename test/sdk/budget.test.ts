import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { keccak256, toHex, type Address } from "viem";
import {
  BudgetBallotLogMismatchError,
  budgetBallotRules,
  budgetSelection,
  budgetWinnerRules,
  ballotIndexesOf,
  castBudgetBallot,
  budgetRuleOf,
  computeBudgetResult,
  getBudgetBallotLog,
  nextBallotLogHead,
  parseCity,
  participatoryBudgetAbi,
  type CityClient,
} from "../../sdk/src";
import { greedy } from "../../sdk/src/votes/greedy";
import { PABULIB_SHARE_KEY, electionFromPabulib, parsePabulib, publishedWinners, ruleFromPabulib } from "../../sdk/src/votes/pabulib";
import { runBudgetRule } from "../../sdk/src/votes/rules";
import { equalShares } from "../../sdk/src/votes/equalShares";
import { addressOf, cityAs, credential, expectCityError, now, publicClient, sdkFixture } from "./helpers";

const DAY = 86_400;
const hash = (s: string) => keccak256(toHex(s));

/**
 * A round through the SDK: envelopes €100 city-wide and €60 for district 7 (where the fixture's members live),
 * Equal Shares (add1) or greedy; five members (alice, bob and three more) and four projects on the ballot: city-wide
 * €60 (index 0), €40 (1), €30 (2), district €50 (3).
 */
async function roundFixture(winnerRule: number) {
  const f = await loadFixture(sdkFixture);
  const extra: CityClient[] = [];
  for (const address of f.free.slice(0, 3)) {
    await f.registrar.members.register({ member: address, college: 1, district: 7, flags: 1n, credentialHash: credential(), wait: true });
    extra.push(cityAs(f.deployment, address));
  }
  const t = await now();
  const params = {
    snapshot: t + DAY,
    proposalsEnd: t + DAY,
    supportEnd: t + 2 * DAY,
    reviewEnd: t + 3 * DAY,
    voteEnd: t + 10 * DAY,
    supportThreshold: 1,
    ballotRule: budgetBallotRules.knapsack,
    maxApprovals: 0,
    minSpendBps: 0,
    collegeMask: 0xffff,
    winnerRule,
    cityAmount: parseCity("100"),
    districts: [7],
    districtAmounts: [parseCity("60")],
  };
  await f.orchestrator.budget.createRound({ params, wait: true });
  const roundId = await f.reader.budget.getBudgetRoundCount();
  const costs = [
    [0, "60"],
    [0, "40"],
    [0, "30"],
    [1, "50"],
  ] as const;
  for (const [i, [envelope, cost]] of costs.entries()) {
    await f.alice.budget.submitProject({ roundId, envelope, cost: parseCity(cost), contentHash: hash(`p${i}`), uri: `ipfs://p${i}`, wait: true });
  }
  await time.increaseTo(params.proposalsEnd);
  for (let projectId = 1; projectId <= 4; ++projectId) await f.bob.budget.supportProject({ roundId, projectId, wait: true });
  await time.increaseTo(params.supportEnd);
  for (let projectId = 1; projectId <= 4; ++projectId) {
    await f.orchestrator.budget.reviewProject({ roundId, projectId, feasible: true, reasonHash: hash("ok"), wait: true });
  }
  await f.orchestrator.budget.reviseProjectCost({ roundId, projectId: 3, cost: parseCity("35"), reasonHash: hash("quote"), wait: true });
  await time.increaseTo(params.reviewEnd);
  return { ...f, extra, roundId, params };
}

const equalSharesRound = () => roundFixture(budgetWinnerRules.equalSharesAdd1);
const greedyRound = () => roundFixture(budgetWinnerRules.greedy);
const noSkipRound = () => roundFixture(budgetWinnerRules.greedyNoSkip);
const exactShareRound = () => roundFixture(budgetWinnerRules.equalSharesAdd1Exact);

describe("sdk: budget", () => {
  it("the round's phases, projects and revised costs read back", async () => {
    const f = await loadFixture(equalSharesRound);
    const round = await f.reader.budget.getBudgetRound({ roundId: f.roundId });
    expect(round.phase).to.equal(4); // vote
    expect(round.state.ballotCount).to.equal(4);
    expect(round.config.cityAmount).to.equal(parseCity("100"));
    const project = await f.reader.budget.getBudgetProject({ roundId: f.roundId, projectId: 3 });
    expect(project.cost).to.equal(parseCity("35"));
    expect(project.proposer).to.equal(addressOf(f.alice));
    expect(project.supportCount).to.equal(1);
  });

  it("reads every ballot back from the events into one election per envelope, checked against the on-chain head", async () => {
    const f = await loadFixture(equalSharesRound);
    const [carol, dave, erin] = f.extra as [CityClient, CityClient, CityClient];
    const ballots: [CityClient, number[]][] = [
      [f.alice, [0, 1, 3]],
      [f.bob, [0, 3]],
      [carol, [1, 2]],
      [dave, [2]],
      [erin, [1, 2, 3]],
      [f.alice, [1, 2]], // alice changes her mind: only this one counts
    ];
    let head: `0x${string}` = `0x${"0".repeat(64)}`;
    for (const [who, indexes] of ballots) {
      const selection = budgetSelection(indexes);
      await castBudgetBallot(who, { roundId: f.roundId, selection, wait: true });
      head = nextBallotLogHead(head, addressOf(who), selection);
    }
    const log = await getBudgetBallotLog(f.reader, { roundId: f.roundId });
    expect(log.head).to.equal(head);
    expect(log.entries.length).to.equal(6);
    expect(log.lastBallots.get(addressOf(f.alice))).to.equal(budgetSelection([1, 2]));
    expect(log.envelopes).to.deep.equal([parseCity("100"), parseCity("60")]);
    const [cityWide, district] = log.elections;
    expect(cityWide!.projects).to.deep.equal([
      { id: "1", cost: parseCity("60") },
      { id: "2", cost: parseCity("40") },
      { id: "3", cost: parseCity("35") },
    ]);
    const approvals = (e: typeof cityWide) => Object.fromEntries(e!.voters.map((v) => [v.id, [...v.approvals]]));
    expect(approvals(cityWide)).to.deep.equal({
      [addressOf(f.alice)]: ["2", "3"],
      [addressOf(f.bob)]: ["1"],
      [addressOf(carol)]: ["2", "3"],
      [addressOf(dave)]: ["3"],
      [addressOf(erin)]: ["2", "3"],
    });
    expect(approvals(district)).to.deep.equal({ [addressOf(f.bob)]: ["4"], [addressOf(erin)]: ["4"] });
    // Counts on chain equal the elections' approvals.
    for (const p of log.projects) {
      const election = log.elections[p.envelope]!;
      const count = election.voters.filter((v) => v.approvals.includes(String(p.projectId))).length;
      const entry = await publicClient.readContract({
        address: f.deployment.addresses.participatoryBudget!,
        abi: participatoryBudgetAbi,
        functionName: "ballotEntry",
        args: [f.roundId, BigInt(p.ballotIndex)],
      });
      expect(entry.votes, `project ${p.projectId}`).to.equal(count);
    }

    // Equal Shares (add1) per envelope, posted with the log head; then funding and a tranche.
    const result = computeBudgetResult(log, budgetWinnerRules.equalSharesAdd1);
    expect(result.outcomes[0]!.winners).to.deep.equal(equalShares(cityWide!, { completion: "add1" }).winners);
    expect(result.outcomes[1]!.winners).to.deep.equal(equalShares(district!, { completion: "add1" }).winners);
    await time.increaseTo(f.params.voteEnd);
    await expectCityError(
      f.orchestrator.budget.postEqualSharesResult({ roundId: f.roundId, winners: result.winners, logHead: hash("stale"), wait: true }),
      "ParticipatoryBudgetLogHeadMismatch",
      [head, hash("stale")],
    );
    await f.orchestrator.budget.postEqualSharesResult({ roundId: f.roundId, winners: result.winners, logHead: log.head, wait: true });
    const round = await f.reader.budget.getBudgetRound({ roundId: f.roundId });
    expect(round.winners).to.equal(result.winners);
    expect(round.phase).to.equal(6);

    // The treasury (the community fund: the admin, a city account) approves, the orchestrator funds and releases.
    const winners = ballotIndexesOf(result.winners).map((i) => log.projects[i]!);
    const total = winners.reduce((s, p) => s + p.cost, 0n);
    await f.issuer.currency.issue({ to: addressOf(f.admin), amount: total, depositRef: hash("treasury deposit"), wait: true });
    await f.admin.currency.approve({ spender: f.deployment.addresses.participatoryBudget!, amount: total, wait: true });
    // A posted result is funded once its challenge window (3 days, unchallenged here) has passed.
    await time.increase(3 * 24 * 3600);
    await f.orchestrator.budget.fundRound({ roundId: f.roundId, wait: true });
    const first = winners[0]!;
    const before = await f.reader.currency.getBalance({ address: addressOf(f.alice) });
    await f.orchestrator.budget.releaseTranche({ roundId: f.roundId, projectId: first.projectId, amount: parseCity("10"), evidenceHash: hash("m1"), wait: true });
    expect(await f.reader.currency.getBalance({ address: addressOf(f.alice) })).to.equal(before + parseCity("10"));
    await f.orchestrator.budget.closeBudgetProject({ roundId: f.roundId, projectId: first.projectId, reasonHash: hash("done"), wait: true });
    const closed = await f.reader.budget.getBudgetProject({ roundId: f.roundId, projectId: first.projectId });
    expect([closed.escrow, closed.released]).to.deep.equal([0n, parseCity("10")]);
  });

  it("a greedy round's on-chain tally equals the SDK's greedy on the ballot log", async () => {
    const f = await loadFixture(greedyRound);
    const [carol, dave] = f.extra as [CityClient, CityClient];
    for (const [who, indexes] of [
      [f.alice, [0, 1]],
      [f.bob, [0, 2, 3]],
      [carol, [1, 2]],
      [dave, [2, 3]],
    ] as const) {
      await who.budget.castBudgetBallot({ roundId: f.roundId, selection: budgetSelection(indexes), wait: true });
    }
    await time.increaseTo(f.params.voteEnd);
    await f.outsider.budget.tallyRound({ roundId: f.roundId, wait: true });
    const log = await getBudgetBallotLog(f.reader, { roundId: f.roundId });
    const expected = computeBudgetResult(log, budgetWinnerRules.greedy);
    expect(expected.outcomes[0]!.winners).to.deep.equal(greedy(log.elections[0]!).winners);
    expect((await f.reader.budget.getBudgetRound({ roundId: f.roundId })).winners).to.equal(expected.winners);
  });

  for (const [name, winnerRule, fixture, meta] of [
    ["greedy without skipping", budgetWinnerRules.greedyNoSkip, noSkipRound, { rule: "greedy-no-skip" }],
    ["Equal Shares from the exact share", budgetWinnerRules.equalSharesAdd1Exact, exactShareRound, { rule: "equalshares/add1", [PABULIB_SHARE_KEY]: "exact" }],
  ] as const) {
    it(`a round under ${name} exports its rule and convention; the file's own rule gives the round's winners`, async () => {
      const f = await loadFixture(fixture);
      const [carol, dave] = f.extra as [CityClient, CityClient];
      for (const [who, indexes] of [
        [f.alice, [0, 1]],
        [f.bob, [0, 2, 3]],
        [carol, [0, 2]],
        [dave, [1, 3]],
      ] as const) {
        await who.budget.castBudgetBallot({ roundId: f.roundId, selection: budgetSelection(indexes), wait: true });
      }
      await time.increaseTo(f.params.voteEnd);
      const log = await getBudgetBallotLog(f.reader, { roundId: f.roundId });
      const result = computeBudgetResult(log, winnerRule);
      expect(result.rule).to.deep.equal(budgetRuleOf[winnerRule]);
      // The rule spelled out gives the same result as its on-chain code.
      expect(computeBudgetResult(log, budgetRuleOf[winnerRule]!).winners).to.equal(result.winners);
      if (winnerRule === budgetWinnerRules.greedyNoSkip) await f.outsider.budget.tallyRound({ roundId: f.roundId, wait: true });
      else await f.orchestrator.budget.postEqualSharesResult({ roundId: f.roundId, winners: result.winners, logHead: log.head, wait: true });
      expect((await f.reader.budget.getBudgetRound({ roundId: f.roundId })).winners).to.equal(result.winners);

      const [cityWide] = await f.reader.budget.exportBudgetRound({ roundId: f.roundId });
      const file = parsePabulib(cityWide!.pb);
      expect(file.meta).to.deep.include(meta);
      expect(ruleFromPabulib(file)).to.deep.equal(budgetRuleOf[winnerRule]);
      expect(runBudgetRule(electionFromPabulib(file), ruleFromPabulib(file)!).winners.slice().sort()).to.deep.equal(publishedWinners(file).slice().sort());
    });
  }

  it("computeBudgetResult refuses a rule code ParticipatoryBudget does not define", async () => {
    const log = { head: `0x${"0".repeat(64)}`, entries: [], lastBallots: new Map(), projects: [], envelopes: [], elections: [] } as Parameters<typeof computeBudgetResult>[0];
    expect(() => computeBudgetResult(log, 8)).to.throw(RangeError, /winner rule 8 is not one of ParticipatoryBudget's/);
    expect(Object.keys(budgetRuleOf).map(Number)).to.deep.equal(Object.values(budgetWinnerRules).slice().sort());
  });

  it("exports a tallied round as pabulib .pb files (ballots, costs, the on-chain winners) and imports a file's projects into a new round", async () => {
    const f = await loadFixture(greedyRound);
    const [carol, dave] = f.extra as [CityClient, CityClient];
    for (const [who, indexes] of [
      [f.alice, [0, 1]],
      [f.bob, [0, 2, 3]],
      [carol, [1, 2]],
      [dave, [2, 3]],
    ] as const) {
      await who.budget.castBudgetBallot({ roundId: f.roundId, selection: budgetSelection(indexes), wait: true });
    }
    await time.increaseTo(f.params.voteEnd);
    await f.outsider.budget.tallyRound({ roundId: f.roundId, wait: true });

    const files = await f.reader.budget.exportBudgetRound({ roundId: f.roundId });
    expect(files.map((x) => x.envelope)).to.deep.equal([0, 1]);
    const cityWide = parsePabulib(files[0]!.pb);
    expect(cityWide.meta).to.deep.include({ budget: "100.000000", vote_type: "approval", rule: "greedy", num_votes: "4" });
    expect(cityWide.projects.map((p) => [p.project_id, p.cost, p.votes])).to.deep.equal([
      ["1", "60.000000", "2"],
      ["2", "40.000000", "2"],
      ["3", "35.000000", "3"], // revised at review
    ]);
    // The community's tools reach the city's result from the file alone: greedy on the file = the on-chain winners.
    expect(greedy(electionFromPabulib(cityWide)).winners.slice().sort()).to.deep.equal(publishedWinners(cityWide).slice().sort());
    const district = parsePabulib(files[1]!.pb);
    expect(district.projects.map((p) => [p.project_id, p.cost, p.selected])).to.deep.equal([["4", "50.000000", "1"]]);

    // A new round receives the exported city-wide projects, costs converted back to CityCoin.
    const t = await now();
    await f.orchestrator.budget.createRound({ params: { ...f.params, snapshot: t + DAY, proposalsEnd: t + DAY, supportEnd: t + 2 * DAY, reviewEnd: t + 3 * DAY, voteEnd: t + 10 * DAY }, wait: true });
    const roundId = await f.reader.budget.getBudgetRoundCount();
    const { submitted } = await f.alice.budget.importBudgetProjects({ roundId, envelope: 0, pb: files[0]!.pb });
    expect(submitted.map((s) => [s.projectId, s.cost])).to.deep.equal([
      ["1", parseCity("60")],
      ["2", parseCity("40")],
      ["3", parseCity("35")],
    ]);
    const first = await f.reader.budget.getBudgetProject({ roundId, projectId: 1 });
    expect(first.cost).to.equal(parseCity("60"));
  });

  it("a posted result waits out its challenge window; a member's challenge blocks funding until the council resolves it", async () => {
    const f = await loadFixture(equalSharesRound);
    const [carol, dave] = f.extra as [CityClient, CityClient];
    for (const [who, indexes] of [[f.alice, [0, 3]], [f.bob, [1, 2]], [carol, [1, 2]], [dave, [0]]] as const) {
      await castBudgetBallot(who, { roundId: f.roundId, selection: budgetSelection([...indexes]), wait: true });
    }
    await time.increaseTo(f.params.voteEnd);
    expect(await f.reader.budget.getBudgetChallenge({ roundId: f.roundId })).to.deep.include({ status: "none", challengeEnd: 0, window: 3 * DAY });
    const log = await getBudgetBallotLog(f.reader, { roundId: f.roundId });
    const right = computeBudgetResult(log, budgetWinnerRules.equalSharesAdd1).winners;
    // The orchestrator posts a wrong result (only the cheapest city-wide project): a member's recount disagrees.
    const wrong = budgetSelection([2]);
    expect(wrong).to.not.equal(right);
    await f.orchestrator.budget.postEqualSharesResult({ roundId: f.roundId, winners: wrong, logHead: log.head, wait: true });
    const posted = await f.reader.budget.getBudgetChallenge({ roundId: f.roundId });
    expect(posted.status).to.equal("window");
    expect(posted.challengeEnd).to.be.greaterThan(await now());
    await expectCityError(f.orchestrator.budget.fundRound({ roundId: f.roundId, wait: true }), "ParticipatoryBudgetChallengeWindowOpen", [f.roundId, posted.challengeEnd]);
    await expectCityError(f.bob.budget.challengeResult({ roundId: f.roundId, winners: wrong, wait: true }), "ParticipatoryBudgetSameResult", [f.roundId, wrong]);
    await f.bob.budget.challengeResult({ roundId: f.roundId, winners: right, wait: true });
    expect((await f.reader.budget.getBudgetChallenge({ roundId: f.roundId })).status).to.equal("challenged");
    await time.increase(3 * DAY);
    await expectCityError(f.orchestrator.budget.fundRound({ roundId: f.roundId, wait: true }), "ParticipatoryBudgetResultChallenged", [f.roundId]);
    await expectCityError(f.alice.budget.resolveChallenge({ roundId: f.roundId, upheld: false, reasonHash: hash("recount"), wait: true }), "AccessManagedUnauthorized");
    // The council rejects the result: the round is back to its tally, the orchestrator posts the right one.
    await f.council.budget.resolveChallenge({ roundId: f.roundId, upheld: false, reasonHash: hash("recount"), wait: true });
    expect((await f.reader.budget.getBudgetChallenge({ roundId: f.roundId })).status).to.equal("none");
    expect((await f.reader.budget.getBudgetRound({ roundId: f.roundId })).phase).to.equal(5); // tally
    await f.orchestrator.budget.postEqualSharesResult({ roundId: f.roundId, winners: right, logHead: log.head, wait: true });
    expect((await f.reader.budget.getBudgetChallenge({ roundId: f.roundId })).status).to.equal("window");
    await time.increase(3 * DAY);
    expect((await f.reader.budget.getBudgetChallenge({ roundId: f.roundId })).status).to.equal("fundable");
    const total = ballotIndexesOf(right).reduce((sum, i) => sum + log.projects[i]!.cost, 0n);
    await f.issuer.currency.issue({ to: addressOf(f.admin), amount: total, depositRef: hash("treasury"), wait: true });
    await f.admin.currency.approve({ spender: f.deployment.addresses.participatoryBudget!, amount: total, wait: true });
    await f.orchestrator.budget.fundRound({ roundId: f.roundId, wait: true });
    expect((await f.reader.budget.getBudgetChallenge({ roundId: f.roundId })).status).to.equal("funded");
    await expectCityError(f.bob.budget.challengeResult({ roundId: f.roundId, winners: wrong, wait: true }), "ParticipatoryBudgetNotChallengeable");
  });

  it("a tranche for a suspended proposer is held for her, read back, and withdrawn once she is reinstated; forfeits need a removal", async () => {
    const f = await loadFixture(greedyRound);
    await f.alice.budget.castBudgetBallot({ roundId: f.roundId, selection: budgetSelection([0]), wait: true });
    await time.increaseTo(f.params.voteEnd);
    await f.outsider.budget.tallyRound({ roundId: f.roundId, wait: true });
    expect((await f.reader.budget.getBudgetChallenge({ roundId: f.roundId })).status).to.equal("fundable"); // computed on chain: no window
    const { winners } = await f.reader.budget.getBudgetRound({ roundId: f.roundId });
    const project = await f.reader.budget.getBudgetProject({ roundId: f.roundId, projectId: 1 });
    expect(winners & 1n).to.equal(1n);
    await f.issuer.currency.issue({ to: addressOf(f.admin), amount: parseCity("200"), depositRef: hash("treasury"), wait: true });
    await f.admin.currency.approve({ spender: f.deployment.addresses.participatoryBudget!, amount: parseCity("200"), wait: true });
    await f.orchestrator.budget.fundRound({ roundId: f.roundId, wait: true });
    const alice = addressOf(f.alice);
    await f.registrar.members.suspend({ member: alice, reasonHash: hash("check"), wait: true });
    const before = await f.reader.currency.getBalance({ address: alice });
    await f.orchestrator.budget.releaseTranche({ roundId: f.roundId, projectId: 1, amount: parseCity("15"), evidenceHash: hash("m1"), wait: true });
    expect(await f.reader.budget.getHeldTranches({ account: alice })).to.equal(parseCity("15"));
    expect(await f.reader.currency.getBalance({ address: alice })).to.equal(before);
    await expectCityError(f.alice.budget.withdrawHeld({ wait: true }), "ParticipatoryBudgetMemberSuspended", [alice]);
    await expectCityError(f.council.budget.forfeitHeld({ member: alice, reasonHash: hash("gone"), wait: true }), "ParticipatoryBudgetNotRemoved", [alice]);
    await f.registrar.members.reinstate({ member: alice, wait: true });
    await f.alice.budget.withdrawHeld({ wait: true });
    expect(await f.reader.budget.getHeldTranches({ account: alice })).to.equal(0n);
    expect(await f.reader.currency.getBalance({ address: alice })).to.equal(before + parseCity("15"));
    await expectCityError(f.alice.budget.withdrawHeld({ wait: true }), "ParticipatoryBudgetNothingHeld", [alice]);
    expect(project.cost).to.equal(parseCity("60"));
  });

  it("refusals are decoded with the budget's sentences", async () => {
    const f = await loadFixture(equalSharesRound);
    const err = await expectCityError(
      f.alice.budget.castBudgetBallot({ roundId: f.roundId, selection: budgetSelection([0, 1, 2]), wait: true }),
      "ParticipatoryBudgetOverEnvelope",
      [0, parseCity("135"), parseCity("100")],
    );
    expect(err.reason).to.equal("the selected projects cost 135 CITY, more than envelope 0's 100 CITY");
    await expectCityError(f.outsider.budget.castBudgetBallot({ roundId: f.roundId, selection: 1n, wait: true }), "ParticipatoryBudgetNotAMember", [
      addressOf(f.outsider) as Address,
    ]);
    await expectCityError(f.alice.budget.castBudgetBallot({ roundId: f.roundId, selection: 0n, wait: true }), "ParticipatoryBudgetEmptyBallot");
  });

  it("a log read from after the first ballot does not hash to the head: BudgetBallotLogMismatchError", async () => {
    const f = await loadFixture(equalSharesRound);
    await f.alice.budget.castBudgetBallot({ roundId: f.roundId, selection: 1n, wait: true });
    const from = (await hre.ethers.provider.getBlockNumber()) + 1;
    await f.bob.budget.castBudgetBallot({ roundId: f.roundId, selection: 2n, wait: true });
    let caught: unknown;
    try {
      await getBudgetBallotLog(f.reader, { roundId: f.roundId, fromBlock: BigInt(from) });
    } catch (e) {
      caught = e;
    }
    expect(caught).to.be.instanceOf(BudgetBallotLogMismatchError);
  });
});
