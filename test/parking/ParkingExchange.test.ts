import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { type Interface, MaxUint256, ZeroAddress, encodeBytes32String, id } from "ethers";
import { PERMISSIONS, Roles } from "../../scripts/lib/roles";
import { PARKING_DISPUTE_WINDOW, PARKING_MAX_BOOKING_HOURS, PARKING_PRESETS, linkedLibraries } from "../../scripts/lib/deploy";
import { signForwardRequest } from "../../scripts/lib/relay";
import { coins, issue, signPermit } from "../fixtures";
import { expectOnlyRole, roleHolders } from "../access-control";
import {
  ALL_HOURS,
  BPS,
  DAY,
  FLEXIBLE,
  HOUR,
  MODERATE,
  RATE,
  STRICT,
  idOf,
  listSpot,
  parkingFixture,
  terms,
  type ParkingCtx,
} from "./helpers";

const FEE_BPS = 500n;
const Status = { None: 0, Booked: 1, Disputed: 2, Cancelled: 3, PaidOut: 4, Resolved: 5 } as const;
const fee = (gross: bigint) => (gross * FEE_BPS) / BPS;

/** Books `[at(h0), at(h1))` of `spotId` for `driver` and returns the booking id. */
async function book(f: ParkingCtx, spotId: bigint, h0: number, h1: number, driver = f.alice): Promise<bigint> {
  await (await f.parking.connect(driver).book(spotId, at(f, h0), at(f, h1), MaxUint256)).wait();
  return idOf(spotId, at(f, h0));
}
const at = (f: ParkingCtx, h: number) => f.week + h * HOUR;

/** Escrow conservation: the exchange holds exactly Σ price + deposit of its open (booked or disputed) bookings. */
async function expectConserved(f: ParkingCtx, ids: bigint[]) {
  let open = 0n;
  for (const bookingId of ids) {
    const [b, x] = await f.parking.booking(bookingId);
    if (b.status === BigInt(Status.Booked) || b.status === BigInt(Status.Disputed)) open += b.price + x.deposit;
  }
  expect(await f.coin.balanceOf(f.parking)).to.equal(open);
}

describe("ParkingExchange", function () {
  describe("access control (PERMISSIONS table)", function () {
    interface PrivilegedCase {
      setup: (f: ParkingCtx) => Promise<{ args: unknown[]; event: [string, unknown[]] }>;
    }
    const cases: Record<string, PrivilegedCase> = {
      "addCancellationPreset(bytes32,uint32[],uint16[])": {
        setup: async () => ({
          args: [encodeBytes32String("lenient"), [3 * DAY, 0], [10_000, 2_500]],
          event: ["CancellationPresetAdded", [4, encodeBytes32String("lenient"), [3 * DAY, 0], [10_000, 2_500]]],
        }),
      },
      "setCancellationPresetEnabled(uint8,bool)": {
        setup: async () => ({ args: [STRICT, false], event: ["CancellationPresetEnabledSet", [STRICT, false]] }),
      },
      "setCityFee(uint16)": { setup: async () => ({ args: [250], event: ["CityFeeSet", [250]] }) },
      "setDisputeWindow(uint32)": { setup: async () => ({ args: [DAY], event: ["DisputeWindowSet", [DAY]] }) },
      "setMaxBookingHours(uint16)": { setup: async () => ({ args: [48], event: ["MaxBookingHoursSet", [48]] }) },
      "resolveDispute(uint256,uint256,bytes32)": {
        setup: async (f) => {
          const spotId = await listSpot(f);
          const bookingId = await book(f, spotId, 10, 12);
          await time.increaseTo(at(f, 10));
          await (await f.parking.connect(f.alice).openDispute(bookingId)).wait();
          const price = 2n * RATE;
          return {
            args: [bookingId, price, id("no access")],
            event: ["DisputeResolved", [bookingId, f.arbiter.address, price, 0n, 0n, id("no access")]],
          };
        },
      },
    };

    it("has a case for every ParkingExchange entry of the table, and the table is what the authority enforces", async function () {
      const f = await loadFixture(parkingFixture);
      expect(Object.keys(cases).sort()).to.deep.equal(Object.keys(PERMISSIONS.ParkingExchange).sort());
      for (const [signature, role] of Object.entries(PERMISSIONS.ParkingExchange)) {
        const selector = (f.parking.interface as Interface).getFunction(signature)!.selector;
        expect(await f.authority.getTargetFunctionRole(f.parking, selector), signature).to.equal(Roles[role]);
      }
    });

    for (const [signature, role] of Object.entries(PERMISSIONS.ParkingExchange)) {
      it(`${signature}: only ${role} may call it`, async function () {
        const f = await loadFixture(parkingFixture);
        const { args, event } = await cases[signature].setup(f);
        await expectOnlyRole(f.parking, signature, role, roleHolders(f), args, [event[0], event[1]]);
      });
    }
  });

  describe("deployment and parameters", function () {
    it("deployCity registers the exchange as a city account and sets the presets, fee, window and longest booking", async function () {
      const f = await loadFixture(parkingFixture);
      expect(await f.coin.isCityAccount(f.parking)).to.equal(true);
      expect(await f.parking.coin()).to.equal(await f.coin.getAddress());
      expect(await f.parking.registry()).to.equal(await f.registry.getAddress());
      expect(await f.parking.cityFeeBps()).to.equal(FEE_BPS);
      expect(await f.parking.disputeWindow()).to.equal(PARKING_DISPUTE_WINDOW);
      expect(await f.parking.maxBookingHours()).to.equal(PARKING_MAX_BOOKING_HOURS);
      expect(await f.parking.presetCount()).to.equal(PARKING_PRESETS.length);
      for (const [i, preset] of PARKING_PRESETS.entries()) {
        const p = await f.parking.cancellationPreset(i + 1);
        expect(p.name).to.equal(encodeBytes32String(preset.name));
        expect(p.enabled).to.equal(true);
        expect(p.tierCount).to.equal(preset.minNotice.length);
        expect(p.minNotice.slice(0, preset.minNotice.length).map(Number)).to.deep.equal([...preset.minNotice]);
        expect(p.refundBps.slice(0, preset.refundBps.length).map(Number)).to.deep.equal([...preset.refundBps]);
      }
      expect(await f.parking.MAX_CITY_FEE_BPS()).to.equal(1_000);
      expect(await f.parking.MAX_BOOKING_HOURS_LIMIT()).to.equal(2_160);
    });

    it("the constructor emits its parameters and rejects out-of-range ones", async function () {
      const f = await loadFixture(parkingFixture);
      const factory = await hre.ethers.getContractFactory("ParkingExchange", { signer: f.admin, libraries: await linkedLibraries(hre, f.admin, "ParkingExchange") });
      const args = [f.authority, f.forwarder, f.coin, f.registry] as const;
      const deployed = await factory.deploy(...args, HOUR, 1);
      await expect(deployed.deploymentTransaction()).to.emit(deployed, "DisputeWindowSet").withArgs(HOUR);
      await expect(deployed.deploymentTransaction()).to.emit(deployed, "MaxBookingHoursSet").withArgs(1);
      await expect(factory.deploy(...args, HOUR - 1, 1))
        .to.be.revertedWithCustomError(factory, "ParkingExchangeDisputeWindowOutOfRange")
        .withArgs(HOUR - 1, HOUR, 30 * DAY);
      await expect(factory.deploy(...args, HOUR, 0))
        .to.be.revertedWithCustomError(factory, "ParkingExchangeMaxBookingHoursOutOfRange")
        .withArgs(0, 2_160);
    });

    it("rejects a fee above 10%, a window outside [1 h, 30 d] and a longest booking outside [1, 2160] hours", async function () {
      const f = await loadFixture(parkingFixture);
      const p = f.parking.connect(f.council);
      await expect(p.setCityFee(1_001)).to.be.revertedWithCustomError(p, "ParkingExchangeFeeTooHigh").withArgs(1_001, 1_000);
      await expect(p.setCityFee(1_000)).to.emit(p, "CityFeeSet").withArgs(1_000);
      await expect(p.setDisputeWindow(HOUR - 1))
        .to.be.revertedWithCustomError(p, "ParkingExchangeDisputeWindowOutOfRange")
        .withArgs(HOUR - 1, HOUR, 30 * DAY);
      await expect(p.setDisputeWindow(30 * DAY + 1))
        .to.be.revertedWithCustomError(p, "ParkingExchangeDisputeWindowOutOfRange")
        .withArgs(30 * DAY + 1, HOUR, 30 * DAY);
      await expect(p.setDisputeWindow(30 * DAY)).to.emit(p, "DisputeWindowSet").withArgs(30 * DAY);
      await expect(p.setMaxBookingHours(0)).to.be.revertedWithCustomError(p, "ParkingExchangeMaxBookingHoursOutOfRange").withArgs(0, 2_160);
      await expect(p.setMaxBookingHours(2_161))
        .to.be.revertedWithCustomError(p, "ParkingExchangeMaxBookingHoursOutOfRange")
        .withArgs(2_161, 2_160);
      await expect(p.setMaxBookingHours(2_160)).to.emit(p, "MaxBookingHoursSet").withArgs(2_160);
    });

    it("rejects malformed presets: length mismatch, 0 or more than 4 tiers, unordered tiers, refund above 100%", async function () {
      const f = await loadFixture(parkingFixture);
      const p = f.parking.connect(f.council);
      const name = encodeBytes32String("x");
      await expect(p.addCancellationPreset(name, [0], [])).to.be.revertedWithCustomError(p, "ParkingExchangeTierLengthMismatch").withArgs(1, 0);
      await expect(p.addCancellationPreset(name, [], [])).to.be.revertedWithCustomError(p, "ParkingExchangeInvalidTierCount").withArgs(0, 4);
      await expect(p.addCancellationPreset(name, [5, 4, 3, 2, 1], [5, 4, 3, 2, 1]))
        .to.be.revertedWithCustomError(p, "ParkingExchangeInvalidTierCount")
        .withArgs(5, 4);
      await expect(p.addCancellationPreset(name, [DAY, DAY], [10_000, 5_000]))
        .to.be.revertedWithCustomError(p, "ParkingExchangeTierOutOfOrder")
        .withArgs(1);
      await expect(p.addCancellationPreset(name, [2 * DAY, DAY], [5_000, 10_000]))
        .to.be.revertedWithCustomError(p, "ParkingExchangeTierOutOfOrder")
        .withArgs(1);
      await expect(p.addCancellationPreset(name, [DAY], [10_001])).to.be.revertedWithCustomError(p, "ParkingExchangeRefundTooHigh").withArgs(10_001);
      await expect(p.addCancellationPreset(name, [4, 3, 2, 1], [10_000, 10_000, 0, 0]))
        .to.emit(p, "CancellationPresetAdded")
        .withArgs(4, name, [4, 3, 2, 1], [10_000, 10_000, 0, 0])
        .and.to.emit(p, "CancellationPresetEnabledSet")
        .withArgs(4, true);
      await expect(p.setCancellationPresetEnabled(5, true)).to.be.revertedWithCustomError(p, "ParkingExchangeUnknownPreset").withArgs(5);
      await expect(p.setCancellationPresetEnabled(0, true)).to.be.revertedWithCustomError(p, "ParkingExchangeUnknownPreset").withArgs(0);
    });

    it("holds at most 255 presets", async function () {
      const f = await loadFixture(parkingFixture);
      const p = f.parking.connect(f.council);
      for (let i = 4; i <= 255; i++) await p.addCancellationPreset(encodeBytes32String(`p${i}`), [0], [10_000]);
      expect(await p.presetCount()).to.equal(255);
      await expect(p.addCancellationPreset(encodeBytes32String("one more"), [0], [10_000])).to.be.revertedWithCustomError(
        p,
        "ParkingExchangeTooManyPresets",
      );
    });
  });

  describe("spots: list, edit, pause, delist, blocked days", function () {
    it("lists a spot for a parking owner, with SpotListed and SpotTermsSet carrying every term", async function () {
      const f = await loadFixture(parkingFixture);
      const t = terms({ dailyCap: coins(20), presetId: MODERATE, checkIn: true, deposit: coins(10), weeklyAvailability: 0xffn });
      await expect(f.parking.connect(f.owner).list(t))
        .to.emit(f.parking, "SpotListed")
        .withArgs(1n, f.owner.address)
        .and.to.emit(f.parking, "SpotTermsSet")
        .withArgs(1n, t.district, t.geohash, t.descriptionHash, t.hourlyRate, t.dailyCap, t.presetId, true, t.deposit, 0xffn);
      const s = await f.parking.spot(1);
      expect([s.owner, s.hourlyRate, s.dailyCap, s.presetId, s.paused, s.delisted]).to.deep.equal([
        f.owner.address,
        RATE,
        coins(20),
        BigInt(MODERATE),
        false,
        false,
      ]);
      expect([s.weeklyAvailability, s.deposit, s.checkIn, s.district, s.geohash, s.descriptionHash]).to.deep.equal([
        0xffn,
        coins(10),
        true,
        3n,
        t.geohash,
        t.descriptionHash,
      ]);
      expect(await f.parking.spotCount()).to.equal(1n);
    });

    it("rejects a lister who is not an active member or lacks the flag, and invalid terms", async function () {
      const f = await loadFixture(parkingFixture);
      await expect(f.parking.connect(f.outsider).list(terms()))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeNotAMember")
        .withArgs(f.outsider.address);
      await expect(f.parking.connect(f.plain).list(terms()))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeNotParkingOwner")
        .withArgs(f.plain.address);
      await (await f.registry.connect(f.registrar).suspend(f.owner2.address, id("audit"))).wait();
      await expect(f.parking.connect(f.owner2).list(terms()))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeNotAMember")
        .withArgs(f.owner2.address);
      await expect(f.parking.connect(f.owner).list(terms({ hourlyRate: 0 }))).to.be.revertedWithCustomError(f.parking, "ParkingExchangeZeroRate");
      await expect(f.parking.connect(f.owner).list(terms({ deposit: 5 })))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeDepositWithoutCheckIn")
        .withArgs(5);
      await expect(f.parking.connect(f.owner).list(terms({ presetId: 4 })))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeUnknownPreset")
        .withArgs(4);
      await (await f.parking.connect(f.council).setCancellationPresetEnabled(STRICT, false)).wait();
      await expect(f.parking.connect(f.owner).list(terms({ presetId: STRICT })))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangePresetDisabled")
        .withArgs(STRICT);
    });

    it("edits terms (owner only); a spot keeps a preset disabled since but cannot switch to one", async function () {
      const f = await loadFixture(parkingFixture);
      const spotId = await listSpot(f, { presetId: STRICT });
      await (await f.parking.connect(f.council).setCancellationPresetEnabled(STRICT, false)).wait();
      const t = terms({ presetId: STRICT, hourlyRate: coins(3), district: 9 });
      await expect(f.parking.connect(f.owner).edit(spotId, t))
        .to.emit(f.parking, "SpotTermsSet")
        .withArgs(spotId, 9, t.geohash, t.descriptionHash, coins(3), 0, STRICT, false, 0, ALL_HOURS);
      await (await f.parking.connect(f.owner).edit(spotId, terms({ presetId: MODERATE }))).wait();
      await expect(f.parking.connect(f.owner).edit(spotId, terms({ presetId: STRICT })))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangePresetDisabled")
        .withArgs(STRICT);
      await expect(f.parking.connect(f.alice).edit(spotId, terms()))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeNotSpotOwner")
        .withArgs(spotId, f.alice.address);
      await expect(f.parking.connect(f.owner).edit(7, terms())).to.be.revertedWithCustomError(f.parking, "ParkingExchangeUnknownSpot").withArgs(7);
      await expect(f.parking.connect(f.owner).edit(spotId, terms({ hourlyRate: 0 }))).to.be.revertedWithCustomError(
        f.parking,
        "ParkingExchangeZeroRate",
      );
    });

    it("pauses and resumes (owner only), stopping new bookings meanwhile", async function () {
      const f = await loadFixture(parkingFixture);
      const spotId = await listSpot(f);
      await expect(f.parking.connect(f.owner).resume(spotId)).to.be.revertedWithCustomError(f.parking, "ParkingExchangeSpotNotPaused").withArgs(spotId);
      await expect(f.parking.connect(f.alice).pause(spotId))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeNotSpotOwner")
        .withArgs(spotId, f.alice.address);
      await expect(f.parking.connect(f.owner).pause(spotId)).to.emit(f.parking, "SpotPaused").withArgs(spotId);
      expect((await f.parking.spot(spotId)).paused).to.equal(true);
      await expect(f.parking.connect(f.owner).pause(spotId)).to.be.revertedWithCustomError(f.parking, "ParkingExchangeSpotPaused").withArgs(spotId);
      await expect(f.parking.connect(f.alice).book(spotId, at(f, 1), at(f, 2), MaxUint256))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeSpotPaused")
        .withArgs(spotId);
      await expect(f.parking.connect(f.owner).resume(spotId)).to.emit(f.parking, "SpotResumed").withArgs(spotId);
      await book(f, spotId, 1, 2);
    });

    it("delists for good; the confirmed bookings still settle", async function () {
      const f = await loadFixture(parkingFixture);
      const spotId = await listSpot(f);
      const bookingId = await book(f, spotId, 10, 12);
      await expect(f.parking.connect(f.alice).delist(spotId))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeNotSpotOwner")
        .withArgs(spotId, f.alice.address);
      await expect(f.parking.connect(f.owner).delist(spotId)).to.emit(f.parking, "SpotDelisted").withArgs(spotId);
      for (const call of [
        () => f.parking.connect(f.owner).delist(spotId),
        () => f.parking.connect(f.owner).pause(spotId),
        () => f.parking.connect(f.owner).resume(spotId),
        () => f.parking.connect(f.owner).edit(spotId, terms()),
        () => f.parking.connect(f.owner).blockDays(spotId, [1]),
        () => f.parking.connect(f.owner).unblockDays(spotId, [1]),
        () => f.parking.connect(f.bob).book(spotId, at(f, 20), at(f, 21), MaxUint256),
      ]) {
        await expect(call()).to.be.revertedWithCustomError(f.parking, "ParkingExchangeSpotDelisted").withArgs(spotId);
      }
      await time.increaseTo(at(f, 12) + PARKING_DISPUTE_WINDOW);
      await expect(f.parking.payout(bookingId)).to.emit(f.parking, "BookingPaidOut");
    });

    it("blocks and unblocks whole days (owner only); a blocked day refuses bookings touching it", async function () {
      const f = await loadFixture(parkingFixture);
      const spotId = await listSpot(f);
      const tuesday = (f.week + DAY) / DAY;
      const sunday = (f.week + 6 * DAY) / DAY;
      await expect(f.parking.connect(f.alice).blockDays(spotId, [tuesday]))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeNotSpotOwner")
        .withArgs(spotId, f.alice.address);
      await expect(f.parking.connect(f.owner).blockDays(99, [tuesday])).to.be.revertedWithCustomError(f.parking, "ParkingExchangeUnknownSpot").withArgs(99);
      await expect(f.parking.connect(f.owner).blockDays(spotId, [tuesday, sunday]))
        .to.emit(f.parking, "SpotDaysBlocked")
        .withArgs(spotId, [tuesday, sunday], Math.floor(((await time.latest()) + 1) / DAY));
      expect(await f.parking.isDayBlocked(spotId, tuesday)).to.equal(true);
      expect(await f.parking.isDayBlocked(spotId, tuesday + 1)).to.equal(false);
      // Monday 23:00 to Tuesday 01:00 touches Tuesday.
      await expect(f.parking.connect(f.alice).book(spotId, at(f, 23), at(f, 25), MaxUint256))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeDayBlocked")
        .withArgs(spotId, tuesday);
      await expect(f.parking.connect(f.alice).book(spotId, at(f, 6 * 24 + 5), at(f, 6 * 24 + 6), MaxUint256))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeDayBlocked")
        .withArgs(spotId, sunday);
      await book(f, spotId, 22, 24); // Monday evening is free
      await expect(f.parking.connect(f.alice).unblockDays(spotId, [tuesday]))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeNotSpotOwner")
        .withArgs(spotId, f.alice.address);
      const today = Math.floor(((await time.latest()) + 1) / DAY);
      await expect(f.parking.connect(f.owner).unblockDays(spotId, [tuesday])).to.emit(f.parking, "SpotDaysUnblocked").withArgs(spotId, [tuesday], today);
      expect(await f.parking.isDayBlocked(spotId, tuesday)).to.equal(false);
      // Unblocking leaves the booked hours of the same week alone.
      expect(await f.parking.isBooked(spotId, at(f, 22), at(f, 24))).to.equal(true);
      await book(f, spotId, 24, 26);
    });
  });

  describe("booking", function () {
    it("books whole hours into escrow in one transaction, with BookingCreated carrying every field", async function () {
      const f = await loadFixture(parkingFixture);
      const spotId = await listSpot(f, { presetId: MODERATE, checkIn: true, deposit: coins(10) });
      const bookingId = idOf(spotId, at(f, 10));
      expect(await f.parking.quote(spotId, at(f, 10), at(f, 13))).to.deep.equal([3n * RATE, coins(10)]);
      const cost = 3n * RATE + coins(10);
      {
        const tx = f.parking.connect(f.alice).book(spotId, at(f, 10), at(f, 13), cost);
        await expect(tx)
        .to.emit(f.parking, "BookingCreated")
        .withArgs(bookingId, spotId, f.alice.address, at(f, 10), at(f, 13), 3n * RATE, coins(10), RATE, MODERATE, true);
        await expect(tx).to.changeTokenBalances(f.coin, [f.alice, f.parking], [-cost, cost]);
      }
      const [b, x] = await f.parking.booking(bookingId);
      expect([b.driver, b.hoursBooked, b.price, b.presetId, b.status, b.checkIn]).to.deep.equal([
        f.alice.address,
        3n,
        3n * RATE,
        BigInt(MODERATE),
        BigInt(Status.Booked),
        true,
      ]);
      expect([x.deposit, x.hourlyRate, x.checkedInAt, x.checkedOutAt, x.overstayCharge]).to.deep.equal([coins(10), RATE, 0n, 0n, 0n]);
      expect(await f.parking.isBooked(spotId, at(f, 12), at(f, 14))).to.equal(true);
      expect(await f.parking.isBooked(spotId, at(f, 13), at(f, 20))).to.equal(false);
      await expectConserved(f, [bookingId]);
    });

    it("the daily cap bounds each 24 hours from the start and the rest", async function () {
      const f = await loadFixture(parkingFixture);
      const spotId = await listSpot(f, { dailyCap: coins(30) }); // 24 h would cost €48
      expect((await f.parking.quote(spotId, at(f, 0), at(f, 10)))[0]).to.equal(coins(20));
      expect((await f.parking.quote(spotId, at(f, 0), at(f, 20)))[0]).to.equal(coins(30));
      expect((await f.parking.quote(spotId, at(f, 0), at(f, 24 + 5)))[0]).to.equal(coins(30 + 10));
      expect((await f.parking.quote(spotId, at(f, 0), at(f, 48 + 23)))[0]).to.equal(coins(90));
      await expect(f.parking.quote(9, at(f, 0), at(f, 1))).to.be.revertedWithCustomError(f.parking, "ParkingExchangeUnknownSpot").withArgs(9);
    });

    it("rejects what cannot be booked", async function () {
      const f = await loadFixture(parkingFixture);
      const spotId = await listSpot(f, { weeklyAvailability: (1n << 24n) - 1n }); // Mondays only
      const p = f.parking.connect(f.alice);
      await expect(f.parking.connect(f.outsider).book(spotId, at(f, 1), at(f, 2), MaxUint256))
        .to.be.revertedWithCustomError(p, "ParkingExchangeNotAMember")
        .withArgs(f.outsider.address);
      await expect(p.book(5, at(f, 1), at(f, 2), MaxUint256)).to.be.revertedWithCustomError(p, "ParkingExchangeUnknownSpot").withArgs(5);
      await expect(f.parking.connect(f.owner).book(spotId, at(f, 1), at(f, 2), MaxUint256))
        .to.be.revertedWithCustomError(p, "ParkingExchangeOwnSpot")
        .withArgs(spotId);
      await expect(p.book(spotId, at(f, 1) + 1, at(f, 2), MaxUint256))
        .to.be.revertedWithCustomError(p, "ParkingExchangeNotWholeHours")
        .withArgs(at(f, 1) + 1, at(f, 2));
      await expect(p.book(spotId, at(f, 1), at(f, 2) - 60, MaxUint256))
        .to.be.revertedWithCustomError(p, "ParkingExchangeNotWholeHours")
        .withArgs(at(f, 1), at(f, 2) - 60);
      await expect(p.book(spotId, at(f, 2), at(f, 2), MaxUint256))
        .to.be.revertedWithCustomError(p, "ParkingExchangeInvalidInterval")
        .withArgs(at(f, 2), at(f, 2));
      await expect(p.book(spotId, at(f, 3), at(f, 2), MaxUint256))
        .to.be.revertedWithCustomError(p, "ParkingExchangeInvalidInterval")
        .withArgs(at(f, 3), at(f, 2));
      await (await f.parking.connect(f.council).setMaxBookingHours(4)).wait();
      await expect(p.book(spotId, at(f, 1), at(f, 6), MaxUint256))
        .to.be.revertedWithCustomError(p, "ParkingExchangeBookingTooLong")
        .withArgs(5, 4);
      await expect(p.book(spotId, at(f, 20), at(f, 25), MaxUint256))
        .to.be.revertedWithCustomError(p, "ParkingExchangeBookingTooLong")
        .withArgs(5, 4);
      await expect(p.book(spotId, at(f, 22), at(f, 25), MaxUint256))
        .to.be.revertedWithCustomError(p, "ParkingExchangeOutsideAvailability")
        .withArgs(spotId, at(f, 22), at(f, 25));
      await book(f, spotId, 2, 4);
      for (const [h0, h1] of [[2, 4], [1, 3], [3, 5], [0, 4], [3, 4]]) {
        await expect(f.parking.connect(f.bob).book(spotId, at(f, h0), at(f, h1), MaxUint256))
          .to.be.revertedWithCustomError(p, "ParkingExchangeOverlap")
          .withArgs(spotId, at(f, h0), at(f, h1));
      }
      await expect(f.parking.connect(f.bob).book(spotId, at(f, 4), at(f, 5), RATE - 1n))
        .to.be.revertedWithCustomError(p, "ParkingExchangeCostAboveLimit")
        .withArgs(RATE, RATE - 1n);
      await (await f.coin.connect(f.bob).approve(f.parking, RATE - 1n)).wait();
      await expect(f.parking.connect(f.bob).book(spotId, at(f, 4), at(f, 5), MaxUint256))
        .to.be.revertedWithCustomError(f.coin, "ERC20InsufficientAllowance")
        .withArgs(await f.parking.getAddress(), RATE - 1n, RATE);
      // Start in the past: the current hour may still be booked, not the one before.
      await time.increaseTo(at(f, 24 * 7 + 10) + 30);
      await expect(p.book(spotId, at(f, 24 * 7 + 9), at(f, 24 * 7 + 11), MaxUint256))
        .to.be.revertedWithCustomError(p, "ParkingExchangeStartInPast")
        .withArgs(at(f, 24 * 7 + 9), at(f, 24 * 7 + 10));
      await expect(p.book(spotId, at(f, 24 * 7 + 10), at(f, 24 * 7 + 11), MaxUint256)).to.emit(p, "BookingCreated");
    });

    it("books across weeks (Sunday night to Monday morning)", async function () {
      const f = await loadFixture(parkingFixture);
      const spotId = await listSpot(f);
      await book(f, spotId, 7 * 24 - 2, 7 * 24 + 2);
      expect(await f.parking.isBooked(spotId, at(f, 7 * 24 - 1), at(f, 7 * 24))).to.equal(true);
      expect(await f.parking.isBooked(spotId, at(f, 7 * 24 + 1), at(f, 7 * 24 + 2))).to.equal(true);
      await expect(f.parking.connect(f.bob).book(spotId, at(f, 7 * 24 + 1), at(f, 7 * 24 + 3), MaxUint256))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeOverlap")
        .withArgs(spotId, at(f, 7 * 24 + 1), at(f, 7 * 24 + 3));
      await book(f, spotId, 7 * 24 + 2, 7 * 24 + 3, f.bob);
    });

    it("bookWithPermit: a permit for the cost, no prior allowance; a used permit falls back on the allowance", async function () {
      const f = await loadFixture(parkingFixture);
      const spotId = await listSpot(f);
      const [dave] = f.rest;
      const { register } = await import("../fixtures");
      await register(f, dave);
      await issue(f, dave, coins(100));
      const deadline = at(f, 0);
      const cost = 2n * RATE;
      const sig = await signPermit(f.coin, dave, { spender: await f.parking.getAddress(), value: cost, deadline });
      {
        const tx = f.parking.connect(dave).bookWithPermit(spotId, at(f, 1), at(f, 3), cost, deadline, sig.v, sig.r, sig.s);
        await expect(tx)
        .to.emit(f.parking, "BookingCreated")
        .withArgs(idOf(spotId, at(f, 1)), spotId, dave.address, at(f, 1), at(f, 3), cost, 0, 0, FLEXIBLE, false);
        await expect(tx).to.changeTokenBalances(f.coin, [dave, f.parking], [-cost, cost]);
      }
      // The same permit again (already used): ignored, and the zero allowance left makes the transfer fail.
      await expect(f.parking.connect(dave).bookWithPermit(spotId, at(f, 3), at(f, 5), cost, deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(f.coin, "ERC20InsufficientAllowance")
        .withArgs(await f.parking.getAddress(), 0, cost);
      await (await f.coin.connect(dave).approve(f.parking, cost)).wait();
      await expect(f.parking.connect(dave).bookWithPermit(spotId, at(f, 3), at(f, 5), cost, deadline, sig.v, sig.r, sig.s)).to.emit(
        f.parking,
        "BookingCreated",
      );
    });

    it("books relayed through the CityForwarder: the signer is the driver and pays, the relayer pays the gas", async function () {
      const f = await loadFixture(parkingFixture);
      const spotId = await listSpot(f);
      const data = f.parking.interface.encodeFunctionData("book", [spotId, at(f, 1), at(f, 2), MaxUint256]);
      const request = await signForwardRequest(f.forwarder, f.bob, { to: await f.parking.getAddress(), data });
      {
        const tx = f.forwarder.connect(f.relayer).execute(request);
        await expect(tx)
        .to.emit(f.parking, "BookingCreated")
        .withArgs(idOf(spotId, at(f, 1)), spotId, f.bob.address, at(f, 1), at(f, 2), RATE, 0, 0, FLEXIBLE, false);
        await expect(tx).to.changeTokenBalances(f.coin, [f.bob, f.relayer, f.parking], [-RATE, 0, RATE]);
      }
      expect(await f.parking.isTrustedForwarder(f.forwarder)).to.equal(true);
    });
  });

  describe("ERC-4907 views", function () {
    it("userOf / userExpires follow the booking running now, across adjacent bookings and after cancellations", async function () {
      const f = await loadFixture(parkingFixture);
      const spotId = await listSpot(f);
      await book(f, spotId, 10, 13, f.alice);
      await book(f, spotId, 13, 14, f.bob);
      const cancelled = await book(f, spotId, 20, 22, f.carol);
      await (await f.parking.connect(f.carol).cancel(cancelled)).wait();
      expect(await f.parking.userOf(spotId)).to.equal(ZeroAddress);
      expect(await f.parking.userExpires(spotId)).to.equal(0n);
      await time.increaseTo(at(f, 12) + 1800);
      expect(await f.parking.userOf(spotId)).to.equal(f.alice.address);
      expect(await f.parking.userExpires(spotId)).to.equal(at(f, 13));
      await time.increaseTo(at(f, 13));
      expect(await f.parking.userOf(spotId)).to.equal(f.bob.address);
      expect(await f.parking.userExpires(spotId)).to.equal(at(f, 14));
      await time.increaseTo(at(f, 14));
      expect(await f.parking.userOf(spotId)).to.equal(ZeroAddress);
      await time.increaseTo(at(f, 21));
      expect(await f.parking.userOf(spotId)).to.equal(ZeroAddress);
      expect(await f.parking.userExpires(spotId)).to.equal(0n);
      expect(await f.parking.userOf(77)).to.equal(ZeroAddress);
    });
  });

  describe("check-in and check-out", function () {
    async function checkInSpot(f: ParkingCtx) {
      const spotId = await listSpot(f, { checkIn: true, deposit: coins(5) });
      const bookingId = await book(f, spotId, 10, 12);
      return { spotId, bookingId };
    }

    it("rejects check-in on a spot without it, by anyone but the driver, outside the booking, twice", async function () {
      const f = await loadFixture(parkingFixture);
      const plainSpot = await listSpot(f);
      const plainBooking = await book(f, plainSpot, 10, 12);
      await expect(f.parking.connect(f.alice).checkIn(plainBooking))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeCheckInNotRequired")
        .withArgs(plainBooking);
      const { bookingId } = await checkInSpot(f);
      await expect(f.parking.connect(f.alice).checkIn(bookingId + 1n)).to.be.revertedWithCustomError(f.parking, "ParkingExchangeUnknownBooking").withArgs(bookingId + 1n);
      await expect(f.parking.connect(f.bob).checkIn(bookingId))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeNotDriver")
        .withArgs(bookingId, f.bob.address);
      await expect(f.parking.connect(f.alice).checkIn(bookingId))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeCheckInClosed")
        .withArgs(bookingId, at(f, 10), at(f, 12));
      await expect(f.parking.connect(f.alice).checkOut(bookingId)).to.be.revertedWithCustomError(f.parking, "ParkingExchangeNotCheckedIn").withArgs(bookingId);
      await time.setNextBlockTimestamp(at(f, 10));
      await expect(f.parking.connect(f.alice).checkIn(bookingId)).to.emit(f.parking, "CheckedIn").withArgs(bookingId, f.alice.address, at(f, 10));
      await expect(f.parking.connect(f.alice).checkIn(bookingId)).to.be.revertedWithCustomError(f.parking, "ParkingExchangeAlreadyCheckedIn").withArgs(bookingId);
      await expect(f.parking.connect(f.bob).checkOut(bookingId))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeNotDriver")
        .withArgs(bookingId, f.bob.address);
      await expect(f.parking.connect(f.alice).checkOut(bookingId)).to.emit(f.parking, "CheckedOut");
      await expect(f.parking.connect(f.alice).checkOut(bookingId)).to.be.revertedWithCustomError(f.parking, "ParkingExchangeAlreadyCheckedOut").withArgs(bookingId);
      // After the end, check-in is closed.
      const { bookingId: late } = await (async () => ({ bookingId: await book(f, (await f.parking.spotCount()), 14, 15) }))();
      await time.increaseTo(at(f, 15));
      await expect(f.parking.connect(f.alice).checkIn(late))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeCheckInClosed")
        .withArgs(late, at(f, 14), at(f, 15));
    });

    it("an overstay costs the rate per started hour from the deposit, paid to the owner at payout", async function () {
      const f = await loadFixture(parkingFixture);
      const { bookingId } = await checkInSpot(f);
      await time.setNextBlockTimestamp(at(f, 10) + 5);
      await (await f.parking.connect(f.alice).checkIn(bookingId)).wait();
      await time.setNextBlockTimestamp(at(f, 12) + 1); // one second over: one started hour
      await expect(f.parking.connect(f.alice).checkOut(bookingId))
        .to.emit(f.parking, "CheckedOut")
        .withArgs(bookingId, f.alice.address, at(f, 12) + 1, RATE);
      const [, x] = await f.parking.booking(bookingId);
      expect([x.checkedInAt, x.checkedOutAt, x.overstayCharge]).to.deep.equal([BigInt(at(f, 10) + 5), BigInt(at(f, 12) + 1), RATE]);
      await expectConserved(f, [bookingId]);
      await time.setNextBlockTimestamp(at(f, 12) + PARKING_DISPUTE_WINDOW);
      const gross = 2n * RATE + RATE;
      {
        const tx = f.parking.connect(f.outsider).payout(bookingId);
        await expect(tx)
        .to.emit(f.parking, "BookingPaidOut")
        .withArgs(bookingId, f.owner.address, gross - fee(gross), fee(gross), coins(5) - RATE, RATE);
        await expect(tx).to.changeTokenBalances(
          f.coin,
          [f.parking, f.owner, f.alice, f.fund],
          [-(2n * RATE + coins(5)), gross - fee(gross), coins(5) - RATE, fee(gross)],
        );
      }
      await expectConserved(f, [bookingId]);
    });

    it("checking out by the end costs nothing; the charge never exceeds the deposit", async function () {
      const f = await loadFixture(parkingFixture);
      const { spotId, bookingId } = await checkInSpot(f);
      await time.increaseTo(at(f, 11));
      await (await f.parking.connect(f.alice).checkIn(bookingId)).wait();
      await time.setNextBlockTimestamp(at(f, 12));
      await expect(f.parking.connect(f.alice).checkOut(bookingId)).to.emit(f.parking, "CheckedOut").withArgs(bookingId, f.alice.address, at(f, 12), 0);
      const second = await book(f, spotId, 30, 31);
      await time.increaseTo(at(f, 30));
      await (await f.parking.connect(f.alice).checkIn(second)).wait();
      await time.setNextBlockTimestamp(at(f, 31) + 10 * HOUR); // 10 h × €2 > €5 deposit
      await expect(f.parking.connect(f.alice).checkOut(second)).to.emit(f.parking, "CheckedOut").withArgs(second, f.alice.address, at(f, 31) + 10 * HOUR, coins(5));
    });

    it("a driver who never checks out is charged until the payout; one who never checked in gets the deposit back", async function () {
      const f = await loadFixture(parkingFixture);
      const { spotId, bookingId } = await checkInSpot(f);
      const noShow = await book(f, spotId, 14, 15, f.bob);
      await time.increaseTo(at(f, 10));
      await (await f.parking.connect(f.alice).checkIn(bookingId)).wait();
      await time.setNextBlockTimestamp(at(f, 15) + PARKING_DISPUTE_WINDOW);
      {
        const tx = f.parking.payout(noShow);
        await expect(tx)
        .to.emit(f.parking, "BookingPaidOut")
        .withArgs(noShow, f.owner.address, RATE - fee(RATE), fee(RATE), coins(5), 0);
        await expect(tx).to.changeTokenBalance(f.coin, f.bob, coins(5));
      }
      const gross = 2n * RATE + coins(5);
      await expect(f.parking.payout(bookingId))
        .to.emit(f.parking, "BookingPaidOut")
        .withArgs(bookingId, f.owner.address, gross - fee(gross), fee(gross), 0, coins(5));
      await expectConserved(f, [bookingId, noShow]);
    });
  });

  describe("cancellation", function () {
    it("by the driver, flexible: a full refund until the start, none after", async function () {
      const f = await loadFixture(parkingFixture);
      const spotId = await listSpot(f, { checkIn: true, deposit: coins(5) });
      const bookingId = await book(f, spotId, 10, 12);
      await time.setNextBlockTimestamp(at(f, 10) - 1);
      const escrow = 2n * RATE + coins(5);
      {
        const tx = f.parking.connect(f.alice).cancel(bookingId);
        await expect(tx)
        .to.emit(f.parking, "BookingCancelled")
        .withArgs(bookingId, spotId, f.alice.address, false, escrow, 0, 0);
        await expect(tx).to.changeTokenBalances(f.coin, [f.alice, f.parking], [escrow, -escrow]);
      }
      expect(await f.parking.isBooked(spotId, at(f, 10), at(f, 12))).to.equal(false);
      const [b, x] = await f.parking.booking(bookingId);
      expect(b.status).to.equal(Status.Cancelled);
      expect(x.deposit).to.equal(0n);
      await expect(f.parking.connect(f.alice).cancel(bookingId))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeInvalidStatus")
        .withArgs(bookingId, Status.Cancelled);
      // The hours are free again; the same start reuses the id.
      await expect(f.parking.connect(f.bob).book(spotId, at(f, 10), at(f, 11), MaxUint256))
        .to.emit(f.parking, "BookingCreated")
        .withArgs(bookingId, spotId, f.bob.address, at(f, 10), at(f, 11), RATE, coins(5), RATE, FLEXIBLE, true);
      // The rebooking was mined at the start hour already: too late for the driver to cancel.
      await expect(f.parking.connect(f.bob).cancel(bookingId))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeAlreadyStarted")
        .withArgs(bookingId, at(f, 10));
    });

    for (const [label, notice, refundBps] of [
      ["exactly 48 h before: 100%", 48 * HOUR, 10_000n],
      ["48 h minus a second: 50%", 48 * HOUR - 1, 5_000n],
      ["exactly 24 h before: 50%", 24 * HOUR, 5_000n],
      ["24 h minus a second: nothing", 24 * HOUR - 1, 0n],
      ["a second before the start: nothing", 1, 0n],
    ] as const) {
      it(`by the driver, moderate, ${label}`, async function () {
        const f = await loadFixture(parkingFixture);
        const spotId = await listSpot(f, { presetId: MODERATE, checkIn: true, deposit: coins(5) });
        const price = 4n * RATE;
        const bookingId = await book(f, spotId, 7 * 24 + 10, 7 * 24 + 14);
        const refund = (price * refundBps) / BPS + coins(5);
        const gross = price - (price * refundBps) / BPS;
        await time.setNextBlockTimestamp(at(f, 7 * 24 + 10) - notice);
        {
          const tx = f.parking.connect(f.alice).cancel(bookingId);
          await expect(tx)
          .to.emit(f.parking, "BookingCancelled")
          .withArgs(bookingId, spotId, f.alice.address, false, refund, gross - fee(gross), fee(gross));
          await expect(tx).to.changeTokenBalances(f.coin, [f.alice, f.owner, f.fund, f.parking], [refund, gross - fee(gross), fee(gross), -(price + coins(5))]);
        }
        expect(await f.parking.ownerCancellations(f.owner)).to.equal(0);
      });
    }

    it("by the driver, strict: 100% a week ahead, 50% two days ahead", async function () {
      const f = await loadFixture(parkingFixture);
      const spotId = await listSpot(f, { presetId: STRICT });
      const a = await book(f, spotId, 14 * 24, 14 * 24 + 1);
      const b = await book(f, spotId, 14 * 24 + 1, 14 * 24 + 3);
      await time.setNextBlockTimestamp(at(f, 14 * 24) - 7 * DAY);
      await expect(f.parking.connect(f.alice).cancel(a)).to.emit(f.parking, "BookingCancelled").withArgs(a, spotId, f.alice.address, false, RATE, 0, 0);
      await time.setNextBlockTimestamp(at(f, 14 * 24 + 1) - 2 * DAY);
      await expect(f.parking.connect(f.alice).cancel(b))
        .to.emit(f.parking, "BookingCancelled")
        .withArgs(b, spotId, f.alice.address, false, RATE, RATE - fee(RATE), fee(RATE));
    });

    it("by the owner: always a full refund, marked on the owner's record; not after the end or the check-in", async function () {
      const f = await loadFixture(parkingFixture);
      const spotId = await listSpot(f, { presetId: STRICT, checkIn: true, deposit: coins(5) });
      const a = await book(f, spotId, 10, 12);
      const b = await book(f, spotId, 12, 14, f.bob);
      const c = await book(f, spotId, 14, 15, f.carol);
      await time.increaseTo(at(f, 10) + 60); // started, not checked in
      const escrow = 2n * RATE + coins(5);
      {
        const tx = f.parking.connect(f.owner).cancel(a);
        await expect(tx)
        .to.emit(f.parking, "BookingCancelled")
        .withArgs(a, spotId, f.owner.address, true, escrow, 0, 0)
        .and.to.emit(f.parking, "OwnerCancellationMarked")
        .withArgs(f.owner.address, a, 1);
        await expect(tx).to.changeTokenBalances(f.coin, [f.alice, f.owner, f.parking], [escrow, 0, -escrow]);
      }
      expect(await f.parking.ownerCancellations(f.owner)).to.equal(1);
      await time.increaseTo(at(f, 12));
      await (await f.parking.connect(f.bob).checkIn(b)).wait();
      await expect(f.parking.connect(f.owner).cancel(b)).to.be.revertedWithCustomError(f.parking, "ParkingExchangeAlreadyCheckedIn").withArgs(b);
      await time.increaseTo(at(f, 15));
      await expect(f.parking.connect(f.owner).cancel(c))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeBookingEnded")
        .withArgs(c, at(f, 15));
      await expect(f.parking.connect(f.outsider).cancel(c))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeNotParty")
        .withArgs(c, f.outsider.address);
      await expect(f.parking.connect(f.alice).cancel(7n)).to.be.revertedWithCustomError(f.parking, "ParkingExchangeUnknownBooking").withArgs(7n);
      await expectConserved(f, [a, b, c]);
    });
  });

  describe("payout and disputes", function () {
    it("pays the owner after the end plus the dispute window, the city fee to the community fund", async function () {
      const f = await loadFixture(parkingFixture);
      const spotId = await listSpot(f);
      const bookingId = await book(f, spotId, 10, 13);
      const dueAt = at(f, 13) + PARKING_DISPUTE_WINDOW;
      await time.setNextBlockTimestamp(dueAt - 1);
      await expect(f.parking.payout(bookingId)).to.be.revertedWithCustomError(f.parking, "ParkingExchangePayoutNotDue").withArgs(bookingId, dueAt);
      const price = 3n * RATE;
      await time.setNextBlockTimestamp(dueAt);
      {
        const tx = f.parking.connect(f.bob).payout(bookingId);
        await expect(tx)
        .to.emit(f.parking, "BookingPaidOut")
        .withArgs(bookingId, f.owner.address, price - fee(price), fee(price), 0, 0);
        await expect(tx).to.changeTokenBalances(f.coin, [f.owner, f.fund, f.parking], [price - fee(price), fee(price), -price]);
      }
      expect(await f.coin.communityFund()).to.equal(f.fund.address);
      await expect(f.parking.payout(bookingId))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeInvalidStatus")
        .withArgs(bookingId, Status.PaidOut);
      await expect(f.parking.payout(bookingId + 1n)).to.be.revertedWithCustomError(f.parking, "ParkingExchangeUnknownBooking").withArgs(bookingId + 1n);
      // With no fee, the owner gets everything and the fund nothing.
      await (await f.parking.connect(f.council).setCityFee(0)).wait();
      const second = await book(f, spotId, 24 * 7, 24 * 7 + 1);
      await time.increaseTo(at(f, 24 * 7 + 1) + PARKING_DISPUTE_WINDOW);
      await expect(f.parking.payout(second)).to.emit(f.parking, "BookingPaidOut").withArgs(second, f.owner.address, RATE, 0, 0, 0);
    });

    it("either party disputes from the start to the end of the window; an ARBITER splits the escrow with a reason", async function () {
      const f = await loadFixture(parkingFixture);
      const spotId = await listSpot(f, { checkIn: true, deposit: coins(5) });
      const a = await book(f, spotId, 10, 12);
      const b = await book(f, spotId, 12, 14, f.bob);
      await expect(f.parking.connect(f.alice).openDispute(a))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeDisputeClosed")
        .withArgs(a, at(f, 10), at(f, 12) + PARKING_DISPUTE_WINDOW);
      await expect(f.parking.connect(f.arbiter).resolveDispute(a, 0, id("r")))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeInvalidStatus")
        .withArgs(a, Status.Booked);
      await time.increaseTo(at(f, 10));
      await expect(f.parking.connect(f.outsider).openDispute(a))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeNotParty")
        .withArgs(a, f.outsider.address);
      await expect(f.parking.connect(f.alice).openDispute(a)).to.emit(f.parking, "DisputeOpened").withArgs(a, f.alice.address);
      await expect(f.parking.connect(f.owner).openDispute(a))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeInvalidStatus")
        .withArgs(a, Status.Disputed);
      await time.setNextBlockTimestamp(at(f, 14) + PARKING_DISPUTE_WINDOW - 1);
      await expect(f.parking.connect(f.owner).openDispute(b)).to.emit(f.parking, "DisputeOpened").withArgs(b, f.owner.address);
      await expect(f.parking.payout(a)).to.be.revertedWithCustomError(f.parking, "ParkingExchangeInvalidStatus").withArgs(a, Status.Disputed);
      const escrow = 2n * RATE + coins(5);
      await expect(f.parking.connect(f.arbiter).resolveDispute(a, escrow + 1n, id("r")))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeSplitExceedsEscrow")
        .withArgs(a, escrow + 1n, escrow);
      const toDriver = coins(6);
      const gross = escrow - toDriver;
      {
        const tx = f.parking.connect(f.arbiter).resolveDispute(a, toDriver, id("half the time the spot was blocked"));
        await expect(tx)
        .to.emit(f.parking, "DisputeResolved")
        .withArgs(a, f.arbiter.address, toDriver, gross - fee(gross), fee(gross), id("half the time the spot was blocked"));
        await expect(tx).to.changeTokenBalances(f.coin, [f.alice, f.owner, f.fund, f.parking], [toDriver, gross - fee(gross), fee(gross), -escrow]);
      }
      expect((await f.parking.booking(a))[0].status).to.equal(Status.Resolved);
      await expect(f.parking.connect(f.arbiter).resolveDispute(a, 0, id("r")))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeInvalidStatus")
        .withArgs(a, Status.Resolved);
      await expect(f.parking.connect(f.arbiter).resolveDispute(b, escrow, id("all back")))
        .to.emit(f.parking, "DisputeResolved")
        .withArgs(b, f.arbiter.address, escrow, 0, 0, id("all back"));
      await expect(f.parking.connect(f.arbiter).resolveDispute(99n, 0, id("r"))).to.be.revertedWithCustomError(f.parking, "ParkingExchangeUnknownBooking").withArgs(99n);
      await expectConserved(f, [a, b]);
      // The window closes.
      const c = await book(f, spotId, 24 * 7, 24 * 7 + 1);
      await time.setNextBlockTimestamp(at(f, 24 * 7 + 1) + PARKING_DISPUTE_WINDOW);
      await expect(f.parking.connect(f.alice).openDispute(c))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeDisputeClosed")
        .withArgs(c, at(f, 24 * 7), at(f, 24 * 7 + 1) + PARKING_DISPUTE_WINDOW);
    });
  });

  it("a fee with no community fund to receive it reverts the settlement (a coin whose fund was never set)", async function () {
    const f = await loadFixture(parkingFixture);
    // A second coin and exchange on the same authority, wired to nothing: their restricted functions are the admin's.
    const coin = await (await hre.ethers.getContractFactory("CityCoin", f.admin)).deploy(f.authority, f.forwarder, f.registry);
    const parking = await (await hre.ethers.getContractFactory("ParkingExchange", { signer: f.admin, libraries: await linkedLibraries(hre, f.admin, "ParkingExchange") })).deploy(f.authority, f.forwarder, coin, f.registry, HOUR, 24);
    await (await coin.connect(f.admin).setTransferPolicy(1)).wait(); // open: no membership mirror needed
    await (await coin.connect(f.admin).attestReserve(coins(1_000), id("r"))).wait();
    await (await coin.connect(f.admin).issue(f.alice.address, coins(100), id("d"))).wait();
    await (await coin.connect(f.alice).approve(parking, MaxUint256)).wait();
    await (await parking.connect(f.admin).addCancellationPreset(encodeBytes32String("flexible"), [0], [10_000])).wait();
    await (await parking.connect(f.admin).setCityFee(500)).wait();
    await (await parking.connect(f.owner).list(terms())).wait();
    await (await parking.connect(f.alice).book(1, at(f, 10), at(f, 11), MaxUint256)).wait();
    await time.increaseTo(at(f, 11) + HOUR);
    await expect(parking.payout(idOf(1, at(f, 10)))).to.be.revertedWithCustomError(parking, "ParkingExchangeNoCommunityFund");
    await (await parking.connect(f.admin).setCityFee(0)).wait();
    await expect(parking.payout(idOf(1, at(f, 10)))).to.emit(parking, "BookingPaidOut").withArgs(idOf(1, at(f, 10)), f.owner.address, RATE, 0, 0, 0);
  });

  describe("ratings", function () {
    it("one rating per side per ended booking, not before the end, not of a cancelled one", async function () {
      const f = await loadFixture(parkingFixture);
      const spotId = await listSpot(f);
      const a = await book(f, spotId, 10, 12);
      const cancelled = await book(f, spotId, 12, 13, f.bob);
      await (await f.parking.connect(f.bob).cancel(cancelled)).wait();
      await expect(f.parking.connect(f.alice).rate(a, 5, ZeroHashLike()))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeNotCompleted")
        .withArgs(a, at(f, 12));
      await time.increaseTo(at(f, 12));
      await expect(f.parking.connect(f.bob).rate(cancelled, 5, ZeroHashLike()))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeInvalidStatus")
        .withArgs(cancelled, Status.Cancelled);
      await expect(f.parking.connect(f.alice).rate(99n, 5, ZeroHashLike())).to.be.revertedWithCustomError(f.parking, "ParkingExchangeUnknownBooking").withArgs(99n);
      for (const score of [0, 6]) {
        await expect(f.parking.connect(f.alice).rate(a, score, ZeroHashLike())).to.be.revertedWithCustomError(f.parking, "ParkingExchangeInvalidScore").withArgs(score);
      }
      await expect(f.parking.connect(f.outsider).rate(a, 3, ZeroHashLike()))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeNotParty")
        .withArgs(a, f.outsider.address);
      await expect(f.parking.connect(f.alice).rate(a, 4, id("clean and easy")))
        .to.emit(f.parking, "BookingRated")
        .withArgs(a, f.alice.address, f.owner.address, true, 4, id("clean and easy"));
      await expect(f.parking.connect(f.alice).rate(a, 5, ZeroHashLike()))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeAlreadyRated")
        .withArgs(a, f.alice.address);
      await expect(f.parking.connect(f.owner).rate(a, 2, id("left late")))
        .to.emit(f.parking, "BookingRated")
        .withArgs(a, f.owner.address, f.alice.address, false, 2, id("left late"));
      await expect(f.parking.connect(f.owner).rate(a, 2, ZeroHashLike()))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeAlreadyRated")
        .withArgs(a, f.owner.address);
      const [, x] = await f.parking.booking(a);
      expect([x.driverRated, x.ownerRated]).to.deep.equal([true, true]);
      // Rating survives the payout.
      await time.increaseTo(at(f, 12) + PARKING_DISPUTE_WINDOW);
      await expect(f.parking.payout(a)).to.emit(f.parking, "BookingPaidOut");
    });
  });
});

function ZeroHashLike() {
  return "0x" + "00".repeat(32);
}
