import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { type Interface, MaxUint256, ZeroAddress, id } from "ethers";
import { Flags, PERMISSIONS, Roles } from "../../scripts/lib/roles";
import { signForwardRequest } from "../../scripts/lib/relay";
import { cityFixture, coins, issue, now, register } from "../fixtures";
import { expectOnlyRole, roleHolders } from "../access-control";

const HOUR = 3600;
const DAY = 24 * HOUR;
const CITIZENS = 1;
const PRIVATE_PARTNERS = 2;
const ASSOCIATIONS = 3;
const MERCHANT_FLAG_BIT = 2; // flagBit = 1 + bit of MERCHANT (bit 1)
const TREASURY_FUNDS = coins(1_000_000);

/**
 * The city, three CITIZENS residents (alice, bob, carol) and a treasury: the community fund (admin, a city account)
 * holding coins and having approved the income contract.
 */
async function incomeFixture() {
  const f = await cityFixture();
  const [alice, bob, carol, dave, erin, frank, ...rest] = f.people;
  await register(f, alice);
  await register(f, bob);
  await register(f, carol);
  await issue(f, f.admin, TREASURY_FUNDS);
  await (await f.coin.connect(f.admin).approve(f.income, MaxUint256)).wait();
  return { ...f, treasury: f.admin, alice, bob, carol, dave, erin, frank, rest };
}
type Ctx = Awaited<ReturnType<typeof incomeFixture>>;

interface ProgramParams {
  mask: number;
  flagBit: number;
  start: number;
  length: number;
  count: number;
  amount: bigint;
}
interface TestProgram extends ProgramParams {
  id: bigint;
}

/** Creates a program (default: CITIZENS, no flag, starts in 1000 s, 4 daily periods of €100) as the council. */
async function createProgram(f: Ctx, o: Partial<ProgramParams> = {}): Promise<TestProgram> {
  const p: ProgramParams = {
    mask: o.mask ?? 1 << CITIZENS,
    flagBit: o.flagBit ?? 0,
    start: o.start ?? (await now()) + 1000,
    length: o.length ?? DAY,
    count: o.count ?? 4,
    amount: o.amount ?? coins(100),
  };
  await (await f.income.connect(f.council).createProgram(p.mask, p.flagBit, p.start, p.length, p.count, p.amount)).wait();
  return { ...p, id: await f.income.programCount() };
}

async function fundProgram(f: Ctx, p: TestProgram, amount: bigint) {
  await (await f.income.connect(f.treasury).fund(p.id, amount)).wait();
}

const periodStart = (p: TestProgram, k: number) => p.start + k * p.length;
const snapshotOf = (p: TestProgram, k: number) => periodStart(p, k) - 1;
const endOf = (p: TestProgram) => p.start + p.length * p.count;

/** Moves the chain so that the next transaction runs in period `k` (one second after its start, at least). */
async function enterPeriod(p: TestProgram, k: number) {
  await time.increaseTo(periodStart(p, k));
}

describe("BasicIncome", function () {
  describe("access control (PERMISSIONS table)", function () {
    interface PrivilegedCase {
      /** Returns the call's arguments and the expected event's. */
      setup: (f: Ctx) => Promise<{ args: unknown[]; event: [string, unknown[]] }>;
    }
    const cases: Record<string, PrivilegedCase> = {
      "createProgram(uint16,uint8,uint48,uint32,uint32,uint96)": {
        setup: async () => {
          const start = (await now()) + 1000;
          return {
            args: [1 << CITIZENS, 0, start, DAY, 4, coins(10)],
            event: ["ProgramCreated", [1n, 1 << CITIZENS, 0, start, DAY, 4, coins(10)]],
          };
        },
      },
      "setAmountPerPeriod(uint256,uint96)": {
        setup: async (f) => {
          const p = await createProgram(f);
          return { args: [p.id, coins(5)], event: ["ProgramAmountSet", [p.id, coins(5)]] };
        },
      },
      "endProgram(uint256)": {
        setup: async (f) => {
          const p = await createProgram(f);
          return { args: [p.id], event: ["ProgramEnded", [p.id, 0n]] };
        },
      },
      "withdrawRemaining(uint256,address)": {
        setup: async (f) => {
          const p = await createProgram(f, { length: HOUR, count: 1 });
          await fundProgram(f, p, coins(10));
          await time.increaseTo(endOf(p));
          return { args: [p.id, f.treasury.address], event: ["ProgramWithdrawn", [p.id, f.treasury.address, coins(10)]] };
        },
      },
    };

    it("has a case for every BasicIncome entry of the table, and the table is what the authority enforces", async function () {
      const f = await loadFixture(incomeFixture);
      expect(Object.keys(cases).sort()).to.deep.equal(Object.keys(PERMISSIONS.BasicIncome).sort());
      for (const [signature, role] of Object.entries(PERMISSIONS.BasicIncome)) {
        const selector = (f.income.interface as Interface).getFunction(signature)!.selector;
        expect(await f.authority.getTargetFunctionRole(f.income, selector), signature).to.equal(Roles[role]);
      }
    });

    for (const [signature, role] of Object.entries(PERMISSIONS.BasicIncome)) {
      it(`${signature}: only ${role} may call it`, async function () {
        const f = await loadFixture(incomeFixture);
        const c = cases[signature];
        expect(c, `no access-control case for ${signature}`).to.not.equal(undefined);
        const { args, event } = await c.setup(f);
        await expectOnlyRole(f.income, signature, role, roleHolders(f), args, [event[0], event[1]]);
      });
    }
  });

  describe("createProgram", function () {
    it("stores the program and emits ProgramCreated with every field", async function () {
      const f = await loadFixture(incomeFixture);
      const start = (await now()) + 500;
      const mask = (1 << CITIZENS) | (1 << ASSOCIATIONS);
      await expect(f.income.connect(f.council).createProgram(mask, MERCHANT_FLAG_BIT, start, 7 * DAY, 12, coins(50)))
        .to.emit(f.income, "ProgramCreated")
        .withArgs(1n, mask, MERCHANT_FLAG_BIT, start, 7 * DAY, 12, coins(50));
      expect(await f.income.programCount()).to.equal(1n);
      const p = await f.income.program(1);
      expect([p.start, p.periodLength, p.periodCount, p.collegeMask, p.flagBit, p.amountPerPeriod]).to.deep.equal([
        BigInt(start),
        BigInt(7 * DAY),
        12n,
        BigInt(mask),
        BigInt(MERCHANT_FLAG_BIT),
        coins(50),
      ]);
      expect([p.funded, p.spent, p.openPeriods]).to.deep.equal([0n, 0n, 0n]);
      await expect(f.income.connect(f.council).createProgram(1 << CITIZENS, 0, start, DAY, 1, 1n))
        .to.emit(f.income, "ProgramCreated")
        .withArgs(2n, 1 << CITIZENS, 0, start, DAY, 1, 1n);
    });

    it("accepts a start equal to the block time and a one-hour period", async function () {
      const f = await loadFixture(incomeFixture);
      const start = (await now()) + 10;
      await time.setNextBlockTimestamp(start);
      await expect(f.income.connect(f.council).createProgram(1 << CITIZENS, 0, start, HOUR, 1, coins(1)))
        .to.emit(f.income, "ProgramCreated")
        .withArgs(1n, 1 << CITIZENS, 0, start, HOUR, 1, coins(1));
      expect(await f.income.MIN_PERIOD_LENGTH()).to.equal(BigInt(HOUR));
    });

    it("rejects an invalid schedule: start in the past, period below one hour, zero periods", async function () {
      const f = await loadFixture(incomeFixture);
      const past = (await now()) - 1;
      await expect(f.income.connect(f.council).createProgram(1 << CITIZENS, 0, past, DAY, 4, coins(1)))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeInvalidSchedule")
        .withArgs(past, DAY, 4);
      const start = (await now()) + 1000;
      await expect(f.income.connect(f.council).createProgram(1 << CITIZENS, 0, start, HOUR - 1, 4, coins(1)))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeInvalidSchedule")
        .withArgs(start, HOUR - 1, 4);
      await expect(f.income.connect(f.council).createProgram(1 << CITIZENS, 0, start, DAY, 0, coins(1)))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeInvalidSchedule")
        .withArgs(start, DAY, 0);
      expect(await f.income.programCount()).to.equal(0n);
    });

    it("rejects an empty college mask, a flag out of range and a zero amount", async function () {
      const f = await loadFixture(incomeFixture);
      const start = (await now()) + 1000;
      await expect(f.income.connect(f.council).createProgram(0, 0, start, DAY, 4, coins(1))).to.be.revertedWithCustomError(
        f.income,
        "BasicIncomeEmptyEligibility",
      );
      await expect(f.income.connect(f.council).createProgram(1 << CITIZENS, 17, start, DAY, 4, coins(1)))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeFlagOutOfRange")
        .withArgs(17, 16);
      await expect(f.income.connect(f.council).createProgram(1 << CITIZENS, 255, start, DAY, 4, coins(1)))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeFlagOutOfRange")
        .withArgs(255, 16);
      await expect(f.income.connect(f.council).createProgram(1 << CITIZENS, 0, start, DAY, 4, 0)).to.be.revertedWithCustomError(
        f.income,
        "BasicIncomeZeroAmount",
      );
      // flagBit 16 (member flag bit 15) is the highest accepted.
      await expect(f.income.connect(f.council).createProgram(1 << CITIZENS, 16, start, DAY, 4, coins(1)))
        .to.emit(f.income, "ProgramCreated")
        .withArgs(1n, 1 << CITIZENS, 16, start, DAY, 4, coins(1));
    });
  });

  describe("unknown programs", function () {
    it("every entry point rejects an unknown program id", async function () {
      const f = await loadFixture(incomeFixture);
      await createProgram(f); // id 1 exists; 0 and 2 do not
      for (const unknown of [0n, 2n]) {
        const calls = [
          () => f.income.connect(f.council).setAmountPerPeriod(unknown, coins(1)),
          () => f.income.connect(f.council).endProgram(unknown),
          () => f.income.connect(f.council).withdrawRemaining(unknown, f.treasury),
          () => f.income.connect(f.council).withdrawRemaining(unknown, ZeroAddress),
          () => f.income.connect(f.treasury).fund(unknown, coins(1)),
          () => f.income.openPeriod(unknown),
          () => f.income.connect(f.alice).claim(unknown),
          () => f.income.currentPeriod(unknown),
        ];
        for (const call of calls) {
          await expect(call()).to.be.revertedWithCustomError(f.income, "BasicIncomeUnknownProgram").withArgs(unknown);
        }
      }
    });
  });

  describe("fund", function () {
    it("pulls approved coins from the funder into the program's budget", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await createProgram(f);
      const tx = f.income.connect(f.treasury).fund(p.id, coins(300));
      await expect(tx)
        .to.emit(f.income, "ProgramFunded")
        .withArgs(p.id, f.treasury.address, coins(300))
        .and.to.emit(f.coin, "Transfer")
        .withArgs(f.treasury.address, await f.income.getAddress(), coins(300));
      await expect(tx).to.changeTokenBalances(f.coin, [f.treasury, f.income], [-coins(300), coins(300)]);
      expect((await f.income.program(p.id)).funded).to.equal(coins(300));

      // Any member may add to the budget too.
      await issue(f, f.alice, coins(20));
      await (await f.coin.connect(f.alice).approve(f.income, coins(20))).wait();
      await expect(f.income.connect(f.alice).fund(p.id, coins(20)))
        .to.emit(f.income, "ProgramFunded")
        .withArgs(p.id, f.alice.address, coins(20));
      expect((await f.income.program(p.id)).funded).to.equal(coins(320));
    });

    it("rejects a zero amount, a missing approval and a program that has ended", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await createProgram(f, { length: HOUR, count: 2 });
      await expect(f.income.connect(f.treasury).fund(p.id, 0)).to.be.revertedWithCustomError(f.income, "BasicIncomeZeroAmount");
      await issue(f, f.alice, coins(5));
      await expect(f.income.connect(f.alice).fund(p.id, coins(5)))
        .to.be.revertedWithCustomError(f.coin, "ERC20InsufficientAllowance")
        .withArgs(await f.income.getAddress(), 0n, coins(5));
      // Funding during the last second of the last period still works; at the end it does not.
      await time.setNextBlockTimestamp(endOf(p) - 1);
      await fundProgram(f, p, coins(1));
      await expect(f.income.connect(f.treasury).fund(p.id, coins(1)))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeEnded")
        .withArgs(p.id);
      expect((await f.income.program(p.id)).funded).to.equal(coins(1));
    });
  });

  describe("periods and claims", function () {
    it("nothing opens before the start", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await createProgram(f);
      await fundProgram(f, p, coins(1_000));
      await expect(f.income.connect(f.alice).claim(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeNotStarted")
        .withArgs(p.id, p.start);
      await expect(f.income.openPeriod(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeNotStarted")
        .withArgs(p.id, p.start);
      await expect(f.income.currentPeriod(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeNotStarted")
        .withArgs(p.id, p.start);
      // Last second before the start: still not started; at the start: period 0.
      await time.setNextBlockTimestamp(p.start - 1);
      await expect(f.income.connect(f.alice).claim(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeNotStarted")
        .withArgs(p.id, p.start);
      await time.setNextBlockTimestamp(p.start);
      await expect(f.income.connect(f.alice).claim(p.id))
        .to.emit(f.income, "IncomeClaimed")
        .withArgs(p.id, 0, f.alice.address, coins(100));
    });

    it("openPeriod fixes the amount and the eligible count at the snapshot (start + k*length - 1), once", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await createProgram(f);
      await fundProgram(f, p, coins(1_000));
      await enterPeriod(p, 0);
      expect(await f.income.currentPeriod(p.id)).to.equal(0n);
      expect(await f.income.openPeriod.staticCall(p.id)).to.equal(0n);
      await expect(f.income.openPeriod(p.id))
        .to.emit(f.income, "PeriodOpened")
        .withArgs(p.id, 0, coins(100), 3, snapshotOf(p, 0));
      const pd = await f.income.periodOf(p.id, 0);
      expect([pd.amount, pd.eligible, pd.claimed, pd.opened, pd.settled]).to.deep.equal([coins(100), 3n, 0n, true, false]);
      expect((await f.income.program(p.id)).openPeriods).to.equal(1n);
      // Opening again is a no-op.
      await expect(f.income.openPeriod(p.id)).to.not.emit(f.income, "PeriodOpened");

      await enterPeriod(p, 2);
      expect(await f.income.currentPeriod(p.id)).to.equal(2n);
      await expect(f.income.openPeriod(p.id))
        .to.emit(f.income, "PeriodSettled")
        .withArgs(p.id, 0, 0, 0n)
        .and.to.emit(f.income, "PeriodOpened")
        .withArgs(p.id, 2, coins(100), 3, snapshotOf(p, 2));
      expect((await f.income.periodOf(p.id, 0)).settled).to.equal(true);
      expect((await f.income.periodOf(p.id, 1)).opened).to.equal(false);
    });

    it("a claim opens the period lazily and pays the member, once per period", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await createProgram(f);
      await fundProgram(f, p, coins(1_000));
      await enterPeriod(p, 0);
      expect(await f.income.connect(f.alice).claim.staticCall(p.id)).to.equal(coins(100));
      const tx = f.income.connect(f.alice).claim(p.id);
      await expect(tx)
        .to.emit(f.income, "PeriodOpened")
        .withArgs(p.id, 0, coins(100), 3, snapshotOf(p, 0))
        .and.to.emit(f.income, "IncomeClaimed")
        .withArgs(p.id, 0, f.alice.address, coins(100))
        .and.to.emit(f.coin, "Transfer")
        .withArgs(await f.income.getAddress(), f.alice.address, coins(100));
      await expect(tx).to.changeTokenBalances(f.coin, [f.alice, f.income], [coins(100), -coins(100)]);
      expect(await f.income.hasClaimed(p.id, 0, f.alice)).to.equal(true);
      expect(await f.income.hasClaimed(p.id, 0, f.bob)).to.equal(false);
      expect((await f.income.periodOf(p.id, 0)).claimed).to.equal(1n);

      await expect(f.income.connect(f.alice).claim(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeAlreadyClaimed")
        .withArgs(p.id, 0, f.alice.address);

      await expect(f.income.connect(f.bob).claim(p.id))
        .to.emit(f.income, "IncomeClaimed")
        .withArgs(p.id, 0, f.bob.address, coins(100))
        .and.not.to.emit(f.income, "PeriodOpened");

      // Next period: a new claim.
      await enterPeriod(p, 1);
      expect(await f.income.hasClaimed(p.id, 1, f.alice)).to.equal(false);
      await expect(f.income.connect(f.alice).claim(p.id))
        .to.emit(f.income, "PeriodSettled")
        .withArgs(p.id, 0, 2, coins(200))
        .and.to.emit(f.income, "PeriodOpened")
        .withArgs(p.id, 1, coins(100), 3, snapshotOf(p, 1))
        .and.to.emit(f.income, "IncomeClaimed")
        .withArgs(p.id, 1, f.alice.address, coins(100));
      expect(await f.income.hasClaimed(p.id, 1, f.alice)).to.equal(true);
      expect(await f.income.hasClaimed(p.id, 0, f.alice)).to.equal(false); // one slot per member: the latest period
      await expect(f.income.connect(f.alice).claim(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeAlreadyClaimed")
        .withArgs(p.id, 1, f.alice.address);
      expect(await f.coin.balanceOf(f.alice)).to.equal(coins(200));
      expect((await f.income.program(p.id)).spent).to.equal(coins(200));
    });

    it("claims stop at the end: the last second pays, the end reverts with Ended", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await createProgram(f, { length: HOUR, count: 2 });
      await fundProgram(f, p, coins(1_000));
      await time.setNextBlockTimestamp(endOf(p) - 1);
      await expect(f.income.connect(f.alice).claim(p.id))
        .to.emit(f.income, "IncomeClaimed")
        .withArgs(p.id, 1, f.alice.address, coins(100));
      await expect(f.income.connect(f.bob).claim(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeEnded")
        .withArgs(p.id);
      await expect(f.income.openPeriod(p.id)).to.be.revertedWithCustomError(f.income, "BasicIncomeEnded").withArgs(p.id);
      await expect(f.income.currentPeriod(p.id)).to.be.revertedWithCustomError(f.income, "BasicIncomeEnded").withArgs(p.id);
    });

    it("BudgetExhausted when the program has no funds", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await createProgram(f);
      await enterPeriod(p, 0);
      await expect(f.income.openPeriod(p.id)).to.emit(f.income, "PeriodOpened").withArgs(p.id, 0, 0n, 3, snapshotOf(p, 0));
      await expect(f.income.connect(f.alice).claim(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeBudgetExhausted")
        .withArgs(p.id, 0);
      // Funding after the period opened does not change its amount; the next period gets it.
      await fundProgram(f, p, coins(1_000));
      await expect(f.income.connect(f.alice).claim(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeBudgetExhausted")
        .withArgs(p.id, 0);
      await enterPeriod(p, 1);
      await expect(f.income.connect(f.alice).claim(p.id))
        .to.emit(f.income, "IncomeClaimed")
        .withArgs(p.id, 1, f.alice.address, coins(100));
    });
  });

  describe("eligibility", function () {
    it("rejects a non-member", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await createProgram(f);
      await fundProgram(f, p, coins(1_000));
      await enterPeriod(p, 0);
      for (const who of [f.outsider, f.dave, f.treasury]) {
        await expect(f.income.connect(who).claim(p.id))
          .to.be.revertedWithCustomError(f.income, "BasicIncomeNotEligible")
          .withArgs(p.id, 0, who.address);
      }
    });

    it("requires a college in the mask and the program's flag (flagBit = bit + 1)", async function () {
      const f = await loadFixture(incomeFixture);
      // alice: CITIZENS, RESIDENT only. dave: CITIZENS, MERCHANT. erin: ASSOCIATIONS, MERCHANT|RESIDENT.
      // frank: PRIVATE_PARTNERS, MERCHANT (college not in the mask).
      await register(f, f.dave, { college: CITIZENS, flags: Flags.MERCHANT });
      await register(f, f.erin, { college: ASSOCIATIONS, flags: Flags.MERCHANT | Flags.RESIDENT });
      await register(f, f.frank, { college: PRIVATE_PARTNERS, flags: Flags.MERCHANT });
      const mask = (1 << CITIZENS) | (1 << ASSOCIATIONS);
      const p = await createProgram(f, { mask, flagBit: MERCHANT_FLAG_BIT });
      await fundProgram(f, p, coins(1_000));
      await enterPeriod(p, 0);
      await expect(f.income.openPeriod(p.id)).to.emit(f.income, "PeriodOpened").withArgs(p.id, 0, coins(100), 2, snapshotOf(p, 0));
      await expect(f.income.connect(f.dave).claim(p.id))
        .to.emit(f.income, "IncomeClaimed")
        .withArgs(p.id, 0, f.dave.address, coins(100));
      await expect(f.income.connect(f.erin).claim(p.id))
        .to.emit(f.income, "IncomeClaimed")
        .withArgs(p.id, 0, f.erin.address, coins(100));
      await expect(f.income.connect(f.alice).claim(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeNotEligible")
        .withArgs(p.id, 0, f.alice.address);
      await expect(f.income.connect(f.frank).claim(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeNotEligible")
        .withArgs(p.id, 0, f.frank.address);
    });

    it("wrong college without a flag requirement", async function () {
      const f = await loadFixture(incomeFixture);
      await register(f, f.dave, { college: PRIVATE_PARTNERS });
      const p = await createProgram(f); // CITIZENS only
      await fundProgram(f, p, coins(1_000));
      await enterPeriod(p, 0);
      await expect(f.income.connect(f.dave).claim(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeNotEligible")
        .withArgs(p.id, 0, f.dave.address);
    });

    it("a member registered after the period started is paid from the next period on", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await createProgram(f);
      await fundProgram(f, p, coins(1_000));
      await enterPeriod(p, 0);
      await register(f, f.dave);
      await expect(f.income.connect(f.dave).claim(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeNotEligible")
        .withArgs(p.id, 0, f.dave.address);
      await expect(f.income.openPeriod(p.id))
        .to.emit(f.income, "PeriodOpened")
        .withArgs(p.id, 0, coins(100), 3, snapshotOf(p, 0));
      await enterPeriod(p, 1);
      await expect(f.income.connect(f.dave).claim(p.id))
        .to.emit(f.income, "PeriodOpened")
        .withArgs(p.id, 1, coins(100), 4, snapshotOf(p, 1))
        .and.to.emit(f.income, "IncomeClaimed")
        .withArgs(p.id, 1, f.dave.address, coins(100));
    });

    it("a member registered at the snapshot second counts; one second later does not", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await createProgram(f);
      await fundProgram(f, p, coins(1_000));
      await time.setNextBlockTimestamp(snapshotOf(p, 0));
      await register(f, f.dave);
      await register(f, f.erin); // at p.start: after the snapshot
      await expect(f.income.connect(f.dave).claim(p.id))
        .to.emit(f.income, "PeriodOpened")
        .withArgs(p.id, 0, coins(100), 4, snapshotOf(p, 0))
        .and.to.emit(f.income, "IncomeClaimed")
        .withArgs(p.id, 0, f.dave.address, coins(100));
      await expect(f.income.connect(f.erin).claim(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeNotEligible")
        .withArgs(p.id, 0, f.erin.address);
    });

    it("a member suspended at the snapshot is not paid that period, and is once reinstated before the next", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await createProgram(f);
      await fundProgram(f, p, coins(1_000));
      await (await f.registry.connect(f.registrar).suspend(f.bob, id("suspended"))).wait();
      await enterPeriod(p, 0);
      await (await f.registry.connect(f.registrar).reinstate(f.bob)).wait(); // too late for period 0
      await expect(f.income.openPeriod(p.id))
        .to.emit(f.income, "PeriodOpened")
        .withArgs(p.id, 0, coins(100), 2, snapshotOf(p, 0));
      await expect(f.income.connect(f.bob).claim(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeNotEligible")
        .withArgs(p.id, 0, f.bob.address);
      await enterPeriod(p, 1);
      await expect(f.income.connect(f.bob).claim(p.id))
        .to.emit(f.income, "IncomeClaimed")
        .withArgs(p.id, 1, f.bob.address, coins(100));
    });

    it("a member removed before the snapshot is not paid", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await createProgram(f);
      await fundProgram(f, p, coins(1_000));
      await (await f.registry.connect(f.registrar).remove(f.carol, id("moved away"))).wait();
      await enterPeriod(p, 0);
      await expect(f.income.connect(f.carol).claim(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeNotEligible")
        .withArgs(p.id, 0, f.carol.address);
    });

    it("an address removed and registered again after the snapshot (a new membership) is not paid on the old one's profile", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await createProgram(f);
      await fundProgram(f, p, coins(1_000));
      await enterPeriod(p, 0);
      await (await f.registry.connect(f.registrar).remove(f.carol, id("left"))).wait();
      await register(f, f.carol); // a new membership (new credential, new since) at the same address
      await expect(f.income.connect(f.carol).claim(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeNotEligible")
        .withArgs(p.id, 0, f.carol.address);
      await enterPeriod(p, 1);
      await expect(f.income.connect(f.carol).claim(p.id))
        .to.emit(f.income, "IncomeClaimed")
        .withArgs(p.id, 1, f.carol.address, coins(100));
    });

    it("a member suspended after the snapshot cannot claim until reinstated (whatever the transfer policy)", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await createProgram(f);
      await fundProgram(f, p, coins(1_000));
      await enterPeriod(p, 0);
      await (await f.registry.connect(f.registrar).suspend(f.bob, id("mid-period"))).wait();
      await expect(f.income.connect(f.bob).claim(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeNotEligible")
        .withArgs(p.id, 0, f.bob.address);
      await (await f.coin.connect(f.council).setTransferPolicy(1)).wait(); // Open: the currency no longer stops it
      await expect(f.income.connect(f.bob).claim(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeNotEligible")
        .withArgs(p.id, 0, f.bob.address);
      await (await f.registry.connect(f.registrar).reinstate(f.bob)).wait();
      await expect(f.income.connect(f.bob).claim(p.id))
        .to.emit(f.income, "IncomeClaimed")
        .withArgs(p.id, 0, f.bob.address, coins(100));
    });
  });

  describe("key recovery (registry migrations)", function () {
    /** A 30-day program (the migration delay is 3 days): the member's key is recovered from `from` to `to` within period 0. */
    async function migrated(f: Ctx, claimFirst: boolean) {
      const p = await createProgram(f, { length: 30 * DAY, count: 3 });
      await fundProgram(f, p, coins(10_000));
      await enterPeriod(p, 0);
      if (claimFirst) await (await f.income.connect(f.alice).claim(p.id)).wait();
      await (await f.registry.connect(f.registrar).startMigration(f.alice.address, f.dave.address)).wait();
      await (await f.registry.connect(f.orchestrator).approveMigration(f.alice.address)).wait();
      await time.increase(3 * DAY);
      await (await f.registry.completeMigration(f.alice.address)).wait();
      return p;
    }

    it("a recovered member who claimed the period under the old key cannot claim it again under the new one", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await migrated(f, true);
      await expect(f.income.connect(f.dave).claim(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeAlreadyClaimed")
        .withArgs(p.id, 0, f.dave.address);
      expect(await f.income.hasClaimed(p.id, 0, f.dave.address)).to.equal(true);
      // The next period is the new key's own.
      await enterPeriod(p, 1);
      await expect(f.income.connect(f.dave).claim(p.id)).to.emit(f.income, "IncomeClaimed").withArgs(p.id, 1, f.dave.address, coins(100));
      await expect(f.income.connect(f.alice).claim(p.id)).to.be.revertedWithCustomError(f.income, "BasicIncomeNotEligible");
    });

    it("a recovered member who had not claimed the period claims it under the new key (the membership was eligible at the snapshot)", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await migrated(f, false);
      await expect(f.income.connect(f.dave).claim(p.id)).to.emit(f.income, "IncomeClaimed").withArgs(p.id, 0, f.dave.address, coins(100));
      await expect(f.income.connect(f.dave).claim(p.id)).to.be.revertedWithCustomError(f.income, "BasicIncomeAlreadyClaimed");
      await expect(f.income.connect(f.alice).claim(p.id)).to.be.revertedWithCustomError(f.income, "BasicIncomeNotEligible");
    });

    it("a recovered member suspended since cannot claim through the old key's snapshot", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await migrated(f, false);
      await (await f.registry.connect(f.registrar).suspend(f.dave.address, id("fraud"))).wait();
      await expect(f.income.connect(f.dave).claim(p.id)).to.be.revertedWithCustomError(f.income, "BasicIncomeNotEligible");
    });

    it("the migration is evented: ClaimsFollowed(from, to)", async function () {
      const f = await loadFixture(incomeFixture);
      await (await f.registry.connect(f.registrar).startMigration(f.alice.address, f.dave.address)).wait();
      await (await f.registry.connect(f.orchestrator).approveMigration(f.alice.address)).wait();
      await time.increase(3 * DAY);
      await expect(f.registry.completeMigration(f.alice.address)).to.emit(f.income, "ClaimsFollowed").withArgs(f.alice.address, f.dave.address);
    });
  });

  describe("budget", function () {
    const budgets: [string, bigint, bigint][] = [
      // label, funded, expected period amount with 3 eligible and €100 per period
      ["more than enough", coins(1_000), coins(100)],
      ["exactly enough", coins(300), coins(100)],
      ["one unit short", coins(300) - 1n, (coins(300) - 1n) / 3n],
      ["a third of the need", coins(100), coins(100) / 3n],
      ["less than one unit each", 2n, 0n],
    ];
    for (const [label, funded, expected] of budgets) {
      it(`pro-rata (${label}): amount = min(amountPerPeriod, floor(available/eligible)), never paying beyond the budget`, async function () {
        const f = await loadFixture(incomeFixture);
        const p = await createProgram(f);
        await fundProgram(f, p, funded);
        await enterPeriod(p, 0);
        await expect(f.income.openPeriod(p.id)).to.emit(f.income, "PeriodOpened").withArgs(p.id, 0, expected, 3, snapshotOf(p, 0));
        let paid = 0n;
        for (const member of [f.alice, f.bob, f.carol]) {
          if (expected === 0n) {
            await expect(f.income.connect(member).claim(p.id))
              .to.be.revertedWithCustomError(f.income, "BasicIncomeBudgetExhausted")
              .withArgs(p.id, 0);
          } else {
            await expect(f.income.connect(member).claim(p.id))
              .to.emit(f.income, "IncomeClaimed")
              .withArgs(p.id, 0, member.address, expected);
            paid += expected;
          }
        }
        expect(paid).to.be.lte(funded);
        expect(await f.coin.balanceOf(f.income)).to.equal(funded - paid);
        await enterPeriod(p, 1);
        await expect(f.income.openPeriod(p.id))
          .to.emit(f.income, "PeriodSettled")
          .withArgs(p.id, 0, expected === 0n ? 0 : 3, paid);
        expect((await f.income.program(p.id)).spent).to.equal(paid);
      });
    }

    it("pro-rata with a budget for 2.5 periods: the remainder is shared, then the budget is exhausted", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await createProgram(f, { count: 4 });
      const funded = coins(750); // 2.5 × (3 × €100)
      await fundProgram(f, p, funded);
      const expected = [coins(100), coins(100), coins(50), 0n];
      let paid = 0n;
      for (let k = 0; k < 4; k++) {
        await enterPeriod(p, k);
        await expect(f.income.openPeriod(p.id)).to.emit(f.income, "PeriodOpened").withArgs(p.id, k, expected[k], 3, snapshotOf(p, k));
        for (const member of [f.alice, f.bob, f.carol]) {
          if (expected[k] === 0n) {
            await expect(f.income.connect(member).claim(p.id))
              .to.be.revertedWithCustomError(f.income, "BasicIncomeBudgetExhausted")
              .withArgs(p.id, k);
          } else {
            await (await f.income.connect(member).claim(p.id)).wait();
            paid += expected[k];
          }
        }
      }
      expect(paid).to.equal(funded);
      expect(await f.coin.balanceOf(f.income)).to.equal(0n);
    });

    it("an unclaimed reservation returns to the budget when the next period opens", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await createProgram(f);
      await fundProgram(f, p, coins(300)); // exactly one period for 3 members
      await enterPeriod(p, 0);
      await (await f.income.connect(f.alice).claim(p.id)).wait(); // bob and carol do not claim
      await enterPeriod(p, 1);
      // €200 returns: floor(200 / 3) each.
      await expect(f.income.openPeriod(p.id))
        .to.emit(f.income, "PeriodSettled")
        .withArgs(p.id, 0, 1, coins(100))
        .and.to.emit(f.income, "PeriodOpened")
        .withArgs(p.id, 1, coins(200) / 3n, 3, snapshotOf(p, 1));
      const pd0 = await f.income.periodOf(p.id, 0);
      expect([pd0.claimed, pd0.settled]).to.deep.equal([1n, true]);
      const prog = await f.income.program(p.id);
      expect([prog.funded, prog.spent, prog.openPeriods]).to.deep.equal([coins(300), coins(100), 2n]);
    });

    it("setAmountPerPeriod applies to the next opened period only", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await createProgram(f);
      await fundProgram(f, p, coins(10_000));
      await expect(f.income.connect(f.council).setAmountPerPeriod(p.id, 0)).to.be.revertedWithCustomError(
        f.income,
        "BasicIncomeZeroAmount",
      );
      await enterPeriod(p, 0);
      await (await f.income.openPeriod(p.id)).wait();
      await expect(f.income.connect(f.council).setAmountPerPeriod(p.id, coins(40)))
        .to.emit(f.income, "ProgramAmountSet")
        .withArgs(p.id, coins(40));
      expect((await f.income.program(p.id)).amountPerPeriod).to.equal(coins(40));
      await expect(f.income.connect(f.alice).claim(p.id))
        .to.emit(f.income, "IncomeClaimed")
        .withArgs(p.id, 0, f.alice.address, coins(100));
      await enterPeriod(p, 1);
      await expect(f.income.connect(f.alice).claim(p.id))
        .to.emit(f.income, "PeriodOpened")
        .withArgs(p.id, 1, coins(40), 3, snapshotOf(p, 1))
        .and.to.emit(f.income, "IncomeClaimed")
        .withArgs(p.id, 1, f.alice.address, coins(40));
    });

    it("a period not yet opened when the amount changes gets the new amount (lazy opening)", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await createProgram(f);
      await fundProgram(f, p, coins(10_000));
      await enterPeriod(p, 0);
      await (await f.income.connect(f.council).setAmountPerPeriod(p.id, coins(60))).wait();
      await expect(f.income.connect(f.alice).claim(p.id))
        .to.emit(f.income, "IncomeClaimed")
        .withArgs(p.id, 0, f.alice.address, coins(60));
    });
  });

  describe("endProgram and withdrawRemaining", function () {
    it("ending lets the current period finish, then claims and funding stop", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await createProgram(f, { count: 5 });
      await fundProgram(f, p, coins(10_000));
      await enterPeriod(p, 1);
      await expect(f.income.connect(f.council).endProgram(p.id)).to.emit(f.income, "ProgramEnded").withArgs(p.id, 2);
      expect((await f.income.program(p.id)).periodCount).to.equal(2n);
      // Ending twice within the same period changes nothing: reverts.
      await expect(f.income.connect(f.council).endProgram(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeEnded")
        .withArgs(p.id);
      await expect(f.income.connect(f.alice).claim(p.id))
        .to.emit(f.income, "IncomeClaimed")
        .withArgs(p.id, 1, f.alice.address, coins(100));
      await fundProgram(f, p, coins(1)); // still open until the period's end

      await enterPeriod(p, 2);
      await expect(f.income.connect(f.bob).claim(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeEnded")
        .withArgs(p.id);
      await expect(f.income.connect(f.treasury).fund(p.id, coins(1)))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeEnded")
        .withArgs(p.id);
      await expect(f.income.connect(f.council).endProgram(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeEnded")
        .withArgs(p.id);
    });

    it("ending during the last scheduled period reverts with Ended (nothing to change)", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await createProgram(f, { count: 2 });
      await enterPeriod(p, 1);
      await expect(f.income.connect(f.council).endProgram(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeEnded")
        .withArgs(p.id);
      expect((await f.income.program(p.id)).periodCount).to.equal(2n);
    });

    it("ending before the start cancels every period; the whole budget can be withdrawn from the start", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await createProgram(f);
      await fundProgram(f, p, coins(500));
      await expect(f.income.connect(f.council).endProgram(p.id)).to.emit(f.income, "ProgramEnded").withArgs(p.id, 0);
      await expect(f.income.connect(f.council).endProgram(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeEnded")
        .withArgs(p.id);
      await expect(f.income.connect(f.council).withdrawRemaining(p.id, f.treasury))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeNotEnded")
        .withArgs(p.id, p.start);
      await enterPeriod(p, 0);
      await expect(f.income.connect(f.alice).claim(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeEnded")
        .withArgs(p.id);
      const tx = f.income.connect(f.council).withdrawRemaining(p.id, f.treasury);
      await expect(tx).to.emit(f.income, "ProgramWithdrawn").withArgs(p.id, f.treasury.address, coins(500));
      await expect(tx).to.changeTokenBalances(f.coin, [f.income, f.treasury], [-coins(500), coins(500)]);
    });

    it("withdrawRemaining returns exactly funded - paid, after the end, once", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await createProgram(f, { count: 2 });
      await fundProgram(f, p, coins(1_000));
      await enterPeriod(p, 0);
      await (await f.income.connect(f.alice).claim(p.id)).wait();
      await (await f.income.connect(f.bob).claim(p.id)).wait();
      await enterPeriod(p, 1);
      await (await f.income.connect(f.alice).claim(p.id)).wait();

      await expect(f.income.connect(f.council).withdrawRemaining(p.id, ZeroAddress)).to.be.revertedWithCustomError(
        f.income,
        "BasicIncomeZeroAddress",
      );
      await time.setNextBlockTimestamp(endOf(p) - 1);
      await expect(f.income.connect(f.council).withdrawRemaining(p.id, f.treasury))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeNotEnded")
        .withArgs(p.id, endOf(p));
      await time.increaseTo(endOf(p));
      await expect(f.income.connect(f.council).withdrawRemaining(p.id, ZeroAddress)).to.be.revertedWithCustomError(
        f.income,
        "BasicIncomeZeroAddress",
      );

      const paid = coins(300);
      const tx = f.income.connect(f.council).withdrawRemaining(p.id, f.treasury);
      await expect(tx)
        .to.emit(f.income, "PeriodSettled")
        .withArgs(p.id, 1, 1, coins(100))
        .and.to.emit(f.income, "ProgramWithdrawn")
        .withArgs(p.id, f.treasury.address, coins(1_000) - paid)
        .and.to.emit(f.coin, "Transfer")
        .withArgs(await f.income.getAddress(), f.treasury.address, coins(1_000) - paid);
      await expect(tx).to.changeTokenBalances(f.coin, [f.income, f.treasury], [-(coins(1_000) - paid), coins(1_000) - paid]);
      const prog = await f.income.program(p.id);
      expect([prog.funded, prog.spent]).to.deep.equal([paid, paid]);
      expect(await f.coin.balanceOf(f.income)).to.equal(0n);

      const again = f.income.connect(f.council).withdrawRemaining(p.id, f.treasury);
      await expect(again).to.emit(f.income, "ProgramWithdrawn").withArgs(p.id, f.treasury.address, 0n);
      await expect(again).to.not.emit(f.income, "PeriodSettled");
      await expect(again).to.not.emit(f.coin, "Transfer");
    });

    it("programs keep separate budgets", async function () {
      const f = await loadFixture(incomeFixture);
      const a = await createProgram(f, { length: HOUR, count: 1 });
      const b = await createProgram(f, { start: a.start, count: 3, amount: coins(10) });
      await fundProgram(f, a, coins(400));
      await fundProgram(f, b, coins(90));
      await enterPeriod(a, 0);
      await (await f.income.connect(f.alice).claim(a.id)).wait();
      await time.increaseTo(endOf(a));
      await expect(f.income.connect(f.council).withdrawRemaining(a.id, f.treasury))
        .to.emit(f.income, "ProgramWithdrawn")
        .withArgs(a.id, f.treasury.address, coins(300));
      expect(await f.coin.balanceOf(f.income)).to.equal(coins(90));
      await expect(f.income.connect(f.council).withdrawRemaining(b.id, f.treasury))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeNotEnded")
        .withArgs(b.id, endOf(b));
      for (let k = 0; k < 3; k++) {
        if (k > 0) await enterPeriod(b, k); // a ended inside b's period 0
        for (const member of [f.alice, f.bob, f.carol]) {
          await expect(f.income.connect(member).claim(b.id))
            .to.emit(f.income, "IncomeClaimed")
            .withArgs(b.id, k, member.address, coins(10));
        }
      }
      expect(await f.coin.balanceOf(f.income)).to.equal(0n);
    });
  });

  describe("meta-transactions (CityForwarder)", function () {
    it("a relayed claim pays the signer, not the relayer", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await createProgram(f);
      await fundProgram(f, p, coins(1_000));
      await enterPeriod(p, 0);
      const data = f.income.interface.encodeFunctionData("claim", [p.id]);
      const request = await signForwardRequest(f.forwarder, f.alice, { to: await f.income.getAddress(), data });
      const tx = f.forwarder.connect(f.relayer).execute(request);
      await expect(tx)
        .to.emit(f.income, "IncomeClaimed")
        .withArgs(p.id, 0, f.alice.address, coins(100))
        .and.to.emit(f.forwarder, "ExecutedForwardRequest")
        .withArgs(f.alice.address, 0n, true);
      await expect(tx).to.changeTokenBalances(f.coin, [f.alice, f.relayer, f.income], [coins(100), 0n, -coins(100)]);
      expect(await f.income.hasClaimed(p.id, 0, f.alice)).to.equal(true);
      expect(await f.income.hasClaimed(p.id, 0, f.relayer)).to.equal(false);
      // The signer cannot claim again directly.
      await expect(f.income.connect(f.alice).claim(p.id))
        .to.be.revertedWithCustomError(f.income, "BasicIncomeAlreadyClaimed")
        .withArgs(p.id, 0, f.alice.address);
    });

    it("a relayed fund pulls from the signer", async function () {
      const f = await loadFixture(incomeFixture);
      const p = await createProgram(f);
      await issue(f, f.alice, coins(30));
      await (await f.coin.connect(f.alice).approve(f.income, coins(30))).wait();
      const data = f.income.interface.encodeFunctionData("fund", [p.id, coins(30)]);
      const request = await signForwardRequest(f.forwarder, f.alice, { to: await f.income.getAddress(), data });
      const tx = f.forwarder.connect(f.relayer).execute(request);
      await expect(tx).to.emit(f.income, "ProgramFunded").withArgs(p.id, f.alice.address, coins(30));
      await expect(tx).to.changeTokenBalances(f.coin, [f.alice, f.income], [-coins(30), coins(30)]);
    });
  });
});
