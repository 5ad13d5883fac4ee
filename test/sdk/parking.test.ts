import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { getAddress, keccak256, toHex, zeroAddress, type Address } from "viem";
import {
  ALL_WEEK,
  ContractNotDeployedError,
  bookingIdOf,
  cityAuthorityAbi,
  createCityClient,
  dayIndexOf,
  getSpot,
  memberFlags,
  parseBookingId,
  parseCity,
  weeklyAvailability,
  type ParkingSpotTerms,
} from "../../sdk/src";
import { addressOf, advance, cityAs, credential, expectCityError, now, publicClient, sdkFixture } from "./helpers";

const HOUR = 3600;
const GEOHASH = "0x7370757a7362636400000000" as const;

/** The SDK fixture plus a parking owner (PARKING_OWNER flag) and an arbiter, both through the SDK. */
async function parkingSdkFixture() {
  const f = await loadFixture(sdkFixture);
  const ownerAddress = f.free[0]!;
  const arbiterAddress = f.free[1]!;
  await f.registrar.members.register({
    member: ownerAddress,
    college: 1,
    district: 3,
    flags: memberFlags.RESIDENT | memberFlags.PARKING_OWNER,
    credentialHash: credential(),
    wait: true,
  });
  const hash = await f.admin.walletClient!.writeContract({
    address: f.deployment.addresses.cityAuthority,
    abi: cityAuthorityAbi,
    functionName: "grantRole",
    args: [f.deployment.roles.ARBITER, arbiterAddress, 0],
    chain: null,
    account: addressOf(f.admin),
  });
  await publicClient.waitForTransactionReceipt({ hash });
  const owner = cityAs(f.deployment, ownerAddress);
  const arbiter = cityAs(f.deployment, arbiterAddress);
  const terms: ParkingSpotTerms = { district: 3, geohash: GEOHASH, hourlyRate: parseCity("2"), presetId: 1 };
  await owner.parking.list({ terms, wait: true });
  await owner.parking.list({
    terms: { ...terms, checkIn: true, deposit: parseCity("10"), presetId: 2, descriptionHash: keccak256(toHex("with check-in")) },
    wait: true,
  });
  // Whole hours, two to three hours ahead.
  const start = (Math.floor((await now()) / HOUR) + 3) * HOUR;
  return { ...f, owner, arbiter, terms, start };
}

describe("sdk: parking", () => {
  let f: Awaited<ReturnType<typeof parkingSdkFixture>>;
  beforeEach(async () => {
    f = await loadFixture(parkingSdkFixture);
  });

  it("list, getSpotCount, getSpot, edit, pause, resume, blockDays, unblockDays, delist", async () => {
    expect(await f.reader.parking.getSpotCount()).to.equal(2n);
    const spot = await getSpot(f.reader, { spotId: 1n });
    expect(spot).to.include({ owner: getAddress(addressOf(f.owner)), district: 3, presetId: 1, paused: false, delisted: false, checkIn: false });
    expect(spot.geohash).to.equal(GEOHASH);
    expect(spot.weeklyAvailability).to.equal(ALL_WEEK);
    expect(BigInt(spot.hourlyRate)).to.equal(parseCity("2"));

    const workdays = weeklyAvailability([0, 1, 2, 3, 4], 8, 19);
    await f.owner.parking.edit({ spotId: 1n, terms: { ...f.terms, hourlyRate: parseCity("3"), weeklyAvailability: workdays }, wait: true });
    expect((await f.reader.parking.getSpot({ spotId: 1n })).weeklyAvailability).to.equal(workdays);
    await f.owner.parking.edit({ spotId: 1n, terms: f.terms, wait: true });

    await f.owner.parking.pause({ spotId: 1n, wait: true });
    await expectCityError(f.alice.parking.book({ spotId: 1n, start: f.start, end: f.start + HOUR, maxCost: 0n }), "ParkingExchangeSpotPaused", [1n]);
    await expectCityError(f.owner.parking.pause({ spotId: 1n }), "ParkingExchangeSpotPaused", [1n]);
    await f.owner.parking.resume({ spotId: 1n, wait: true });
    await expectCityError(f.owner.parking.resume({ spotId: 1n }), "ParkingExchangeSpotNotPaused", [1n]);

    const day = dayIndexOf(f.start);
    await f.owner.parking.blockDays({ spotId: 1n, days: [day], wait: true });
    await f.alice.currency.approve({ spender: f.deployment.addresses.parkingExchange!, amount: parseCity("100"), wait: true });
    await expectCityError(f.alice.parking.book({ spotId: 1n, start: f.start, end: f.start + HOUR }), "ParkingExchangeDayBlocked", [1n, BigInt(day)]);
    await f.owner.parking.unblockDays({ spotId: 1n, days: [day], wait: true });
    await f.alice.parking.book({ spotId: 1n, start: f.start, end: f.start + HOUR, wait: true });

    await f.owner.parking.delist({ spotId: 1n, wait: true });
    expect((await f.reader.parking.getSpot({ spotId: 1n })).delisted).to.equal(true);
    await expectCityError(f.owner.parking.pause({ spotId: 1n }), "ParkingExchangeSpotDelisted", [1n]);
    await expectCityError(f.alice.parking.list({ terms: f.terms }), "ParkingExchangeNotParkingOwner", [getAddress(addressOf(f.alice))]);
    await expectCityError(f.owner.parking.list({ terms: { ...f.terms, hourlyRate: 0n } }), "ParkingExchangeZeroRate", []);
    await expectCityError(f.alice.parking.edit({ spotId: 2n, terms: f.terms }), "ParkingExchangeNotSpotOwner", [2n, getAddress(addressOf(f.alice))]);
  });

  it("quote, book, bookWithPermit, getBooking, userOf, userExpires, cancel", async () => {
    const q = await f.reader.parking.quote({ spotId: 2n, start: f.start, end: f.start + 2 * HOUR });
    expect(q).to.deep.equal({ price: parseCity("4"), deposit: parseCity("10"), total: parseCity("14") });
    await expectCityError(f.reader.parking.quote({ spotId: 2n, start: f.start + 1, end: f.start + HOUR }), "ParkingExchangeNotWholeHours", [
      BigInt(f.start + 1),
      BigInt(f.start + HOUR),
    ]);

    await f.alice.currency.approve({ spender: f.deployment.addresses.parkingExchange!, amount: q.total, wait: true });
    await f.alice.parking.book({ spotId: 2n, start: f.start, end: f.start + 2 * HOUR, wait: true });
    const id = bookingIdOf(2n, f.start);
    expect(parseBookingId(id)).to.deep.equal({ spotId: 2n, start: f.start });
    const booking = await f.reader.parking.getBooking({ bookingId: id });
    expect(booking).to.deep.include({
      spotId: 2n,
      start: f.start,
      end: f.start + 2 * HOUR,
      driver: getAddress(addressOf(f.alice)),
      hoursBooked: 2,
      price: parseCity("4"),
      deposit: parseCity("10"),
      status: "booked",
      checkIn: true,
      checkedInAt: 0,
    });

    // Bob books the next two hours with a permit, without an approval.
    await expectCityError(
      f.bob.parking.book({ spotId: 2n, start: f.start + HOUR, end: f.start + 3 * HOUR, maxCost: parseCity("100") }),
      "ParkingExchangeOverlap",
      [2n, BigInt(f.start + HOUR), BigInt(f.start + 3 * HOUR)],
    );
    await expectCityError(
      f.bob.parking.book({ spotId: 1n, start: f.start, end: f.start + HOUR, maxCost: 1n }),
      "ParkingExchangeCostAboveLimit",
      [parseCity("2"), 1n],
    );
    await f.bob.parking.bookWithPermit({ spotId: 2n, start: f.start + 2 * HOUR, end: f.start + 4 * HOUR, wait: true });
    expect((await f.reader.parking.getBooking({ bookingId: bookingIdOf(2n, f.start + 2 * HOUR) })).driver).to.equal(getAddress(addressOf(f.bob)));
    expect(await f.reader.currency.getBalance({ address: addressOf(f.bob) })).to.equal(parseCity("86"));

    // Spot 2 is moderate: half the price back 24-48 h before the start, nothing later; the deposit always.
    await f.bob.parking.cancel({ bookingId: bookingIdOf(2n, f.start + 2 * HOUR), wait: true });
    expect((await f.reader.parking.getBooking({ bookingId: bookingIdOf(2n, f.start + 2 * HOUR) })).status).to.equal("cancelled");
    expect(await f.reader.currency.getBalance({ address: addressOf(f.bob) })).to.equal(parseCity("96")); // deposit back only

    expect(await f.reader.parking.userOf({ spotId: 2n })).to.equal(zeroAddress);
    expect(await f.reader.parking.userExpires({ spotId: 2n })).to.equal(0n);
    await advance(f.start - (await now()) + 60);
    expect(await f.reader.parking.userOf({ spotId: 2n })).to.equal(getAddress(addressOf(f.alice)));
    expect(await f.reader.parking.userExpires({ spotId: 2n })).to.equal(BigInt(f.start + 2 * HOUR));
    await expectCityError(f.alice.parking.cancel({ bookingId: id }), "ParkingExchangeAlreadyStarted", [id, BigInt(f.start)]);
    await expectCityError(f.outsider.parking.cancel({ bookingId: id }), "ParkingExchangeNotParty", [id, getAddress(addressOf(f.outsider))]);
  });

  it("checkIn, checkOut with an overstay, payout after the dispute window, rate", async () => {
    await f.alice.currency.approve({ spender: f.deployment.addresses.parkingExchange!, amount: parseCity("100"), wait: true });
    await f.alice.parking.book({ spotId: 2n, start: f.start, end: f.start + HOUR, wait: true });
    const id = bookingIdOf(2n, f.start);
    await expectCityError(f.alice.parking.checkIn({ bookingId: id }), "ParkingExchangeCheckInClosed", [id, BigInt(f.start), BigInt(f.start + HOUR)]);
    await advance(f.start - (await now()) + 10);
    await f.alice.parking.checkIn({ bookingId: id, wait: true });
    await expectCityError(f.alice.parking.checkIn({ bookingId: id }), "ParkingExchangeAlreadyCheckedIn", [id]);
    await expectCityError(f.bob.parking.checkOut({ bookingId: id }), "ParkingExchangeNotDriver", [id, getAddress(addressOf(f.bob))]);
    await advance(f.start + HOUR + 30 * 60 - (await now()));
    await f.alice.parking.checkOut({ bookingId: id, wait: true });
    const after = await f.reader.parking.getBooking({ bookingId: id });
    expect(after.overstayCharge).to.equal(parseCity("2"));
    expect(after.checkedOutAt).to.be.greaterThan(after.checkedInAt);

    await expectCityError(f.outsider.parking.payout({ bookingId: id }), "ParkingExchangePayoutNotDue");
    await f.owner.parking.rate({ bookingId: id, score: 4, wait: true });
    await expectCityError(f.owner.parking.rate({ bookingId: id, score: 4 }), "ParkingExchangeAlreadyRated", [id, getAddress(addressOf(f.owner))]);
    await expectCityError(f.alice.parking.rate({ bookingId: id, score: 6 }), "ParkingExchangeInvalidScore", [6]);
    await f.alice.parking.rate({ bookingId: id, score: 5, commentHash: keccak256(toHex("fine")), wait: true });

    await advance(48 * HOUR);
    const ownerAddress = addressOf(f.owner);
    await f.outsider.parking.payout({ bookingId: id, wait: true });
    // €2 price + €2 overstay, less the 5% city fee, to the owner.
    expect(await f.reader.currency.getBalance({ address: ownerAddress })).to.equal(parseCity("3.8"));
    expect(await f.reader.parking.getBooking({ bookingId: id })).to.deep.include({ status: "paidOut", driverRated: true, ownerRated: true });
  });

  it("openDispute and resolveDispute (ARBITER only)", async () => {
    await f.alice.currency.approve({ spender: f.deployment.addresses.parkingExchange!, amount: parseCity("100"), wait: true });
    await f.alice.parking.book({ spotId: 1n, start: f.start, end: f.start + 2 * HOUR, wait: true });
    const id = bookingIdOf(1n, f.start);
    await expectCityError(f.alice.parking.openDispute({ bookingId: id }), "ParkingExchangeDisputeClosed");
    await advance(f.start - (await now()) + 60);
    await f.owner.parking.openDispute({ bookingId: id, wait: true });
    await expectCityError(f.alice.parking.resolveDispute({ bookingId: id, toDriver: 0n }), "AccessManagedUnauthorized", [getAddress(addressOf(f.alice))]);
    await expectCityError(f.arbiter.parking.resolveDispute({ bookingId: id, toDriver: parseCity("5") }), "ParkingExchangeSplitExceedsEscrow", [
      id,
      parseCity("5"),
      parseCity("4"),
    ]);
    await f.arbiter.parking.resolveDispute({ bookingId: id, toDriver: parseCity("1"), reasonHash: keccak256(toHex("decision")), wait: true });
    expect((await f.reader.parking.getBooking({ bookingId: id })).status).to.equal("resolved");
    expect(await f.reader.currency.getBalance({ address: addressOf(f.alice) })).to.equal(parseCity("97"));
    await expectCityError(f.arbiter.parking.resolveDispute({ bookingId: id, toDriver: 0n }), "ParkingExchangeInvalidStatus", [id, 5]);
    await expectCityError(f.alice.parking.payout({ bookingId: 1n }), "ParkingExchangeUnknownBooking", [1n]);
  });

  it("getCredit and withdrawCredit: a refund to a suspended driver is held for her and taken once reinstated", async () => {
    const alice = getAddress(addressOf(f.alice));
    await f.alice.currency.approve({ spender: f.deployment.addresses.parkingExchange!, amount: parseCity("2"), wait: true });
    await f.alice.parking.book({ spotId: 1n, start: f.start, end: f.start + HOUR, wait: true });
    await f.registrar.members.suspend({ member: alice, reasonHash: keccak256(toHex("audit")), wait: true });
    await f.owner.parking.cancel({ bookingId: bookingIdOf(1n, f.start), wait: true });
    expect(await f.reader.parking.getCredit({ account: alice })).to.equal(parseCity("2"));
    await expectCityError(f.alice.parking.withdrawCredit({ to: alice }), "ParkingExchangeCreditFrozen", [alice]);
    await f.registrar.members.reinstate({ member: alice, wait: true });
    const before = await f.reader.currency.getBalance({ address: alice });
    await f.alice.parking.withdrawCredit({ to: alice, wait: true });
    expect(await f.reader.currency.getBalance({ address: alice })).to.equal(before + parseCity("2"));
    expect(await f.reader.parking.getCredit({ account: alice })).to.equal(0n);
    await expectCityError(f.alice.parking.withdrawCredit({ to: alice }), "ParkingExchangeNoCredit", [alice]);
  });

  it("a deployment without ParkingExchange: actions throw ContractNotDeployedError", async () => {
    const record = JSON.parse(JSON.stringify(f.record));
    delete record.contracts.ParkingExchange;
    const city = createCityClient({ publicClient, deployment: record });
    expect(city.addresses.parkingExchange).to.equal(undefined);
    let caught: unknown;
    try {
      await city.parking.getSpot({ spotId: 1n });
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(ContractNotDeployedError);
    expect((caught as ContractNotDeployedError).shortMessage).to.equal("getSpot calls ParkingExchange, which this deployment does not include.");
    expect(((await f.reader.parking.getSpot({ spotId: 2n })).owner as Address).toLowerCase()).to.equal(addressOf(f.owner).toLowerCase());
  });
});
