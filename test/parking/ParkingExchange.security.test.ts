/**
 * ParkingExchange security (issue 13): booking ids that cannot collide (item 1), money that one party's membership
 * status never locks, key recovery followed, bookings of a spot whose owner is not active refused (item 2), and the
 * blocked days an owner may write bounded (item 7). Each `describe` starts with the attack as the issue reproduced it.
 */
import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { MaxUint256, id } from "ethers";
import { signForwardRequest } from "../../scripts/lib/relay";
import { recoverKey, coins } from "../fixtures";
import { DAY, HOUR, RATE, idOf, listSpot, parkingFixture, type ParkingCtx } from "./helpers";

const FEE_BPS = 500n;
const fee = (gross: bigint) => (gross * FEE_BPS) / 10_000n;
const at = (f: ParkingCtx, h: number) => f.week + h * HOUR;
const Status = { Booked: 1n, Cancelled: 3n, PaidOut: 4n, Resolved: 5n } as const;

async function book(f: ParkingCtx, spotId: bigint, h0: number, h1: number, driver = f.alice): Promise<bigint> {
  await (await f.parking.connect(driver).book(spotId, at(f, h0), at(f, h1), MaxUint256)).wait();
  return idOf(spotId, at(f, h0));
}

/** Σ open escrows (from the chain) + Σ credits of `accounts` equals the exchange's balance. */
async function expectBalanced(f: ParkingCtx, bookingIds: bigint[], accounts: string[]) {
  let owed = 0n;
  for (const bookingId of bookingIds) {
    const [b, x] = await f.parking.booking(bookingId);
    if (b.status === 1n || b.status === 2n) owed += b.price + x.deposit;
  }
  for (const a of accounts) owed += await f.parking.creditOf(a);
  expect(await f.coin.balanceOf(f.parking), "Σ escrows + Σ credits").to.equal(owed);
}

/** Starts and completes the registry's migration of `from` to a fresh signer; returns the new key and the completion. */
async function recover(f: ParkingCtx, from: { address: string }, fresh = f.rest[0]) {
  const completed = await recoverKey(f, from.address, fresh.address);
  return { fresh, completed };
}

/** The parking city (deployCity makes the exchange a membership listener). */
const securityFixture = parkingFixture;

describe("ParkingExchange security", function () {
  describe("item 1: booking ids cannot collide", function () {
    it("a far-future booking at ((S << 32) | h) * 3600 is refused: it would take the id of the victim's booking at hour h", async function () {
      const f = await loadFixture(securityFixture);
      const spotId = await listSpot(f);
      const victimId = await book(f, spotId, 10, 14, f.alice);
      const h = BigInt(at(f, 10) / HOUR);
      const forged = Number(((spotId << 32n) | h) * BigInt(HOUR));
      expect(idOf(spotId, forged)).to.equal(victimId); // the spill the old id scheme allowed
      const t = (await time.latest()) + 1;
      const latest = t - (t % HOUR) + 366 * DAY;
      await expect(f.parking.connect(f.bob).book(spotId, forged, forged + 4 * HOUR, MaxUint256))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeStartTooFar")
        .withArgs(forged, latest);
      const [b] = await f.parking.booking(victimId);
      expect(b.driver).to.equal(f.alice.address);
      expect(b.status).to.equal(Status.Booked);
      await expectBalanced(f, [victimId], []);
    });

    it("the horizon is exactly BOOKING_HORIZON after the current hour: the last hour inside books, the next does not", async function () {
      const f = await loadFixture(securityFixture);
      const spotId = await listSpot(f);
      expect(await f.parking.BOOKING_HORIZON()).to.equal(366 * DAY);
      const now = (await time.latest()) + 1;
      const last = now - (now % HOUR) + 366 * DAY;
      await expect(f.parking.connect(f.alice).book(spotId, last, last + HOUR, MaxUint256)).to.emit(f.parking, "BookingCreated");
      await expect(f.parking.connect(f.alice).book(spotId, last + HOUR, last + 2 * HOUR, MaxUint256))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeStartTooFar")
        .withArgs(last + HOUR, last);
    });
  });

  describe("item 2: one party's membership never locks the other's money", function () {
    it("owner suspended: the payout pays the driver's deposit back and credits the owner, who withdraws once reinstated", async function () {
      const f = await loadFixture(securityFixture);
      const spotId = await listSpot(f, { checkIn: true, deposit: coins(5) });
      const bookingId = await book(f, spotId, 10, 12);
      await (await f.registry.connect(f.registrar).suspend(f.owner.address, id("audit"))).wait();
      await time.increaseTo(at(f, 12) + 48 * HOUR);
      const price = 2n * RATE;
      const before = await f.coin.balanceOf(f.alice);
      await expect(f.parking.payout(bookingId))
        .to.emit(f.parking, "BookingPaidOut")
        .withArgs(bookingId, f.owner.address, price - fee(price), fee(price), coins(5), 0)
        .and.to.emit(f.parking, "PaymentCredited")
        .withArgs(f.owner.address, bookingId, price - fee(price));
      expect(await f.coin.balanceOf(f.alice)).to.equal(before + coins(5));
      expect(await f.parking.creditOf(f.owner)).to.equal(price - fee(price));
      await expectBalanced(f, [bookingId], [f.owner.address]);

      await expect(f.parking.connect(f.owner).withdraw(f.owner.address))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeCreditFrozen")
        .withArgs(f.owner.address);
      await (await f.registry.connect(f.registrar).reinstate(f.owner.address)).wait();
      const ownerBefore = await f.coin.balanceOf(f.owner);
      await expect(f.parking.connect(f.owner).withdraw(f.owner.address))
        .to.emit(f.parking, "CreditWithdrawn")
        .withArgs(f.owner.address, f.owner.address, price - fee(price));
      expect(await f.coin.balanceOf(f.owner)).to.equal(ownerBefore + price - fee(price));
      expect(await f.parking.creditOf(f.owner)).to.equal(0);
      await expect(f.parking.connect(f.owner).withdraw(f.owner.address))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeNoCredit")
        .withArgs(f.owner.address);
      await expectBalanced(f, [bookingId], [f.owner.address]);
    });

    it("driver suspended: the owner's cancellation credits the driver's refund instead of reverting", async function () {
      const f = await loadFixture(securityFixture);
      const spotId = await listSpot(f);
      const bookingId = await book(f, spotId, 10, 13);
      await (await f.registry.connect(f.registrar).suspend(f.alice.address, id("audit"))).wait();
      await expect(f.parking.connect(f.owner).cancel(bookingId))
        .to.emit(f.parking, "BookingCancelled")
        .withArgs(bookingId, spotId, f.owner.address, true, 3n * RATE, 0, 0)
        .and.to.emit(f.parking, "PaymentCredited")
        .withArgs(f.alice.address, bookingId, 3n * RATE);
      expect(await f.parking.isBooked(spotId, at(f, 10), at(f, 13))).to.equal(false);
      await expectBalanced(f, [bookingId], [f.alice.address]);
    });

    it("driver removed: the arbiter's resolution pays the owner; the removed driver's share is held for her and she may send it on", async function () {
      const f = await loadFixture(securityFixture);
      const spotId = await listSpot(f);
      const bookingId = await book(f, spotId, 10, 12);
      await time.increaseTo(at(f, 11));
      await (await f.parking.connect(f.owner).openDispute(bookingId)).wait();
      await (await f.registry.connect(f.registrar).remove(f.alice.address, id("moved away"))).wait();
      const ownerBefore = await f.coin.balanceOf(f.owner);
      await expect(f.parking.connect(f.arbiter).resolveDispute(bookingId, RATE, id("half")))
        .to.emit(f.parking, "DisputeResolved")
        .and.to.emit(f.parking, "PaymentCredited")
        .withArgs(f.alice.address, bookingId, RATE);
      expect(await f.coin.balanceOf(f.owner)).to.equal(ownerBefore + RATE - fee(RATE));
      await expectBalanced(f, [bookingId], [f.alice.address]);
      // A non-member destination is refused by CityCoin; a member's is accepted.
      await expect(f.parking.connect(f.alice).withdraw(f.outsider.address)).to.be.revertedWithCustomError(f.coin, "CityCoinTransferNotAllowed");
      await expect(f.parking.connect(f.alice).withdraw(f.bob.address)).to.emit(f.parking, "CreditWithdrawn").withArgs(f.alice.address, f.bob.address, RATE);
      await expectBalanced(f, [bookingId], [f.alice.address]);
    });

    it("a spot whose owner is suspended or removed cannot be booked", async function () {
      const f = await loadFixture(securityFixture);
      const spotId = await listSpot(f);
      await (await f.registry.connect(f.registrar).suspend(f.owner.address, id("audit"))).wait();
      await expect(f.parking.connect(f.alice).book(spotId, at(f, 10), at(f, 11), MaxUint256))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeOwnerNotActive")
        .withArgs(spotId, f.owner.address);
      await (await f.registry.connect(f.registrar).reinstate(f.owner.address)).wait();
      await expect(f.parking.connect(f.alice).book(spotId, at(f, 10), at(f, 11), MaxUint256)).to.emit(f.parking, "BookingCreated");
      await (await f.registry.connect(f.registrar).remove(f.owner.address, id("left"))).wait();
      await expect(f.parking.connect(f.alice).book(spotId, at(f, 12), at(f, 13), MaxUint256))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeOwnerNotActive")
        .withArgs(spotId, f.owner.address);
    });

    it("owner recovered to a new key: the new key runs the spot and is paid, the old key is locked out", async function () {
      const f = await loadFixture(securityFixture);
      const spotId = await listSpot(f);
      const bookingId = await book(f, spotId, 10, 12);
      const marked = await book(f, spotId, 20, 21, f.bob);
      await (await f.parking.connect(f.owner).cancel(marked)).wait();
      const { fresh } = await recover(f, f.owner);
      expect(await f.parking.holderOf(f.owner)).to.equal(fresh.address);
      expect((await f.parking.spot(spotId)).owner).to.equal(fresh.address);
      expect(await f.parking.ownerCancellations(fresh)).to.equal(1);
      await expect(f.parking.connect(f.owner).pause(spotId))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeNotSpotOwner")
        .withArgs(spotId, f.owner.address);
      await expect(f.parking.connect(fresh).pause(spotId)).to.emit(f.parking, "SpotPaused");
      await (await f.parking.connect(fresh).resume(spotId)).wait();
      await expect(f.parking.connect(f.alice).book(spotId, at(f, 30), at(f, 31), MaxUint256)).to.emit(f.parking, "BookingCreated");
      await time.increaseTo(at(f, 12) + 48 * HOUR);
      const price = 2n * RATE;
      await expect(f.parking.payout(bookingId))
        .to.emit(f.parking, "BookingPaidOut")
        .withArgs(bookingId, fresh.address, price - fee(price), fee(price), 0, 0)
        .and.to.emit(f.coin, "Transfer")
        .withArgs(await f.parking.getAddress(), fresh.address, price - fee(price));
      // The old key may not list or book again.
      await expect(f.parking.connect(f.owner).book(spotId, at(f, 40), at(f, 41), MaxUint256))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeNotAMember")
        .withArgs(f.owner.address);
    });

    it("driver recovered to a new key: her credit moves, the new key cancels and is refunded, the old one cannot act", async function () {
      const f = await loadFixture(securityFixture);
      const spotId = await listSpot(f);
      const credited = await book(f, spotId, 5, 6);
      const bookingId = await book(f, spotId, 10, 12);
      await (await f.registry.connect(f.registrar).suspend(f.alice.address, id("lost key"))).wait();
      await (await f.parking.connect(f.owner).cancel(credited)).wait();
      expect(await f.parking.creditOf(f.alice)).to.equal(RATE);
      await (await f.registry.connect(f.registrar).reinstate(f.alice.address)).wait();
      const { fresh, completed } = await recover(f, f.alice, f.rest[1]);
      await expect(completed).to.emit(f.parking, "PartyMigrated").withArgs(f.alice.address, fresh.address, RATE, 0);
      expect(await f.parking.creditOf(f.alice)).to.equal(0);
      expect(await f.parking.creditOf(fresh)).to.equal(RATE);
      expect((await f.parking.booking(bookingId))[0].driver).to.equal(fresh.address);
      await expect(f.parking.connect(f.alice).cancel(bookingId))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeNotParty")
        .withArgs(bookingId, f.alice.address);
      await expect(f.parking.connect(fresh).cancel(bookingId))
        .to.emit(f.coin, "Transfer")
        .withArgs(await f.parking.getAddress(), fresh.address, 2n * RATE);
      await expect(f.parking.connect(fresh).withdraw(fresh.address)).to.emit(f.parking, "CreditWithdrawn").withArgs(fresh.address, fresh.address, RATE);
      await expectBalanced(f, [credited, bookingId], [f.alice.address, fresh.address]);
    });

    it("deployCity registers the exchange as a membership listener", async function () {
      const f = await loadFixture(parkingFixture);
      expect(await f.registry.membershipListeners()).to.include(await f.parking.getAddress());
    });

    it("withdraw is relayable: a member takes her credit gaslessly through the forwarder", async function () {
      const f = await loadFixture(securityFixture);
      const spotId = await listSpot(f);
      const bookingId = await book(f, spotId, 10, 11);
      await (await f.registry.connect(f.registrar).suspend(f.alice.address, id("audit"))).wait();
      await (await f.parking.connect(f.owner).cancel(bookingId)).wait();
      await (await f.registry.connect(f.registrar).reinstate(f.alice.address)).wait();
      const data = f.parking.interface.encodeFunctionData("withdraw", [f.alice.address]);
      const request = await signForwardRequest(f.forwarder, f.alice, { to: await f.parking.getAddress(), data });
      await expect(f.forwarder.connect(f.relayer).execute(request))
        .to.emit(f.parking, "CreditWithdrawn")
        .withArgs(f.alice.address, f.alice.address, RATE);
    });
  });

  describe("item 7: the blocked days an owner writes are bounded", function () {
    it("refuses more than MAX_DAYS_PER_CALL days in one call, and days before today or beyond the horizon", async function () {
      const f = await loadFixture(securityFixture);
      const spotId = await listSpot(f);
      const today = Math.floor(((await time.latest()) + 1) / DAY);
      const many = Array.from({ length: 2_000 }, (_, i) => today + 1_000 + i);
      await expect(f.parking.connect(f.owner).blockDays(spotId, many))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeTooManyDays")
        .withArgs(2_000, 62);
      await expect(f.parking.connect(f.owner).unblockDays(spotId, many))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeTooManyDays")
        .withArgs(2_000, 62);
      const lastDay = Math.floor(((await time.latest()) + 1 + 366 * DAY) / DAY);
      await expect(f.parking.connect(f.owner).blockDays(spotId, [today + 5, lastDay + 1]))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeDayOutOfRange")
        .withArgs(lastDay + 1, today, lastDay);
      await expect(f.parking.connect(f.owner).blockDays(spotId, [today - 1]))
        .to.be.revertedWithCustomError(f.parking, "ParkingExchangeDayOutOfRange")
        .withArgs(today - 1, today, lastDay);
      const sixtyTwo = Array.from({ length: 62 }, (_, i) => lastDay - i);
      await expect(f.parking.connect(f.owner).blockDays(spotId, [...sixtyTwo, today].slice(0, 62))).to.emit(f.parking, "SpotDaysBlocked");
      expect(await f.parking.isDayBlocked(spotId, lastDay)).to.equal(true);
    });
  });

  it("ParkingExchange keeps at least 1 KB under EIP-170", async function () {
    const artifact = await hre.artifacts.readArtifact("ParkingExchange");
    expect((artifact.deployedBytecode.length - 2) / 2).to.be.at.most(24_576 - 1_024);
  });
});

