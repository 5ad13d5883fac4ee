import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, mine } from "@nomicfoundation/hardhat-network-helpers";
import { getAddress } from "viem";
import { claim, getProgram, parseCity } from "../../sdk/src";
import { addressOf, advance, expectCityError, now, sdkFixture, type SdkFixture } from "./helpers";

const PERIOD = 3600;

/** A program for CITIZENS (college 1) starting in 100 s: 3 periods of an hour, 10 CITY each, funded 50 CITY by Alice. */
async function programFixture() {
  const f = await loadFixture(sdkFixture);
  // After a fixture's revert the latest block is as old as the snapshot (minutes, on a loaded machine), while the
  // next block takes the wall clock's time: mine one so that "now" is the time the program is created at.
  await mine();
  const start = (await now()) + 100;
  await f.council.income.createProgram({
    collegeMask: 1 << 1,
    start,
    periodLength: PERIOD,
    periodCount: 3,
    amountPerPeriod: parseCity("10"),
    wait: true,
  });
  const programId = await f.reader.income.getProgramCount();
  await f.alice.currency.approve({ spender: f.deployment.addresses.basicIncome, amount: parseCity("50"), wait: true });
  await f.alice.income.fund({ programId, amount: parseCity("50"), wait: true });
  return { ...f, programId, start };
}

describe("sdk: income", () => {
  let f: SdkFixture & { programId: bigint; start: number };
  beforeEach(async () => {
    f = await loadFixture(programFixture);
  });

  it("createProgram and getProgramCount / getProgram", async () => {
    expect(f.programId).to.equal(1n);
    const program = await getProgram(f.reader, { programId: f.programId });
    expect(program).to.include({ start: f.start, periodLength: PERIOD, periodCount: 3, collegeMask: 2, flagBit: 0, openPeriods: 0 });
    expect(program.amountPerPeriod).to.equal(parseCity("10"));
    expect(program.funded).to.equal(parseCity("50"));
    expect(program.spent).to.equal(0n);
    expect(await f.reader.currency.getBalance({ address: f.deployment.addresses.basicIncome })).to.equal(parseCity("50"));
  });

  it("getCurrentPeriod before the start is decoded as BasicIncomeNotStarted(programId, start)", async () => {
    const err = await expectCityError(f.reader.income.getCurrentPeriod({ programId: f.programId }), "BasicIncomeNotStarted", [
      f.programId,
      f.start,
    ]);
    expect(err.reason).to.equal(`income program 1 starts at ${new Date(f.start * 1000).toISOString()} (${f.start})`);
  });

  it("claim pays the period's amount once; hasClaimed and getPeriod follow", async () => {
    await advance(100);
    expect(await f.reader.income.getCurrentPeriod({ programId: f.programId })).to.equal(0);
    const alice = addressOf(f.alice);
    expect(await f.reader.income.hasClaimed({ programId: f.programId, period: 0, address: alice })).to.equal(false);
    expect((await f.reader.income.getPeriod({ programId: f.programId, period: 0 })).opened).to.equal(false);

    await claim(f.alice, { programId: f.programId, wait: true });
    expect(await f.reader.currency.getBalance({ address: alice })).to.equal(parseCity("60")); // 100 - 50 funded + 10
    expect(await f.reader.income.hasClaimed({ programId: f.programId, period: 0, address: alice })).to.equal(true);
    const period = await f.reader.income.getPeriod({ programId: f.programId, period: 0 });
    expect(period).to.include({ eligible: 2, claimed: 1, opened: true, settled: false });
    expect(period.amount).to.equal(parseCity("10"));

    const again = await expectCityError(f.alice.income.claim({ programId: f.programId }), "BasicIncomeAlreadyClaimed", [
      f.programId,
      0,
      getAddress(alice),
    ]);
    expect(again.reason).to.equal(`account ${getAddress(alice)} already claimed period 0 of income program 1`);

    await advance(PERIOD);
    expect(await f.reader.income.getCurrentPeriod({ programId: f.programId })).to.equal(1);
    await f.alice.income.claim({ programId: f.programId, wait: true });
    expect(await f.reader.income.hasClaimed({ programId: f.programId, period: 1, address: alice })).to.equal(true);
  });

  it("a member who was not eligible at the snapshot is refused with BasicIncomeNotEligible", async () => {
    await advance(100);
    const err = await expectCityError(f.outsider.income.claim({ programId: f.programId }), "BasicIncomeNotEligible", [
      f.programId,
      0,
      getAddress(addressOf(f.outsider)),
    ]);
    expect(err.hint).to.contain("second before the period starts");
  });

  it("a CityCoin revert bubbling up through BasicIncome is decoded with CityCoin's error", async () => {
    // The council withdraws BasicIncome's city account: the claim passes BasicIncome's checks and CityCoin refuses
    // to move coins out of the program.
    await advance(100);
    const council = await hre.ethers.getSigner(addressOf(f.council));
    const coin = await hre.ethers.getContractAt("CityCoin", f.deployment.addresses.cityCoin, council);
    await (await coin.setCityAccount(f.deployment.addresses.basicIncome, false)).wait();
    const err = await expectCityError(f.bob.income.claim({ programId: f.programId }), "CityCoinTransferNotAllowed", [
      getAddress(f.deployment.addresses.basicIncome),
    ]);
    expect(err.functionName).to.equal("claim");
    expect(err.contractAddress).to.equal(f.deployment.addresses.basicIncome);
  });

  it("createProgram and fund revert with their errors", async () => {
    await expectCityError(
      f.council.income.createProgram({ collegeMask: 0, start: f.start, periodLength: PERIOD, periodCount: 1, amountPerPeriod: 1n }),
      "BasicIncomeEmptyEligibility",
      [],
    );
    await expectCityError(
      f.council.income.createProgram({ collegeMask: 2, start: 1, periodLength: PERIOD, periodCount: 1, amountPerPeriod: 1n }),
      "BasicIncomeInvalidSchedule",
      [1, PERIOD, 1],
    );
    await expectCityError(
      f.alice.income.createProgram({ collegeMask: 2, start: f.start, periodLength: PERIOD, periodCount: 1, amountPerPeriod: 1n }),
      "AccessManagedUnauthorized",
      [getAddress(addressOf(f.alice))],
    );
    await expectCityError(f.bob.income.fund({ programId: f.programId, amount: parseCity("1") }), "ERC20InsufficientAllowance", [
      f.deployment.addresses.basicIncome,
      0n,
      parseCity("1"),
    ]);
    await expectCityError(f.bob.income.fund({ programId: 99n, amount: 1n }), "BasicIncomeUnknownProgram", [99n]);
  });
});
