/**
 * Scale test of ParticipatoryBudget (issue 4 acceptance): a round with 100 projects (40 city-wide, 6 in each of 10
 * districts) and many voters whose ballots are generated here; every ballot is a real transaction from the voter's
 * own address (impersonated on the Hardhat network, one block each). The electorate is registered through
 * CityRegistry.registerBatch (60 members per transaction). Checks: each project's on-chain count equals the ballots
 * generated for it (one voter in 40 changes their mind and only their last ballot counts), the ballot log's head
 * equals the hash chain recomputed here, and the greedy tally — one transaction — selects what the same rule computed
 * here selects, under 10M gas (its gas depends on the 100 projects, not on the number of voters).
 *
 * The normal suite runs 5,000 voters (about half a minute on the shared machine). The acceptance run is 40,000 voters
 * (Barcelona's final vote had 39,433): `SCALE_VOTERS=40000 npx hardhat test test/votes/budget.scale.test.ts`. It
 * takes many minutes and several GB of memory in Hardhat's in-process network (each registration and ballot is
 * executed and mined for real), far from the suite's one-minute budget, hence the smaller default.
 */
import { expect } from "chai";
import hre from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { id, toBeHex } from "ethers";
import { cityFixture, coins, register } from "../fixtures";
import { mulberry32 } from "../ledger-node/helpers/prng";
import { EMPTY_HEAD, nextHead } from "./budgetHelpers";

const VOTERS = Number(process.env.SCALE_VOTERS ?? 5_000);
const DISTRICTS = 10;
const CITY_PROJECTS = 40;
const PER_DISTRICT = 6;
const REGISTRATION_CHUNK = 60;
const TALLY_GAS_LIMIT = 10_000_000n;

const voterAddress = (i: number) => toBeHex(0x5ca1e000n * 2n ** 128n + BigInt(i), 20);

describe("ParticipatoryBudget at scale", function () {
  this.timeout(7_200_000);
  let snapshot: string;
  before(async () => {
    snapshot = await hre.network.provider.send("evm_snapshot");
  });
  after(async () => {
    await hre.network.provider.send("evm_revert", [snapshot]);
  });

  it(`${VOTERS} voters and 100 projects: every last ballot counted, the greedy tally in one transaction under 10M gas`, async function () {
    const provider = hre.network.provider;
    const f = await cityFixture();
    const timings: Record<string, number> = {};
    let clock = Date.now();
    const lap = (name: string) => {
      timings[name] = (Date.now() - clock) / 1000;
      clock = Date.now();
    };

    // The electorate: voter i lives in district 1 + i % 10.
    const registry = f.registry.connect(f.registrar);
    for (let start = 0; start < VOTERS; start += REGISTRATION_CHUNK) {
      const batch = [];
      for (let i = start; i < Math.min(start + REGISTRATION_CHUNK, VOTERS); ++i) {
        batch.push({ account: voterAddress(i), college: 1, district: 1 + (i % DISTRICTS), flags: 1n, credentialHash: id(`scale-${i}`) });
      }
      await (await registry.registerBatch(batch, { gasLimit: 16_000_000 })).wait();
    }
    expect(await f.registry.getCollegeSize(1)).to.equal(BigInt(VOTERS));
    lap("register");

    // The round: €10M city-wide (projects €0.5M-2M), €1M per district (projects €0.1M-0.4M).
    const proposer = f.people[0];
    await register(f, proposer);
    const random = mulberry32(2024); // deterministic, so a failure reproduces
    const t0 = await time.latest();
    const DAY = 86_400;
    const districts = Array.from({ length: DISTRICTS }, (_, d) => d + 1);
    await (
      await f.budget.connect(f.orchestrator).createRound({
        snapshot: t0,
        proposalsEnd: t0 + DAY,
        supportEnd: t0 + 2 * DAY,
        reviewEnd: t0 + 3 * DAY,
        voteEnd: t0 + 10 * DAY,
        supportThreshold: 0,
        ballotRule: 0,
        maxApprovals: 0,
        minSpendBps: 0,
        collegeMask: 0xffff,
        winnerRule: 0,
        cityAmount: coins(10_000_000),
        districts,
        districtAmounts: districts.map(() => coins(1_000_000)),
      })
    ).wait();
    const roundId = 1n;
    const projects: { envelope: number; cost: bigint }[] = [];
    for (let i = 0; i < CITY_PROJECTS; ++i) projects.push({ envelope: 0, cost: coins(500_000 + Math.floor(random() * 1_500_000)) });
    for (const d of districts) {
      for (let i = 0; i < PER_DISTRICT; ++i) projects.push({ envelope: d, cost: coins(100_000 + Math.floor(random() * 300_000)) });
    }
    for (const [i, p] of projects.entries()) {
      await (await f.budget.connect(proposer).submit(roundId, p.envelope, p.cost, id(`scale project ${i}`), "")).wait();
    }
    await time.increaseTo(t0 + 2 * DAY);
    for (let pid = 1; pid <= projects.length; ++pid) await (await f.budget.connect(f.orchestrator).review(roundId, pid, true, id("ok"))).wait();
    await time.increaseTo(t0 + 3 * DAY);
    lap("round");

    // Ballots: 1-3 city-wide projects and 0-2 of the voter's district (always within the envelopes). Popularity is
    // skewed so that counts differ. One voter in 40 votes twice; the second ballot replaces the first.
    const pick = (from: number, count: number) => from + Math.floor(random() ** 2 * count);
    const ballotOf = (district: number) => {
      let sel = 0n;
      const city = 1 + Math.floor(random() * 3);
      for (let k = 0; k < city; ++k) sel |= 1n << BigInt(pick(0, CITY_PROJECTS));
      const own = Math.floor(random() * 3);
      const base = CITY_PROJECTS + (district - 1) * PER_DISTRICT;
      for (let k = 0; k < own; ++k) sel |= 1n << BigInt(pick(base, PER_DISTRICT));
      return sel;
    };
    const last: bigint[] = [];
    let head = EMPTY_HEAD;
    const to = await f.budget.getAddress();
    const cast = async (i: number, sel: bigint) => {
      const from = voterAddress(i);
      const data = f.budget.interface.encodeFunctionData("vote", [roundId, sel]);
      await provider.send("eth_sendTransaction", [{ from, to, data, gas: "0x40000" }]);
      head = nextHead(head, from, sel);
      last[i] = sel;
    };
    for (let i = 0; i < VOTERS; ++i) {
      const from = voterAddress(i);
      await provider.send("hardhat_impersonateAccount", [from]);
      await provider.send("hardhat_setBalance", [from, "0xde0b6b3a7640000"]);
      await cast(i, ballotOf(1 + (i % DISTRICTS)));
    }
    for (let i = 0; i < VOTERS; i += 40) await cast(i, ballotOf(1 + (i % DISTRICTS)));
    lap("ballots");

    // Counts and log head.
    const expected = projects.map((_, index) => last.filter((sel) => (sel >> BigInt(index)) & 1n).length);
    const onChain = await Promise.all(projects.map(async (_, index) => Number((await f.budget.ballotEntry(roundId, index)).votes)));
    expect(onChain).to.deep.equal(expected);
    expect(await f.budget.logHead(roundId)).to.equal(head);
    for (const i of [0, 40, VOTERS - 1]) expect(await f.budget.ballotOf(roundId, voterAddress(i))).to.equal(last[i]);

    // Greedy here: per envelope, by votes, then lower cost, then lower id; skip what does not fit or has no vote.
    const left = [coins(10_000_000), ...districts.map(() => coins(1_000_000))];
    const order = projects.map((_, index) => index).sort((a, b) => expected[b] - expected[a] || Number(projects[a].cost - projects[b].cost) || a - b);
    let winners = 0n;
    for (const index of order) {
      const { envelope, cost } = projects[index];
      if (expected[index] > 0 && cost <= left[envelope]) {
        left[envelope] -= cost;
        winners |= 1n << BigInt(index);
      }
    }

    await time.increaseTo(t0 + 10 * DAY);
    const receipt = await (await f.budget.tally(roundId, { gasLimit: 16_000_000 })).wait();
    lap("tally");
    expect(await f.budget.winnersOf(roundId)).to.equal(winners);
    expect(receipt!.gasUsed).to.be.lessThan(TALLY_GAS_LIMIT);
    console.log(`      ${VOTERS} voters: tally ${receipt!.gasUsed} gas; seconds ${JSON.stringify(timings)}`);
  });
});
