/**
 * Scale of CityBallots' finalization (issue 13, item 7): a 64-option consultation over 220 districts. A ballot's
 * result is the sum of (districts voted in) x (options + 1) counter slots, each district's row evented: read in one
 * transaction that is about 14,000 cold storage reads (~30M gas), more than a block and far more than one transaction
 * may use (2^24 gas). Finalization therefore runs in
 * pages (`finalizePage`), each bounded by the caller's page size, then `finalize` completes; every page fits a block
 * and the result equals the one-shot sum (`results()`).
 */
import { expect } from "chai";
import hre from "hardhat";
import { id, toBeHex } from "ethers";
import { cityFixture } from "../fixtures";
import { ballotParams, DAY, Kind } from "./ballotHelpers";
import { advance } from "../fixtures";

const DISTRICTS = 220;
const OPTIONS = 64;
// A block holds 30M gas; one transaction at most 2^24 (EIP-7825, which the Hardhat network enforces).
const TX_GAS_CAP = 16_777_216n;
const PAGE = 50;

const voterAddress = (i: number) => toBeHex(0xba110700n * 2n ** 128n + BigInt(i), 20);

describe("CityBallots at scale: 64 options x 220 districts", function () {
  this.timeout(600_000);
  let snapshot: string;
  before(async () => {
    snapshot = await hre.network.provider.send("evm_snapshot");
  });
  after(async () => {
    await hre.network.provider.send("evm_revert", [snapshot]);
  });

  async function closedConsultation() {
    const provider = hre.network.provider;
    const f = await cityFixture();
    const registry = f.registry.connect(f.registrar);
    for (let start = 0; start < DISTRICTS; start += 60) {
      const batch = [];
      for (let i = start; i < Math.min(start + 60, DISTRICTS); ++i) {
        batch.push({ account: voterAddress(i), college: i % 4, district: 1 + i, flags: 1n, credentialHash: id(`ballot-scale-${i}`) });
      }
      await (await registry.registerBatch(batch, { gasLimit: 16_000_000 })).wait();
    }
    await advance(2);
    const params = await ballotParams({ kind: Kind.Consultation, optionCount: OPTIONS });
    await (await f.ballots.connect(f.orchestrator).createBallot(params)).wait();
    const ballotId = await f.ballots.ballotCount();
    await advance(200);
    const to = await f.ballots.getAddress();
    for (let i = 0; i < DISTRICTS; ++i) {
      const from = voterAddress(i);
      await provider.send("hardhat_impersonateAccount", [from]);
      await provider.send("hardhat_setBalance", [from, "0xde0b6b3a7640000"]);
      const data = f.ballots.interface.encodeFunctionData("vote", [ballotId, BigInt(i % OPTIONS)]);
      await provider.send("eth_sendTransaction", [{ from, to, data, gas: "0x80000" }]);
    }
    await advance(8 * DAY);
    expect((await f.ballots.votedDistricts(ballotId)).length).to.equal(DISTRICTS);
    return { f, ballotId };
  }

  it("one finalization transaction does not fit a block: finalize refuses, pages fit, the result is the recount", async function () {
    const { f, ballotId } = await closedConsultation();
    // Recount from the votes cast above: voter i (college i % 4, district 1 + i) chose option i % 64.
    const totals = Array.from({ length: OPTIONS }, (_, o) => BigInt(Array.from({ length: DISTRICTS }, (_, i) => i).filter((i) => i % OPTIONS === o).length));
    const byCollege = [0, 1, 2, 3].map((c) =>
      Array.from({ length: OPTIONS }, (_, o) => BigInt(Array.from({ length: DISTRICTS }, (_, i) => i).filter((i) => i % 4 === c && i % OPTIONS === o).length)),
    );

    // All 220 districts in one transaction: refused with the bound, not an out-of-gas.
    const max = await f.ballots.MAX_PAGE_DISTRICTS();
    await expect(f.ballots.finalize(ballotId))
      .to.be.revertedWithCustomError(f.ballots, "CityBallotsPagesRemaining")
      .withArgs(ballotId, DISTRICTS, max);

    const gasUsed: bigint[] = [];
    const districts: bigint[] = [];
    const parse = (logs: readonly import("ethers").Log[]) => logs.map((l) => f.ballots.interface.parseLog(l)!);
    // A page asks for 50 districts and gets the bound (30); pages until what is left fits finalize.
    for (let [paged, total] = await f.ballots.finalizationProgress(ballotId); total - paged > max; [paged, total] = await f.ballots.finalizationProgress(ballotId)) {
      const receipt = await (await f.ballots.finalizePage(ballotId, PAGE)).wait();
      gasUsed.push(receipt!.gasUsed);
      const events = parse(receipt!.logs);
      expect(events[0].name).to.equal("BallotResultsPaged");
      expect(events[0].args.total).to.equal(BigInt(DISTRICTS));
      for (const e of events.filter((e) => e.name === "BallotDistrictResult")) districts.push(e.args.district);
    }
    const last = await (await f.ballots.finalize(ballotId)).wait();
    gasUsed.push(last!.gasUsed);
    for (const g of gasUsed) expect(g).to.be.lessThan(TX_GAS_CAP);
    console.log(`      finalization gas per transaction: ${gasUsed.join(", ")}`);

    const events = parse(last!.logs);
    for (const e of events.filter((e) => e.name === "BallotDistrictResult")) districts.push(e.args.district);
    expect(districts).to.deep.equal(Array.from({ length: DISTRICTS }, (_, i) => BigInt(1 + i)));
    const finalized = events.find((e) => e.name === "BallotFinalized")!;
    expect(finalized.args.counts).to.deep.equal(totals);
    expect(finalized.args.turnout).to.equal(BigInt(DISTRICTS));
    const colleges = events.filter((e) => e.name === "BallotCollegeResult");
    expect(colleges.map((e) => e.args.counts)).to.deep.equal(byCollege);
    expect(colleges.map((e) => e.args.turnout)).to.deep.equal([55n, 55n, 55n, 55n]);
    expect(await f.ballots.stateOf(ballotId)).to.equal(5n);
    await expect(f.ballots.finalizePage(ballotId, 1)).to.be.revertedWithCustomError(f.ballots, "CityBallotsWrongState");
  });
});
